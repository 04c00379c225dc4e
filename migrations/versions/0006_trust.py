"""trust: server-side login sessions; the audit key is made outside the database

Revision ID: 0006_trust
Revises: 0010_office
Create Date: 2026-11-30 07:00:00

The audit key file (audit.key in the data directory) is created here when it does not exist yet, with
`keyed_after` = the last event written so far: those events keep their plain SHA-256 hashes and still
verify; every later event is hashed with the key.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_trust'
down_revision = '0011_api'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_login_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session'))
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_session_user_id'), ['user_id'], unique=False)
    _make_audit_key()


def _make_audit_key():
    try:
        from flask import current_app

        data_dir = current_app.config["QMS_DATA_DIR"]
    except (ImportError, RuntimeError, KeyError):
        return  # offline SQL generation: the key is made on the first event instead
    from app.audit.keys import ensure_key

    last = op.get_bind().execute(sa.text("SELECT MAX(id) FROM audit_event")).scalar()
    ensure_key(data_dir, lambda: last or 0)


def downgrade():
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_login_session_created_at'))
    op.drop_table('login_session')
