"""Eq. (7): the star product's multi-index expansion against the bidifferential operator, and the canonical commutator."""
from __future__ import annotations

import collections
import math
from functools import partial

import sympy

from derive.derivations.moyal.fields import undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import (
    hbar,
    hbar_power,
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
    checks = []
    for d, order in ((1, 4), (2, 3), (3, 2)):
        statement = _star_statement(d, order)
        checks.append(
            claims.equal(
                f"the multi-index expansion equals the exponential of the bidifferential operator of Eq. (7) "
                f"through $\\hbar^{{{order}}}$ in $d = {d}$",
                partial(star, undefined("A", d), undefined("B", d), *phase_space_symbols(d), order, hbar),
                statement.rhs.removeO(),
                formula=statement,
            )
        )
    count = _term_count_statement(3, 8)
    checks.append(
        claims.holds(
            "two undefined functions in $d = 3$ through $\\hbar^8$: the terms of order $\\hbar^n$ are the pairs of "
            "multi-indices with $|\\alpha| + |\\beta| = n$ over the 6 phase-space coordinates, all distinct, so",
            partial(_term_count_residual, 3, count),
            r"count of the distinct terms of the evaluated sum at each order $\hbar^n$, $n = 0, \dots, 8$",
            formula=count,
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


def _term_count_statement(d: int, order: int) -> sympy.Eq:
    """sum_{n<=order} prod_{j=1}^{2d-1} (n + j)/j = C(order + 2d, 2d): the multi-indices of 2d entries of total n."""
    n, j = sympy.Symbol("n", integer=True, nonnegative=True), sympy.Symbol("j", integer=True, positive=True)
    per_order = sympy.Product((n + j) / j, (j, 1, 2 * d - 1))
    return sympy.Eq(sympy.Sum(per_order, (n, 0, order)), math.comb(order + 2 * d, 2 * d), evaluate=False)


def _term_count_residual(d: int, statement: sympy.Eq) -> str | None:
    """The distinct terms of A*B at each order hbar^n against the statement's summand, and their total."""
    (summand, (n, low, high)) = statement.lhs.function, statement.lhs.limits[0]
    terms = sympy.Add.make_args(star(undefined("A", d), undefined("B", d), *phase_space_symbols(d), int(high), hbar))
    by_order = collections.Counter(hbar_power(term) for term in terms)
    for k in range(int(low), int(high) + 1):
        expected = summand.subs(n, k).doit()
        if by_order[k] != expected:
            return f"order {k}: found {by_order[k]} terms, the statement says {expected}"
    if len(terms) != statement.rhs:
        return f"found {len(terms)} terms in all, the statement says {statement.rhs}"
    return None


def _products(us: tuple, vs: tuple) -> sympy.ImmutableMatrix:
    """The matrix of unevaluated u_i * v_j."""
    return sympy.ImmutableMatrix(len(us), len(vs), lambda i, j: StarProduct(us[i], vs[j]))


def _evaluated(matrix: sympy.ImmutableMatrix, d: int) -> sympy.ImmutableMatrix:
    """Each StarProduct of the matrix evaluated through hbar^1 (exact for coordinates and momenta)."""
    rs, ps = phase_space_symbols(d)
    return matrix.replace(lambda node: isinstance(node, StarProduct), lambda node: star(*node.args, rs, ps, 1, hbar))


def eq07_canonical_commutator() -> Step:
    """r*p - p*r = i hbar, and the commutators of coordinates and momenta in d = 3."""
    rs, ps = phase_space_symbols(3)
    canonical = sympy.Eq(_products(rs, ps), _products(ps, rs).T + sympy.I * hbar * sympy.eye(3), evaluate=False)
    commuting = sympy.Eq(sympy.ImmutableMatrix.vstack(_products(rs, rs), _products(ps, ps)),
                         sympy.ImmutableMatrix.vstack(_products(rs, rs).T, _products(ps, ps).T), evaluate=False)
    return Step(
        **OUTLINE.header("canonical-commutator"),
        result=sympy.Eq(StarProduct(r, p) - StarProduct(p, r), star(r, p, r, p, 1, hbar) - star(p, r, r, p, 1, hbar)),
        claims=(
            claims.equal("$r\\star p - p\\star r = i\\hbar$ ($d = 1$)", star(r, p, r, p, 1, hbar) - star(p, r, r, p, 1, hbar), sympy.I * hbar,
                         formula=sympy.Eq(StarProduct(r, p) - StarProduct(p, r), sympy.I * hbar, evaluate=False)),
            claims.equal(r"$r_i\star p_j - p_j\star r_i = i\hbar\,\delta_{ij}$ in $d = 3$",
                         partial(_evaluated, canonical.lhs, 3), partial(_evaluated, canonical.rhs, 3), formula=canonical),
            claims.equal("coordinates commute with coordinates (upper block), momenta with momenta (lower block), $d = 3$",
                         partial(_evaluated, commuting.lhs, 3), partial(_evaluated, commuting.rhs, 3), formula=commuting),
        ),
        note="The sign convention of Eq. (7) makes $r\\star p - p\\star r = +i\\hbar$, as for the operators $\\hat r$ and $\\hat p$.",
    )
