"""Tables of the footprint log.

The migrations in ``migrations/versions`` create these tables; ``tests/footprint/test_migrations.py``
checks that the two agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the footprint tables (their own metadata, nothing else in it)."""


class Owner(Base):
    """One person's log. Anonymous (key) owners have no username and no password."""

    __tablename__ = "footprint_owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    username: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)


class Credential(Base):
    """A hash of a secret that opens an owner's log: a personal key, or an account session."""

    __tablename__ = "footprint_credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("footprint_owners.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # "key" | "session"
    created_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)


class Trip(Base):
    """One logged trip. ``places`` stays NULL unless the person asked to keep the places."""

    __tablename__ = "footprint_trips"
    __table_args__ = (
        UniqueConstraint("owner_id", "uuid", name="uq_footprint_trips_owner_uuid"),
        Index("ix_footprint_trips_owner_started_id", "owner_id", "started_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("footprint_owners.id", ondelete="CASCADE"), nullable=False)
    uuid: Mapped[str] = mapped_column(String(36), nullable=False)
    # UTC wall time plus the offset the trip was planned in, so weeks and months follow local dates
    started_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    utc_offset_min: Mapped[int] = mapped_column(Integer, nullable=False)
    mode: Mapped[str] = mapped_column(String(32), nullable=False)
    modes: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    legs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    by_mode: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON, nullable=False)
    distance_m: Mapped[float] = mapped_column(Float, nullable=False)
    duration_s: Mapped[float] = mapped_column(Float, nullable=False)
    co2e_g: Mapped[float | None] = mapped_column(Float, nullable=True)
    factor_pack: Mapped[str | None] = mapped_column(String(64), nullable=True)
    factor_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    logged_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    mode_edited_from: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # none_as_null: "no places" must be SQL NULL, not the JSON text 'null'
    places: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class PeriodTotal(Base):
    """Running totals of one log for one week or month and one mode, kept by ``period_totals.py``.

    Updated in the transaction of every write, change, delete and import, so the summary reads a
    few rows per period instead of every entry. ``kind`` is ``"entry"`` (counted by the entry's
    own mode) or ``"leg"`` (its legs' figures by their mode). Figures are whole thousandths
    (mm, ms, mg), so adding and taking away is exact and the totals cannot drift.
    """

    __tablename__ = "footprint_period_totals"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("footprint_owners.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    period: Mapped[str] = mapped_column(String(8), primary_key=True)  # "week" | "month"
    start: Mapped[date] = mapped_column(Date(), primary_key=True)  # its first local day
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    mode: Mapped[str] = mapped_column(String(32), primary_key=True)
    entries: Mapped[int] = mapped_column(Integer, nullable=False)
    distance_mm: Mapped[int] = mapped_column(BigInteger, nullable=False)
    duration_ms: Mapped[int] = mapped_column(BigInteger, nullable=False)
    co2e_mg: Mapped[int] = mapped_column(BigInteger, nullable=False)
    co2e_missing: Mapped[int] = mapped_column(Integer, nullable=False)


class RateBucket(Base):
    """A rate-limit token bucket that every instance and worker shares (``RATE_LIMIT_STORE=database``).

    ``client`` is a hash of the client address, never the address itself.
    """

    __tablename__ = "footprint_rate_buckets"

    bucket: Mapped[str] = mapped_column(String(16), primary_key=True)
    client: Mapped[str] = mapped_column(String(32), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, nullable=False)
    # Seconds since the epoch: a wall clock every instance reads the same way.
    updated: Mapped[float] = mapped_column(Float, nullable=False)
