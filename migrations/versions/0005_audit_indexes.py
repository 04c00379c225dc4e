"""audit timeline indexes: action and actor, each with time

Revision ID: 0005_audit_indexes
Revises: 0004_capa
Create Date: 2026-11-26 06:45:00

"""
from alembic import op


revision = '0005_audit_indexes'
down_revision = '0004_capa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.create_index('ix_audit_event_action_time', ['action', 'occurred_at'], unique=False)
        batch_op.create_index('ix_audit_event_actor_time', ['actor_id', 'occurred_at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_actor_time')
        batch_op.drop_index('ix_audit_event_action_time')
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
