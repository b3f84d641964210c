"""The fast star-product routes against a plain reference, and bad input refused with a named argument.

The reference is the textbook loop: every term's derivatives taken afresh with ``sympy.diff``, the
terms multiplied and summed by SymPy's own constructors. The engine's routes (undefined functions
assembled in canonical order, the generic jet route) must give the same object (``==`` and same
``srepr``) for scalar and noncommutative symbols, and the same matrix for MatrixSymbol and explicit
matrix inputs, in d = 1, 2, 3.
"""
from __future__ import annotations

import math
import random

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.engines.canonical_order import CompareKeys, canonical_add, canonical_mul
from derive.engines.moyal import moyal_bracket, star, star_coefficients


def reference_star(A, B, rs, ps, order, hbar=1):
    """A*B term by term with sympy.diff, no reuse, summed by Add (or + for matrices)."""
    d = len(rs)
    terms = []
    for n, alpha, beta, coefficient in star_coefficients(d, order):
        left = sympy.diff(A, *[(v, k) for v, k in zip(rs + ps, alpha + beta, strict=True) if k]) if any(alpha + beta) else A
        right = sympy.diff(B, *[(v, k) for v, k in zip(rs + ps, beta + alpha, strict=True) if k]) if any(alpha + beta) else B
        if _vanishes(left) or _vanishes(right):
            continue
        terms.append(coefficient * (sympy.I * hbar / 2) ** n * (left * right))
    if isinstance(A, sympy.MatrixBase):
        total = sympy.zeros(*A.shape)
        for term in terms:
            total = total + term
        return total
    if isinstance(A, sympy.MatrixExpr):
        return sympy.MatAdd(*terms).doit() if terms else sympy.ZeroMatrix(*A.shape)
    return sympy.Add(*terms)


def _vanishes(expression) -> bool:
    if isinstance(expression, sympy.MatrixBase):
        return expression.is_zero_matrix is True
    if isinstance(expression, sympy.MatrixExpr):
        return isinstance(expression, sympy.ZeroMatrix)
    return expression == 0


def phase_space(d: int):
    return sympy.symbols(f"r1:{d + 1}"), sympy.symbols(f"p1:{d + 1}")


ORDERS = {1: (0, 1, 2, 5, 7), 2: (0, 1, 3, 5), 3: (0, 2, 4)}
HBARS = (1, sympy.Symbol("hbar"), sympy.Rational(2, 3), 2 * sympy.Symbol("h"))


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("commutative_a, commutative_b", [(True, True), (False, False), (True, False), (False, True)])
def test_undefined_functions_give_the_reference_object(d: int, commutative_a: bool, commutative_b: bool) -> None:
    rs, ps = phase_space(d)
    A = sympy.Function("A", commutative=commutative_a)(*rs, *ps)
    B = sympy.Function("B", commutative=commutative_b)(*rs, *ps)
    for hbar in HBARS:
        for order in ORDERS[d]:
            fast, reference = star(A, B, rs, ps, order, hbar), reference_star(A, B, rs, ps, order, hbar)
            assert fast == reference and sympy.srepr(fast) == sympy.srepr(reference), (d, hbar, order)
    assert len(star(A, B, rs, ps, ORDERS[d][-1]).args) == math.comb(ORDERS[d][-1] + 2 * d, 2 * d)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_equal_and_partially_dependent_functions(d: int) -> None:
    rs, ps = phase_space(d)
    A, B = sympy.Function("A")(*rs, *ps), sympy.Function("B")(*rs, *ps)
    C = sympy.Function("C")(rs[0], ps[-1])
    hbar = sympy.Symbol("hbar")
    for X, Y in ((A, A), (A, C), (C, B), (B, A)):
        for order in ORDERS[d][:3]:
            assert star(X, Y, rs, ps, order, hbar) == reference_star(X, Y, rs, ps, order, hbar)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_expressions_agree_with_the_reference(d: int) -> None:
    rs, ps = phase_space(d)
    f = sympy.Function("f")(*rs, *ps)
    polynomial = (rs[0] * ps[-1] + rs[-1] ** 2) ** 2 + ps[0]
    exponential = sympy.exp(sympy.I * rs[0] - ps[-1] ** 2 / 2)
    for A, B in ((polynomial, exponential), (exponential, f), (f * polynomial, sympy.sin(rs[-1] + ps[0]))):
        for order in (0, 1, 3):
            assert sympy.expand(star(A, B, rs, ps, order) - reference_star(A, B, rs, ps, order)) == 0


@pytest.mark.parametrize("d", [1, 2, 3])
def test_matrix_symbols_agree_with_the_reference(d: int) -> None:
    rs, ps = phase_space(d)
    M, N = sympy.MatrixSymbol("M", 2, 2), sympy.MatrixSymbol("N", 2, 2)
    f, g = sympy.Function("f")(*rs, *ps), sympy.Function("g")(*rs, *ps)
    A, B = f * M, g * N + rs[0] * M
    for order in (0, 1, 2):
        difference = (star(A, B, rs, ps, order) - reference_star(A, B, rs, ps, order)).as_explicit()
        assert sympy.expand(difference) == sympy.zeros(2, 2)
        assert not (star(A, B, rs, ps, order) - star(B, A, rs, ps, order)).as_explicit().is_zero_matrix


@pytest.mark.parametrize("d", [1, 2, 3])
def test_explicit_matrices_agree_with_the_reference(d: int) -> None:
    rs, ps = phase_space(d)
    entries = [sympy.Function(name)(*rs, *ps) for name in "abcd"]
    A = sympy.Matrix([[entries[0], entries[1]], [0, rs[0] * ps[-1]]])
    B = sympy.Matrix([[entries[2], 1], [entries[3], ps[0] ** 2]])
    for order in (0, 1, 2):
        assert star(A, B, rs, ps, order) == reference_star(A, B, rs, ps, order)


def test_moyal_bracket_unchanged_for_undefined_functions() -> None:
    rs, ps = phase_space(2)
    A, B = sympy.Function("A")(*rs, *ps), sympy.Function("B")(*rs, *ps)
    hbar = sympy.Symbol("hbar")
    expected = (reference_star(A, B, rs, ps, 3, hbar) - reference_star(B, A, rs, ps, 3, hbar)) / (sympy.I * hbar)
    assert sympy.expand(moyal_bracket(A, B, rs, ps, 2, hbar) - expected) == 0


# --- the canonical-order helpers against SymPy's own constructors ---------------------------------

_x, _y, _z = sympy.symbols("x y z")
_u = sympy.Symbol("u", positive=True)
_f, _g = sympy.Function("f"), sympy.Function("g")
_POOL = [
    _x, _y, _z, _u, sympy.I, sympy.pi, sympy.Integer(2), sympy.Rational(-3, 7), sympy.Float(0.25),
    _x**2, _y**-1, _f(_x), _g(_x, _y), sympy.Derivative(_f(_x), _x), sympy.Derivative(_g(_x, _y), (_x, 2), _y),
    sympy.sin(_x), sympy.exp(_y), _x + _y, _x * _z, sympy.Tuple(_x, 1), sympy.Matrix([[_x, 1]]).as_immutable(),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_POOL), st.sampled_from(_POOL))
def test_compare_key_orders_like_basic_compare(a: sympy.Basic, b: sympy.Basic) -> None:
    keys = CompareKeys()
    assert (keys(a) > keys(b)) - (keys(a) < keys(b)) == a.compare(b)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(range(12)), min_size=1, max_size=40, unique=True), st.integers(0, 2**32))
def test_canonical_add_and_mul_equal_sympys(indices: list[int], seed: int) -> None:
    rng = random.Random(seed)
    functions = [sympy.Function(name)(_x, _y) for name in "ABCDEFGHIJKL"]
    derivatives = [sympy.Derivative(functions[i], *[(v, rng.randint(1, 3)) for v in (_x, _y) if rng.random() < 0.7] or [_x]) for i in indices]
    keys = CompareKeys()
    terms, references = [], []
    for i, derivative in enumerate(derivatives):
        coefficient = sympy.Rational(rng.randint(-5, 5) or 1, rng.randint(1, 6))
        extra = [sympy.I] if i % 2 else []
        extra += [sympy.Symbol("hbar") ** (i % 4)] if i % 4 > 1 else []
        other = functions[(indices[i] + 1) % 12]
        terms.append(canonical_mul(coefficient, extra + [derivative, other], keys))
        references.append(sympy.Mul(coefficient, *extra, derivative, other))
    assert terms == references
    assert canonical_add(terms, keys) == sympy.Add(*references)
    assert sympy.srepr(canonical_add(terms, keys)) == sympy.srepr(sympy.Add(*references))


# --- bad input ----------------------------------------------------------------------------------

_r, _p = sympy.symbols("r p")
_BAD_OPERANDS = st.one_of(
    st.none(), st.booleans(), st.text(max_size=5), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(sympy.true), st.just(sympy.Eq(_r, _p)), st.just({_r}), st.just(object()),
)
_BAD_ORDERS = st.one_of(
    st.integers(max_value=-1), st.floats(allow_nan=True), st.text(max_size=4), st.none(), st.booleans(),
    st.just(sympy.Rational(1, 2)), st.just(sympy.Symbol("n")), st.lists(st.integers(0, 3), max_size=2),
)


def _refused(call, argument: str) -> None:
    try:
        call()
    except (ValueError, TypeError) as error:
        assert str(error).startswith(argument), f"message {error!s} does not name {argument}"
    else:
        raise AssertionError(f"bad {argument} was accepted")


@settings(max_examples=150, deadline=None)
@given(_BAD_OPERANDS, st.sampled_from(["A", "B"]), st.sampled_from([star, moyal_bracket]))
def test_bad_operands_are_refused_by_name(bad: object, which: str, function) -> None:
    good = sympy.Function("f")(_r, _p)
    arguments = (bad, good) if which == "A" else (good, bad)
    _refused(lambda: function(*arguments, _r, _p, 2), which)


@settings(max_examples=150, deadline=None)
@given(_BAD_ORDERS, st.sampled_from([star, moyal_bracket]))
def test_bad_orders_are_refused_by_name(bad: object, function) -> None:
    _refused(lambda: function(_r, _p, _r, _p, bad), "order")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.sampled_from([star, moyal_bracket]))
def test_mismatched_phase_space_is_refused(d_r: int, d_p: int, function) -> None:
    rs, ps = sympy.symbols(f"x1:{d_r + 1}"), sympy.symbols(f"k1:{d_p + 1}")
    call = lambda: function(rs[0], ps[0], rs, ps, 1)  # noqa: E731
    if d_r == d_p:
        call()
    else:
        _refused(call, "r and p")


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=3), st.lists(st.text(max_size=2), min_size=1, max_size=3), st.integers(), st.just(()), st.just((_r, 1))))
def test_bad_phase_space_variables_are_refused(bad: object) -> None:
    _refused(lambda: star(_r, _p, bad, _p, 1), "r")
    _refused(lambda: star(_r, _p, _r, bad, 1), "p")


# --- polynomials and exponentials of polynomials: the ring route --------------------------------


def _exp_polynomial_cases(d: int):
    rs, ps = phase_space(d)
    m, k = sympy.symbols("m k", positive=True)
    gaussian = sympy.exp(-sum(v**2 for v in rs + ps) / 2)
    plane_wave = sympy.exp(sympy.I * (k * rs[0] - 2 * ps[-1]) + rs[-1] * ps[0])
    polynomial = (sum(x * q for x, q in zip(rs, ps, strict=True))) ** 2 + rs[0] ** 3 / m + sympy.I * ps[-1]
    return rs, ps, [
        (polynomial, gaussian),
        (gaussian, polynomial),
        (plane_wave, gaussian * polynomial),
        (polynomial, polynomial + k),
        (gaussian + plane_wave, rs[0] * plane_wave),
    ]


@pytest.mark.parametrize("d", [1, 2, 3])
def test_exp_polynomials_expanded_are_sympys_expansion_of_the_reference(d: int) -> None:
    rs, ps, cases = _exp_polynomial_cases(d)
    for hbar in (1, sympy.Symbol("hbar")):
        for A, B in cases:
            for order in {1: (0, 1, 3), 2: (0, 2), 3: (2,)}[d]:
                expected = sympy.expand(reference_star(A, B, rs, ps, order, hbar))
                expanded = star(A, B, rs, ps, order, hbar, expand=True)
                assert expanded == expected and sympy.srepr(expanded) == sympy.srepr(expected), (A, B, order, hbar)
                assert sympy.expand(star(A, B, rs, ps, order, hbar)) == expected


def test_inputs_outside_the_ring_take_the_generic_route() -> None:
    rs, ps = phase_space(1)
    x, q = rs[0], ps[0]
    for A, B in ((sympy.sin(x) * q, sympy.exp(q)), (1 / (1 + x**2), q**2), (sympy.Float(0.5) * x, sympy.exp(x**2)),
                 (sympy.exp(sympy.exp(x)), q), (sympy.sqrt(x), q**3)):
        for order in (0, 2):
            reference = reference_star(A, B, rs, ps, order)
            assert sympy.simplify(star(A, B, rs, ps, order) - reference) == 0
            assert sympy.simplify(star(A, B, rs, ps, order, expand=True) - sympy.expand(reference)) == 0
