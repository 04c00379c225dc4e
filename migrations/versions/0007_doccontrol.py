"""document control: the issue in force while a newer one waits for its date; issue dates from the header

procedure.prior_*: the issue before the latest, kept while the latest is not yet effective (it stays in force).
procedure_revision.issued_on: the issue date written in the issue's own header (an imported paper issue keeps
its date); rows from before this migration show the tag date until `qms fsck` refreshes them.

Revision ID: 0007_doccontrol
Revises: 0005_audit_indexes
Create Date: 2026-11-30 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_doccontrol'
down_revision = '0005_audit_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prior_revision', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('prior_blob', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('prior_issue_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prior_issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('prior_effective_on', sa.Date(), nullable=True))
    with op.batch_alter_table('procedure_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('procedure_revision', schema=None) as batch_op:
        batch_op.drop_column('issued_on')
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.drop_column('prior_effective_on')
        batch_op.drop_column('prior_issued_on')
        batch_op.drop_column('prior_issue_number')
        batch_op.drop_column('prior_blob')
        batch_op.drop_column('prior_revision')
