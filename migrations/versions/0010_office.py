"""office: distribution register of controlled copies, read-and-acknowledge scopes and records

Revision ID: 0010_office
Revises: 0009_yearclose
Create Date: 2026-11-30 06:44:43.691526

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_office'
down_revision = '0009_yearclose'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ack_scope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('issue_number', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_ack_scope_added_by_id_user')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_ack_scope_procedure_id_procedure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_ack_scope_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ack_scope')),
    sa.UniqueConstraint('procedure_id', 'issue_number', 'unit_id', name=op.f('uq_ack_scope_procedure_id'))
    )
    with op.batch_alter_table('ack_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ack_scope_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ack_scope_unit_id'), ['unit_id'], unique=False)

    op.create_table('acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('issue_number', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_acknowledgement_procedure_id_procedure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_acknowledgement_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_acknowledgement_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgement')),
    sa.UniqueConstraint('procedure_id', 'issue_number', 'user_id', name=op.f('uq_acknowledgement_procedure_id'))
    )
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgement_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acknowledgement_user_id'), ['user_id'], unique=False)

    op.create_table('controlled_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('issue_number', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recall_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_controlled_copy_issued_by_id_user')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_controlled_copy_procedure_id_procedure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user.id'], name=op.f('fk_controlled_copy_returned_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_controlled_copy_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_controlled_copy')),
    sa.UniqueConstraint('procedure_id', 'issue_number', 'number', name=op.f('uq_controlled_copy_procedure_id'))
    )
    with op.batch_alter_table('controlled_copy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_controlled_copy_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_controlled_copy_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_controlled_copy_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('controlled_copy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_controlled_copy_unit_id'))
        batch_op.drop_index(batch_op.f('ix_controlled_copy_status'))
        batch_op.drop_index(batch_op.f('ix_controlled_copy_procedure_id'))

    op.drop_table('controlled_copy')
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgement_user_id'))
        batch_op.drop_index(batch_op.f('ix_acknowledgement_procedure_id'))

    op.drop_table('acknowledgement')
    with op.batch_alter_table('ack_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ack_scope_unit_id'))
        batch_op.drop_index(batch_op.f('ix_ack_scope_procedure_id'))

    op.drop_table('ack_scope')
