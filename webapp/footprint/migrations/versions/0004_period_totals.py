"""Running totals per log, week or month, and mode (``footprint_period_totals``), filled from the entries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "footprint_period_totals",
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("footprint_owners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("period", sa.String(8), primary_key=True),
        sa.Column("start", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("mode", sa.String(32), primary_key=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("distance_mm", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=False),
        sa.Column("co2e_mg", sa.BigInteger(), nullable=False),
        sa.Column("co2e_missing", sa.Integer(), nullable=False),
    )
    # The logs kept before this revision: their totals from their entries, in this transaction.
    from sqlalchemy.orm import Session

    from webapp.footprint.period_totals import rebuild_all

    rebuild_all(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_table("footprint_period_totals")
