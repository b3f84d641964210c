"""How many terms and how much memory a star product, or the moyal derivation's jet exports, will take.

A truncated star product of two generic functions in d dimensions has one term per multi-index pair
(alpha, beta) with |alpha| + |beta| <= N, that is C(N + 2d, 2d) terms; the moyal derivation with
``--order N`` exports the jet form for every order n <= N in each dimension, scalar and matrix-valued,
2 * sum_d C(N + 2d + 1, 2d + 1) terms in all. The bytes per term are measured
(tests/engines/test_moyal_memory.py re-measures them): a SymPy term of two derivatives holds about
2 kB while it is built; an exported jet term, with its code and LaTeX, about 7 kB of peak resident
memory in ``derive run moyal``. The guard refuses a job whose estimate exceeds the memory the system
reports as available, before any of the work starts.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterable

# Measured: tracemalloc peak of ``star`` on two undefined functions, d = 1..3, 45..8008 terms.
STAR_BYTES_PER_TERM = 2_000
STAR_BASE_BYTES = 150_000
# Measured: peak RSS of ``derive run moyal --order N`` (N = 2, 4, 6, 8: 66, 68, 83, 158 MB) against its exported terms.
EXPORT_BYTES_PER_TERM = 7_000
EXPORT_BASE_BYTES = 70_000_000

DERIVATION_DIMENSIONS = (1, 2, 3)


def star_term_count(d: int, order: int) -> int:
    """Terms of A*B through hbar^order in d dimensions when no derivative vanishes: C(order + 2d, 2d)."""
    return math.comb(order + 2 * d, 2 * d)


def star_memory_estimate(d: int, order: int) -> int:
    """Bytes the SymPy expression of an order-``order`` star product in d dimensions needs while built."""
    return STAR_BASE_BYTES + STAR_BYTES_PER_TERM * star_term_count(d, order)


def jet_export_term_count(order: int, dimensions: Iterable[int] = DERIVATION_DIMENSIONS) -> int:
    """Terms of every jet-form export through ``order`` (orders 0..order, scalar and matrix) over ``dimensions``."""
    return 2 * sum(math.comb(order + 2 * d + 1, 2 * d + 1) for d in dimensions)


def jet_export_memory_estimate(order: int, dimensions: Iterable[int] = DERIVATION_DIMENSIONS) -> int:
    """Peak bytes of ``derive run moyal --order order`` (build, verify, render) predicted from its term count."""
    return EXPORT_BASE_BYTES + EXPORT_BYTES_PER_TERM * jet_export_term_count(order, dimensions)


def available_memory() -> int:
    """Bytes the system can give this process now: MemAvailable of /proc/meminfo, else free physical pages."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def format_bytes(count: float) -> str:
    """1536 -> '1.5 KiB'; up to YiB, then powers of ten."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"):
        if count < 1024:
            return f"{count:.1f} {unit}" if unit != "B" else f"{int(count)} B"
        count /= 1024
    return f"{count:.2e} YiB"


def require_memory(needed: int, what: str, available: int | None = None) -> None:
    """Raise ValueError naming ``what`` and the estimate when ``needed`` bytes exceed the available memory."""
    available = available_memory() if available is None else available
    if needed > available:
        raise ValueError(f"{what} needs about {format_bytes(needed)} of memory, but only {format_bytes(available)} is available")


def refuse_star_beyond_memory(d: int, order: int, available: int | None = None) -> None:
    """Refuse (ValueError) a star product whose term count cannot fit in the available memory."""
    terms = star_term_count(d, order)
    require_memory(star_memory_estimate(d, order), f"order {order} in d = {d} ({terms:.3g} terms)", available)


def refuse_order_beyond_memory(order: int, dimensions: Iterable[int] = DERIVATION_DIMENSIONS,
                               available: int | None = None) -> int:
    """``order`` if the moyal derivation's jet exports through it fit in memory, else ValueError with the estimate."""
    dimensions = tuple(dimensions)
    terms = jet_export_term_count(order, dimensions)
    what = f"--order {order} ({terms:.3g} jet terms over d = {', '.join(map(str, dimensions))})"
    require_memory(jet_export_memory_estimate(order, dimensions), what, available)
    return order
