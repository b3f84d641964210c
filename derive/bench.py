"""`derive bench`: the benchmark table (medians of several runs; compare ratios within one run).

Rows: `derive all` from scratch in a fresh process; each derivation's run; `star` of two undefined
functions at orders 2-8 in d = 1, 2, 3 (with the term counts) against a plain loop of `sympy.diff`;
and the generated star-product function per element on many points against `sympy.lambdify` of the
same product (default and cse=True) and a hand-written numpy expression.
"""
from __future__ import annotations

import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import sympy
from sympy.core.cache import clear_cache

from derive import derivations
from derive.engines.moyal import jet_multi_indices, star, star_coefficients
from derive.pipeline import BUILD_KEY, claim_key, record_costs, run


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _undefined_pair(d: int) -> tuple[sympy.Expr, sympy.Expr, tuple, tuple]:
    rs, ps = sympy.symbols(f"r1:{d + 1}"), sympy.symbols(f"p1:{d + 1}")
    return sympy.Function("A")(*rs, *ps), sympy.Function("B")(*rs, *ps), rs, ps


def naive_star(A: sympy.Expr, B: sympy.Expr, rs: tuple, ps: tuple, order: int) -> sympy.Expr:
    """The baseline: every term's derivatives taken afresh with sympy.diff, no reuse."""
    d = len(rs)
    total = sympy.S.Zero
    for n, alpha, beta, coefficient in star_coefficients(d, order):
        left = sympy.diff(A, *[(v, k) for v, k in zip(rs + ps, alpha + beta, strict=True)])
        right = sympy.diff(B, *[(v, k) for v, k in zip(rs + ps, beta + alpha, strict=True)])
        total += coefficient * (sympy.I / 2) ** n * left * right
    return total


def hand_written_star_d1_order4(a: np.ndarray, b: np.ndarray, hbar: float = 1.0) -> np.ndarray:
    """A*B through hbar^4 in d = 1, written by hand from the jets (layout of JET_MULTI_INDICES[1])."""
    return (
        a[0] * b[0]
        + 0.5j * hbar * (a[1] * b[2] - a[2] * b[1])
        - 0.125 * hbar**2 * (a[3] * b[5] - 2 * a[4] * b[4] + a[5] * b[3])
        - (1j / 48) * hbar**3 * (a[6] * b[9] - 3 * a[7] * b[8] + 3 * a[8] * b[7] - a[9] * b[6])
        + hbar**4 / 384 * (a[10] * b[14] - 4 * a[11] * b[13] + 6 * a[12] * b[12] - 4 * a[13] * b[11] + a[14] * b[10])
    )


def _lambdified_star(d: int, order: int, cse: bool) -> Callable[..., np.ndarray]:
    """lambdify of star(A, B) with every derivative replaced by its jet symbol."""
    A, B, rs, ps = _undefined_pair(d)
    layout = jet_multi_indices(d, order)
    a = sympy.symbols(f"a_0:{len(layout)}")
    b = sympy.symbols(f"b_0:{len(layout)}")
    replace = {}
    for i, index in enumerate(layout):
        counts = [(v, k) for v, k in zip(rs + ps, index, strict=False)]
        replace[sympy.diff(A, *counts)] = a[i]
        replace[sympy.diff(B, *counts)] = b[i]
    expression = sympy.expand(star(A, B, rs, ps, order)).xreplace(replace)
    function = sympy.lambdify(a + b, expression, "numpy", cse=cse)
    return lambda jet_a, jet_b: function(*jet_a, *jet_b)


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def derive_all_row(repeat: int) -> list[str]:
    def derive_all() -> None:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, "-m", "derive", "-q", "all", "--out", out], check=True)

    return [f"| `derive all` from scratch (fresh process) | {_fmt(median_seconds(derive_all, repeat))} | |"]


def appendix_row(repeat: int) -> list[str]:
    def appendix_pdf() -> None:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, "-m", "derive", "-q", "appendix", "--pdf", "--out", out], check=True)

    return [f"| `derive appendix --pdf`, all derivations (fresh process, pdflatex twice) | {_fmt(median_seconds(appendix_pdf, repeat))} | target < 30 s |"]


def derivation_rows(repeat: int) -> list[str]:
    return [
        f"| `derive run {name}` (build + verify + render, in process) | "
        f"{_fmt(median_seconds(lambda name=name: run(derivations.build(name)), repeat))} | |"
        for name in derivations.names()
    ]


def median_cpu_seconds(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median wall, median CPU seconds of this process): on a shared machine CPU time is the steadier one."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def polynomial_times_gaussian(d: int) -> tuple[sympy.Expr, sympy.Expr, tuple, tuple]:
    """The polynomial x exponential case of issue 15: (r . p)^4 and exp(-(r^2 + p^2)/2)."""
    rs, ps = sympy.symbols(f"r1:{d + 1}"), sympy.symbols(f"p1:{d + 1}")
    polynomial = sum(x * k for x, k in zip(rs, ps, strict=True)) ** 4
    return polynomial, sympy.exp(-sum(v**2 for v in rs + ps) / 2), rs, ps


def _moyalstar_row(repeat: int) -> list[str]:
    """moyalstar (Bopp shift, exact for polynomials) on (q . p)^2 times an undefined function, d = 3, next to ours.

    (q . p)^4 (degree 8) did not finish in 4 minutes of moyalstar on the shared machine, so the row uses degree 4.
    """
    try:
        from moyalstar import Star, p, q
        from moyalstar.core.scalars import hbar as moyalstar_hbar
    except ImportError:
        return ["| moyalstar: not installed (`pip install moyalstar==1.1.0`) | | |"]
    qs, ks = [q(i) for i in (1, 2, 3)], [p(i) for i in (1, 2, 3)]
    f = sympy.Function("f")(*qs, *ks)
    polynomial = sum(x * k for x, k in zip(qs, ks, strict=True)) ** 2
    ours = star(polynomial, f, qs, ks, 4, moyalstar_hbar, expand=True)
    if sympy.expand(Star(polynomial, f) - ours) != 0:
        raise AssertionError("moyalstar and star disagree on (q . p)^2 * f")
    theirs_wall, theirs_cpu = median_cpu_seconds(lambda: Star(polynomial, f), repeat)
    ours_wall, ours_cpu = median_cpu_seconds(lambda: star(polynomial, f, qs, ks, 4, moyalstar_hbar, expand=True), repeat)
    terms = len(sympy.Add.make_args(ours))
    return [
        f"| moyalstar 1.1.0 `Star`, (q.p)^2 x undefined, d = 3 (exact = order 4) | {_fmt(theirs_wall)} | CPU {_fmt(theirs_cpu)}; {terms} terms |",
        f"| `star(..., expand=True)`, (q.p)^2 x undefined, d = 3, order 4 | {_fmt(ours_wall)} | CPU {_fmt(ours_cpu)}; same result |",
    ]


def star_rows(repeat: int) -> list[str]:
    rows = []
    for d, orders in ((1, (2, 4, 6, 8)), (2, (2, 4, 6, 8)), (3, (2, 4, 6, 8, 10, 12))):
        for order in orders:
            A, B, rs, ps = _undefined_pair(d)
            terms = len(sympy.Add.make_args(star(A, B, rs, ps, order)))
            assert terms == math.comb(order + 2 * d, 2 * d)
            wall, cpu = median_cpu_seconds(partial(star, A, B, rs, ps, order), repeat)
            rows.append(f"| `star` of two undefined functions, d = {d}, order {order} | {_fmt(wall)} | CPU {_fmt(cpu)}; {terms} terms |")
            if d == 3 and order >= 8:
                # the sum of products of derivatives is already expanded; expand=True returns it as is
                wall, cpu = median_cpu_seconds(partial(star, A, B, rs, ps, order, expand=True), repeat)
                rows.append(f"| `star(..., expand=True)` of two undefined functions, d = 3, order {order} | {_fmt(wall)} | CPU {_fmt(cpu)} |")
    A, B, rs, ps = polynomial_times_gaussian(3)
    for expand in (False, True):
        # SymPy caches derivatives: without clearing, every run after the first would measure the cache
        wall, cpu = median_cpu_seconds(lambda expand=expand: (clear_cache(), star(A, B, rs, ps, 8, expand=expand)), repeat)
        terms = len(sympy.Add.make_args(star(A, B, rs, ps, 8, expand=expand)))
        label = "`star(..., expand=True)`" if expand else "`star`"
        rows.append(f"| {label}, (r.p)^4 x exp(-(r^2+p^2)/2), d = 3, order 8 | {_fmt(wall)} | CPU {_fmt(cpu)}; {terms} terms |")
    rows += _moyalstar_row(repeat)
    A, B, rs, ps = _undefined_pair(3)
    wall, cpu = median_cpu_seconds(lambda: naive_star(A, B, rs, ps, 8), 1)
    rows.append(f"| baseline: plain loop of `sympy.diff` per term, d = 3, order 8 (1 run) | {_fmt(wall)} | CPU {_fmt(cpu)}; 3003 terms |")
    return rows


def trln_rows(repeat: int) -> list[str]:
    """`trln_series` through order 6 (issue target: under 2 s on two symbols)."""
    from derive.engines.trln import trln_series

    A, B = sympy.MatrixSymbol("A", 4, 4), sympy.MatrixSymbol("B", 4, 4)
    a, b = sympy.symbols("a b", commutative=False)
    cases = {"two MatrixSymbols": (A, B), "two noncommutative symbols": (a, b), "sums (A + B, A - 2B)": (A + B, A - 2 * B)}
    rows = []
    for name, (G, V) in cases.items():
        traces = len(sympy.Add.make_args(trln_series(G, V, 6)))
        seconds = median_seconds(lambda G=G, V=V: trln_series(G, V, 6), repeat)
        rows.append(f"| `trln_series` order 6, {name} | {_fmt(seconds)} | {traces} canonical traces |")
    return rows


def numeric_rows(repeat: int, points: int) -> list[str]:
    from derive.generated import moyal as generated

    rng = np.random.default_rng(0)
    jet_a, jet_b = rng.standard_normal((2, 15, points))
    candidates = {
        "generated `star_d1_order4`": lambda: generated.star_d1_order4(jet_a, jet_b),
        "hand-written numpy": lambda: hand_written_star_d1_order4(jet_a, jet_b),
        "`sympy.lambdify` (default)": (lambda f: lambda: f(jet_a, jet_b))(_lambdified_star(1, 4, cse=False)),
        "`sympy.lambdify` (cse=True)": (lambda f: lambda: f(jet_a, jet_b))(_lambdified_star(1, 4, cse=True)),
    }
    reference = generated.star_d1_order4(jet_a, jet_b)
    for name, action in candidates.items():
        if not np.allclose(action(), reference, rtol=1e-12, atol=1e-12):
            raise AssertionError(f"benchmark candidate {name} disagrees with the generated function")
    timings = {name: median_seconds(action, repeat) for name, action in candidates.items()}
    ours = timings["generated `star_d1_order4`"]
    return [
        f"| {name}, d = 1 order 4, {points:.0e} points | {seconds / points * 1e9:.2f} ns/element | "
        f"{seconds / ours:.2f}x the generated time |"
        for name, seconds in timings.items()
    ]


def claim_cost_rows(record: bool = False, top: int = 10) -> list[str]:
    """CPU seconds of each derivation's build and of every claim, checked one by one in this process.

    With ``record`` the claims' seconds are written to ``derive/claim_costs.json``, from which
    ``run_many`` queues the most expensive claims first.
    """
    table: dict[str, dict[str, float]] = {}
    claims_rows, rows = [], []
    for name in derivations.names():
        start = time.process_time()
        derivation = derivations.build(name)
        build = time.process_time() - start
        costs = table[name] = {}
        for step in derivation.steps:
            for claim in step.claims:
                start = time.process_time()
                verdict = claim.check()
                seconds = time.process_time() - start
                if not verdict.holds:
                    raise AssertionError(f"{name}/{step.id}: {claim.statement!r} does not hold: {verdict.residual}")
                costs[claim_key(step.id, claim.statement)] = seconds
                claims_rows.append((seconds, name, step.id, claim))
        rows.append(f"| {name}: build, then {len(costs)} claims checked in one process (CPU) | "
                    f"{_fmt(build)} + {_fmt(sum(costs.values()))} | |")
        costs[BUILD_KEY] = build
    for seconds, name, step, claim in sorted(claims_rows, key=lambda row: -row[0])[:top]:
        rows.append(f"| claim {name}/{step}: {claim.statement[:70]} | {_fmt(seconds)} | {claim.method[:60]} |")
    if record:
        record_costs(table)
    return rows


def run_benchmarks(repeat: int = 5, points: int = 10**6, progress: Callable[[str], None] = print) -> str:
    """The whole table as markdown."""
    rows = ["| what | median time | notes |", "| --- | --- | --- |"]
    for title, make in (
        ("derive all", lambda: derive_all_row(min(repeat, 3))),
        ("derivations", lambda: derivation_rows(min(repeat, 3))),
        ("derive appendix", lambda: appendix_row(min(repeat, 3))),
        ("claims", claim_cost_rows),
        ("star", lambda: star_rows(repeat)),
        ("trln", lambda: trln_rows(repeat)),
        ("generated numpy", lambda: numeric_rows(repeat, points)),
    ):
        progress(f"derive bench: {title}")
        rows += make()
    return "\n".join(rows)
