"""Eq. (7) on polynomials: the series terminates and is the symbol of the operator product (McCoy ordering)."""
from __future__ import annotations

import random
from functools import partial

import sympy

from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import (
    hbar,
    p,
    phase_space_symbols,
    r,
    weyl_operator_on,
)
from derive.engines import claims
from derive.engines.moyal import StarProduct, jet_multi_indices, star
from derive.model import Step

__all__ = ["eq07_polynomial_exactness", "random_polynomial", "sparse_random_polynomial"]


def random_polynomial(rng: random.Random, degree: int, d: int) -> sympy.Expr:
    """A polynomial in (r, p) of total degree ``degree`` with integer coefficients in [-3, 3]."""
    rs, ps = phase_space_symbols(d)
    variables = rs + ps
    monomials = [sympy.Mul(*(v**k for v, k in zip(variables, index, strict=True))) for index in jet_multi_indices(d, degree)]
    return sympy.Add(*(rng.randint(-3, 3) * monomial for monomial in monomials))


# The Weyl (McCoy) quantisation map and a test function, as noncommutative factors: Op(A) Op(B) psi.
WEYL = sympy.Function(r"\mathrm{Op}", commutative=False)
PSI = sympy.Function("psi", commutative=False)(r)


def _operators_applied(side: sympy.Expr) -> sympy.Expr:
    """A sum of c Op(X_1) ... Op(X_k) psi, each Op(X) applied by McCoy's rule, right to left; X = A * B through hbar^3."""
    if isinstance(side, sympy.Add):
        return sympy.expand(sympy.Add(*(_operators_applied(term) for term in side.args)))
    coefficient, factors = side.args_cnc()
    *operators, test_function = factors
    if test_function != PSI or not all(isinstance(op, WEYL) for op in operators):
        raise ValueError(f"side must be a product of Op(...) factors ending in psi, got {side}")
    result = sympy.Function("psi")(r)  # McCoy's rule multiplies by r and differentiates: a commutative psi
    for op in reversed(operators):
        symbol = op.args[0].replace(lambda node: isinstance(node, StarProduct), lambda node: star(*node.args, r, p, 3, hbar))
        result = weyl_operator_on(symbol, result, r)
    return sympy.expand(sympy.Mul(*coefficient) * result)


def sparse_random_polynomial(rng: random.Random, degree: int, d: int, terms: int) -> sympy.Expr:
    """``terms`` distinct monomials of total degree <= ``degree`` (one of degree exactly ``degree``), coefficients
    nonzero integers in [-3, 3]: short enough to print, and of the stated degree."""
    rs, ps = phase_space_symbols(d)
    variables = rs + ps
    indices = jet_multi_indices(d, degree)
    top = [index for index in indices if sum(index) == degree]
    chosen = [rng.choice(top)]
    chosen += rng.sample([index for index in indices if index != chosen[0]], terms - 1)
    return sympy.Add(*(rng.choice((-3, -2, -1, 1, 2, 3)) * sympy.Mul(*(v**k for v, k in zip(variables, index, strict=True)))
                       for index in chosen))


def _linear_in_right(A: sympy.Expr, B: sympy.Expr) -> sympy.Expr:
    """Op(A) Op(B) psi written out by linearity in B: sum_j b_j Op(A) Op(m_j) psi over the monomials m_j of B."""
    return sympy.Add(*(coefficient * WEYL(A) * WEYL(monomial) * PSI
                       for monomial, coefficient in (term.as_coeff_Mul()[::-1] for term in sympy.Add.make_args(B))))


def _degree(polynomial: sympy.Expr, d: int) -> int:
    return sympy.Poly(polynomial, *sum(phase_space_symbols(d), ())).total_degree()


def eq07_polynomial_exactness() -> Step:
    """Exactness on polynomials: truncation at the lower degree, and the operator homomorphism."""
    rng = random.Random(7)
    # Sparse random polynomials, so that each statement fits a displayed line; the tests repeat both claims
    # with dense ones (every monomial of the degree).
    pairs = [(sparse_random_polynomial(rng, 3, 1, 4), sparse_random_polynomial(rng, 2, 1, 3)) for _ in range(2)]
    pairs_2d = [(sparse_random_polynomial(rng, 2, 2, 3), sparse_random_polynomial(rng, 3, 2, 3))]
    exactness = [
        claims.equal(
            f"random polynomials $A$, $B$ of total degrees {_degree(A, d)} and {_degree(B, d)} in $d = {d}$: the series "
            "terminates, the truncation after $\\hbar^3$ is the whole product (compared with the truncation after $\\hbar^6$)",
            statement.rhs,
            partial(star, A, B, *phase_space_symbols(d), 6, hbar),
            formula=statement,
        )
        for d, group in ((1, pairs), (2, pairs_2d))
        for A, B in group
        for statement in (sympy.Eq(StarProduct(A, B), star(A, B, *phase_space_symbols(d), 3, hbar), evaluate=False),)
    ]
    homomorphism = [
        claims.equal(
            "$\\mathrm{Op}(A\\star B)\\,\\psi = \\mathrm{Op}(A)\\,\\mathrm{Op}(B)\\,\\psi$ for random cubic and quadratic "
            "polynomial symbols (McCoy-ordered operators $\\mathrm{Op}$ acting on a test function $\\psi$)",
            partial(_operators_applied, statement.lhs),
            partial(_operators_applied, statement.rhs),
            formula=statement,
        )
        for A, B in pairs
        for statement in (sympy.Eq(WEYL(StarProduct(A, B)) * PSI, _linear_in_right(A, B), evaluate=False),)
    ]
    closed_form = r**2 * p**2 + 2 * sympy.I * hbar * r * p - hbar**2 / 2
    return Step(
        **OUTLINE.header("polynomial-exactness"),
        result=sympy.Eq(StarProduct(r**2, p**2), closed_form),
        claims=(
            claims.equal("$r^2\\star p^2 = r^2p^2 + 2i\\hbar\\, rp - \\hbar^2/2$", star(r**2, p**2, r, p, 2, hbar), closed_form,
                         formula=sympy.Eq(StarProduct(r**2, p**2), closed_form, evaluate=False)),
            *exactness,
            *homomorphism,
        ),
        note="On polynomials the series terminates, and the star product is the symbol of the operator product.",
    )
