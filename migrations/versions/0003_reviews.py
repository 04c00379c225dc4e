"""yearly review cycles and reviews

Revision ID: 0003_reviews
Revises: 0002_procedures
Create Date: 2026-11-26 06:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0003_reviews'
down_revision = '0002_procedures'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
