"""Reading real GTFS feeds as they come: greenroute's streaming reader checked against pandas.

For every GTFS zip under ``../shared/data``:

1. every ``.txt`` file as :class:`~routing.transit.gtfs.FeedFiles` yields it against
   ``pandas.read_csv`` (all columns as text, nothing read as missing, cells stripped): rows and
   cells that differ are counted;
2. re-packed copies (files in a sub-folder, UTF-8 with a BOM, Windows-1252 where every character
   fits) compile to the same timetable as the original (every array and every name);
3. the time to read the feed's files, streaming, against the previous whole-file read (decode
   the whole file, then ``csv`` over a ``StringIO``), best of three.

Usage: ``python bench/feeds.py [--data ../shared/data]``, with the test extras installed (pandas and
charset_normalizer come with osmnx; without charset_normalizer its column is left out).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from routing.core.report import BuildReport  # noqa: E402
from routing.transit import Timetable  # noqa: E402
from routing.transit.build import build_timetable  # noqa: E402
from routing.transit.gtfs import FeedFiles  # noqa: E402
from routing.transit.gtfs_text import FeedText  # noqa: E402


def _pandas_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = data.decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False)
    names = [str(c).strip() for c in frame.columns]
    return names, [[str(v).strip() for v in row] for row in frame.itertuples(index=False)]


def compare_with_pandas(path: Path) -> list[str]:
    lines = []
    feed = FeedFiles(path.stem, path)
    with zipfile.ZipFile(path) as z:
        for member in sorted(n for n in z.namelist() if n.endswith(".txt")):
            names, expected = _pandas_rows(z.read(member))
            got = [[row.get(n, "") for n in names] for row in feed.rows(member.rsplit("/", 1)[-1])]
            cells = sum(a != b for g, e in zip(got, expected, strict=False) for a, b in zip(g, e, strict=True))
            lines.append(
                f"  {member:<22} rows {len(got):>8} (pandas {len(expected):>8}), cells differing {cells}, "
                f"encoding {feed.encodings.get(member, '?')}"
            )
    return lines


def _repack(path: Path, out: Path, *, folder: str = "", bom: bool = False, encoding: str = "utf-8") -> Path | None:
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            text = zin.read(info).decode("utf-8-sig")
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                return None  # a character this encoding cannot hold
            zout.writestr(folder + info.filename, (b"\xef\xbb\xbf" if bom else b"") + data)
    return out


def _same(a: Timetable, b: Timetable) -> bool:
    from routing.transit.timetable import ARRAYS

    arrays = all(np.array_equal(getattr(a, n), getattr(b, n)) for n in ARRAYS)
    meta = {k: v for k, v in a.meta.items() if k != "feeds"} == {k: v for k, v in b.meta.items() if k != "feeds"}
    return arrays and meta


def _second_opinion(original: Path, repacked: Path) -> str:
    """Of the files that are not plain ASCII, how many greenroute and charset_normalizer decode right.

    The truth is the original feed's UTF-8 text: a file decodes right when its text equals it.
    """
    try:
        import charset_normalizer
    except ImportError:
        return "charset_normalizer not installed"
    files, ours, theirs = 0, 0, 0
    guesses: set[str] = set()
    with zipfile.ZipFile(original) as zo, zipfile.ZipFile(repacked) as zr:
        truth = {n.rsplit("/", 1)[-1]: zo.read(n).decode("utf-8-sig") for n in zo.namelist()}
        for member in zr.namelist():
            data = zr.read(member)
            if data.isascii():
                continue
            base = member.rsplit("/", 1)[-1]
            files += 1
            ours += "".join(FeedText(io.BytesIO(data), where=base)) == truth[base]
            best = charset_normalizer.from_bytes(data).best()
            guess = best.encoding if best is not None else "none"
            guesses.add(guess)
            theirs += best is not None and str(best).removeprefix("\ufeff") == truth[base]
    if not files:
        return "no non-ASCII file"
    return (
        f"of {files} non-ASCII file(s) greenroute decodes {ours} right, "
        f"charset_normalizer ({', '.join(sorted(guesses))}) {theirs}"
    )


def compare_repacked(path: Path, tmp: Path) -> list[str]:
    def compile_(p: Path) -> tuple[Timetable, str]:
        report = BuildReport("bench")
        return build_timetable([("f", p)], timezone="UTC", report=report), report.counts["transit_f_encoding"]

    original, _ = compile_(path)
    lines = []
    variants = {
        "sub-folder": dict(folder="feed/"),
        "UTF-8 with BOM": dict(bom=True),
        "Windows-1252": dict(encoding="cp1252"),
        "Latin-1 in a sub-folder": dict(encoding="latin-1", folder="a/b/"),
    }
    for label, options in variants.items():
        repacked = _repack(path, tmp / f"{label.replace(' ', '-')}.zip", **options)  # type: ignore[arg-type]
        if repacked is None:
            lines.append(f"  {label:<24} not applicable (a character does not fit)")
            continue
        timetable, encoding = compile_(repacked)
        same = "same timetable" if _same(original, timetable) else "DIFFERENT timetable"
        lines.append(f"  {label:<24} {same}, encoding said: {encoding}; {_second_opinion(path, repacked)}")
    return lines


def _old_read(path: Path) -> int:
    """The reader before streaming: each file read and decoded whole."""
    n = 0
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            raw = z.read(member)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            reader = csv.reader(io.StringIO(text, newline=""))
            names = [h.strip() for h in next(reader, [])]
            for row in reader:
                n += len({names[i]: row[i].strip() for i in range(min(len(names), len(row)))})
    return n


def _new_read(path: Path) -> int:
    feed = FeedFiles(path.stem, path)
    with zipfile.ZipFile(path) as z:
        members = [m.rsplit("/", 1)[-1] for m in z.namelist()]
    return sum(len(row) for m in members for row in feed.rows(m))


def _best(fn, path: Path) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    feeds = sorted(args.data.glob("*/*.zip"))
    with tempfile.TemporaryDirectory() as tmp:
        for path in feeds:
            print(f"{path.relative_to(args.data)}")
            print("\n".join(compare_with_pandas(path)))
            print("\n".join(compare_repacked(path, Path(tmp))))
            old, new = _best(_old_read, path), _best(_new_read, path)
            print(f"  read all files: streaming {new * 1000:.0f} ms, whole-file {old * 1000:.0f} ms ({new / old:.2f}x)")


if __name__ == "__main__":
    main()
