"""Fermionic Matsubara sums, Fermi-function transforms and band (xi) integrals, done exactly.

Conventions: fermionic Matsubara energies eps_n = pi T (2n + 1); Fermi function f(z) = 1/(e^{z/T} + 1)
(poles at z = i eps_n with residue -T). Sums over n run over a symmetric window n = -M .. M-1, the
cutoff the sigma-model's energy restriction imposes.
"""
from __future__ import annotations

from collections.abc import Callable

import sympy


def matsubara_energy(n: sympy.Expr, T: sympy.Expr) -> sympy.Expr:
    """eps_n = pi T (2n + 1)."""
    return sympy.pi * T * (2 * n + 1)


def fermi(z: sympy.Expr, T: sympy.Expr) -> sympy.Expr:
    """f(z) = 1/(e^{z/T} + 1)."""
    return 1 / (sympy.exp(z / T) + 1)


def xi_integral_symmetric_cutoff(a: sympy.Expr) -> sympy.Expr:
    """lim_{L->oo} int_{-L}^{L} dxi / (i a - xi) for real a != 0 (sign fixed by the assumptions on a)."""
    xi, L = sympy.Symbol("xi", real=True), sympy.Symbol("L", positive=True)
    return sympy.limit(sympy.integrate(1 / (sympy.I * a - xi), (xi, -L, L)), L, sympy.oo)


def fermi_derivative_fourier_by_residues(k: sympy.Symbol, T: sympy.Symbol) -> sympy.Expr:
    """int dz f'(z) e^{ikz} for k > 0: close upwards, 2 pi i sum_{n>=0} Res at z = i eps_n.

    f' is periodic under z -> z + 2 pi i T, so the n-th residue is e^{-2 pi k T n} times the first;
    the first is computed by sympy.residue and the geometric series summed exactly.
    """
    z, n = sympy.Symbol("z"), sympy.Symbol("n", integer=True, nonnegative=True)
    first = sympy.residue(sympy.exp(sympy.I * k * z) * sympy.diff(fermi(z, T), z), z, sympy.I * sympy.pi * T)
    x = sympy.Symbol("x", positive=True)
    geometric = sympy.summation(x**n, (n, 0, sympy.oo))
    geometric = geometric.args[0][0] if isinstance(geometric, sympy.Piecewise) else geometric
    return 2 * sympy.pi * sympy.I * first * geometric.subs(x, sympy.exp(-2 * sympy.pi * k * T))


def matsubara_inverse_square_by_residues(xi: sympy.Symbol, T: sympy.Symbol) -> sympy.Expr:
    """T sum_n 1/(i eps_n - xi)^2 = Res_{z = xi} f(z)/(z - xi)^2 (contour around the poles of f)."""
    z = sympy.Symbol("z")
    return sympy.residue(fermi(z, T) / (z - xi) ** 2, z, xi)


def signed_matsubara_sum(weight: Callable[[sympy.Expr], sympy.Expr], w: sympy.Symbol, M: sympy.Symbol) -> sympy.Expr:
    """sum_{n=-M}^{M-1} weight(n) sign(eps_n - 2 pi T w), for any integer w with -M <= w <= M.

    sign(2n + 1 - 2w) is +1 exactly for n >= w and -1 for n <= w - 1, so the sum splits at n = w
    (either part may be empty, Karr's convention makes the split formula hold at w = +-M too).
    """
    n = sympy.Symbol("n", integer=True)
    return sympy.expand(sympy.summation(weight(n), (n, w, M - 1)) - sympy.summation(weight(n), (n, -M, w - 1)))


def signed_matsubara_sum_enumerated(weight: Callable[[int], sympy.Expr], w: int, M: int) -> sympy.Expr:
    """The same sum term by term (exact integers), the independent check of ``signed_matsubara_sum``."""
    return sympy.Add(*(weight(n) * sympy.sign(2 * n + 1 - 2 * w) for n in range(-M, M)))
