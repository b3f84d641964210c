"""Transport quantities of the bosonization paper: angular integrals of a scattering kernel w(n, n').

The kernel is a SymPy expression in ``cos_theta`` = n·n' (the angle between incoming and outgoing
directions). ``dn'`` is the full, unnormalised solid angle: ∫dn' 1 = 2π in d = 2 and 4π in d = 3, so
τ⁻¹ = n_i ∫ w dn' and τ_tr⁻¹ = n_i ∫ w (1 − n·n') dn' are rates when w is a rate per impurity per
solid angle (w = v_F dσ/dΩ for a scatterer of differential cross section dσ/dΩ).
"""
from __future__ import annotations

import sympy

cos_theta = sympy.Symbol("cos_theta", real=True)

SUPPORTED_DIMENSIONS = (2, 3)


def _check(w: sympy.Basic, d: int) -> sympy.Expr:
    if d not in SUPPORTED_DIMENSIONS:
        raise ValueError(f"dimension d = {d!r} is not supported; use d = 2 or d = 3")
    if not isinstance(w, (sympy.Basic, int, float)):
        raise TypeError(f"w must be a SymPy expression in cos_theta, got {type(w).__name__}")
    return sympy.sympify(w)


def _mean_power_of_cosine_2d(k: int) -> sympy.Rational:
    """(1/2π)∫_0^{2π} cos^k θ dθ = C(k, k/2)/2^k for even k, 0 for odd k."""
    return sympy.Rational(sympy.binomial(k, k // 2), 2**k) if k % 2 == 0 else sympy.Integer(0)


def _circle_integral_of_term(term: sympy.Expr) -> sympy.Expr:
    """∫_0^{2π} dθ of c^k e^{a c + b} (c = cos θ): 2π e^b ∂_a^k I_0(a); polynomials via exact moments."""
    polynomial, exponent = sympy.Integer(1), sympy.Integer(0)
    for factor in sympy.Mul.make_args(sympy.powsimp(term)):
        if isinstance(factor, sympy.exp):
            exponent += factor.args[0]
        elif factor.is_polynomial(cos_theta):
            polynomial *= factor
        else:
            raise ValueError(f"d = 2: cannot integrate the factor {factor} of w; use a polynomial in "
                             "cos_theta times exp(a*cos_theta)")
    rate = sympy.expand(exponent).coeff(cos_theta, 1)
    offset = sympy.expand(exponent - rate * cos_theta)
    if offset.has(cos_theta):
        raise ValueError(f"d = 2: exponent {exponent} of w is not linear in cos_theta")
    poly = sympy.Poly(polynomial, cos_theta)
    if rate == 0:
        moments = sum(c * _mean_power_of_cosine_2d(k) for (k,), c in poly.terms())
        return 2 * sympy.pi * sympy.exp(offset) * moments
    kappa = sympy.Dummy("kappa")
    bessel = lambda k: sympy.diff(sympy.besseli(0, kappa), kappa, k).subs(kappa, rate)
    return 2 * sympy.pi * sympy.exp(offset) * sum(c * bessel(k) for (k,), c in poly.terms())


def solid_angle_integral(integrand: sympy.Basic, d: int) -> sympy.Expr:
    """∫ integrand(cos_theta) dn' over the full solid angle (2π in d=2, 4π in d=3)."""
    integrand = _check(integrand, d)
    if d == 3:
        return sympy.simplify(2 * sympy.pi * sympy.integrate(integrand, (cos_theta, -1, 1)))
    terms = sympy.Add.make_args(sympy.expand(integrand))
    return sympy.simplify(sum(_circle_integral_of_term(term) for term in terms))


def scattering_rate(w: sympy.Basic, d: int) -> sympy.Expr:
    """∫ w dn' (per impurity): the total out-scattering rate, τ⁻¹ = n_i × this."""
    return solid_angle_integral(w, d)


def transport_rate(w: sympy.Basic, d: int) -> sympy.Expr:
    """∫ w (1 − n·n') dn' over the full solid angle (per impurity): τ_tr⁻¹ = n_i × this."""
    return solid_angle_integral(_check(w, d) * (1 - cos_theta), d)


def transport_time(w: sympy.Basic, d: int, n_i: sympy.Basic) -> sympy.Expr:
    """τ_tr = 1 / (n_i ∫ w (1 − n·n') dn')."""
    return 1 / (n_i * transport_rate(w, d))


def diffusion_constant(w: sympy.Basic, d: int, v_F: sympy.Basic, n_i: sympy.Basic) -> sympy.Expr:
    """D = v_F² τ_tr / d with τ_tr⁻¹ = n_i ∫ w (1 − n·n') dn' (paper, after Eq. 13)."""
    return sympy.simplify(sympy.sympify(v_F) ** 2 * transport_time(w, d, n_i) / d)


# --- angular averages over the Fermi surface ----------------------------------------------------------

def sphere_average_of_monomial(powers: tuple[int, ...]) -> sympy.Expr:
    """⟨Π n_i^{a_i}⟩ over the unit sphere S^{d−1} (normalised measure), d = len(powers)."""
    if any(a % 2 for a in powers):
        return sympy.Integer(0)
    d, total = len(powers), sum(powers)
    value = sympy.gamma(sympy.Rational(d, 2)) / sympy.gamma(sympy.Rational(total + d, 2))
    for a in powers:
        value *= sympy.gamma(sympy.Rational(a + 1, 2)) / sympy.sqrt(sympy.pi)
    return sympy.nsimplify(value)


def sphere_average(expr: sympy.Expr, components: tuple[sympy.Symbol, ...]) -> sympy.Expr:
    """⟨expr⟩_n for expr polynomial in the components of the unit vector n (coefficients may be anything)."""
    poly = sympy.Poly(sympy.expand(expr), *components)
    return sympy.Add(*(c * sphere_average_of_monomial(m) for m, c in poly.terms()))


def angular_harmonics(components: tuple[sympy.Symbol, ...]) -> list[tuple[str, sympy.Expr]]:
    """Names and polynomials of the l = 1 and traceless l = 2 harmonics in the components of n."""
    d = len(components)
    first = [(f"{i + 1}", components[i]) for i in range(d)]
    mixed = [(f"{i + 1}{j + 1}", components[i] * components[j]) for i in range(d) for j in range(i + 1, d)]
    diagonal = [(f"d{i + 1}", components[i] ** 2 - components[i + 1] ** 2) for i in range(d - 1)]
    return first + mixed + diagonal
