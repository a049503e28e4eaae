"""GTFS-Realtime in the planner: configured sources (:mod:`.config`), the background poller
(:mod:`.service`), and the answer's ``realtime`` and ``alerts`` fields (:mod:`.legs`,
:mod:`.alerts`). The timetable side is :mod:`routing.transit.realtime_view`.

Nothing is imported here: :mod:`routing.core.city` reads :mod:`.config` and must not pull in the
transit package through this one.
"""
