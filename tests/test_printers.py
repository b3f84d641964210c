"""LaTeX printer corner cases (exact strings); the numpy ones are tests/emit/numpy/test_numpy_printer.py."""
from __future__ import annotations

import sympy

from derive.emit.latex.printer import escape_text, latex
from derive.engines.moyal import StarProduct


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
