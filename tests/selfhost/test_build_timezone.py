"""`greenroute build --name` without --timezone takes the time zone the feeds' agency.txt states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selfhost.helpers import cli, graphs_leftovers, rezip

AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nDTA,Demo Transit Authority,http://example.org,{tz}\n"


def _feed(inputs: Path, name: str, agency: str) -> Path:
    return rezip(inputs / "sample-feed.zip", inputs / name, replace={"agency.txt": agency})


def _build(capsys: pytest.CaptureFixture[str], inputs: Path, *feeds: Path, extra: tuple[str, ...] = ()) -> tuple:
    gtfs = [a for f in feeds for a in ("--gtfs", str(f))]
    return cli(capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), *gtfs, *extra)


def _refused(home: Path, rc: int, err: str, *needles: str) -> None:
    assert rc == 2, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    assert graphs_leftovers(home) == []
    assert not (home / "seeds" / "town").exists()


def test_time_zone_taken_from_the_feed(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = _feed(inputs, "gtfs-second.zip", AGENCY.format(tz="America/Los_Angeles"))
    rc, out, err = _build(capsys, inputs, inputs / "sample-feed.zip", other)
    assert rc == 0, err
    said = "time zone America/Los_Angeles, from agency.txt of sample-feed.zip, gtfs-second.zip"
    assert err.splitlines()[0].startswith(said), err  # the first progress line
    assert 'timezone = "America/Los_Angeles"' in (home / "seeds" / "town" / "city.toml").read_text()
    (folder,) = (home / "graphs").glob("town-*")
    report = json.loads((folder / "report.json").read_text())
    assert report["counts"]["timezone"] == "America/Los_Angeles"
    assert report["counts"]["transit_sample_agency_timezone"] == "America/Los_Angeles"
    assert any(n.startswith(said) for n in report["notes"]), report["notes"]
    assert said in out  # and in the printed report


def test_quiet_build_says_it_only_in_the_report(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _build(capsys, inputs, inputs / "sample-feed.zip", extra=("--quiet",))
    assert rc == 0 and err == "", err
    assert "note: time zone America/Los_Angeles, from agency.txt of sample-feed.zip" in out


def test_given_time_zone_wins(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _build(capsys, inputs, inputs / "sample-feed.zip", extra=("--quiet", "--timezone", "UTC"))
    assert rc == 0, err
    assert 'timezone = "UTC"' in (home / "seeds" / "town" / "city.toml").read_text()
    assert "from agency.txt" not in out
    assert "sample: agency time zone America/Los_Angeles differs from the city's UTC" in out


def test_feeds_that_disagree_are_refused(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = _feed(inputs, "gtfs-east.zip", AGENCY.format(tz="America/New_York"))
    rc, _, err = _build(capsys, inputs, inputs / "sample-feed.zip", other)
    _refused(
        home,
        rc,
        err,
        "the feeds state different time zones",
        "America/Los_Angeles in sample-feed.zip",
        "America/New_York in gtfs-east.zip",
        "--timezone",
    )


def test_agencies_of_one_feed_that_disagree_are_refused(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = AGENCY.format(tz="Europe/Berlin") + "B,Other,http://example.org,Europe/Paris\n"
    rc, _, err = _build(capsys, inputs, _feed(inputs, "gtfs-two.zip", two))
    _refused(home, rc, err, "Europe/Berlin in gtfs-two.zip; Europe/Paris in gtfs-two.zip")


@pytest.mark.parametrize(
    "agency",
    [
        "agency_id,agency_name,agency_url\nDTA,Demo,http://example.org\n",  # no column
        AGENCY.format(tz=""),  # an empty cell
        None,  # no agency.txt at all
    ],
)
def test_no_feed_states_one(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str], agency: str | None) -> None:
    if agency is None:
        feed = rezip(inputs / "sample-feed.zip", inputs / "gtfs-quiet.zip", drop="agency.txt")
    else:
        feed = _feed(inputs, "gtfs-quiet.zip", agency)
    rc, _, err = _build(capsys, inputs, feed)
    _refused(home, rc, err, "no time zone: no agency_timezone in the agency.txt of gtfs-quiet.zip", "--timezone")


def test_no_feed_at_all(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _build(capsys, inputs)
    _refused(home, rc, err, "no time zone: give --timezone")


def test_feed_states_a_zone_that_does_not_exist(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _build(capsys, inputs, _feed(inputs, "gtfs-mars.zip", AGENCY.format(tz="Mars/Olympus_Mons")))
    _refused(home, rc, err, "agency.txt of gtfs-mars.zip: time zone 'Mars/Olympus_Mons' does not exist")


def test_existing_city_keeps_its_time_zone(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Updating a city's feed does not change the time zone its city.toml already states."""
    rc, _, err = _build(capsys, inputs, inputs / "sample-feed.zip", extra=("--quiet", "--timezone", "UTC"))
    assert rc == 0, err
    east = _feed(inputs, "gtfs-east.zip", AGENCY.format(tz="America/New_York"))
    rc, out, err = cli(capsys, "build", "--quiet", "--name", "town", "--gtfs", str(east))
    assert rc == 0, err
    assert 'timezone = "UTC"' in (home / "seeds" / "town" / "city.toml").read_text()


def test_a_feed_stating_none_defers_to_one_that_does(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = _feed(inputs, "gtfs-quiet.zip", "agency_id,agency_name,agency_url\nQ,Quiet,http://example.org\n")
    rc, out, err = _build(capsys, inputs, quiet, inputs / "sample-feed.zip", extra=("--quiet",))
    assert rc == 0, err
    assert "note: time zone America/Los_Angeles, from agency.txt of sample-feed.zip (" in out


def test_time_zone_read_from_a_latin1_agency_in_a_folder(home: Path, inputs: Path) -> None:
    """The time zone is read by the same reader as the timetable: sub-folders and Latin-1 included."""
    import zipfile

    from routing.transit.feed_timezone import timezone_from_feeds

    feed = inputs / "gtfs-export.zip"
    with zipfile.ZipFile(inputs / "sample-feed.zip") as zin, zipfile.ZipFile(feed, "w") as zout:
        for info in zin.infolist():
            zout.writestr(f"export/{info.filename}", zin.read(info))
    agency = "agency_id,agency_name,agency_url,agency_timezone\nE,Empresa P\xfablica,http://x,America/Sao_Paulo\n"
    with zipfile.ZipFile(feed, "a") as z:
        z.writestr("export/sub/agency.txt", agency.encode("latin-1"))  # deeper: the shallower copy wins
    assert timezone_from_feeds([feed]) == ("America/Los_Angeles", "agency.txt of gtfs-export.zip")
    with zipfile.ZipFile(feed, "a") as z:
        z.writestr("agency.txt", agency.encode("latin-1"))  # at the top: this one wins
    assert timezone_from_feeds([feed]) == ("America/Sao_Paulo", "agency.txt of gtfs-export.zip")
