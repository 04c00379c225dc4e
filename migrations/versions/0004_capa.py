"""corrective and preventive actions

Revision ID: 0004_capa
Revises: 0003_reviews
Create Date: 2026-11-26 06:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0004_capa'
down_revision = '0003_reviews'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
