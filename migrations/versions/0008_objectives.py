"""quality objectives, periods and unit reports

Revision ID: 0008_objectives
Revises: 0012_legal
Create Date: 2026-11-30 07:03:47.162382

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_objectives'
down_revision = '0012_legal'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('objective_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('window_start_day', sa.Integer(), nullable=False),
    sa.Column('unit_due_day', sa.Integer(), nullable=False),
    sa.Column('office_due_day', sa.Integer(), nullable=False),
    sa.Column('year_due_on', sa.Date(), nullable=False),
    sa.Column('year_office_due_on', sa.Date(), nullable=False),
    sa.Column('holidays', sa.Text(), nullable=False),
    sa.Column('monitoring', sa.Text(), nullable=False),
    sa.Column('signed_by', sa.String(length=200), nullable=False),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_objective_plan_approved_by_id_user')),
    sa.ForeignKeyConstraint(['copied_from_id'], ['objective_plan.id'], name=op.f('fk_objective_plan_copied_from_id_objective_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_objective_plan_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_plan')),
    sa.UniqueConstraint('year', name=op.f('uq_objective_plan_year'))
    )
    with op.batch_alter_table('objective_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_plan_status'), ['status'], unique=False)

    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['objective_plan.id'], name=op.f('fk_objective_plan_id_objective_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_objective_plan_id'))
    )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_plan_id'), ['plan_id'], unique=False)

    op.create_table('objective_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('office_due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_objective_period_closed_by_id_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['objective_plan.id'], name=op.f('fk_objective_period_plan_id_objective_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_period')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_objective_period_plan_id'))
    )
    with op.batch_alter_table('objective_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_period_plan_id'), ['plan_id'], unique=False)

    op.create_table('objective_indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('scale', sa.String(length=300), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('direction', sa.String(length=2), nullable=False),
    sa.Column('margin', sa.Float(), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('compute', sa.String(length=20), nullable=False),
    sa.Column('aggregate', sa.String(length=5), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_indicator_objective_id_objective'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], name=op.f('fk_objective_indicator_owner_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_indicator'))
    )
    with op.batch_alter_table('objective_indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_indicator_objective_id'), ['objective_id'], unique=False)

    op.create_table('objective_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('days_late', sa.Integer(), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_objective_report_accepted_by_id_user')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['user.id'], name=op.f('fk_objective_report_drafted_by_id_user')),
    sa.ForeignKeyConstraint(['period_id'], ['objective_period.id'], name=op.f('fk_objective_report_period_id_objective_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user.id'], name=op.f('fk_objective_report_sent_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_objective_report_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_report')),
    sa.UniqueConstraint('period_id', 'unit_id', name=op.f('uq_objective_report_period_id'))
    )
    with op.batch_alter_table('objective_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_report_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_report_unit_id'), ['unit_id'], unique=False)

    op.create_table('objective_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('performer_text', sa.Text(), nullable=False),
    sa.Column('coordination_text', sa.Text(), nullable=False),
    sa.Column('deadline_text', sa.Text(), nullable=False),
    sa.Column('rule', sa.String(length=15), nullable=False),
    sa.Column('rule_day', sa.Integer(), nullable=True),
    sa.Column('rule_date', sa.Date(), nullable=True),
    sa.Column('all_units', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_task_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_task'))
    )
    with op.batch_alter_table('objective_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_task_objective_id'), ['objective_id'], unique=False)

    op.create_table('objective_capa_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=20), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('capa_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['capa_id'], ['capa.id'], name=op.f('fk_objective_capa_proposal_capa_id_capa'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_objective_capa_proposal_decided_by_id_user')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_capa_proposal_objective_id_objective'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['objective_period.id'], name=op.f('fk_objective_capa_proposal_period_id_objective_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_objective_capa_proposal_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_capa_proposal')),
    sa.UniqueConstraint('period_id', 'kind', 'ref', name=op.f('uq_objective_capa_proposal_period_id'))
    )
    with op.batch_alter_table('objective_capa_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_capa_proposal_capa_id'), ['capa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_capa_proposal_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_capa_proposal_period_id'), ['period_id'], unique=False)

    op.create_table('objective_task_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('given_due_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_objective_task_assignment_created_by_id_user')),
    sa.ForeignKeyConstraint(['task_id'], ['objective_task.id'], name=op.f('fk_objective_task_assignment_task_id_objective_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_objective_task_assignment_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_task_assignment'))
    )
    with op.batch_alter_table('objective_task_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_task_assignment_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_task_assignment_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_task_assignment_unit_id'), ['unit_id'], unique=False)

    op.create_table('objective_task_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('done_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['objective_report.id'], name=op.f('fk_objective_task_entry_report_id_objective_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['objective_task.id'], name=op.f('fk_objective_task_entry_task_id_objective_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_task_entry')),
    sa.UniqueConstraint('report_id', 'task_id', name=op.f('uq_objective_task_entry_report_id'))
    )
    with op.batch_alter_table('objective_task_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_task_entry_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_task_entry_task_id'), ['task_id'], unique=False)

    op.create_table('objective_task_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['objective_task.id'], name=op.f('fk_objective_task_unit_task_id_objective_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_objective_task_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_task_unit')),
    sa.UniqueConstraint('task_id', 'unit_id', name=op.f('uq_objective_task_unit_task_id'))
    )
    with op.batch_alter_table('objective_task_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_task_unit_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_task_unit_unit_id'), ['unit_id'], unique=False)

    op.create_table('objective_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['objective_indicator.id'], name=op.f('fk_objective_value_indicator_id_objective_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['objective_period.id'], name=op.f('fk_objective_value_period_id_objective_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['objective_report.id'], name=op.f('fk_objective_value_report_id_objective_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_objective_value_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_value')),
    sa.UniqueConstraint('indicator_id', 'period_id', 'unit_id', name=op.f('uq_objective_value_indicator_id'))
    )
    with op.batch_alter_table('objective_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_value_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_value_period_id'), ['period_id'], unique=False)
        batch_op.create_index('ix_objective_value_period_indicator', ['period_id', 'indicator_id'], unique=False)



def downgrade():
    with op.batch_alter_table('objective_value', schema=None) as batch_op:
        batch_op.drop_index('ix_objective_value_period_indicator')
        batch_op.drop_index(batch_op.f('ix_objective_value_period_id'))
        batch_op.drop_index(batch_op.f('ix_objective_value_indicator_id'))

    op.drop_table('objective_value')
    with op.batch_alter_table('objective_task_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_task_unit_unit_id'))
        batch_op.drop_index(batch_op.f('ix_objective_task_unit_task_id'))

    op.drop_table('objective_task_unit')
    with op.batch_alter_table('objective_task_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_task_entry_task_id'))
        batch_op.drop_index(batch_op.f('ix_objective_task_entry_report_id'))

    op.drop_table('objective_task_entry')
    with op.batch_alter_table('objective_task_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_task_assignment_unit_id'))
        batch_op.drop_index(batch_op.f('ix_objective_task_assignment_task_id'))
        batch_op.drop_index(batch_op.f('ix_objective_task_assignment_due_on'))

    op.drop_table('objective_task_assignment')
    with op.batch_alter_table('objective_capa_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_capa_proposal_period_id'))
        batch_op.drop_index(batch_op.f('ix_objective_capa_proposal_objective_id'))
        batch_op.drop_index(batch_op.f('ix_objective_capa_proposal_capa_id'))

    op.drop_table('objective_capa_proposal')
    with op.batch_alter_table('objective_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_task_objective_id'))

    op.drop_table('objective_task')
    with op.batch_alter_table('objective_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_report_unit_id'))
        batch_op.drop_index(batch_op.f('ix_objective_report_period_id'))

    op.drop_table('objective_report')
    with op.batch_alter_table('objective_indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_indicator_objective_id'))

    op.drop_table('objective_indicator')
    with op.batch_alter_table('objective_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_period_plan_id'))

    op.drop_table('objective_period')
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_plan_id'))

    op.drop_table('objective')
    with op.batch_alter_table('objective_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_plan_status'))

    op.drop_table('objective_plan')
