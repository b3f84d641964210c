"""Exact Gaussian expectations of polynomials in independent complex variables (Wick's theorem).

For independent complex Gaussians z_i with weight exp(-c_i |z_i|^2), <z_i^k conj(z_i)^l> = delta_kl k! / c_i^k.
Variables and their conjugates are independent symbols (z_i, zbar_i); the weights are read off a
quadratic action sum_i c_i z_i zbar_i, so the variances come from the action, not from the caller.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import sympy


def variances_from_action(action: sympy.Expr, z: Sequence[sympy.Symbol], zbar: Sequence[sympy.Symbol]) -> list[sympy.Expr]:
    """<|z_i|^2> = 1/c_i for an action sum_i c_i z_i zbar_i; anything else in the action is an error."""
    poly = sympy.Poly(sympy.expand(action), *z, *zbar)
    n, coefficients = len(z), {}
    for monomial, coefficient in poly.terms():
        pairs = [i for i in range(n) if monomial[i] == 1 and monomial[n + i] == 1]
        if sum(monomial) != 2 or len(pairs) != 1:
            raise ValueError(f"variances_from_action: the action is not diagonal in |z_i|^2 (term {monomial})")
        coefficients[pairs[0]] = coefficient
    missing = [str(z[i]) for i in range(n) if i not in coefficients]
    if missing:
        raise ValueError(f"variances_from_action: no quadratic term for {missing}")
    return [1 / coefficients[i] for i in range(n)]


def complex_gaussian_expectation(
    polynomial: sympy.Expr, z: Sequence[sympy.Symbol], zbar: Sequence[sympy.Symbol], variances: Sequence[sympy.Expr]
) -> sympy.Expr:
    """<polynomial> with <z_i^k zbar_i^l> = delta_kl k! variances_i^k (independent z_i)."""
    n, total = len(z), sympy.S.Zero
    for monomial, coefficient in sympy.Poly(sympy.expand(polynomial), *z, *zbar).terms():
        if monomial[:n] != monomial[n:]:
            continue
        term = coefficient
        for i, power in enumerate(monomial[:n]):
            if power:
                term *= math.factorial(power) * variances[i] ** power
        total += term
    return total
