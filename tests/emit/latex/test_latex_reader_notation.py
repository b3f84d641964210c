"""The notation claims state beyond the step displays: limits, averages, sums over several indices, and
SymPy's special symbols, each printed and read back as the object it came from (never a Symbol whose
name spells it), with a swapped noncommutative order failing the comparison."""
from __future__ import annotations

import math

import pytest
import sympy
import sympy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.physics.quantum import AntiCommutator, Commutator, Dagger

from derive.emit.latex.printer import display_lines
from derive.emit.latex.roundtrip import comparison, hidden_structure, read_back
from derive.engines.expression_nodes import Average, PoissonBracket
from derive.engines.supermatrix import Str
from derive.engines.trln import Tr
from derive.latex import latex, parse

x, a = sympy.symbols("x a", positive=True)
n, m, i, j = sympy.symbols("n m i j", integer=True, nonnegative=True)
W, Lam, P = sympy.symbols(r"W \Lambda P_{j}", commutative=False)
M = sympy.MatrixSymbol("M", 3, 3)
phi = sympy.stats.Uniform(r"\varphi", 0, 2 * sympy.pi)

CASES = [
    sympy.Limit(a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a)), a, sympy.oo),
    sympy.Limit(sympy.sin(x) / x, x, 0),
    sympy.Limit(1 / x, x, 0, "-"),
    sympy.Limit(x * sympy.log(x), x, 0, "+-"),
    sympy.Eq(sympy.Limit(sympy.harmonic(n) - sympy.log(n), n, sympy.oo), sympy.EulerGamma, evaluate=False),
    sympy.Sum(x ** i / sympy.factorial(j), (i, 0, n), (j, 1, m)),
    sympy.Product(i + j, (i, 1, n), (j, 1, m)),
    Average(sympy.Abs(x) ** 2, x),
    Average(Tr(P, Lam, W, W)) ** 2,
    Average(Average(W * x, x) * P, i),
    Average(sympy.cos(phi) ** 2, phi),
    2 * sympy.pi * Average(Str(Lam, P)) - Average(Str(P, Lam), x),
    sympy.KroneckerDelta(i, j) / 3,
    sympy.binomial(n + m, m) - 3003,
    sympy.Determinant(M) - 1,
    sympy.conjugate(x) * Dagger(W) * W,
    sympy.Max(x, a) + sympy.Min(x, 1),
    sympy.atan(x) + sympy.erf(x) + sympy.gamma(x + 1) ** 2,
    sympy.Eq(AntiCommutator(Lam, W), 0, evaluate=False),
    x * Commutator(P + W, Lam * W) ** 2 + Commutator(P, Lam) * W,
    sympy.Eq(PoissonBracket(sympy.Function("H")(x, a), sympy.Function("T", commutative=False)(x, a)) ** 2, 0, evaluate=False),
]


@pytest.mark.parametrize("expr", CASES, ids=[sympy.sstr(c)[:40] for c in CASES])
def test_notation_reads_back_as_its_object(expr: sympy.Basic) -> None:
    text = latex(expr)
    back = parse(text, [expr])
    assert back == expr, f"{text!r} read back as {sympy.srepr(back)}"
    assert not hidden_structure(expr)
    assert read_back("case", expr).how == "structurally"


def test_a_commutator_keeps_its_order() -> None:
    assert comparison(parse(latex(Commutator(W, P)), [W, P]), Commutator(P, W)) is None
    assert sympy.expand(parse(latex(Commutator(W, P)), [W, P]).doit()) == W * P - P * W


def test_limit_directions_are_printed_and_kept() -> None:
    texts = {direction: latex(sympy.Limit(1 / x, x, 0, direction)) for direction in ("+", "-", "+-")}
    assert r"0^+" in texts["+"] and r"0^-" in texts["-"] and "^" not in texts["+-"]
    assert len({parse(text, [x]).args[3] for text in texts.values()}) == 3


def test_an_average_is_a_node_not_a_name_and_keeps_operator_order() -> None:
    expr = Average(W * Lam * P, x)
    assert latex(expr) == r"\left\langle W \Lambda P_{j} \right\rangle_{x}"
    swapped = parse(latex(Average(Lam * W * P, x)), [expr])
    assert isinstance(swapped, Average) and comparison(swapped, expr) is None
    assert not expr.is_commutative and Average(Tr(W, P)).is_commutative
    assert expr.free_symbols == {W, Lam, P}    # x is averaged over: bound


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([W, Lam, P]), min_size=2, max_size=4).filter(lambda w: len(set(w)) > 1))
def test_a_swapped_word_inside_an_average_fails(word: list) -> None:
    original = Average(sympy.Mul(*word) * x, x)
    changed = Average(sympy.Mul(*reversed(word)) * x, x)
    if sympy.expand(original.expr - changed.expr) == 0:
        return
    assert comparison(parse(latex(changed), [changed]), original) is None


def test_a_defined_average_evaluates_and_agrees_with_quadrature() -> None:
    # <cos^2 phi> over the uniform angle is 1/2 exactly (sympy.stats); the midpoint mean over N angles
    # converges to it with the spectral accuracy of a periodic integrand, and <phi^2> (not periodic) at
    # rate 1/N^2: the printed node and the number are one object.
    assert Average(sympy.cos(phi) ** 2, phi).doit() == sympy.Rational(1, 2)
    exact = Average(sympy.Symbol(r"\varphi") ** 0 * phi ** 2, phi).doit()
    assert sympy.simplify(exact - 4 * sympy.pi ** 2 / 3) == 0
    errors = []
    for count in (8, 16, 32, 64):
        angles = [2 * math.pi * (k + 0.5) / count for k in range(count)]
        errors.append(abs(sum(t ** 2 for t in angles) / count - float(exact)))
    slopes = [math.log(errors[k] / errors[k + 1], 2) for k in range(3)]
    assert all(abs(slope - 2) < 0.05 for slope in slopes), slopes
    assert Average(x ** 2, x).doit() == Average(x ** 2, x)          # no distribution: stays a statement
    assert not Average(x ** 2, x).is_defined and Average(phi, phi).is_defined


def test_average_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="over must be"):
        Average(x, x + 1)
    with pytest.raises(ValueError, match="twice"):
        Average(x, x, x)


def test_long_claims_with_new_notation_read_back_over_align_lines() -> None:
    total = sum(Average(sympy.Abs(x) ** k, x) * a ** k / sympy.factorial(k) for k in range(1, 9))
    expr = sympy.Eq(sympy.Limit(total / a, a, 0), Average(sympy.Abs(x), x), evaluate=False)
    lines = display_lines(expr)
    assert parse("\n".join(lines), [expr]) == expr


@pytest.mark.parametrize(("text", "position", "token"), [
    (r"\lim_{x \to } x", 12, r'"}"'),
    (r"\left\langle x \right\rangle_{x + }", 34, r'"}"'),
    (r"\sum_{\substack{0 \leq i}} x", 24, r'"}"'),
])
def test_unreadable_notation_names_the_position_and_the_token(text: str, position: int, token: str) -> None:
    with pytest.raises(ValueError, match=f"at position {position}: unexpected {token}"):
        parse(text)


def test_a_poisson_bracket_is_not_an_anticommutator_and_keeps_its_order() -> None:
    """{A, B}_PB reads back as PoissonBracket, {A, B} as AntiCommutator; swapping A and B fails the comparison,
    and doit writes the bracket out in the phase space of the functions inside (positions first)."""
    r, p = sympy.symbols("r p")
    A, B = sympy.Function("A", commutative=False)(r, p), sympy.Function("B", commutative=False)(r, p)
    bracket = PoissonBracket(A, B)
    assert isinstance(parse(latex(bracket), [bracket]), PoissonBracket)
    assert isinstance(parse(latex(AntiCommutator(A, B)), [bracket]), AntiCommutator)
    assert comparison(parse(latex(PoissonBracket(B, A)), [bracket]), bracket) is None
    written_out = sympy.diff(A, r) * sympy.diff(B, p) - sympy.diff(A, p) * sympy.diff(B, r)
    assert sympy.expand(bracket.doit() - written_out) == 0 and sympy.expand(bracket.doit() + PoissonBracket(B, A).doit()) != 0
    with pytest.raises(ValueError, match="one phase space"):
        PoissonBracket(A, sympy.Function("C")(p, r)).doit()
