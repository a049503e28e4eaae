"""The per-log entry cap (``FOOTPRINT_MAX_ENTRIES``, default 50,000), for new entries and imports alike."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.errors import ApiError
from webapp.footprint.models import Owner, Trip


def max_entries() -> int:
    """The configured cap on the entries of one log."""
    return int(current_app.config["FOOTPRINT_MAX_ENTRIES"])


def check_room(session: Session, owner: Owner, *, adding: int) -> None:
    """Refuse (409 ``log_full``) adding ``adding`` entries to ``owner``'s log beyond the cap.

    Call it inside the write transaction that adds them. On PostgreSQL the owner's row is locked
    first, so two requests adding at once cannot both pass the count (SQLite writes one at a time).
    """
    if adding <= 0:
        return
    session.execute(select(Owner.id).where(Owner.id == owner.id).with_for_update())
    count = session.scalar(select(func.count()).select_from(Trip).where(Trip.owner_id == owner.id)) or 0
    cap = max_entries()
    if count + adding > cap:
        room = max(0, cap - count)
        raise ApiError(
            409,
            "log_full",
            f"a log holds at most {cap} entries; this one has {count}, so {room} more fit: "
            "download and delete old entries (or erase the log) to make room",
            max_entries=cap,
            entries=count,
        )
