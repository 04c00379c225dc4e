"""closing the ISO year: internal audits, management reviews, yearly report, conformity announcement;
the CAPA record gains the link to the audit finding it was raised from

Revision ID: 0009_yearclose
Revises: 0005_audit_indexes
Create Date: 2026-11-30 06:39:06.731917

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_yearclose'
down_revision = '0008_objectives'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_audit_programme_approved_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_audit_programme_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_programme')),
    sa.UniqueConstraint('year', name=op.f('uq_audit_programme_year'))
    )
    op.create_table('conformity_announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signer', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_conformity_announcement_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conformity_announcement')),
    sa.UniqueConstraint('number', name=op.f('uq_conformity_announcement_number'))
    )
    with op.batch_alter_table('conformity_announcement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conformity_announcement_signed_on'), ['signed_on'], unique=False)

    op.create_table('management_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_management_review_approved_by_id_user')),
    sa.ForeignKeyConstraint(['chair_id'], ['user.id'], name=op.f('fk_management_review_chair_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_management_review_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_management_review'))
    )
    with op.batch_alter_table('management_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_management_review_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_management_review_year'), ['year'], unique=False)

    op.create_table('yearly_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('docx', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalised_by_id', sa.Integer(), nullable=True),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_yearly_report_created_by_id_user')),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['user.id'], name=op.f('fk_yearly_report_finalised_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_yearly_report')),
    sa.UniqueConstraint('year', name=op.f('uq_yearly_report_year'))
    )
    op.create_table('audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('lead_auditor_id', sa.Integer(), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_auditor_id'], ['user.id'], name=op.f('fk_audit_lead_auditor_id_user')),
    sa.ForeignKeyConstraint(['programme_id'], ['audit_programme.id'], name=op.f('fk_audit_programme_id_audit_programme')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_audit_reported_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_audit_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit')),
    sa.UniqueConstraint('number', name=op.f('uq_audit_number')),
    sa.UniqueConstraint('programme_id', 'seq', name=op.f('uq_audit_programme_id'))
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_lead_auditor_id'), ['lead_auditor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_unit_id'), ['unit_id'], unique=False)

    op.create_table('management_review_input',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['management_review.id'], name=op.f('fk_management_review_input_review_id_management_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_management_review_input')),
    sa.UniqueConstraint('review_id', 'key', name=op.f('uq_management_review_input_review_id'))
    )
    with op.batch_alter_table('management_review_input', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_management_review_input_review_id'), ['review_id'], unique=False)

    op.create_table('audit_checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=12), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name=op.f('fk_audit_checklist_item_audit_id_audit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checklist_item')),
    sa.UniqueConstraint('audit_id', 'seq', name=op.f('uq_audit_checklist_item_audit_id'))
    )
    with op.batch_alter_table('audit_checklist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_checklist_item_audit_id'), ['audit_id'], unique=False)

    op.create_table('audit_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('clause', sa.String(length=80), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('correction', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name=op.f('fk_audit_finding_audit_id_audit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_audit_finding_procedure_id_procedure')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_audit_finding_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_finding')),
    sa.UniqueConstraint('audit_id', 'seq', name=op.f('uq_audit_finding_audit_id'))
    )
    with op.batch_alter_table('audit_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_finding_audit_id'), ['audit_id'], unique=False)

    op.create_table('audit_scope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('revision', sa.String(length=40), nullable=False),
    sa.Column('issue_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name=op.f('fk_audit_scope_audit_id_audit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_audit_scope_procedure_id_procedure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_scope')),
    sa.UniqueConstraint('audit_id', 'procedure_id', name=op.f('uq_audit_scope_audit_id'))
    )
    with op.batch_alter_table('audit_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_scope_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_scope_procedure_id'), ['procedure_id'], unique=False)

    op.create_table('audit_team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name=op.f('fk_audit_team_member_audit_id_audit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_team_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_team_member')),
    sa.UniqueConstraint('audit_id', 'user_id', name=op.f('uq_audit_team_member_audit_id'))
    )
    with op.batch_alter_table('audit_team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_team_member_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_team_member_user_id'), ['user_id'], unique=False)

    op.create_table('management_review_output',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('capa_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capa_id'], ['capa.id'], name=op.f('fk_management_review_output_capa_id_capa'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], name=op.f('fk_management_review_output_owner_unit_id_unit')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['user.id'], name=op.f('fk_management_review_output_owner_user_id_user')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_management_review_output_procedure_id_procedure')),
    sa.ForeignKeyConstraint(['review_id'], ['management_review.id'], name=op.f('fk_management_review_output_review_id_management_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_management_review_output')),
    sa.UniqueConstraint('review_id', 'seq', name=op.f('uq_management_review_output_review_id'))
    )
    with op.batch_alter_table('management_review_output', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_management_review_output_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_management_review_output_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_management_review_output_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_management_review_output_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_management_review_output_status'), ['status'], unique=False)

    with op.batch_alter_table('capa', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_finding_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_capa_audit_finding_id'), ['audit_finding_id'], unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_capa_audit_finding_id_audit_finding'), 'audit_finding', ['audit_finding_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('capa', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_capa_audit_finding_id_audit_finding'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_capa_audit_finding_id'))
        batch_op.drop_column('audit_finding_id')

    with op.batch_alter_table('management_review_output', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_management_review_output_status'))
        batch_op.drop_index(batch_op.f('ix_management_review_output_review_id'))
        batch_op.drop_index(batch_op.f('ix_management_review_output_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_management_review_output_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_management_review_output_due_on'))

    op.drop_table('management_review_output')
    with op.batch_alter_table('audit_team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_team_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_team_member_audit_id'))

    op.drop_table('audit_team_member')
    with op.batch_alter_table('audit_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_scope_procedure_id'))
        batch_op.drop_index(batch_op.f('ix_audit_scope_audit_id'))

    op.drop_table('audit_scope')
    with op.batch_alter_table('audit_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_finding_audit_id'))

    op.drop_table('audit_finding')
    with op.batch_alter_table('audit_checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_checklist_item_audit_id'))

    op.drop_table('audit_checklist_item')
    with op.batch_alter_table('management_review_input', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_management_review_input_review_id'))

    op.drop_table('management_review_input')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_unit_id'))
        batch_op.drop_index(batch_op.f('ix_audit_status'))
        batch_op.drop_index(batch_op.f('ix_audit_programme_id'))
        batch_op.drop_index(batch_op.f('ix_audit_lead_auditor_id'))

    op.drop_table('audit')
    op.drop_table('yearly_report')
    with op.batch_alter_table('management_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_management_review_year'))
        batch_op.drop_index(batch_op.f('ix_management_review_status'))

    op.drop_table('management_review')
    with op.batch_alter_table('conformity_announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conformity_announcement_signed_on'))

    op.drop_table('conformity_announcement')
    op.drop_table('audit_programme')
