"""Reading one GTFS feed (a zip or a folder of ``.txt`` files) by column name.

Real feeds differ in column order, carry a UTF-8 byte-order mark, pad header names with spaces
(Trensurb's `` agency_name``) and hold broken rows; this module hides all of that behind
:class:`FeedFiles`, which yields plain ``dict[str, str]`` rows keyed by stripped header names.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from routing.errors import BuildError

#: Files a feed cannot do without (calendar.txt or calendar_dates.txt is checked separately).
REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")

#: Columns each file must have; a missing one makes the feed unusable.
REQUIRED_COLUMNS = {
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence"),
    "calendar.txt": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
    "frequencies.txt": ("trip_id", "start_time", "end_time", "headway_secs"),
    "transfers.txt": ("from_stop_id", "to_stop_id", "transfer_type"),
    "shapes.txt": ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"),
    "fare_attributes.txt": ("fare_id", "price", "currency_type"),
    "fare_rules.txt": ("fare_id",),
}


class FeedFiles:
    """The ``.txt`` files of one GTFS feed, read by header name.

    Parameters
    ----------
    name
        The feed's short name, used in messages and as the id prefix.
    path
        A GTFS zip file or a folder holding the ``.txt`` files.
    """

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if self.path.is_dir():
            for p in sorted(self.path.iterdir()):
                if p.suffix == ".txt":
                    self._members[p.name] = str(p)
        elif self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise BuildError(f"{name}: {self.path.name} is not a GTFS zip file ({exc})", argument="gtfs") from exc
            for info in self._zip.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                # A feed zipped with its folder keeps the files one level down: accept that.
                if base.endswith(".txt") and base not in self._members:
                    self._members[base] = info.filename
        else:
            raise BuildError(f"{name}: {self.path} does not exist", argument="gtfs")
        for required in REQUIRED_FILES:
            if required not in self._members:
                raise BuildError(
                    f"{name}: {self.path.name} has no {required}, which every GTFS feed needs",
                    argument="gtfs",
                )
        if "calendar.txt" not in self._members and "calendar_dates.txt" not in self._members:
            raise BuildError(
                f"{name}: {self.path.name} has neither calendar.txt nor calendar_dates.txt",
                argument="gtfs",
            )

    def has(self, filename: str) -> bool:
        return filename in self._members

    def sha256(self) -> str:
        h = hashlib.sha256()
        if self._zip is not None:
            h.update(self.path.read_bytes())
        else:
            for base in sorted(self._members):
                h.update(base.encode())
                h.update(Path(self._members[base]).read_bytes())
        return h.hexdigest()

    def _text(self, filename: str) -> str:
        member = self._members[filename]
        raw = self._zip.read(member) if self._zip is not None else Path(member).read_bytes()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Some agencies export in Latin-1; every byte decodes, names stay readable.
            return raw.decode("latin-1")

    def rows(self, filename: str) -> Iterator[dict[str, str]]:
        """Yield the rows of ``filename`` as dicts keyed by stripped header names.

        Missing optional files yield nothing. Values are stripped; short rows get ``""`` for the
        missing cells.

        Raises
        ------
        BuildError
            If the file lacks a required column.
        """
        if filename not in self._members:
            return
        reader = csv.reader(io.StringIO(self._text(filename), newline=""))
        header = next(reader, None)
        if header is None:
            header = []
        names = [h.strip().lstrip("\ufeff").strip() for h in header]
        missing = [c for c in REQUIRED_COLUMNS.get(filename, ()) if c not in names]
        if missing:
            raise BuildError(f"{self.name}: {filename} has no column {', '.join(missing)}", argument="gtfs")
        width = len(names)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield {names[i]: row[i].strip() for i in range(width)}


def parse_time(text: str) -> int | None:
    """Seconds after the service day's start for ``H:MM:SS`` (hours may exceed 24); None if bad."""
    parts = text.split(":")
    if len(parts) != 3:
        return None
    try:
        h, m, s = (int(p) for p in parts)
    except ValueError:
        return None
    if h < 0 or not 0 <= m < 60 or not 0 <= s < 61:
        return None
    return h * 3600 + m * 60 + s


def format_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def feed_name_for(path: Path, taken: Sequence[str] = ()) -> str:
    """A short id prefix for a feed file: ``gtfs-eptc-bus.zip`` → ``eptc``, unique among ``taken``."""
    tokens = [t for t in path.stem.lower().replace("_", "-").split("-") if t and t != "gtfs"]
    base = tokens[0] if tokens else "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name
