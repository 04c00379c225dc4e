"""corrective and preventive actions

Revision ID: 0004_capa
Revises: 0003_reviews
Create Date: 2026-11-26 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004_capa'
down_revision = '0003_reviews'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('capa_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_capa_counter'))
    )
    op.create_table('capa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('root_cause', sa.Text(), nullable=False),
    sa.Column('similar_elsewhere', sa.Boolean(), nullable=True),
    sa.Column('similar_note', sa.Text(), nullable=False),
    sa.Column('analysed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['raised_by_id'], ['user.id'], name=op.f('fk_capa_raised_by_id_user')),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_capa_review_id_review'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_capa_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capa')),
    sa.UniqueConstraint('number', name=op.f('uq_capa_number')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_capa_year'))
    )
    with op.batch_alter_table('capa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capa_raised_by_id'), ['raised_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_unit_id'), ['unit_id'], unique=False)

    op.create_table('capa_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('capa_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['capa_id'], ['capa.id'], name=op.f('fk_capa_action_capa_id_capa'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], name=op.f('fk_capa_action_owner_unit_id_unit')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['user.id'], name=op.f('fk_capa_action_owner_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capa_action')),
    sa.UniqueConstraint('capa_id', 'seq', name=op.f('uq_capa_action_capa_id'))
    )
    with op.batch_alter_table('capa_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capa_action_capa_id'), ['capa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_action_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_action_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_action_owner_user_id'), ['owner_user_id'], unique=False)

    op.create_table('capa_procedure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('capa_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.String(length=40), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capa_id'], ['capa.id'], name=op.f('fk_capa_procedure_capa_id_capa'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_capa_procedure_procedure_id_procedure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capa_procedure')),
    sa.UniqueConstraint('capa_id', 'procedure_id', name=op.f('uq_capa_procedure_capa_id'))
    )
    with op.batch_alter_table('capa_procedure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capa_procedure_capa_id'), ['capa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capa_procedure_procedure_id'), ['procedure_id'], unique=False)

    op.create_table('capa_verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('capa_id', sa.Integer(), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('effective', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capa_id'], ['capa.id'], name=op.f('fk_capa_verification_capa_id_capa'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['user.id'], name=op.f('fk_capa_verification_verified_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capa_verification'))
    )
    with op.batch_alter_table('capa_verification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capa_verification_capa_id'), ['capa_id'], unique=False)



def downgrade():
    with op.batch_alter_table('capa_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capa_verification_capa_id'))

    op.drop_table('capa_verification')
    with op.batch_alter_table('capa_procedure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capa_procedure_procedure_id'))
        batch_op.drop_index(batch_op.f('ix_capa_procedure_capa_id'))

    op.drop_table('capa_procedure')
    with op.batch_alter_table('capa_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capa_action_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_capa_action_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_capa_action_due_on'))
        batch_op.drop_index(batch_op.f('ix_capa_action_capa_id'))

    op.drop_table('capa_action')
    with op.batch_alter_table('capa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capa_unit_id'))
        batch_op.drop_index(batch_op.f('ix_capa_status'))
        batch_op.drop_index(batch_op.f('ix_capa_source'))
        batch_op.drop_index(batch_op.f('ix_capa_review_id'))
        batch_op.drop_index(batch_op.f('ix_capa_raised_by_id'))

    op.drop_table('capa')
    op.drop_table('capa_counter')
