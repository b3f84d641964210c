"""Printer corner cases (exact strings, as SymPy and pystencils test theirs)."""
from __future__ import annotations

import pytest
import sympy

from derive.emit.latex.printer import escape_text, latex
from derive.emit.numpy.printer import NumpyCodePrinter, UnsupportedNode
from derive.engines.moyal import StarProduct


def test_noncommutative_products_print_as_matmul() -> None:
    a, b = sympy.symbols("a b", commutative=False)
    x = sympy.Symbol("x")
    assert NumpyCodePrinter().doprint(3 * x * a * b) == "3*x*(a @ b)"


def test_matrix_products_print_as_matmul() -> None:
    M, N = sympy.MatrixSymbol("M", 2, 2), sympy.MatrixSymbol("N", 2, 2)
    assert NumpyCodePrinter().doprint(M * N) == "(M @ N)"


def test_imaginary_unit_and_rationals() -> None:
    x = sympy.Symbol("x")
    assert NumpyCodePrinter().doprint(sympy.I * x / 2) == "(1/2)*1j*x"


def test_unknown_nodes_are_errors_not_half_printed_code() -> None:
    with pytest.raises(UnsupportedNode, match="NumpyCodePrinter has no rule for"):
        NumpyCodePrinter().doprint(sympy.Function("mystery")(sympy.Symbol("x")))
    with pytest.raises(UnsupportedNode, match="StarProduct"):
        NumpyCodePrinter().doprint(StarProduct(sympy.Symbol("a"), sympy.Symbol("b")))


def test_star_products_nest_with_parentheses() -> None:
    A, B, C = sympy.symbols("A B C", commutative=False)
    assert latex(StarProduct(StarProduct(A, B), C)) == r"\left(A \star B\right) \star C"
    assert latex(StarProduct(A, B)) == r"A \star B"
    x = sympy.Symbol("x")
    assert latex(StarProduct(x * A, B)) == r"\left(x A\right) \star B"


def test_imaginary_unit_is_i_in_latex() -> None:
    assert latex(sympy.I * sympy.Symbol("x")) == "i x"


def test_prose_is_escaped_for_latex() -> None:
    assert escape_text("r_i*p_j ~ 50% & {x}^2 <-") == r"r\_i*p\_j \~{} 50\% \& \{x\}\^{}2 \textless{}-"
