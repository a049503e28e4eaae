"""``[[realtime]]`` in city.toml: read and checked at serve time, never part of the build's hash."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from routing.core.city import city_from_toml
from routing.core.errors import BuildError
from routing.core.graphs import build_key
from routing.core.realtime_config import DEFAULT_MAX_AGE_S, DEFAULT_POLL_S, RealtimeSource
from routing.realtime.service import RealtimeService
from routing.transit import Timetable

BASE = 'name = "rt"\ntimezone = "America/Sao_Paulo"\n[files]\nosm = "rt.osm"\n'


def _city(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "rt.osm").write_text("<osm/>", encoding="utf-8")
    path = tmp_path / "city.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    return path


def test_realtime_tables_are_read_with_defaults_and_do_not_change_the_build(tmp_path: Path) -> None:
    plain = city_from_toml(_city(tmp_path, ""))
    city = city_from_toml(
        _city(
            tmp_path,
            '[[realtime]]\nfeed = "bus"\ntrip_updates = "feeds/tu.pb"\n'
            '[[realtime]]\nfeed = "rail"\nalerts = "https://x.org/a.pb"\npoll_seconds = 15\n',
        )
    )
    assert city.realtime == (
        RealtimeSource("bus", str((tmp_path / "feeds/tu.pb").resolve()), None, DEFAULT_POLL_S, DEFAULT_MAX_AGE_S),
        RealtimeSource("rail", None, "https://x.org/a.pb", 15.0, DEFAULT_MAX_AGE_S),
    )
    assert build_key(city) == build_key(plain)


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ('[[realtime]]\ntrip_updates = "x.pb"\n', "feed"),
        ('[[realtime]]\nfeed = "bus"\npoll_seconds = 0\n', "poll_seconds"),
        ('[[realtime]]\nfeed = "bus"\nmax_age_seconds = "soon"\n', "max_age_seconds"),
        ('[[realtime]]\nfeed = "bus"\ntrip_updates = "ftp://x/y.pb"\n', "only http(s)"),
        ('[[realtime]]\nfeed = "bus"\ntrip_update = "x.pb"\n', "unknown key 'trip_update'"),
        ('[realtime]\nfeed = "bus"\n', "list of [[realtime]]"),
    ],
)
def test_bad_realtime_tables_are_refused_with_a_message(tmp_path: Path, extra: str, says: str) -> None:
    with pytest.raises(BuildError, match="realtime") as err:
        city_from_toml(_city(tmp_path, extra))
    assert says in err.value.message


def test_a_source_for_an_unknown_feed_is_logged_and_skipped(
    rt_city: tuple[object, Path], caplog: pytest.LogCaptureFixture
) -> None:
    tt = Timetable.load(rt_city[1] / "transit")
    with caplog.at_level(logging.WARNING, logger="greenroute.realtime"):
        service = RealtimeService(tt, (RealtimeSource("metro", trip_updates="/nowhere.pb"),), background=False)
    assert service.sources == []
    assert any("unknown feed 'metro'" in r.getMessage() for r in caplog.records)
    snap = service.snapshot()
    assert snap.timetable is tt and snap.notices == [] and snap.data == []
