"""Feeds as they come: every build step reads the same GTFS files the same way, streaming.

Tiny inline feeds: a zip with the files in a sub-folder, UTF-8 with and without a byte-order mark,
Latin-1 and Windows-1252, and files that are not text at all. The timetable and the place index
must agree on each.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from routing.core.errors import BuildError
from routing.core.report import BuildReport
from routing.places.gtfs_source import read_stops
from routing.transit import gtfs_text
from routing.transit.build import build_timetable
from routing.transit.gtfs import FeedFiles
from routing.transit.gtfs_text import FeedText
from tests.transit.gtfs_strings import AGENCY, CALENDAR_ALL

STOPS = "stop_id,stop_name,stop_lat,stop_lon\nA,São João,0.00,0.00\nB,Praça “Brasil” – Centro,0.00,0.01\n"
FEED = {
    "agency.txt": AGENCY,
    "calendar.txt": CALENDAR_ALL,
    "stops.txt": STOPS,
    "routes.txt": "route_id,route_short_name,route_type\nR1,1,3\n",
    "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n"
    ),
}
NAMES = ["São João", "Praça “Brasil” – Centro"]


def _zip(path: Path, files: dict[str, bytes], *, folder: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(folder + name, data)
    return path


def _encoded(encoding: str, *, only: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {n: t.encode(encoding if not only or n in only else "utf-8") for n, t in FEED.items()}


def _both(path: Path) -> tuple[list[str], list[str], BuildReport]:
    """Stop names as the timetable and as the place index read them, and the timetable's report."""
    report = BuildReport("t")
    tt = build_timetable([("f", path)], timezone="UTC", report=report)
    return tt.meta["stop_names"], sorted(s.name for s in read_stops(path, report=BuildReport("p"))), report


def test_files_in_a_sub_folder(tmp_path: Path) -> None:
    path = _zip(tmp_path / "feed.zip", _encoded("utf-8"), folder="gtfs-export/")
    names, places, report = _both(path)
    assert names == NAMES
    assert places == sorted(NAMES)
    assert report.counts["transit_f_encoding"] == "utf-8"


def test_shallowest_copy_wins_and_macos_forks_are_ignored(tmp_path: Path) -> None:
    files = {f"feed/{n}": d for n, d in _encoded("utf-8").items()}
    files["feed/old/stops.txt"] = b"stop_id,stop_name,stop_lat,stop_lon\nZ,Stale,1,1\n"
    files["__MACOSX/feed/._stops.txt"] = b"\x00\x05\x16\x07 resource fork"
    files["__MACOSX/stops.txt"] = b"\x00\x05\x16\x07 resource fork"
    path = _zip(tmp_path / "feed.zip", files)
    names, places, _ = _both(path)
    assert names == NAMES and places == sorted(NAMES)


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_with_or_without_bom(tmp_path: Path, bom: bytes) -> None:
    path = _zip(tmp_path / "feed.zip", {n: bom + d for n, d in _encoded("utf-8").items()})
    names, places, report = _both(path)
    assert names == NAMES and places == sorted(NAMES)
    assert report.counts["transit_f_encoding"] == "utf-8"


def test_latin1_stops(tmp_path: Path) -> None:
    """The place index used to refuse this feed ("no readable stops.txt")."""
    latin = {**FEED, "stops.txt": STOPS.replace("“", '"').replace("”", '"').replace("–", "-")}
    files = {n: t.encode("latin-1" if n == "stops.txt" else "utf-8") for n, t in latin.items()}
    path = _zip(tmp_path / "feed.zip", files)
    names, places, report = _both(path)
    assert names == ["São João", 'Praça "Brasil" - Centro']
    assert places == sorted(names)
    assert report.counts["transit_f_encoding"] == "stops.txt latin-1"


def test_windows_1252_whole_feed(tmp_path: Path) -> None:
    """Curly quotes and the en dash are bytes 0x80-0x9F: Windows-1252, not Latin-1."""
    path = _zip(tmp_path / "feed.zip", _encoded("cp1252"))
    names, places, report = _both(path)
    assert names == NAMES and places == sorted(NAMES)
    # Only stops.txt holds a byte beyond ASCII; the other files are UTF-8 as much as anything.
    assert report.counts["transit_f_encoding"] == "stops.txt windows-1252"


def test_folder_feed_reads_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    for name, data in _encoded("cp1252").items():
        (folder / name).write_bytes(data)
    names, places, _ = _both(folder)
    assert names == NAMES and places == sorted(NAMES)


SAMPLES = {
    "utf-8": 'a,b\r\nSão,“x”\nline, with "quoted\nnewline"\n' * 40 + "€ at the end",
    "utf-8-sig": "stop_id,stop_name\nA,Ærø\n" + "B,Zürich 北京\n" * 60,
    "cp1252": "stop_id,stop_name\n" + "A,“Süd” – Straße\n" * 60,
    "latin-1": "stop_id,stop_name\n" + "A,Süd\xa0Straße ±\n" * 60,
}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("encoding", sorted(SAMPLES))
def test_lines_match_a_whole_file_decode(monkeypatch: pytest.MonkeyPatch, chunk: int, encoding: str) -> None:
    """Streaming in chunks of any size (splitting multi-byte characters) gives the obvious whole-file answer."""
    monkeypatch.setattr(gtfs_text, "CHUNK_BYTES", chunk)
    data = SAMPLES[encoding].encode(encoding)
    text = FeedText(io.BytesIO(data), where="x.zip: stops.txt")
    lines = list(text)
    parts = data.decode(encoding).removeprefix("\ufeff").split("\n")
    assert lines == [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    assert text.line_no == len(lines)
    assert text.encoding == {"utf-8-sig": "utf-8", "cp1252": "windows-1252"}.get(encoding, encoding)


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_late_latin1_line_keeps_earlier_utf8_lines(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(gtfs_text, "CHUNK_BYTES", chunk)
    data = "A,São\n".encode() * 3 + "B,Süd\n".encode("latin-1") + "C,Zürich\n".encode("latin-1")
    lines = list(FeedText(io.BytesIO(data), where="x"))
    assert lines == ["A,São\n"] * 3 + ["B,Süd\n", "C,Zürich\n"]


def _refusal(data: bytes, *, chunk: int | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    if chunk is not None and monkeypatch is not None:
        monkeypatch.setattr(gtfs_text, "CHUNK_BYTES", chunk)
    with pytest.raises(BuildError) as caught:
        list(FeedText(io.BytesIO(data), where="feed.zip: stop_times.txt"))
    return caught.value.message


@pytest.mark.parametrize("chunk", [4, 1 << 20])
def test_nul_bytes_are_refused_at_their_line(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    data = b"trip_id,stop_id\nT1,A\nT1,\x00\x00B\n"
    message = _refusal(data, chunk=chunk, monkeypatch=monkeypatch)
    assert message == "feed.zip: stop_times.txt, line 3: the file holds NUL bytes: it is not a GTFS text file"


def test_huge_line_is_refused_at_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gtfs_text, "MAX_LINE_CHARS", 100)
    message = _refusal(b"trip_id\nT1\n" + b"0" * 500, chunk=64, monkeypatch=monkeypatch)
    assert message.startswith("feed.zip: stop_times.txt, line 3: longer than 100 characters without a line break")


def test_utf16_is_refused() -> None:
    message = _refusal("trip_id,stop_id\n".encode("utf-16"))
    assert message == "feed.zip: stop_times.txt, line 1: the file is UTF-16: save it as UTF-8"


def test_broken_csv_names_file_and_line(tmp_path: Path) -> None:
    """A field beyond the csv module's limit (an unclosed quote swallowing the file) is a BuildError."""
    big = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\n" + (
        'T1,"' + "x" * 200_000 + "\n"
    )
    path = _zip(tmp_path / "feed.zip", {**_encoded("utf-8"), "stop_times.txt": big.encode()})
    with pytest.raises(BuildError) as caught:
        build_timetable([("f", path)], timezone="UTC", report=BuildReport("t"))
    assert caught.value.message.startswith("feed.zip: stop_times.txt, line 3: field larger than field limit")


def test_damaged_member_is_a_build_error(tmp_path: Path) -> None:
    path = _zip(tmp_path / "feed.zip", {**_encoded("utf-8"), "stops.txt": STOPS.encode() * 50})
    raw = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("stops.txt")
    raw[info.header_offset + 60] ^= 0xFF  # inside the compressed data: bad CRC or bad deflate stream
    path.write_bytes(bytes(raw))
    with pytest.raises(BuildError) as caught:
        list(FeedFiles("f", path).rows("stops.txt"))
    assert caught.value.message.startswith("feed.zip: stops.txt cannot be read")


def test_padded_header_names_the_same_agency_everywhere(tmp_path: Path) -> None:
    """Trensurb writes `` agency_name``: the place index used to miss it and label stops by the file name."""
    agency = "agency_id, agency_name,agency_url,agency_timezone\nA, Trensurb ,http://x,UTC\n"
    path = _zip(tmp_path / "gtfs-rail.zip", {**_encoded("utf-8"), "agency.txt": agency.encode()})
    tt = build_timetable([("f", path)], timezone="UTC", report=BuildReport("t"))
    assert tt.route_info(0)["agency"] == "Trensurb"
    assert {s.feed for s in read_stops(path, report=BuildReport("p"))} == {"Trensurb"}


@pytest.mark.parametrize("chunk", [3, 1 << 20])
def test_lone_carriage_returns_end_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Classic Mac OS line ends: every build step reads the feed as if it had "\\n"."""
    monkeypatch.setattr(gtfs_text, "CHUNK_BYTES", chunk)
    files = {n: t.replace("\n", "\r").encode() for n, t in FEED.items()}
    names, places, _ = _both(_zip(tmp_path / "feed.zip", files))
    assert names == NAMES and places == sorted(NAMES)


def test_crlf_is_not_mistaken_for_lone_carriage_returns() -> None:
    lines = list(FeedText(io.BytesIO(b"a,b\r\nc,d\r\n"), where="x"))
    assert lines == ["a,b\r\n", "c,d\r\n"]
