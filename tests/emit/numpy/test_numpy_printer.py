"""Array printer corner cases (exact strings, as SymPy and pystencils test theirs)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from derive.emit.numpy.printer import NumpyCodePrinter, UnsupportedNode
from derive.engines.moyal import StarProduct
from derive.engines.phases import DiagonalPhase
from derive.engines.trace_expressions import DiagonalMatrix
from derive.numeric_support import code_globals


def test_noncommutative_products_print_as_matmul_with_per_point_coefficients() -> None:
    a, b = sympy.symbols("a b", commutative=False)
    x = sympy.Symbol("x")
    assert NumpyCodePrinter().doprint(3 * x * a * b) == "3*lift(x, 2)*(a @ b)"
    assert NumpyCodePrinter().doprint(3 * a * b) == "3*(a @ b)"


def test_matrix_products_print_as_matmul() -> None:
    M, N = sympy.MatrixSymbol("M", 2, 2), sympy.MatrixSymbol("N", 2, 2)
    assert NumpyCodePrinter().doprint(M * N) == "(M @ N)"
    assert NumpyCodePrinter().doprint(M**3) == "(M @ M @ M)"


def test_imaginary_unit_rationals_and_functions_on_the_namespace() -> None:
    x = sympy.Symbol("x")
    assert NumpyCodePrinter().doprint(sympy.I * x / 2) == "(1/2)*1j*x"
    # terms in SymPy's argument order (the printer does not re-sort them)
    assert NumpyCodePrinter().doprint(sympy.asin(x) + sympy.pi) == "xp.pi + xp.asin(x)"


def test_unknown_nodes_are_errors_not_half_printed_code() -> None:
    with pytest.raises(UnsupportedNode, match="NumpyCodePrinter has no rule for"):
        NumpyCodePrinter().doprint(sympy.Function("mystery")(sympy.Symbol("x")))
    with pytest.raises(UnsupportedNode, match="StarProduct"):
        NumpyCodePrinter().doprint(StarProduct(sympy.Symbol("a"), sympy.Symbol("b")))
    with pytest.raises(UnsupportedNode, match="not in the Array API standard"):
        NumpyCodePrinter().doprint(sympy.Max(sympy.Symbol("x"), sympy.Symbol("y"), evaluate=False) + sympy.erf(sympy.Symbol("x")))


def test_project_nodes_print_through_printer_methods_and_evaluate() -> None:
    n = sympy.Symbol("n", integer=True, positive=True)
    v, Q = sympy.MatrixSymbol("v", n, 1), sympy.MatrixSymbol("Q", n, n)
    printer = NumpyCodePrinter()
    code = printer.doprint(sympy.Trace(sympy.MatMul(DiagonalMatrix(v), Q, DiagonalPhase(v, -1))))
    assert "DiagonalMatrix" not in code and printer.helpers == {"diagonal_matrix", "einsum"}
    rng = np.random.default_rng(3)
    vn, Qn = rng.normal(size=(4, 3)), rng.normal(size=(4, 3, 3))
    value = eval(code, code_globals(), {"v": vn, "Q": Qn})
    direct = np.einsum("pa,paa,pa->p", vn, Qn, np.exp(-1j * vn))
    np.testing.assert_allclose(value, direct, rtol=1e-13)


def test_matrices_from_entries_broadcast() -> None:
    a = sympy.Symbol("a")
    code = NumpyCodePrinter().doprint(sympy.ImmutableMatrix([[a, 0], [0, 2 * a]]))
    value = eval(code, code_globals(), {"a": np.arange(3.0)})
    assert value.shape == (3, 2, 2)
    np.testing.assert_array_equal(value[2], [[2.0, 0.0], [0.0, 4.0]])
