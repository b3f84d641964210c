"""Eq. (7): associativity of the truncated star product, scalar and noncommutative."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.moyal.fields import undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, phase_space_symbols, truncate
from derive.engines import claims
from derive.engines.moyal import StarProduct, star
from derive.model import Step

__all__ = ["associativity_defect", "eq07_associativity"]


def associativity_defect(d: int, order: int, commutative: bool = True) -> sympy.Expr:
    """(A*B)*C - A*(B*C) for undefined A, B, C, both sides truncated after hbar^order."""
    rs, ps = phase_space_symbols(d)
    A, B, C = _functions(d, commutative)
    left = star(star(A, B, rs, ps, order, hbar), C, rs, ps, order, hbar)
    right = star(A, star(B, C, rs, ps, order, hbar), rs, ps, order, hbar)
    return truncate(left - right, order)


def _functions(d: int, commutative: bool) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """Undefined A, B, C (scalar) or X, Y, Z (noncommutative): one printed name, one object in the section."""
    return tuple(undefined(name, d, commutative) for name in ("ABC" if commutative else "XYZ"))


def _associativity_statement(d: int, order: int, commutative: bool) -> sympy.Eq:
    """(A*B)*C = A*(B*C) + O(hbar^(order + 1)) for undefined A, B, C."""
    A, B, C = _functions(d, commutative)
    return sympy.Eq(StarProduct(StarProduct(A, B), C), StarProduct(A, StarProduct(B, C)) + sympy.O(hbar ** (order + 1)),
                    evaluate=False)


def eq07_associativity() -> Step:
    """Associativity through the order of truncation."""
    A, B, C = _functions(1, True)
    return Step(
        **OUTLINE.header("associativity"),
        result=sympy.Eq(StarProduct(StarProduct(A, B), C), StarProduct(A, StarProduct(B, C))),
        claims=tuple(
            claims.all_zero(
                f"associativity through $\\hbar^{{{order}}}$ for {kind} in $d = {d}$",
                partial(lambda *args: [associativity_defect(*args)], d, order, commutative),
                formula=_associativity_statement(d, order, commutative),
            )
            for d, order, commutative, kind in ((1, 3, True, "scalar undefined functions $A$, $B$, $C$"), (2, 2, True, "scalar undefined functions $A$, $B$, $C$"),
                                              (1, 2, False, "noncommutative undefined functions $X$, $Y$, $Z$"))
        ),
        note="Both sides are truncated after $\\hbar^n$; the terms through that order agree identically.",
    )
