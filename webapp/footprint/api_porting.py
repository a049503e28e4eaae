"""Export (CSV, JSON) and import (JSON, merged by entry id) of the caller's log."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.errors import ApiError
from webapp.footprint import checks
from webapp.footprint.auth import require_owner, utcnow
from webapp.footprint.capacity import check_room
from webapp.footprint.db import get_db, write_session
from webapp.footprint.entries import fields_from_export, to_dict
from webapp.footprint.guard import protect_change, rate_limit
from webapp.footprint.models import Trip
from webapp.footprint.paths import PREFIX
from webapp.footprint.period_totals import record

bp = Blueprint("footprint_porting", __name__, url_prefix=PREFIX)

FORMAT = "greenroute-footprint"
FORMAT_VERSION = 1
CSV_COLUMNS = (
    "id",
    "started_at",
    "mode",
    "modes",
    "distance_m",
    "duration_s",
    "co2e_g",
    "factor_pack",
    "factor_version",
    "distance_by_mode_m",
    "logged_at",
    "mode_edited_from",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
)
_IMPORT_RETRIES = 3
_IN_CHUNK = 500


def _attachment(body: str, *, mimetype: str, ext: str) -> Response:
    resp = current_app.response_class(body, mimetype=mimetype)
    name = f"greenroute-log-{date.today().isoformat()}.{ext}"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _owner_trips() -> list[Trip]:
    rate_limit("reads")
    session = get_db()
    owner = require_owner(session)
    stmt = select(Trip).where(Trip.owner_id == owner.id).order_by(Trip.started_at, Trip.id)
    return list(session.scalars(stmt))


@bp.get("/export.json")
def export_json() -> Response:
    """Every entry of the caller, in the format ``POST /api/footprint/import`` reads back."""
    doc = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": checks.utc_iso(utcnow()),
        "entries": [to_dict(t) for t in _owner_trips()],
    }
    return _attachment(json.dumps(doc, indent=1), mimetype="application/json", ext="json")


@bp.get("/export.csv")
def export_csv() -> Response:
    """Every entry of the caller, one row each (places only where they were kept)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for trip in _owner_trips():
        entry = to_dict(trip)
        places: dict[str, Any] = entry["places"] or {}
        origin, dest = places.get("origin") or {}, places.get("destination") or {}
        writer.writerow(
            [
                entry["id"],
                entry["started_at"],
                entry["mode"],
                " ".join(entry["modes"]),
                entry["distance_m"],
                entry["duration_s"],
                "" if entry["co2e_g"] is None else entry["co2e_g"],
                entry["factors"]["pack"] or "",
                entry["factors"]["version"] or "",
                ";".join(f"{m}={v['distance_m']}" for m, v in sorted(entry["by_mode"].items())),
                entry["logged_at"],
                entry["mode_edited_from"] or "",
                origin.get("lat", ""),
                origin.get("lon", ""),
                dest.get("lat", ""),
                dest.get("lon", ""),
            ]
        )
    return _attachment(out.getvalue(), mimetype="text/csv", ext="csv")


def _read_limited() -> bytes:
    limit = int(current_app.config["FOOTPRINT_IMPORT_MAX_BYTES"])
    too_large = ApiError(413, "import_too_large", f"the file is larger than this server accepts ({limit} bytes)")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def _parse_import(data: bytes) -> tuple[list[dict[str, Any]], int]:
    """The distinct entries of an export file, and how many entries the file lists."""
    try:
        doc = checks.loads(data)
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "the file is not valid JSON (NaN and Infinity are not JSON)") from None
    doc = checks.obj(doc, "file")
    if doc.get("format") != FORMAT:
        raise checks.bad("format", f"must be {FORMAT!r}: import a file from 'Download JSON'")
    if doc.get("version") != FORMAT_VERSION:
        raise checks.bad("version", f"this server reads version {FORMAT_VERSION} files")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise checks.bad("entries", "must be a JSON array")
    unique: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        fields = fields_from_export(entry, f"entries[{i}]")
        unique.setdefault(fields["uuid"], fields)  # the first copy of a repeated id wins
    return list(unique.values()), len(entries)


@bp.post("/import")
def import_json() -> Response:
    """Merge an exported JSON file into the caller's log; entries already there are skipped.

    The whole file is checked first and then written in one transaction: either every new
    entry is added or none is.
    """
    protect_change()
    if request.mimetype not in ("application/json", ""):
        raise ApiError(415, "json_required", "send the exported file as application/json")
    incoming, listed = _parse_import(_read_limited())
    for _attempt in range(_IMPORT_RETRIES):
        try:
            with write_session() as session:
                owner = require_owner(session)
                uuids = [f["uuid"] for f in incoming]
                present: set[str] = set()
                for start in range(0, len(uuids), _IN_CHUNK):
                    chunk = uuids[start : start + _IN_CHUNK]
                    present.update(
                        session.scalars(select(Trip.uuid).where(Trip.owner_id == owner.id, Trip.uuid.in_(chunk)))
                    )
                new = [f for f in incoming if f["uuid"] not in present]
                check_room(session, owner, adding=len(new))
                session.add_all(Trip(owner_id=owner.id, **f) for f in new)
                record(session, owner.id, added=new)
                session.flush()
                total = session.scalar(select(func.count()).select_from(Trip).where(Trip.owner_id == owner.id))
            return jsonify({"added": len(new), "skipped": listed - len(new), "total": total})
        except IntegrityError:
            # Another import of the same entries committed first; look again at what is there.
            continue
    raise ApiError(409, "import_conflict", "the log changed during the import; try again")
