"""The time × CO2e frontier of one answer: the options no other option beats on both.

An option *dominates* another when it takes no longer and emits no more, and is strictly better on
one of the two. The frontier is the set of options no option dominates, across every mode and
combination of the answer. It is a fact about this set of options, not a recommendation: the
answer marks each option with ``pareto`` and lists them in the usual fixed order.

Options without a CO2e figure (a factor the pack lacks) cannot be placed on the chart: they get
``pareto: null`` and never dominate another option.
"""

from __future__ import annotations

from collections.abc import Sequence

from routing.core.answer import Option, evolve

Point = tuple[float, float]  # (duration in seconds, CO2e in grams)


def dominates(a: Point, b: Point) -> bool:
    """Whether ``a`` is no worse than ``b`` on both axes and better on at least one."""
    return a[0] <= b[0] and a[1] <= b[1] and (a[0] < b[0] or a[1] < b[1])


def frontier_flags(points: Sequence[Point | None]) -> list[bool | None]:
    """For each point, whether no other point dominates it (None for a point without a figure).

    Equal points do not dominate each other, so both are on the frontier.
    """
    known = [p for p in points if p is not None]
    return [None if p is None else not any(dominates(q, p) for q in known) for p in points]


def _point(option: Option) -> Point | None:
    co2 = option.emissions.co2e_g if option.emissions is not None else None
    if co2 is None:
        return None
    return float(option.duration_s), float(co2)


def flag_frontier(options: Sequence[Option]) -> list[Option]:
    """The options of one answer, each a new value with ``pareto`` set; ``options`` are not changed."""
    flags = frontier_flags([_point(o) for o in options])
    return [evolve(option, pareto=flag) for option, flag in zip(options, flags, strict=True)]
