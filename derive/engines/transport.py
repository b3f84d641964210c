"""Transport quantities of the bosonization paper: angular integrals of a scattering kernel w(n, n').

The kernel is a SymPy expression in the cosine n·n' of the angle between incoming and outgoing
directions: this module's ``cos_theta``, any symbol named ``cos_theta``, or the symbol passed as
``cosine=``; a kernel the functions cannot read is a ValueError, never a silent constant. Any d ≥ 2.
``dn'`` is the full, unnormalised solid angle: ∫dn' 1 = 2π in d = 2 and 4π in d = 3, so
τ⁻¹ = n_i ∫ w dn' and τ_tr⁻¹ = n_i ∫ w (1 − n·n') dn' are rates when w is a rate per impurity per
solid angle (w = v_F dσ/dΩ for a scatterer of differential cross section dσ/dΩ).
"""
from __future__ import annotations

import functools
import math

import sympy

cos_theta = sympy.Symbol("cos_theta", real=True)

COSINE_NAME = "cos_theta"


def _check_dimension(d: int) -> None:
    if not isinstance(d, int) or isinstance(d, bool) or d < 2:
        raise ValueError(f"dimension d = {d!r} is not supported; use an integer d >= 2 (d = 2 or d = 3 for a metal)")


def interpret_kernel(w: sympy.Basic, d: int, cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """w as an expression in this module's ``cos_theta``, or a ValueError saying why it cannot be read so.

    ``cosine`` names the symbol that stands for n·n'; without it every symbol called ``cos_theta`` (any
    assumptions) is that cosine. Other free symbols are parameters of the kernel. Refused: a kernel with
    a ``cos_theta`` that is not the given ``cosine`` (two candidates for n·n'), an undefined function of
    the cosine (no way to integrate it), and a kernel that is not a scalar expression.
    """
    _check_dimension(d)
    if not isinstance(w, (sympy.Basic, int, float)):
        raise TypeError(f"w must be a SymPy expression in cos_theta, got {type(w).__name__}")
    w = sympy.sympify(w)
    if not isinstance(w, sympy.Expr) or isinstance(w, sympy.MatrixBase) or not w.is_commutative:
        raise ValueError(f"w must be a scalar (commutative) SymPy expression, got {w!r}")
    named = {s for s in w.free_symbols if s.name == COSINE_NAME}
    if cosine is not None:
        if not isinstance(cosine, sympy.Symbol):
            raise ValueError(f"cosine must be a SymPy Symbol, got {cosine!r}")
        strays = named - {cosine}
        if strays:
            raise ValueError(f"w contains {sorted(map(repr, strays))} besides the given cosine {cosine!r}: "
                             "which one is n·n'?")
        named = {cosine} if cosine in w.free_symbols else set()
    w = w.xreplace({s: cos_theta for s in named})
    unknown = [f for f in w.atoms(sympy.core.function.AppliedUndef) if f.has(cos_theta)]
    if unknown:
        raise ValueError(f"w contains the undefined function(s) {unknown} of the cosine; give w explicitly")
    return w


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


def sphere_area(d: int) -> sympy.Expr:
    """|S^{d−1}| = 2π^{d/2}/Γ(d/2): 2π in d = 2, 4π in d = 3."""
    return sympy.simplify(2 * sympy.pi ** sympy.Rational(d, 2) / sympy.gamma(sympy.Rational(d, 2)))


def solid_angle_integral(integrand: sympy.Basic, d: int, cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """∫ integrand(n·n') dn' over the full solid angle |S^{d−1}| (2π in d = 2, 4π in d = 3).

    d ≥ 3: |S^{d−2}| ∫_{−1}^{1} integrand(c) (1 − c²)^{(d−3)/2} dc; a ValueError if SymPy cannot do it.
    """
    integrand = interpret_kernel(integrand, d, cosine)
    if d == 2:
        terms = sympy.Add.make_args(sympy.expand(integrand))
        return sympy.simplify(sum(_circle_integral_of_term(term) for term in terms))
    weight = (1 - cos_theta**2) ** sympy.Rational(d - 3, 2)
    value = sympy.integrate(integrand * weight, (cos_theta, -1, 1))
    if value.has(sympy.Integral):
        raise ValueError(f"d = {d}: SymPy cannot integrate w = {integrand} over the sphere in closed form")
    if value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise ValueError(f"d = {d}: the angular integral of w = {integrand} diverges")
    return sympy.simplify(sphere_area(d - 1) * value)


def scattering_rate(w: sympy.Basic, d: int, cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """∫ w dn' (per impurity): the total out-scattering rate, τ⁻¹ = n_i × this."""
    return solid_angle_integral(w, d, cosine)


def transport_rate(w: sympy.Basic, d: int, cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """∫ w (1 − n·n') dn' over the full solid angle (per impurity): τ_tr⁻¹ = n_i × this."""
    return solid_angle_integral(interpret_kernel(w, d, cosine) * (1 - cos_theta), d)


def transport_time(w: sympy.Basic, d: int, n_i: sympy.Basic, cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """τ_tr = 1 / (n_i ∫ w (1 − n·n') dn')."""
    return 1 / (n_i * transport_rate(w, d, cosine))


def diffusion_constant(w: sympy.Basic, d: int, v_F: sympy.Basic, n_i: sympy.Basic,
                       cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """D = v_F² τ_tr / d with τ_tr⁻¹ = n_i ∫ w (1 − n·n') dn' (paper, after Eq. 13)."""
    return sympy.simplify(sympy.sympify(v_F) ** 2 * transport_time(w, d, n_i, cosine) / d)


# --- angular averages over the Fermi surface ----------------------------------------------------------

@functools.cache
def sphere_average_of_monomial(powers: tuple[int, ...]) -> sympy.Expr:
    """⟨Π n_i^{a_i}⟩ over the unit sphere S^{d−1} (normalised measure), d = len(powers).

    Γ(d/2) Π Γ((a_i + 1)/2) / (π^{d/2} Γ((Σa + d)/2)) for even a_i, in exact integers:
    Π (a_i − 1)!! / Π_{k < Σa/2} (d + 2k).
    """
    if any(a % 2 for a in powers):
        return sympy.Integer(0)
    d, total = len(powers), sum(powers)
    numerator = math.prod(sympy.factorial2(a - 1) for a in powers)
    denominator = math.prod(d + 2 * k for k in range(total // 2))
    return sympy.Rational(numerator, denominator)


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
