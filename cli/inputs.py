"""Checks of the files given to ``greenroute build --osm/--gtfs/--dem``, before anything is copied or built.

They look at the content, not only the name, so that a zip renamed ``.osm.pbf`` or an HTML error
page saved as ``feed.zip`` is refused at once with a message naming the file and what it is.
"""

from __future__ import annotations

import bz2
import gzip
import struct
from pathlib import Path

from routing.core.errors import BuildError
from routing.street.osm import check_osm_file

_SNIFF_BYTES = 4096


def check_osm(path: Path) -> None:
    """Refuse a file that is not an OSM extract (PBF, XML, or bzip2/gzip-compressed XML).

    Raises
    ------
    BuildError
        Naming the file and what it looks like instead.
    """
    check_osm_file(path)
    head = _head(path)
    name = path.name.lower()
    if not head:
        raise BuildError(f"{path.name}: the file is empty", argument="osm")
    if name.endswith(".pbf"):
        if not _is_pbf(head):
            raise BuildError(f"{path.name}: not an OSM PBF file ({_looks_like(head)})", argument="osm")
        return
    if name.endswith(".bz2"):
        head = _decompressed_head(path, bz2.open, what="bzip2")
    elif name.endswith(".gz"):
        head = _decompressed_head(path, gzip.open, what="gzip")
    if name.endswith((".osm", ".osm.bz2", ".osm.gz")) and b"<osm" not in head:
        raise BuildError(f"{path.name}: not OSM XML, no <osm> element ({_looks_like(head)})", argument="osm")


def check_gtfs(path: Path) -> None:
    """Refuse a file that is not a GTFS zip holding the files every feed needs.

    Raises
    ------
    BuildError
        If the file is missing, not a zip, or lacks stops/routes/trips/stop_times or a calendar.
    """
    from routing.transit.gtfs import FeedFiles

    if not path.is_file():
        raise BuildError(f"GTFS file {path} does not exist", argument="gtfs")
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    if not head.startswith(b"PK"):
        raise BuildError(
            f"{path.name}: not a zip file ({_looks_like(head)}); a GTFS feed is a .zip of .txt files", argument="gtfs"
        )
    FeedFiles(path.stem, path)  # raises with the name of the first missing required file


def check_dem(path: Path) -> None:
    """Refuse a DEM that is not a readable GeoTIFF in geographic WGS84 (the error names its projection)."""
    from routing.street.elevation import Dem

    if not path.is_file():
        raise BuildError(f"DEM file {path} does not exist", argument="dem")
    Dem(path)


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(_SNIFF_BYTES)


def _is_pbf(head: bytes) -> bool:
    # A PBF starts with a 4-byte big-endian header length, then a BlobHeader whose type is "OSMHeader".
    if len(head) < 16:
        return False
    (length,) = struct.unpack(">I", head[:4])
    return 0 < length < 64 * 1024 and b"OSMHeader" in head[4 : 4 + length]


def _decompressed_head(path: Path, opener: object, *, what: str) -> bytes:
    try:
        with opener(path, "rb") as f:  # type: ignore[operator]
            return bytes(f.read(_SNIFF_BYTES))
    except (OSError, EOFError, ValueError) as exc:
        raise BuildError(f"{path.name}: not {what}-compressed ({exc})", argument="osm") from exc


def _looks_like(head: bytes) -> str:
    """A short guess at what a file is, for the error message."""
    if head.startswith(b"PK"):
        return "it is a zip file"
    if head.startswith(b"BZh"):
        return "it is bzip2-compressed: name it .osm.bz2"
    if head.startswith(b"\x1f\x8b"):
        return "it is gzip-compressed: name it .osm.gz"
    text = head[:200].lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "it is an HTML page, perhaps a download error"
    if b"<osm" in head:
        return "it is OSM XML: name it .osm"
    if head.startswith(b"\x00\x00") and b"OSMHeader" in head[:64]:
        return "it is an OSM PBF file: name it .osm.pbf"
    return "unknown content"
