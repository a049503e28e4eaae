"""Footprint log: owners, credentials (hashed keys and sessions), trips.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "footprint_owners",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(64), nullable=True, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
    )
    op.create_table(
        "footprint_credentials",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("footprint_owners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_footprint_credentials_owner_id", "footprint_credentials", ["owner_id"])
    op.create_table(
        "footprint_trips",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("footprint_owners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(32), nullable=False),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("legs", sa.JSON(), nullable=False),
        sa.Column("by_mode", sa.JSON(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("co2e_g", sa.Float(), nullable=True),
        sa.Column("factor_pack", sa.String(64), nullable=True),
        sa.Column("factor_version", sa.String(64), nullable=True),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("mode_edited_from", sa.String(32), nullable=True),
        sa.Column("places", sa.JSON(), nullable=True),
        sa.UniqueConstraint("owner_id", "uuid", name="uq_footprint_trips_owner_uuid"),
    )
    op.create_index("ix_footprint_trips_owner_started", "footprint_trips", ["owner_id", "started_at"])


def downgrade() -> None:
    op.drop_table("footprint_trips")
    op.drop_table("footprint_credentials")
    op.drop_table("footprint_owners")
