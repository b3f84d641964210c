"""LaTeX printer corner cases (exact strings): each project node through its _print_<Class> rule, strictness, series order."""
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


def test_every_project_node_prints_through_its_own_printer_method() -> None:
    from derive.emit.latex.printer import LatexPrinter
    from derive.engines.codegen_nodes import ComplexFromParts
    from derive.engines.fermi_surface import AlongDirection, PositionDerivative, SphereGradient
    from derive.engines.phases import DiagonalPhase
    from derive.engines.supermatrix import Str
    from derive.engines.trace_expressions import DiagonalMatrix
    from derive.engines.trln import Tr

    Q, L = sympy.symbols("Q Lambda", commutative=False)
    chi = sympy.MatrixSymbol("chi", 3, 1)
    t, i = sympy.Symbol("t"), sympy.Symbol("i", integer=True)
    x, y = sympy.symbols("x y")
    cases = {
        Tr(Q, L + Q): r"\operatorname{Tr}\left[Q \left(\Lambda + Q\right)\right]",
        Str(Q, -L): r"\operatorname{Str}\left[Q \left(- \Lambda\right)\right]",
        DiagonalPhase(chi, -1): r"e^{-i\hat{\chi}}",
        DiagonalMatrix(chi): r"\hat{\chi}",
        ComplexFromParts(x, y): r"x + i \left(y\right)",
        PositionDerivative(t, i): r"\partial_{i} t",
        SphereGradient(t + x, i): r"\nabla^{\perp}_{i} \left(t + x\right)",
        AlongDirection(t): r"\left[(\mathbf{n}\cdot\partial) t\right]",
    }
    for node, text in cases.items():
        assert latex(node) == text
        assert hasattr(LatexPrinter, f"_print_{type(node).__name__}")
        assert not hasattr(type(node), "_latex"), f"{type(node).__name__} carries its own _latex"
    assert latex(Tr(Q, L) ** 2) == r"\operatorname{Tr}\left[Q \Lambda\right]^{2}"


def test_a_project_function_without_a_rule_is_an_error() -> None:
    import pytest

    Unprinted = type("Unprinted", (sympy.Function,), {"__module__": "derive.engines.example"})
    with pytest.raises(TypeError, match="no rule for Unprinted"):
        latex(Unprinted(sympy.Symbol("x")))


def test_a_truncated_series_prints_in_ascending_powers() -> None:
    hbar, x = sympy.symbols("hbar x")
    assert latex(hbar ** 2 * x + 1 + hbar + sympy.O(hbar ** 3)) == r"1 + \hbar + \hbar^{2} x + O\left(\hbar^{3}\right)"


def test_constant_denominators_and_short_sums_in_long_products() -> None:
    """1/(2π) in front of a long product of integrals, a short fraction kept whole, and a short sum such as
    (N + 1) never cut over two display lines."""
    from derive.emit.latex.printer import display_lines

    x, phi, N, a, g = sympy.symbols("x phi N a g_T", positive=True)
    radial = sympy.Integral(x**N * sympy.exp(-x), (x, 0, sympy.oo))
    circle = sympy.Integral(sympy.exp(-sympy.I * phi * (N + 1) + sympy.exp(sympy.I * phi)), (phi, 0, 2 * sympy.pi))
    long_product = (N + 1) * radial * circle / (2 * sympy.pi)
    assert latex(long_product).startswith(r"\frac{1}{2 \pi}")
    assert latex(a**2 * g / (4 * sympy.pi)) == r"\frac{a^{2} g_{T}}{4 \pi}"
    lines = display_lines(sympy.Eq(long_product, (a / g) ** (N + 1), evaluate=False))
    assert all(r"\biggl(N" not in line and not line.strip().endswith("(N") for line in lines)


def test_a_matrix_is_as_wide_as_its_widest_row_not_all_its_entries() -> None:
    """A 2 x 2 matrix typesets its rows one above the other: its width is the column widths side by side, so a
    determinant that fits a column of a two-column paper does not get a page-wide (widetext) display."""
    from derive.emit.latex.printer import DISPLAY_WIDTH, display_lines, visible_width, wider_than_a_column

    a, b, c, n1, n2, n3 = sympy.symbols("a b c n_1 n_2 n_3")
    row = visible_width(latex(sympy.Matrix([[1 + a * n3, a * (n1 - sympy.I * n2)]])))
    square = sympy.ImmutableMatrix([[1 + a * n3, a * (n1 - sympy.I * n2)], [a * (n1 + sympy.I * n2), 1 - a * n3]])
    assert visible_width(latex(square)) < 1.2 * row
    statement = sympy.Eq(sympy.Determinant(square), 1 - a**2 * (n1**2 + n2**2 + n3**2), evaluate=False)
    assert not wider_than_a_column(display_lines(statement))
    # a row of entries wider than a column still is
    wide = sympy.ImmutableMatrix([[sum(sympy.symbols("x_1:9")), sum(sympy.symbols("y_1:9"))], [b, c]])
    assert visible_width(latex(wide)) > DISPLAY_WIDTH
    # braces and a \substack's row break inside an entry do not split it
    from derive.emit.latex.printer import _split_top_level

    assert _split_top_level(r"a & \sum_{\substack{x \\ y}} & c \\ d & e", r"\\") == [r"a & \sum_{\substack{x \\ y}} & c ", " d & e"]
