"""The realtime tests' hand-made city: the few-block grid and three bus lines.

* R1 runs every 15 minutes, 06:00 to 22:00, from stop NW (grid node 1) to SE (node 9) in 4 minutes.
* A leaves NW at 07:00, 08:00 and 09:00 and reaches FAR, a stop 5 km away (off the streets), in
  20 minutes; B leaves FAR every 20 minutes at :15, :35 and :55 from 06:15 and reaches NE
  (node 3) in 15 minutes. NW to NE by transit is therefore A then B: leaving at 08:00, B of 08:35.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from routing.build.pipeline import build_city
from routing.core.city import CityConfig, load_city
from tests.street.osm_fixture import node_latlon, write_osm

TZ = "America/Sao_Paulo"
FAR = (-30.045, -51.2)


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _gtfs(path: Path) -> Path:
    trips, times = [], []

    def trip(route: str, tid: str, stops: list[tuple[str, int]]) -> None:
        trips.append(f"{route},ALL,{tid}")
        times.extend(f"{tid},{_hms(t)},{_hms(t)},{s},{n}" for n, (s, t) in enumerate(stops, start=1))

    for minute in range(6 * 60, 22 * 60, 15):
        trip("R1", f"T{minute // 60:02d}{minute % 60:02d}", [("NW", minute * 60), ("SE", minute * 60 + 240)])
    for hour in (7, 8, 9):
        trip("A", f"A{hour}", [("NW", hour * 3600), ("FAR", hour * 3600 + 1200)])
    for minute in range(6 * 60 + 15, 22 * 60, 20):
        trip("B", f"B{minute // 60:02d}{minute % 60:02d}", [("FAR", minute * 60), ("NE", minute * 60 + 900)])
    (nw, se, ne) = (node_latlon(n) for n in (1, 9, 3))
    files = {
        "agency.txt": f"agency_id,agency_name,agency_url,agency_timezone\nTB,Tiny Bus,http://x,{TZ}\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "ALL,1,1,1,1,1,1,1,20260101,20271231\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        f"NW,North-west,{nw[0]:.7f},{nw[1]:.7f}\nSE,South-east,{se[0]:.7f},{se[1]:.7f}\n"
        f"NE,North-east,{ne[0]:.7f},{ne[1]:.7f}\nFAR,Far,{FAR[0]},{FAR[1]}\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "R1,TB,1,NW - SE,3\nA,TB,A,NW - Far,3\nB,TB,B,Far - NE,3\n",
        "trips.txt": "route_id,service_id,trip_id\n" + "\n".join(trips) + "\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "\n".join(times) + "\n",
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def build_realtime_city(root: Path) -> tuple[CityConfig, Path]:
    """Write ``root/seeds/rt`` (feed name ``bus``) and compile it; return the config and folder."""
    seeds = root / "seeds"
    folder = seeds / "rt"
    folder.mkdir(parents=True)
    write_osm(folder / "rt.osm")
    _gtfs(folder / "bus.zip")
    (folder / "city.toml").write_text(
        f'name = "rt"\ntimezone = "{TZ}"\n\n[files]\nosm = "rt.osm"\ngtfs = ["bus.zip"]\n', encoding="utf-8"
    )
    city = load_city("rt", seeds=seeds)
    return city, build_city(city, root=root / "graphs", progress=False)
