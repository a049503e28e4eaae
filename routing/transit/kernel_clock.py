"""A wall clock compiled code can read, so a RAPTOR run can stop at its deadline between rounds.

numba's nopython mode has no ``time.perf_counter``; :func:`monotonic_s` calls the C library's
``clock_gettime(CLOCK_MONOTONIC)`` directly (about 0.1 µs, and the kernels stay cacheable since
the symbol is resolved by name when the cached code is loaded). :func:`kernel_deadline` turns a
``time.perf_counter()`` deadline into that clock, so the two need not be the same clock.
"""

from __future__ import annotations

import math
import time

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

#: ``CLOCK_MONOTONIC`` in Linux's <time.h> (what CPython's ``perf_counter`` reads there).
_CLOCK_MONOTONIC = 1
#: The kernel deadline of a search without a budget.
NO_DEADLINE = math.inf


@intrinsic
def _clock_gettime(typingctx):  # pragma: no cover - compiled
    def codegen(context, builder, signature, args):
        i64 = ir.IntType(64)
        timespec = ir.LiteralStructType([i64, i64])
        fnty = ir.FunctionType(ir.IntType(32), [ir.IntType(32), timespec.as_pointer()])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "clock_gettime")
        ts = cgutils.alloca_once(builder, timespec)
        builder.call(fn, [ir.Constant(ir.IntType(32), _CLOCK_MONOTONIC), ts])
        sec = builder.sitofp(builder.load(cgutils.gep_inbounds(builder, ts, 0, 0)), ir.DoubleType())
        nsec = builder.sitofp(builder.load(cgutils.gep_inbounds(builder, ts, 0, 1)), ir.DoubleType())
        return builder.fadd(sec, builder.fmul(nsec, ir.Constant(ir.DoubleType(), 1e-9)))

    return types.float64(), codegen


@njit(cache=True)
def monotonic_s() -> float:  # pragma: no cover - compiled
    """Seconds of the monotonic clock, callable from compiled code."""
    return _clock_gettime()  # type: ignore[call-arg]  # numba supplies the typing context


_offset: list[float] = []  # perf_counter() minus monotonic_s(), measured once


def kernel_deadline(deadline: float | None) -> float:
    """``deadline`` (a ``time.perf_counter()`` value, None: no budget) on :func:`monotonic_s`'s clock."""
    if deadline is None:
        return NO_DEADLINE
    if not _offset:
        monotonic_s()  # compiled (or loaded) first, so the reading below is not late
        before = time.perf_counter()
        now = monotonic_s()
        _offset.append((before + time.perf_counter()) / 2 - now)
    return deadline - _offset[0]
