"""A hand-made city for the combined modes: the few-block grid, a car park and one bus line.

A bus runs every 10 minutes, 06:00 to 22:00, from stop NW (at node 1, the grid's north-west corner)
to stop SE (at node 9, the south-east corner) in 4 minutes. A public car park sits beside node 3,
200 m east of stop NW, and a private one beside it (which must be ignored).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from routing.build.pipeline import build_city
from routing.core.city import CityConfig, load_city
from tests.street.osm_fixture import node_latlon, write_osm

TZ = "America/Sao_Paulo"
PARK_LATLON = (node_latlon(3)[0] - 0.0001, node_latlon(3)[1])  # 11 m south of node 3


def _gtfs(path: Path, *, days: str) -> Path:
    g_lat, g_lon = node_latlon(1)
    i_lat, i_lon = node_latlon(9)
    trips = []
    times = []
    for k, minute in enumerate(range(6 * 60, 22 * 60, 10)):
        trips.append(f"R1,ALL,T{k}")
        dep, arr = minute * 60, minute * 60 + 240
        times.append(f"T{k},{_hms(dep)},{_hms(dep)},NW,1")
        times.append(f"T{k},{_hms(arr)},{_hms(arr)},SE,2")
    files = {
        "agency.txt": f"agency_id,agency_name,agency_url,agency_timezone\nA,Tiny Bus,http://x,{TZ}\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        f"ALL,{days},20260101,20271231\n",
        "stops.txt": f"stop_id,stop_name,stop_lat,stop_lon\nNW,North-west,{g_lat:.7f},{g_lon:.7f}\n"
        f"SE,South-east,{i_lat:.7f},{i_lon:.7f}\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A,1,NW - SE,3\n",
        "trips.txt": "route_id,service_id,trip_id\n" + "\n".join(trips) + "\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "\n".join(times) + "\n",
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


#: The bus's calendar.txt days, Monday to Sunday: every day by default.
EVERY_DAY = "1,1,1,1,1,1,1"


def build_tiny_city(root: Path, *, days: str = EVERY_DAY) -> tuple[CityConfig, Path]:
    """Write ``root/seeds/tiny`` and compile it into ``root/graphs``; return the config and folder.

    ``days`` is the bus's calendar (``"1,1,1,1,1,0,0"``: weekdays only)."""
    seeds = root / "seeds"
    folder = seeds / "tiny"
    folder.mkdir(parents=True)
    osm = write_osm(folder / "tiny.osm")
    lat, lon = PARK_LATLON
    parks = (
        f'  <node id="900" version="1" lat="{lat:.7f}" lon="{lon:.7f}"><tag k="amenity" v="parking"/></node>\n'
        f'  <node id="901" version="1" lat="{lat:.7f}" lon="{lon + 0.0002:.7f}">'
        '<tag k="amenity" v="parking"/><tag k="access" v="private"/></node>\n</osm>'
    )
    osm.write_text(osm.read_text(encoding="utf-8").replace("</osm>", parks), encoding="utf-8")
    _gtfs(folder / "bus.zip", days=days)
    (folder / "city.toml").write_text(
        f'name = "tiny"\ntitle = "Tiny"\ntimezone = "{TZ}"\nfactors = "desnz-2025"\n\n'
        '[files]\nosm = "tiny.osm"\ngtfs = ["bus.zip"]\n',
        encoding="utf-8",
    )
    city = load_city("tiny", seeds=seeds)
    return city, build_city(city, root=root / "graphs", progress=False)
