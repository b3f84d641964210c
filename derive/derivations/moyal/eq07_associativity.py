"""Eq. (7): associativity of the truncated star product, scalar and noncommutative."""
from __future__ import annotations

from functools import partial

import sympy
from sympy.polys.domains import QQ_I
from sympy.polys.rings import PolyRing

from derive.derivations.moyal.fields import undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, phase_space_symbols, truncate
from derive.engines import claims
from derive.engines.moyal import StarProduct, star
from derive.model import Claim, Step

__all__ = ["associativity_defect", "associativity_symbol_defect", "eq07_associativity"]


def associativity_defect(d: int, order: int, commutative: bool = True) -> sympy.Expr:
    """(A*B)*C - A*(B*C) for undefined A, B, C, both sides truncated after hbar^order."""
    rs, ps = phase_space_symbols(d)
    A, B, C = _functions(d, commutative)
    left = star(star(A, B, rs, ps, order, hbar), C, rs, ps, order, hbar)
    right = star(A, star(B, C, rs, ps, order, hbar), rs, ps, order, hbar)
    return truncate(left - right, order)


def associativity_symbol_defect(d: int, order: int, through: int | None = None) -> list[tuple[tuple[int, ...], object]]:
    """The nonzero coefficients through hbar^through (default: order) of the symbol of (A*B)*C - A*(B*C), each star truncated there.

    Both sides are trilinear differential operators with constant coefficients in A, B, C, so they are
    equal exactly when they agree on A, B, C = e^(a.z), e^(b.z), e^(c.z) with symbolic a, b, c: there
    each side is a polynomial in (a, b, c, hbar) times e^((a+b+c).z), and its value at z = 0 is that
    polynomial (the operator's symbol). The engine's star product computes both sides on the
    exponentials; the comparison is exact arithmetic in Q(i)[hbar, a, b, c].
    """
    rs, ps = phase_space_symbols(d)
    z = rs + ps
    slopes = [sympy.symbols(f"{name}_1:{2 * d + 1}") for name in "abc"]
    A, B, C = (sympy.exp(sum(k * v for k, v in zip(slope, z, strict=True))) for slope in slopes)
    left = star(star(A, B, rs, ps, order, hbar), C, rs, ps, order, hbar)
    right = star(A, star(B, C, rs, ps, order, hbar), rs, ps, order, hbar)
    ring = PolyRing([hbar, *(k for slope in slopes for k in slope)], QQ_I)
    symbol = ring.from_expr((left - right).xreplace({v: 0 for v in z}))  # raises unless a polynomial
    return [(monomial, coefficient) for monomial, coefficient in symbol.terms() if monomial[0] <= (order if through is None else through)]


def _symbol_claim(d: int, order: int) -> Claim:
    def verify() -> str | None:
        left_over = associativity_symbol_defect(d, order)
        return None if not left_over else f"{len(left_over)} nonzero coefficients of the symbol, e.g. {left_over[0]}"

    return claims.holds(
        f"$(A\\star B)\\star C = A\\star(B\\star C)$ through $\\hbar^{{{order}}}$ for scalar undefined functions in $d = {d}$",
        verify,
        "exact, by the symbol: both sides are trilinear differential operators with constant coefficients, "
        "so they agree exactly when they agree on $A, B, C = e^{a\\cdot z}, e^{b\\cdot z}, e^{c\\cdot z}$; "
        "there each side is a polynomial in $a, b, c, \\hbar$ times $e^{(a+b+c)\\cdot z}$, and the two "
        f"polynomials agree coefficient by coefficient through $\\hbar^{{{order}}}$ with Gaussian-rational coefficients",
        formula=_associativity_statement(d, order, True),
    )


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
        claims=(
            _symbol_claim(1, 3),
            _symbol_claim(2, 2),
            # noncommutative A, B, C have no scalar symbol: the expansion itself, cheap at this order
            claims.all_zero(
                "$(X\\star Y)\\star Z = X\\star(Y\\star Z)$ through $\\hbar^{2}$ for noncommutative undefined functions in $d = 1$",
                partial(lambda *args: [associativity_defect(*args)], 1, 2, False),
                formula=_associativity_statement(1, 2, False),
            ),
        ),
        note="Both sides are truncated after $\\hbar^n$; the terms through that order agree identically.",
    )
