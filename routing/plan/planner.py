"""The planner: every requested mode for one trip, with emissions, as one JSON-ready answer."""

from __future__ import annotations

import contextlib
import json
import time
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from routing.core.answer import ModeError, Notice, Option
from routing.core.city import CityConfig
from routing.core.errors import GreenrouteError, NoTimetable, NotStepFree, QueryTimeout
from routing.emissions import Vehicle, annotate_options, load_pack, pack_info
from routing.plan.answer import PlanAnswer
from routing.plan.assisted import AssistedRoutes
from routing.plan.frontier import flag_frontier
from routing.plan.request import ASSISTED_MODES, COMBINED_MODES, STREET_MODES, PlanRequest
from routing.plan.street_legs import one_leg_option, street_leg
from routing.street.graph import StreetGraph
from routing.street.route import check_distinct, route_points
from routing.street.stepfree import MAX_STEPFREE_SLOPE, stepfree_graph

if TYPE_CHECKING:
    from routing.plan.isochrone import Isochrones

#: The answer's notice of a step-free (``wheelchair=true``) plan: what its walks avoid.
STEPFREE_NOTICE = Notice(
    code="stepfree",
    message="step-free: walks avoid steps, raised kerbs, ways tagged wheelchair=no and slopes over "
    f"{MAX_STEPFREE_SLOPE:.1%} (1:12, the ADA and ISO 21542 ramp limit) where OpenStreetMap and the "
    "elevation model show them; rides avoid trips and stops the operator states inaccessible",
)
# The graph each street mode routes on.
_GRAPH_OF = {"ebike": "bike", "escooter": "bike", "taxi": "drive"}


class Planner:
    """Answers trip plans for one compiled city; load once, query many times (thread-safe).

    Parameters
    ----------
    folder
        The compiled city (``graphs/<city>-<hash>``).
    config
        The city's configuration (time zone, default factor pack, route overrides).
    """

    def __init__(self, folder: Path, config: CityConfig) -> None:
        self.folder = folder
        self.config = config
        self.tz = ZoneInfo(config.timezone)
        self.manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        street = folder / "street"
        names = json.loads((street / "names.json").read_text(encoding="utf-8"))
        self.graphs = {m: StreetGraph(street / m, mode=m, names=names) for m in STREET_MODES}
        self.assisted = AssistedRoutes(self.graphs["bike"])
        self.transit = None
        self.combined = None
        self.side_router = None
        if (folder / "transit").is_dir():
            from routing.plan.combined import CombinedPlanner
            from routing.plan.stop_arrivals import StopArrivals
            from routing.plan.transit_options import TransitPlanner
            from routing.street.car_parks import load_car_parks

            self.transit = TransitPlanner(folder, self.graphs["walk"], tz=self.tz)
            if config.realtime:
                from routing.realtime.service import RealtimeService

                self.transit.realtime = RealtimeService(self.transit.tt, config.realtime)
            self.side_router = StopArrivals(self.transit.tt)
            self.combined = CombinedPlanner(
                self.transit,
                bike=self.graphs["bike"],
                drive=self.graphs["drive"],
                car_parks=load_car_parks(folder),
            )
        load_pack(config.factors)

    def warm_up(self) -> None:
        """Build the lazy indexes now, so the first request is as fast as the others."""
        for g in self.graphs.values():
            g.prepare()  # hierarchies, metrics and snap index, else built by the first search
        if self.transit is not None:
            self.transit.warm_up()
        if self.side_router is not None:
            self.side_router.warm_up()
        self._warm_plan()

    def _warm_plan(self) -> None:
        """Plan one trip of every default mode across the city, so that numba compiles (or loads
        from its cache) every kernel a plan runs before a request does: compiling the street and
        first-mile kernels takes seconds, past a request's time budget on a fresh install."""
        g = self.graphs["walk"]
        nodes = g.largest_component_nodes()
        if len(nodes) < 2:
            return
        a, b = int(nodes[0]), int(nodes[len(nodes) // 2])
        at = None
        if self.transit is not None:
            start = self.transit.tt.feeds[0].get("start") or self.transit.tt.day0.isoformat()
            at = datetime.fromisoformat(start).replace(hour=8, tzinfo=self.tz)
        req = PlanRequest(
            origin=(float(g.node_lat[a]), float(g.node_lon[a])),
            destination=(float(g.node_lat[b]), float(g.node_lon[b])),
            at=at,
        )
        with contextlib.suppress(GreenrouteError):  # a failing mode has still compiled what it reached
            self.plan(req)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.graphs["walk"].bbox

    def data_versions(self) -> dict[str, Any]:
        inputs = self.manifest["inputs"]
        out: dict[str, Any] = {
            "city": self.config.name,
            "build": self.manifest["key"],
            "built_at": self.manifest["built_at"],
            "osm": {**inputs["osm"], "attribution": "© OpenStreetMap contributors (ODbL)"},
            "dem": inputs.get("dem"),
            "gtfs": self.transit.feeds() if self.transit is not None else [],
        }
        return out

    def isochrones(self) -> Isochrones:
        """Isochrones over this planner's street graphs, timetable and stop arrivals (shared, not copied)."""
        from routing.plan.isochrone import Isochrones  # shapely: loaded by the first isochrone, not by plans

        return Isochrones(self.graphs, tz=self.tz, transit=self.transit, arrivals=self.side_router)

    def plan(
        self, req: PlanRequest, *, deadline: float | None = None, timings: dict[str, float] | None = None
    ) -> PlanAnswer:
        """Plan ``req``: one option per street mode and one per transit journey.

        Modes that fail for this trip are reported in ``errors``; if every mode fails, the first
        mode's error is raised.
        """
        service = self.transit.realtime if self.transit is not None else None
        if service is None:
            return self._plan(req, deadline=deadline, timings=timings)
        with service.pinned():  # one realtime snapshot for the legs and the data block alike
            return self._plan(req, deadline=deadline, timings=timings)

    def _plan(
        self, req: PlanRequest, *, deadline: float | None = None, timings: dict[str, float] | None = None
    ) -> PlanAnswer:
        """:meth:`plan` itself; the realtime snapshot, when the city has one, is pinned."""
        check_distinct(req.origin, req.destination)
        at = (req.at or datetime.now(self.tz)).astimezone(self.tz)
        pack = load_pack(req.pack or self.config.factors)
        vehicle = Vehicle(car=req.car, occupancy=req.occupancy)
        options: list[Option] = []
        errors: list[ModeError] = []
        notices: list[Notice] = []
        first_error: GreenrouteError | None = None
        t = time.perf_counter()
        # The transit side every transit mode of this request shares (destination egress, deadline).
        # A step-free request walks the step-free graph and rides the wheelchair view (made on first use).
        transit = self.transit.stepfree() if self.transit is not None and req.wheelchair else self.transit
        trip = transit.trip(req, at, deadline=deadline) if transit is not None else None
        for mode in req.ordered_modes:
            if deadline is not None and time.perf_counter() > deadline:
                raise QueryTimeout("the plan took longer than its time budget; try again or fewer modes")
            try:
                if mode == "transit":
                    if transit is None or trip is None:
                        raise NoTimetable(f"{self.config.name} was built without GTFS feeds: no timetable")
                    result = transit.search(trip)
                    options.extend(result.options)
                    notices.extend(result.notices)
                    if result.error is not None:
                        raise result.error
                elif mode in COMBINED_MODES:
                    if req.wheelchair:
                        raise NotStepFree(f"{mode} is not planned step-free; the transit option is")
                    if self.combined is None or trip is None:
                        raise NoTimetable(f"{self.config.name} was built without GTFS feeds: no timetable")
                    plain = [o for o in options if o.mode == "transit"]
                    found, notes = self.combined.options(mode, trip, plain=plain)
                    options.extend(found)
                    notices.extend(n for n in notes if n not in notices)
                else:
                    options.append(self._street_option(mode, req, at))
            except QueryTimeout:
                raise
            except GreenrouteError as exc:
                first_error = first_error or exc
                errors.append(ModeError(mode=mode, error=exc))
            if timings is not None:
                now = time.perf_counter()
                timings[mode] = timings.get(mode, 0.0) + (now - t)
                t = now
        if not options and first_error is not None:
            raise first_error
        options = annotate_options(
            options,
            pack=pack,
            vehicle=vehicle,
            route_overrides=self.config.route_emissions,
            body_mass_kg=req.body_mass_kg,
        )
        if req.wheelchair:
            notices.append(STEPFREE_NOTICE)
        if req.frontier:
            options = flag_frontier(options)
        if timings is not None:
            timings["emissions"] = timings.get("emissions", 0.0) + time.perf_counter() - t
        return PlanAnswer(
            options=tuple(options),
            request=req,
            at=at,
            data={**self.data_versions(), "factors": pack_info(pack), **self._realtime_data()},
            notices=tuple(notices),
            errors=tuple(errors),
        )

    def _realtime_data(self) -> dict[str, Any]:
        """``{"realtime": [...]}``: each fresh realtime feed used, when the city has any."""
        service = self.transit.realtime if self.transit is not None else None
        return {"realtime": service.snapshot().data} if service is not None else {}

    def _street_option(self, mode: str, req: PlanRequest, at: datetime) -> Option:
        g = self.graphs[_GRAPH_OF.get(mode, mode)]
        if mode == "walk" and req.wheelchair:
            g = stepfree_graph(g)
        router = partial(self.assisted.route, mode) if mode in ASSISTED_MODES else None
        r = route_points(g, req.origin, req.destination, router=router)
        secs = round(r.duration_s, 1)
        departure = at - timedelta(seconds=secs) if req.arrive_by else at
        # a taxi drives the drive graph's route; its leg mode picks the taxi factor
        leg = street_leg(r, departure=departure, secs=secs, mode=mode)
        return one_leg_option(leg, option_id=mode, mode=mode)
