"""The term-count and memory estimates of star products and jet exports, against measurement, and the guard."""
from __future__ import annotations

import gc
import math
import time
import tracemalloc

import pytest
import sympy

from derive.engines import moyal_memory
from derive.engines.moyal import star, star_jet_parts
from derive.engines.moyal_memory import (
    available_memory,
    jet_export_term_count,
    refuse_order_beyond_memory,
    refuse_star_beyond_memory,
    star_memory_estimate,
    star_term_count,
)


def undefined_pair(d: int):
    rs, ps = sympy.symbols(f"r1:{d + 1}"), sympy.symbols(f"p1:{d + 1}")
    return sympy.Function("A")(*rs, *ps), sympy.Function("B")(*rs, *ps), rs, ps


@pytest.mark.parametrize("d, orders", [(1, range(0, 12)), (2, range(0, 7)), (3, range(0, 6))])
def test_star_term_count_is_the_measured_count(d: int, orders) -> None:
    A, B, rs, ps = undefined_pair(d)
    for order in orders:
        assert len(sympy.Add.make_args(star(A, B, rs, ps, order))) == star_term_count(d, order)


def _jet_terms(expression: sympy.Expr) -> int:
    return 0 if expression == 0 else len(sympy.Add.make_args(sympy.expand(expression)))


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_jet_export_term_count_is_the_measured_count(order: int) -> None:
    measured = 0
    for d in (1, 2, 3):
        for n in range(order + 1):
            for commutative in (True, False):
                even, odd, *_ = star_jet_parts(d, n, commutative)
                measured += _jet_terms(even) + _jet_terms(odd)
    assert measured == jet_export_term_count(order, (1, 2, 3))


@pytest.mark.parametrize("d, order", [(1, 16), (2, 8), (3, 6), (3, 8)])
def test_star_memory_estimate_is_within_a_factor_of_the_measured_peak(d: int, order: int) -> None:
    A, B, rs, ps = undefined_pair(d)
    star(A, B, rs, ps, order)  # the coefficient table is cached per process; measure the product itself
    gc.collect()
    tracemalloc.start()
    try:
        star(A, B, rs, ps, order)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 0.6 < star_memory_estimate(d, order) / peak < 1.6, (peak, star_memory_estimate(d, order))


def test_available_memory_is_read_from_the_system() -> None:
    with open("/proc/meminfo") as meminfo:
        total = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemTotal:"))
    assert 0 < available_memory() <= total


def test_order_1000_is_refused_at_once_with_the_estimate() -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"--order 1000 \(4\.08e\+17 jet terms .*\) needs about .* of memory, but only .* is available"):
        refuse_order_beyond_memory(1000)
    assert time.perf_counter() - start < 0.1


def test_star_itself_refuses_an_order_beyond_memory() -> None:
    A, B, rs, ps = undefined_pair(3)
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"order 1000 in d = 3 .* needs about"):
        star(A, B, rs, ps, 1000)
    with pytest.raises(ValueError, match="order 400 in d = 3"):
        star_jet_parts(3, 400)
    assert time.perf_counter() - start < 0.5


def test_the_guard_compares_against_the_memory_given() -> None:
    needed = moyal_memory.jet_export_memory_estimate(12)
    assert refuse_order_beyond_memory(12, available=needed) == 12
    with pytest.raises(ValueError, match="--order 12"):
        refuse_order_beyond_memory(12, available=needed - 1)
    refuse_star_beyond_memory(3, 12, available=star_memory_estimate(3, 12))
    with pytest.raises(ValueError, match="order 12 in d = 3"):
        refuse_star_beyond_memory(3, 12, available=star_memory_estimate(3, 12) - 1)


def test_counts_grow_like_the_binomials() -> None:
    assert star_term_count(3, 12) == 18564 == math.comb(18, 6)
    assert jet_export_term_count(12) == 2 * (math.comb(15, 3) + math.comb(17, 5) + math.comb(19, 7))
