"""Entries are read newest first by (started_at, id): the index holds both, so a page is an index range.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_footprint_trips_owner_started_id", "footprint_trips", ["owner_id", "started_at", "id"])
    op.drop_index("ix_footprint_trips_owner_started", table_name="footprint_trips")


def downgrade() -> None:
    op.create_index("ix_footprint_trips_owner_started", "footprint_trips", ["owner_id", "started_at"])
    op.drop_index("ix_footprint_trips_owner_started_id", table_name="footprint_trips")
