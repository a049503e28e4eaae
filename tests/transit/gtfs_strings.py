"""Writing tiny GTFS feeds from strings for tests."""

from __future__ import annotations

from pathlib import Path

AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nA,Test Agency,http://x,UTC\n"
CALENDAR_ALL = (
    "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
    "ALL,1,1,1,1,1,1,1,20240101,20241231\n"
)


def write_feed(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{"stops.txt": "...", ...}`` into ``folder`` (agency and calendar by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    merged = {"agency.txt": AGENCY, "calendar.txt": CALENDAR_ALL, **files}
    for name, text in merged.items():
        if text is not None:
            (folder / name).write_text(text.strip("\n") + "\n", encoding="utf-8")
    return folder
