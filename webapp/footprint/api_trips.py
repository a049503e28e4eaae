"""Entries of the caller's log: list, add, change, delete, and totals per period."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from webapp.errors import ApiError
from webapp.footprint import checks
from webapp.footprint.auth import require_owner
from webapp.footprint.body import json_body
from webapp.footprint.capacity import check_room
from webapp.footprint.db import get_db, write_session
from webapp.footprint.entries import apply_patch, fields_from_plan, to_dict
from webapp.footprint.guard import protect_change, rate_limit
from webapp.footprint.models import Owner, Trip
from webapp.footprint.paging import newest_first
from webapp.footprint.paths import PREFIX
from webapp.footprint.period_totals import Share, record
from webapp.footprint.summary import PERIODS, totals

bp = Blueprint("footprint_trips", __name__, url_prefix=PREFIX)

_MAX_LIMIT = 1000
# A page of GET /trips when the client names no limit: the newest entries first, then "next".
_DEFAULT_LIMIT = 100


def _int_arg(name: str, *, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise checks.bad(name, "must be an integer") from None
    if not lo <= value <= hi:
        raise checks.bad(name, f"must be between {lo} and {hi}")
    return value


def _own_trip(session: Session, owner: Owner, trip_id: str) -> Trip:
    # Someone else's id and a made-up one get the same answer: nothing reveals that it exists.
    missing = ApiError(404, "no_such_trip", "there is no entry with this id in your log")
    try:
        canonical = checks.uuid(trip_id, "id")
    except ApiError:
        raise missing from None
    trip = session.scalars(select(Trip).where(Trip.owner_id == owner.id, Trip.uuid == canonical)).first()
    if trip is None:
        raise missing
    return trip


@bp.get("/trips")
def list_trips() -> Response:
    """A page of the caller's entries, newest first: ``?limit=1..1000`` (default 100).

    The following page is ``?after=<next_after>`` (the last entry's id: a keyset read along the
    index, as fast at the end of a big log as at its start); ``?offset=`` still works, and ``next``
    is its value for the following page. Both are null on the last page.
    """
    rate_limit("reads")
    session = get_db()
    owner = require_owner(session)
    limit = _int_arg("limit", default=_DEFAULT_LIMIT, lo=1, hi=_MAX_LIMIT)
    offset = _int_arg("offset", default=0, lo=0, hi=10**9)
    after = request.args.get("after")
    position = None
    if after is not None:
        if "offset" in request.args:
            raise checks.bad("after", "send after or offset, not both")
        try:
            mark = _own_trip(session, owner, after)
        except ApiError:
            raise checks.bad("after", "must be the id of an entry in your log (next_after of a page)") from None
        position = (mark.started_at, mark.id)
    total = session.scalar(select(func.count()).select_from(Trip).where(Trip.owner_id == owner.id)) or 0
    # One row more than the page tells whether another page follows without counting what is left.
    rows = list(session.scalars(newest_first(select(Trip), owner.id, after=position).limit(limit + 1).offset(offset)))
    more = len(rows) > limit
    trips = [to_dict(t) for t in rows[:limit]]
    body = {
        "trips": trips,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": offset + limit if more and position is None else None,
        "next_after": trips[-1]["id"] if more else None,
    }
    return jsonify(body)


@bp.post("/trips")
def add_trip() -> tuple[Response, int]:
    """Log one option of a /api/plan answer: ``{"option", "factors", "keep_places"}``."""
    protect_change()
    fields = fields_from_plan(json_body())
    with write_session() as session:
        owner = require_owner(session)
        check_room(session, owner, adding=1)
        trip = Trip(owner_id=owner.id, **fields)
        session.add(trip)
        record(session, owner.id, added=[trip])
    return jsonify({"trip": to_dict(trip)}), 201


@bp.get("/trips/<trip_id>")
def get_trip(trip_id: str) -> Response:
    """One of the caller's entries."""
    rate_limit("reads")
    session = get_db()
    return jsonify({"trip": to_dict(_own_trip(session, require_owner(session), trip_id))})


@bp.patch("/trips/<trip_id>")
def change_trip(trip_id: str) -> Response:
    """Change an entry's date-time or mode: ``{"started_at"?, "mode"?}``."""
    protect_change()
    body = json_body()
    with write_session() as session:
        owner = require_owner(session)
        trip = _own_trip(session, owner, trip_id)
        before = Share.of(trip)
        apply_patch(trip, body)
        record(session, owner.id, added=[trip], removed=[before])
    return jsonify({"trip": to_dict(trip)})


@bp.delete("/trips/<trip_id>")
def delete_trip(trip_id: str) -> Response:
    """Delete one of the caller's entries."""
    protect_change()
    with write_session() as session:
        owner = require_owner(session)
        trip = _own_trip(session, owner, trip_id)
        session.execute(delete(Trip).where(Trip.id == trip.id))
        record(session, owner.id, removed=[trip])
    return jsonify({"deleted": trip.uuid})


@bp.get("/summary")
def summary() -> Response:
    """Totals per ISO week and per month, by mode: ``?period=week|month`` (default both)."""
    rate_limit("reads")
    session = get_db()
    owner = require_owner(session)
    period = request.args.get("period")
    if period is not None and period not in PERIODS:
        raise checks.bad("period", "must be week or month")
    body = {f"{p}s": totals(session, owner.id, period=p).buckets for p in PERIODS if period in (None, p)}
    return jsonify(body)
