"""Eq. (7): the star product's multi-index expansion against the bidifferential operator, and the canonical commutator."""
from __future__ import annotations

import math
from functools import partial

import sympy

from derive.derivations.moyal.fields import undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import (
    hbar,
    p,
    phase_space_symbols,
    r,
    star_by_operator_exponential,
)
from derive.engines import claims
from derive.engines.moyal import StarProduct, star
from derive.model import Step

__all__ = ["eq07_canonical_commutator", "eq07_star_product"]


def eq07_star_product() -> Step:
    """The definition: the multi-index expansion equals the exponential of the bidifferential operator."""
    A, B = undefined("A", 1), undefined("B", 1)
    checks = [
        claims.equal(
            f"the multi-index expansion equals the exponential of the bidifferential operator of Eq. (7) "
            f"through $\\hbar^{{{order}}}$ in $d = {d}$",
            partial(star, undefined("A", d), undefined("B", d), *phase_space_symbols(d), order, hbar),
            partial(star_by_operator_exponential, undefined("A", d), undefined("B", d), d, order),
            # The statement is printed in d = 1 only: in d = 2, 3 the same expansion runs over dozens of lines.
            formula=_star_statement(d, order) if d == 1 else None,
        )
        for d, order in ((1, 4), (2, 3), (3, 2))
    ]
    checks.append(
        claims.holds(
            "two undefined functions in $d = 3$ through $\\hbar^8$ give $\\binom{14}{6} = 3003$ distinct terms",
            lambda: _term_count_residual(3, 8, math.comb(14, 6)),
            "count of the terms of the evaluated sum",
        )
    )
    return Step(
        **OUTLINE.header("eq7-star-product"),
        result=sympy.Eq(StarProduct(A, B), star(A, B, r, p, 2, hbar) + sympy.O(hbar**3), evaluate=False),
        claims=tuple(checks),
        note=(
            "The exponential of the bidifferential operator is expanded with the multinomial theorem: "
            "each order $\\hbar^n$ is a sum over multi-indices $\\alpha$, $\\beta$ with $|\\alpha|+|\\beta| = n$."
        ),
    )


def _star_statement(d: int, order: int) -> sympy.Eq:
    """A * B = Eq. (7) applied literally (the operator exponential) + O(hbar^(order + 1))."""
    A, B = undefined("A", d), undefined("B", d)
    return sympy.Eq(StarProduct(A, B), star_by_operator_exponential(A, B, d, order) + sympy.O(hbar ** (order + 1)),
                    evaluate=False)


def _term_count_residual(d: int, order: int, expected: int) -> str | None:
    count = len(sympy.Add.make_args(star(undefined("A", d), undefined("B", d), *phase_space_symbols(d), order, hbar)))
    return None if count == expected else f"found {count} terms"


def eq07_canonical_commutator() -> Step:
    """r*p - p*r = i hbar, and the commutators of coordinates and momenta in d = 3."""
    rs, ps = phase_space_symbols(3)
    commutators = [
        star(x, k, rs, ps, 1, hbar) - star(k, x, rs, ps, 1, hbar) - (sympy.I * hbar if i == j else 0)
        for i, x in enumerate(rs)
        for j, k in enumerate(ps)
    ]
    commuting = [
        star(u, v, rs, ps, 1, hbar) - star(v, u, rs, ps, 1, hbar) for group in (rs, ps) for u in group for v in group
    ]
    return Step(
        **OUTLINE.header("canonical-commutator"),
        result=sympy.Eq(StarProduct(r, p) - StarProduct(p, r), star(r, p, r, p, 1, hbar) - star(p, r, r, p, 1, hbar)),
        claims=(
            claims.equal("$r\\star p - p\\star r = i\\hbar$ ($d = 1$)", star(r, p, r, p, 1, hbar) - star(p, r, r, p, 1, hbar), sympy.I * hbar,
                         formula=sympy.Eq(StarProduct(r, p) - StarProduct(p, r), sympy.I * hbar, evaluate=False)),
            claims.all_zero("$r_i\\star p_j - p_j\\star r_i = i\\hbar\\,\\delta_{ij}$ in $d = 3$", lambda: commutators),
   
            claims.all_zero("coordinates commute with coordinates, momenta with momenta ($d = 3$)", lambda: commuting),
        ),
        note="The sign convention of Eq. (7) makes $r\\star p - p\\star r = +i\\hbar$, as for the operators $\\hat r$ and $\\hat p$.",
    )
