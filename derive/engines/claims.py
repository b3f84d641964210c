"""Constructors for the claims steps assert.

Every claim says how it is proved (its ``method``): symbolically (the difference expands or simplifies
to zero), by exact rational evaluation at seeded random points (where ``simplify`` cannot decide), or
by a predicate the step supplies. Claims are lazy: nothing is checked until the pipeline verifies.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence

import sympy

from derive.model import Claim

_SHOWN_RESIDUAL_CHARS = 300


def _describe(residual: sympy.Basic) -> str:
    text = sympy.sstr(residual)
    if len(text) > _SHOWN_RESIDUAL_CHARS:
        text = text[:_SHOWN_RESIDUAL_CHARS] + " ..."
    return f"residual = {text}"


def _is_zero_matrix_or_scalar(value: sympy.Basic) -> bool:
    if isinstance(value, sympy.MatrixBase):
        return all(entry == 0 for entry in value)
    return value == 0


def _difference(lhs: sympy.Basic, rhs: sympy.Basic) -> sympy.Basic:
    """lhs - rhs; matrix expressions are compared entrywise (MatAdd does not cancel to a plain 0)."""
    if isinstance(lhs, sympy.MatrixExpr) or isinstance(rhs, sympy.MatrixExpr):
        return sympy.Matrix((lhs - rhs).doit().as_explicit())
    return sympy.Matrix(lhs) - sympy.Matrix(rhs) if isinstance(lhs, sympy.MatrixBase) else lhs - rhs


def equal(
    statement: str,
    lhs: sympy.Basic | Callable[[], sympy.Basic],
    rhs: sympy.Basic | Callable[[], sympy.Basic],
    method: str = "expand",
    formula: sympy.Basic | None = None,
) -> Claim:
    """Claim lhs == rhs, proved by ``expand`` (safe for noncommutative products) or ``simplify``.

    lhs/rhs may be callables so that expensive sides are only built when the claim is checked;
    ``formula`` is the statement as SymPy, which the LaTeX section prints and reads back.
    """
    if method not in ("expand", "simplify"):
        raise ValueError(f"unknown proof method {method!r}; use 'expand' or 'simplify'")

    def verify() -> str | None:
        left = lhs() if callable(lhs) else lhs
        right = rhs() if callable(rhs) else rhs
        difference = _difference(left, right)
        reduced = (
            difference.applyfunc(lambda e: sympy.expand(e))
            if isinstance(difference, sympy.MatrixBase)
            else sympy.expand(difference)
        )
        if method == "simplify" and not _is_zero_matrix_or_scalar(reduced):
            reduced = (
                reduced.applyfunc(sympy.simplify)
                if isinstance(reduced, sympy.MatrixBase)
                else sympy.simplify(reduced)
            )
        return None if _is_zero_matrix_or_scalar(reduced) else _describe(reduced)

    proof = "symbolic: the difference expands to zero" if method == "expand" else (
        "symbolic: the difference simplifies to zero"
    )
    return Claim(statement, proof, verify, formula)


def equal_at_random_points(
    statement: str,
    lhs: sympy.Basic | Callable[[], sympy.Basic],
    rhs: sympy.Basic | Callable[[], sympy.Basic],
    variables: Sequence[sympy.Symbol],
    points: int = 6,
    seed: int = 20261121,
    low: int = -7,
    high: int = 7,
    formula: sympy.Basic | None = None,
) -> Claim:
    """Claim lhs == rhs by exact evaluation at seeded random rational points (no floating point)."""
    if points < 1:
        raise ValueError("points must be a positive integer")

    def verify() -> str | None:
        left = lhs() if callable(lhs) else lhs
        right = rhs() if callable(rhs) else rhs
        difference = _difference(left, right)
        rng = random.Random(seed)
        for _ in range(points):
            values = {v: _random_value(v, rng, low, high) for v in variables}
            value = difference.subs(values)
            value = value.applyfunc(sympy.nsimplify) if isinstance(value, sympy.MatrixBase) else value
            value = sympy.simplify(value) if not isinstance(value, sympy.MatrixBase) else value
            if not _is_zero_matrix_or_scalar(value):
                return f"at {values}: " + _describe(value)
        return None

    return Claim(statement, f"exact rational evaluation at {points} seeded random points", verify, formula)


def _random_value(symbol: sympy.Symbol, rng: random.Random, low: int, high: int) -> sympy.Rational:
    """A random rational inside the symbol's assumptions (sign, zero, integrality), so the claim is tested
    only where it is asserted."""
    if symbol.is_positive:
        low = 1
    elif symbol.is_nonnegative:
        low = 0
    elif symbol.is_negative:
        high = -1
    elif symbol.is_nonpositive:
        high = 0
    while True:
        numerator = rng.randint(low, high)
        value = sympy.Integer(numerator) if symbol.is_integer else sympy.Rational(numerator, rng.randint(1, 5))
        if value != 0 or not symbol.is_nonzero:
            return value


def holds(statement: str, predicate: Callable[[], str | None], method: str, formula: sympy.Basic | None = None) -> Claim:
    """A claim proved by a step-specific check: ``predicate`` returns None or the residual's description."""
    return Claim(statement, method, predicate, formula)


def all_zero(statement: str, expressions: Callable[[], Iterable[sympy.Basic]], method: str = "expand",
             formula: sympy.Basic | None = None) -> Claim:
    """Claim that every expression of a family expands to zero (e.g. vanishing orders of a series)."""

    def verify() -> str | None:
        for expression in expressions():
            reduced = sympy.expand(expression)
            if method == "simplify" and reduced != 0:
                reduced = sympy.simplify(reduced)
            if reduced != 0:
                return _describe(reduced)
        return None

    return Claim(statement, f"symbolic: each expression {'expands' if method == 'expand' else 'simplifies'} to zero", verify,
                 formula)
