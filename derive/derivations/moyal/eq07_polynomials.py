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

__all__ = ["eq07_polynomial_exactness", "random_polynomial"]


def random_polynomial(rng: random.Random, degree: int, d: int) -> sympy.Expr:
    """A polynomial in (r, p) of total degree ``degree`` with integer coefficients in [-3, 3]."""
    rs, ps = phase_space_symbols(d)
    variables = rs + ps
    monomials = [sympy.Mul(*(v**k for v, k in zip(variables, index, strict=True))) for index in jet_multi_indices(d, degree)]
    return sympy.Add(*(rng.randint(-3, 3) * monomial for monomial in monomials))


def eq07_polynomial_exactness() -> Step:
    """Exactness on polynomials: truncation at the lower degree, and the operator homomorphism."""
    rng = random.Random(7)
    pairs = [(random_polynomial(rng, 3, 1), random_polynomial(rng, 2, 1)) for _ in range(2)]
    pairs_2d = [(random_polynomial(rng, 2, 2), random_polynomial(rng, 3, 2))]
    psi = sympy.Function("psi")(r)
    exactness = [
        claims.equal(
            f"the truncation at the lower total degree equals the full product (random polynomials, $d = {d}$)",
            partial(star, A, B, *phase_space_symbols(d), 3, hbar),
            partial(star, A, B, *phase_space_symbols(d), 6, hbar),
        )
        for d, group in ((1, pairs), (2, pairs_2d))
        for A, B in group
    ]
    homomorphism = [
        claims.equal(
            "$\\mathrm{Op}(A\\star B)\\,\\psi = \\mathrm{Op}(A)\\,\\mathrm{Op}(B)\\,\\psi$ for random cubic and quadratic polynomial symbols "
            "(McCoy-ordered operators acting on a test function)",
            partial(lambda A, B: weyl_operator_on(star(A, B, r, p, 3, hbar), psi, r), A, B),
            partial(lambda A, B: weyl_operator_on(A, weyl_operator_on(B, psi, r), r), A, B),
        )
        for A, B in pairs
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
