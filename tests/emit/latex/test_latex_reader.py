"""derive.latex.parse is the printer's inverse: parse(latex(x)) == x for objects drawn from each node kind.

The objects are drawn by hypothesis from the node kinds the sections print (traces and supertraces of
noncommutative words, star products, derivatives, undefined functions, O(·), sums, integrals, special
functions, matrices, relations); a swapped noncommutative order must not compare equal, and text the
reader cannot read is a ValueError naming the position and the token.
"""
from __future__ import annotations

import re

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.physics.quantum import Commutator

from derive.emit.latex.printer import display_lines
from derive.emit.latex.roundtrip import comparison
from derive.engines.expression_nodes import Average
from derive.engines.fermi_surface import AlongDirection, PositionDerivative, SphereGradient
from derive.engines.moyal import StarProduct
from derive.engines.phases import DiagonalPhase
from derive.engines.supermatrix import Str
from derive.engines.trace_expressions import DiagonalMatrix
from derive.engines.trln import Tr
from derive.latex import latex, parse

x, y = sympy.symbols("x y", positive=True)
hbar = sympy.Symbol("hbar", positive=True)
tau = sympy.Symbol("tau_{tr}", positive=True)
k = sympy.Symbol("k", integer=True, positive=True)
d = sympy.Symbol("d", integer=True, positive=True)
r, p = sympy.symbols("r p", real=True)
Q, Lam, P = sympy.symbols(r"Q \Lambda P_{j}", commutative=False)
Vbar = sympy.Symbol(r"\bar{V}", commutative=False)
chi = sympy.MatrixSymbol("chi", 3, 1)
A, f = sympy.Function("A"), sympy.Function("f")
SCALARS = [x, y, hbar, tau, sympy.Integer(2), sympy.Rational(1, 3), sympy.pi]
OPERATORS = [Q, Lam, P, Vbar]


def scalars() -> st.SearchStrategy:
    leaves = st.sampled_from(SCALARS)
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda ab: ab[0] + ab[1]),
        st.tuples(inner, inner).map(lambda ab: ab[0] * ab[1]),
        st.tuples(inner, st.integers(-3, 3).filter(bool)).map(lambda be: be[0] ** be[1]),
        inner.map(sympy.sqrt), inner.map(sympy.sin), inner.map(sympy.log), inner.map(sympy.exp),
        inner.map(sympy.coth), inner.map(sympy.sign), inner.map(lambda e: sympy.Abs(e - 1)),
    ), max_leaves=6).filter(lambda e: not e.has(sympy.zoo, sympy.nan, sympy.oo))


def words() -> st.SearchStrategy:
    return st.lists(st.sampled_from(OPERATORS), min_size=1, max_size=4)


def node() -> st.SearchStrategy:
    """One object of each node kind the sections print, with random contents."""
    return st.one_of(
        st.tuples(scalars(), words()).map(lambda cw: cw[0] * Tr(*cw[1])),
        words().map(lambda w: Str(*w)),
        # a sum inside a word: Tr[a (b + c)], distinct operators so that the sum stays a sum
        st.tuples(words(), st.sets(st.sampled_from(OPERATORS), min_size=2)).map(lambda ab: Tr(ab[0][0], sympy.Add(*ab[1]))),
        st.tuples(st.sampled_from([A(r, p), f(r, p), r, p ** 2]), st.sampled_from([A(r, p), f(r, p), p, r ** 2])).map(
            lambda ab: StarProduct(*ab)),
        st.tuples(st.sampled_from([A(r, p), f(r, p)]), st.integers(1, 3), st.integers(0, 2)).map(
            lambda fa: sympy.Derivative(fa[0], (r, fa[1]), *([(p, fa[2])] if fa[2] else []))),
        scalars().map(lambda s: s + sympy.Order(hbar ** 3)),
        scalars().map(lambda s: sympy.Integral(s * Tr(Q, Lam), x)),
        scalars().map(lambda s: sympy.Integral(s, (x, 0, y))),
        st.sampled_from([sympy.Sum(PositionDerivative(sympy.Symbol("U"), k) * SphereGradient(sympy.Symbol("t"), k), (k, 1, d)),
                         AlongDirection(sympy.Symbol("t")), sympy.harmonic(sympy.Symbol("n")),
                         sympy.jn(1, x) * sympy.yn(0, x) ** 2, DiagonalPhase(chi, -1), DiagonalMatrix(chi),
                         sympy.ImmutableMatrix([[x, y], [1, -x]]), Vbar * Lam * P]),
        st.tuples(scalars(), scalars()).map(lambda ab: sympy.Eq(ab[0], ab[1], evaluate=False)),
        st.tuples(scalars(), scalars()).map(lambda ab: sympy.Le(ab[0], ab[1], evaluate=False)),
        # claim notation: averages (of operator words too), limits, commutators of words
        st.tuples(scalars(), words()).map(lambda cw: Average(cw[0] * sympy.Mul(*cw[1]), x)),
        scalars().map(lambda s: sympy.Limit(s, y, sympy.oo) + Average(s)),
        st.tuples(words(), words()).map(lambda ab: Commutator(sympy.Mul(*ab[0]), sympy.Mul(*ab[1]))),
    )


@settings(max_examples=150, deadline=None, derandomize=True)
@given(node())
def test_parse_inverts_the_printer_for_every_node_kind(expr: sympy.Basic) -> None:
    text = latex(expr)
    back = parse(text, [expr])
    assert back == expr, f"{text!r} read back as {sympy.srepr(back)}, not {sympy.srepr(expr)}"


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(OPERATORS), min_size=2, max_size=5).filter(lambda w: len(set(w)) > 1), scalars())
def test_a_swapped_noncommutative_order_fails_the_comparison(word: list, coefficient: sympy.Expr) -> None:
    swapped = word[1:] + word[:1] if word[1:] + word[:1] != word else list(reversed(word))
    for build in (lambda w: coefficient * sympy.Mul(*w), lambda w: Tr(sympy.Mul(*w), Q) if len(w) > 1 else Tr(*w)):
        original, changed = build(word), build(swapped)
        if sympy.expand(original - changed) == 0:
            continue  # e.g. a cyclic shift of a whole trace word
        back = parse(latex(changed), [changed])
        assert comparison(back, original) is None, f"{latex(changed)} compared equal to {original}"


def test_align_lines_read_back_as_the_equation() -> None:
    A_rp = A(r, p)
    expr = sympy.Eq(StarProduct(A_rp, f(r, p)), sum(sympy.Derivative(A_rp, (r, n)) * sympy.Derivative(f(r, p), (p, n)) * hbar ** n
                                                     for n in range(1, 5)) + sympy.Order(hbar ** 5), evaluate=False)
    lines = display_lines(expr)
    assert len(lines) > 1 and "&" in lines[0]
    assert parse("\n".join(lines), [expr]) == expr


def test_a_long_supertrace_is_cut_inside_its_bracket_and_reads_back() -> None:
    """A display too wide for a column, one Str[B (sum)] of it, breaks inside the trace (\\biggl[ ... \\biggr]),
    so a two-column paper needs no widetext; the lines read back as the same expression."""
    B, C = sympy.symbols("B C", commutative=False)
    omega, v, c = sympy.symbols("omega v_F c", positive=True)
    terms = 2 * c * sympy.Function("K")(C) - sympy.I * omega * C + v * AlongDirection(C) + sympy.Rational(3, 7) * omega**2 * C
    expr = sympy.Eq(sympy.Function("F_2")(B), sympy.pi * omega * Str(B * terms), evaluate=False)
    lines = display_lines(expr)
    assert len(lines) > 1 and r"\operatorname{Str}\biggl[" in lines[0] and lines[-1].endswith(r"\biggr)\biggr]")
    assert comparison(parse("\n".join(lines), [expr]), expr) == "structurally"


def test_symbols_come_back_with_their_assumptions() -> None:
    back = parse(latex(x * tau + Q * Lam), [x, tau, Q, Lam])
    assert back == x * tau + Q * Lam
    assert {s for s in back.free_symbols if s.name == "x"} == {x} and next(iter({x} & back.free_symbols)).is_positive
    assert parse("Q \\Lambda", [Q, Lam]) != parse("\\Lambda Q", [Q, Lam])


def test_without_a_table_names_are_read_as_sympy_writes_them() -> None:
    assert parse(r"\frac{a_{1}}{2} + \sin{\left(\theta \right)} e^{i \pi}") == sympy.Symbol("a_1") / 2 - sympy.sin(sympy.Symbol("theta"))
    assert parse(r"\operatorname{Tr}\left[a b\right]") == Tr(sympy.Symbol("a"), sympy.Symbol("b"))


@pytest.mark.parametrize(("text", "position", "token"), [
    (r"a + \frac{b}", 12, "end of text"),
    (r"a \star \star b", 8, r'"\star"'),
    (r"x = \foo y", 4, r'"\foo'),
    (r"\operatorname{Tr}\left[a b", 26, "end of text"),
])
def test_unreadable_text_names_the_position_and_the_token(text: str, position: int, token: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"at position {position}: unexpected {token}")):
        parse(text)


def test_a_name_two_objects_print_as_is_refused() -> None:
    with pytest.raises(ValueError, match="two symbols print as 'A'"):
        parse("A", [sympy.Symbol("A"), sympy.Symbol("A", commutative=False)])


def test_bessel_functions_of_any_order_read_back_not_as_products() -> None:
    # j_{l}\left(x\right) was once read as the product of a symbol j_l and x: a silently different expression.
    x = sympy.Symbol("x")
    l = sympy.Symbol("l", integer=True, nonnegative=True)
    cases = [
        x**2 * (sympy.jn(l, x) * sympy.yn(l + 1, x) - sympy.yn(l, x) * sympy.jn(l + 1, x)),
        sympy.besselj(l, x), sympy.bessely(l + 1, 2 * x), sympy.besseli(0, x), sympy.besselk(l, x) ** 2, sympy.jn(3, x),
    ]
    for expr in cases:
        assert parse(latex(expr), symbols=[x, l]) == expr, latex(expr)
