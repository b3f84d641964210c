"""The Tr ln engine against log det(1 + G V) computed by numpy/scipy, and its canonical cyclic form."""
import time

import numpy as np
import pytest
import scipy.linalg
import sympy
from sympy import BlockMatrix, MatrixSymbol, Trace, ZeroMatrix

from derive.engines.trln import (
    GrainStructure,
    Tr,
    canonical_rotation,
    canonical_trace,
    grain_first_order_residual,
    grain_second_order_residual,
    trln_order,
    trln_series,
)

SIZE = 4
A, B, C = (MatrixSymbol(name, SIZE, SIZE) for name in "ABC")
a, b, c = sympy.symbols("a b c", commutative=False)


def random_complex(rng, size=SIZE, scale=1.0):
    matrix = rng.normal(size=(size, size)) + 1j * rng.normal(size=(size, size))
    return scale * matrix / np.linalg.norm(matrix, 2)


def evaluate(expr, values):
    """Numeric value of a sum of coefficient * Trace(product) with numpy arrays for the symbols."""
    total = 0j
    for summand in sympy.Add.make_args(expr):
        coeff, trace = complex(1), None
        for factor in sympy.Mul.make_args(summand):
            if isinstance(factor, (Trace, Tr)):
                trace = factor
            else:
                coeff *= complex(factor)
        word = trace.args if isinstance(trace, Tr) else (trace.arg.args if isinstance(trace.arg, sympy.MatMul) else (trace.arg,))
        product = np.eye(next(iter(values.values())).shape[0], dtype=complex)
        for factor in word:
            product = product @ values[factor]
        total += coeff * np.trace(product)
    return total


def logdet(G, V):
    return np.trace(scipy.linalg.logm(np.eye(G.shape[0]) + G @ V))


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5, 6])
def test_series_approaches_logdet_for_small_coupling(order):
    rng = np.random.default_rng(order)
    G, V = random_complex(rng), random_complex(rng, scale=0.2)
    series = evaluate(trln_series(A, B, order), {A: G, B: V})
    assert abs(series - logdet(G, V)) < 3 * 0.2 ** (order + 1) * SIZE


@pytest.mark.parametrize("order", [2, 3, 4])
def test_remainder_scales_as_epsilon_to_order_plus_one(order):
    rng = np.random.default_rng(10 + order)
    G, V = random_complex(rng), random_complex(rng)
    expr = trln_series(A, B, order)
    epsilons = np.geomspace(0.03, 0.3, 7)
    remainders = [abs(evaluate(expr, {A: G, B: eps * V}) - logdet(G, eps * V)) for eps in epsilons]
    slope = np.polyfit(np.log10(epsilons), np.log10(remainders), 1)[0]
    assert slope == pytest.approx(order + 1, abs=0.1)


def test_sums_of_symbols_expand_linearly():
    rng = np.random.default_rng(3)
    values = {A: random_complex(rng), B: random_complex(rng), C: random_complex(rng)}
    G, V = A + 2 * B, C - sympy.I * A
    expr = trln_series(G, V, 4)
    Gn, Vn = values[A] + 2 * values[B], values[C] - 1j * values[A]
    direct = sum((-1) ** (n + 1) / n * np.trace(np.linalg.matrix_power(Gn @ Vn, n)) for n in range(1, 5))
    assert evaluate(expr, values) == pytest.approx(direct, rel=1e-12)


def test_substitution_and_doit_gives_the_number():
    rng = np.random.default_rng(4)
    Gn, Vn = (np.round(random_complex(rng, 2) * 10) / 10 for _ in range(2))
    G2, V2 = MatrixSymbol("G", 2, 2), MatrixSymbol("V", 2, 2)
    expr = trln_series(G2, V2, 3)
    value = complex(expr.subs({G2: sympy.ImmutableMatrix(Gn), V2: sympy.ImmutableMatrix(Vn)}).doit())
    direct = sum((-1) ** (n + 1) / n * np.trace(np.linalg.matrix_power(Gn @ Vn, n)) for n in range(1, 4))
    assert value == pytest.approx(direct, rel=1e-12)


def test_noncommutative_symbols_substitute_and_evaluate():
    rng = np.random.default_rng(5)
    Gn, Vn = (sympy.ImmutableMatrix(np.round(random_complex(rng, 2) * 10) / 10) for _ in range(2))
    expr = trln_series(a, b, 3)
    value = complex(expr.subs({a: Gn, b: Vn}).doit())
    direct = sum((-1) ** (n + 1) / n * complex(((Gn * Vn) ** n).trace()) for n in range(1, 4))
    assert value == pytest.approx(direct, rel=1e-12)


def test_block_matrices_against_full_logdet():
    rng = np.random.default_rng(6)
    n = 3
    G1, G2, t12, t21 = (MatrixSymbol(name, n, n) for name in ("G1", "G2", "t12", "t21"))
    G = BlockMatrix([[G1, ZeroMatrix(n, n)], [ZeroMatrix(n, n), G2]])
    V = BlockMatrix([[ZeroMatrix(n, n), -t12], [-t21, ZeroMatrix(n, n)]])
    values = {s: random_complex(rng, n, 0.5) for s in (G1, G2, t12, t21)}
    full_G = scipy.linalg.block_diag(values[G1], values[G2])
    full_V = np.block([[np.zeros((n, n)), -values[t12]], [-values[t21], np.zeros((n, n))]])
    errors = [abs(evaluate(trln_series(G, V, order), values) - logdet(full_G, full_V)) for order in (2, 4, 6)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 1e-4


def test_grain_structure_first_order_vanishes_second_is_pair_sum():
    grains = GrainStructure(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
    assert grain_first_order_residual(grains) == 0
    assert grain_second_order_residual(grains) == 0
    second = trln_order(grains.G, grains.V, 2)
    assert canonical_trace(second + grains.contact_sum()) == 0


def test_cyclic_rotations_combine():
    assert canonical_trace(Trace(A * B * C) - Trace(B * C * A)) == 0
    assert canonical_trace(Trace(A * B * C) + Trace(C * A * B) + Trace(B * C * A)) == 3 * Trace(A * B * C)
    assert canonical_trace(Tr(a, b, c) - Tr(c, a, b)) == 0
    assert canonical_rotation((B, C, A)) == canonical_rotation((C, A, B)) == (A, B, C)


def test_non_cyclic_permutations_stay_distinct():
    assert canonical_trace(Trace(A * B * C) - Trace(A * C * B)) != 0
    assert canonical_trace(Trace(A * A * B * B) - Trace(A * B * A * B)) != 0
    assert canonical_trace(Tr(a, b, c) - Tr(b, a, c)) != 0


def test_canonical_form_is_independent_of_the_written_rotation():
    rotations = [Trace(A * B * A * C), Trace(B * A * C * A), Trace(A * C * A * B), Trace(C * A * B * A)]
    forms = {sympy.srepr(canonical_trace(t)) for t in rotations}
    assert len(forms) == 1


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="order"):
        trln_series(A, B, 0)
    with pytest.raises(TypeError):
        trln_series(sympy.Symbol("x"), B, 2)
    with pytest.raises(ValueError, match="block"):
        trln_series(BlockMatrix([[A]]), B, 2)


def test_order_six_on_two_symbols_is_fast():
    start = time.perf_counter()
    trln_series(A, B, 6)
    trln_series(a, b, 6)
    assert time.perf_counter() - start < 2.0


# --- numpy printing of traces (derive/emit/trace_numpy.py through NumpyCodePrinter) -------------------

from sympy.matrices.expressions.diagonal import DiagonalOf  # noqa: E402

from derive.emit.numpy.printer import NumpyCodePrinter  # noqa: E402
from derive.engines.phases import DiagonalPhase, phase_gradient  # noqa: E402
from derive.numeric_support import code_globals  # noqa: E402

n_sym = sympy.Symbol("n", integer=True, positive=True)
P, R = MatrixSymbol("P", n_sym, n_sym), MatrixSymbol("R", n_sym, n_sym)
chi = MatrixSymbol("chi", n_sym, 1)


def run_printed(expr, **arrays):
    code = NumpyCodePrinter().doprint(expr)
    return eval(code, code_globals(), arrays)


def stacked(rng, *shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def test_printed_trace_of_products_broadcasts_over_leading_axes():
    rng = np.random.default_rng(20)
    Pn, Rn = stacked(rng, 2, 1, 3, 3), stacked(rng, 4, 3, 3)
    expr = trln_series(P, R, 4)
    direct = sum((-1) ** (k + 1) / k * np.trace(np.linalg.matrix_power(Pn @ Rn, k), axis1=-2, axis2=-1) for k in range(1, 5))
    value = run_printed(expr, P=Pn, R=Rn)
    assert value.shape == (2, 4)
    np.testing.assert_allclose(value, direct, rtol=1e-12)


def test_printed_noncommutative_trace():
    rng = np.random.default_rng(21)
    an, bn = stacked(rng, 3, 3), stacked(rng, 3, 3)
    value = run_printed(trln_series(a, b, 3), a=an, b=bn)
    direct = sum((-1) ** (k + 1) / k * np.trace(np.linalg.matrix_power(an @ bn, k)) for k in range(1, 4))
    assert value == pytest.approx(direct, rel=1e-12)


def test_printed_phase_trace_against_expm():
    rng = np.random.default_rng(22)
    Pn, Rn, chin = stacked(rng, 5, 4, 4), stacked(rng, 5, 4, 4), rng.normal(size=(5, 4))
    expr = sympy.Trace(sympy.MatMul(DiagonalPhase(chi), P, DiagonalPhase(chi, -1), R))
    phases = [scipy.linalg.expm(1j * np.diag(c)) for c in chin]
    direct = [np.trace(U @ p @ U.conj().T @ r) for U, p, r in zip(phases, Pn, Rn, strict=True)]
    np.testing.assert_allclose(run_printed(expr, P=Pn, R=Rn, chi=chin), direct, rtol=1e-12)
    standalone = run_printed(DiagonalPhase(chi, -1), chi=chin)
    np.testing.assert_allclose(standalone, [U.conj().T for U in phases], atol=1e-13)


def test_printed_phase_gradient_against_finite_differences():
    rng = np.random.default_rng(23)
    Pn, Rn, chin = stacked(rng, 4, 4), stacked(rng, 4, 4), rng.normal(size=4)
    expr = sympy.Trace(sympy.MatMul(DiagonalPhase(chi), P, DiagonalPhase(chi, -1), R, DiagonalPhase(chi), P))
    gradient = run_printed(phase_gradient(expr, chi), P=Pn, R=Rn, chi=chin)
    errors = []
    for h in (1e-2, 1e-3):
        numeric = []
        for c in range(4):
            shift = np.zeros(4)
            shift[c] = h
            numeric.append((run_printed(expr, P=Pn, R=Rn, chi=chin + shift) - run_printed(expr, P=Pn, R=Rn, chi=chin - shift)) / (2 * h))
        errors.append(np.max(np.abs(np.array(numeric) - gradient)))
    assert errors[1] < 1e-5 * np.max(np.abs(gradient)) and np.log10(errors[0] / errors[1]) == pytest.approx(2, abs=0.2)


def test_printed_diagonal_of_product():
    rng = np.random.default_rng(24)
    Pn, Rn = stacked(rng, 2, 3, 3), stacked(rng, 2, 3, 3)
    value = run_printed(DiagonalOf(sympy.MatMul(P, R)), P=Pn, R=Rn)
    np.testing.assert_allclose(value, np.diagonal(Pn @ Rn, axis1=-2, axis2=-1), rtol=1e-12)


def test_canonical_output_is_identical_across_hash_seeds():
    import subprocess
    import sys

    program = (
        "import sympy; from derive.engines.trln import trln_series, GrainStructure, trln_order;"
        "A, B, C = (sympy.MatrixSymbol(s, 3, 3) for s in 'ABC');"
        "g = GrainStructure(3, [(0, 1), (1, 2), (2, 0)]);"
        "print(sympy.srepr(trln_series(A + C, B - A, 4))); print(sympy.srepr(trln_order(g.G, g.V, 3)))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                       env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "12345")
    }
    assert len(outputs) == 1
