"""Reading one GTFS feed (a zip or a folder of ``.txt`` files) by column name.

Real feeds differ in column order, carry a UTF-8 byte-order mark or come in Latin-1, sit in a
folder inside the zip, pad header names with spaces (Trensurb's `` agency_name``) and hold broken
rows; this module hides all of that behind :class:`FeedFiles`, which yields plain
``dict[str, str]`` rows keyed by stripped header names. Every build step that reads GTFS (the
timetable, the place index, the time zone of a new city) reads it through this class, streaming
(:mod:`routing.transit.gtfs_text`), so they all accept and refuse the same feeds.
"""

from __future__ import annotations

import csv
import hashlib
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from routing.core.errors import BuildError
from routing.transit.gtfs_text import CHUNK_BYTES, UTF8, FeedText

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
        #: The encoding each file read so far was in (``"utf-8"``, ``"windows-1252"``, ``"latin-1"``).
        self.encodings: dict[str, str] = {}
        if self.path.is_dir():
            for p in sorted(self.path.iterdir()):
                if p.suffix == ".txt":
                    self._members[p.name] = str(p)
        elif self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise BuildError(f"{name}: {self.path.name} is not a GTFS zip file ({exc})", argument="gtfs") from exc
            self._members = _zip_members(self._zip.namelist())
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
            _hash_file(h, self.path)
        else:
            for base in sorted(self._members):
                h.update(base.encode())
                _hash_file(h, Path(self._members[base]))
        return h.hexdigest()

    def encoding_summary(self) -> str:
        """``"utf-8"`` when every file read was UTF-8, else each other file with its encoding."""
        others = [f"{f} {e}" for f, e in sorted(self.encodings.items()) if e != UTF8]
        return "; ".join(others) if others else UTF8

    @contextmanager
    def _open(self, filename: str) -> Iterator[IO[bytes]]:
        member = self._members[filename]
        try:
            if self._zip is not None:
                with self._zip.open(member) as raw:
                    yield raw
            else:
                with open(member, "rb") as raw:
                    yield raw
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
            # A damaged member (bad CRC, truncated), an encrypted one or an unsupported compression.
            raise BuildError(f"{self.path.name}: {filename} cannot be read ({exc})", argument="gtfs") from exc

    def rows(self, filename: str) -> Iterator[dict[str, str]]:
        """Yield the rows of ``filename`` as dicts keyed by stripped header names, reading it streaming.

        Missing optional files yield nothing. Values are stripped; short rows get ``""`` for the
        missing cells. The file's encoding lands in :attr:`encodings`.

        Raises
        ------
        BuildError
            If the file lacks a required column, is not CSV text (NUL bytes, a huge line, a broken
            quote) or cannot be read; the message names the file and, for its content, the line.
        """
        if filename not in self._members:
            return
        with self._open(filename) as raw:
            text = FeedText(raw, where=f"{self.path.name}: {filename}")
            reader = csv.reader(text)
            try:
                yield from self._records(filename, reader)
            except csv.Error as exc:
                raise BuildError(f"{text.where}, line {text.line_no}: {exc}", argument="gtfs") from exc
            finally:
                self.encodings[filename] = text.encoding

    def _records(self, filename: str, reader: Iterator[list[str]]) -> Iterator[dict[str, str]]:
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


def _zip_members(names: Sequence[str]) -> dict[str, str]:
    """``{"stops.txt": member name}`` for the ``.txt`` files of a zip, wherever they sit in it.

    A feed zipped with its folder keeps the files one level (or more) down; the shallowest copy of
    each file wins. macOS's ``__MACOSX/`` resource forks and ``._`` files are not part of the feed.
    """
    members: dict[str, str] = {}
    for member in sorted(names, key=lambda n: (n.count("/"), n)):
        base = member.rsplit("/", 1)[-1]
        if member.startswith("__MACOSX/") or base.startswith("._") or not base.endswith(".txt"):
            continue
        members.setdefault(base, member)
    return members


def _hash_file(h: hashlib._Hash, path: Path) -> None:
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK_BYTES), b""):
            h.update(chunk)


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
