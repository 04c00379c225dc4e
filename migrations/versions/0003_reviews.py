"""yearly review cycles and reviews

Revision ID: 0003_reviews
Revises: 0002_procedures
Create Date: 2026-11-26 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_reviews'
down_revision = '0002_procedures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_review_cycle_closed_by_id_user')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_review_cycle_opened_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_cycle')),
    sa.UniqueConstraint('year', name=op.f('uq_review_cycle_year'))
    )
    with op.batch_alter_table('review_cycle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cycle_status'), ['status'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('revision', sa.String(length=40), nullable=True),
    sa.Column('issue_number', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_review_accepted_by_id_user')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id'], name=op.f('fk_review_confirmed_by_id_user')),
    sa.ForeignKeyConstraint(['cycle_id'], ['review_cycle.id'], name=op.f('fk_review_cycle_id_review_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_review_procedure_id_procedure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_review_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user.id'], name=op.f('fk_review_returned_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_review_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('cycle_id', 'procedure_id', name='uq_review_cycle_procedure')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('ix_review_cycle_unit_status', ['cycle_id', 'unit_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_unit_id'), ['unit_id'], unique=False)

    op.create_table('reminder_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_reminder_log_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('unit_id', 'day', name='uq_reminder_log_unit_day')
    )
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_log_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_log_unit_id'))

    op.drop_table('reminder_log')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_unit_id'))
        batch_op.drop_index(batch_op.f('ix_review_procedure_id'))
        batch_op.drop_index('ix_review_cycle_unit_status')
        batch_op.drop_index(batch_op.f('ix_review_cycle_id'))

    op.drop_table('review')
    with op.batch_alter_table('review_cycle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_cycle_status'))

    op.drop_table('review_cycle')
