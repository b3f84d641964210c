"""The linearised Boltzmann operator −iω + i v n·q + Ĉ of an isotropic kernel, in angular harmonics.

For a kernel that depends only on n·n', Ĉf = n_i⟨w(n·n')(f(n) − f(n'))⟩_{n'} (normalised average) is
diagonal in the harmonics of the sphere (Funk–Hecke): on degree l it is the rate
γ_l = n_i⟨w(c)(1 − G_l(c))⟩, G_l the Gegenbauer polynomial of the sphere S^{d−1} normalised to G_l(1) = 1
(cos lθ in d = 2, Legendre P_l in d = 3). γ_0 = 0 (particle conservation), γ_1 = 1/τ_tr.
The streaming term i v n·q couples l to l ± 1; the slow (diffusion) eigenvalue is −iω + Dq² + O(q⁴)
with D = v²/(d γ_1) = v²τ_tr/d, for any kernel.
"""
from __future__ import annotations

import sympy

from derive.engines.transport import cos_theta, interpret_kernel, solid_angle_integral, sphere_area

__all__ = ["diffusion_pole_coefficient", "harmonic_rate", "normalised_gegenbauer", "streaming_matrix"]


def normalised_gegenbauer(l: int, d: int) -> sympy.Expr:
    """G_l(cos_theta) with G_l(1) = 1: the zonal harmonic of degree l on S^{d−1}."""
    if d == 2:
        return sympy.expand(sympy.chebyshevt(l, cos_theta))
    alpha = sympy.Rational(d - 2, 2)
    polynomial = sympy.gegenbauer(l, alpha, cos_theta)
    return sympy.expand(polynomial / polynomial.subs(cos_theta, 1))


def harmonic_rate(w: sympy.Basic, d: int, l: int, n_i: sympy.Basic = 1, cosine: sympy.Symbol | None = None) -> sympy.Expr:
    """γ_l = n_i⟨w(n·n')(1 − G_l(n·n'))⟩_{n'}: the eigenvalue of Ĉ on the harmonics of degree l."""
    kernel = interpret_kernel(w, d, cosine)
    return sympy.simplify(n_i * solid_angle_integral(kernel * (1 - normalised_gegenbauer(l, d)), d) / sphere_area(d))


def streaming_matrix(d: int, l_max: int, q: sympy.Symbol, v: sympy.Symbol, rates: list[sympy.Expr],
                     omega: sympy.Basic = 0) -> sympy.Matrix:
    """−iω + i v q (n·e_q) + diag(γ_l) on the zonal harmonics l = 0 … l_max (orthonormal), d = 2 or 3.

    Only zonal harmonics about q couple to the density (l = 0), so this block holds the diffusion pole.
    d = 2: basis √2 cos lθ (1 for l = 0), ⟨l±1|cos θ|l⟩ = 1/√2 between l = 0, 1 and 1/2 above.
    d = 3: basis √(2l+1) P_l, ⟨l+1|cos θ|l⟩ = (l+1)/√((2l+1)(2l+3)).
    """
    if d not in (2, 3):
        raise ValueError(f"streaming_matrix: d = {d!r}; use 2 or 3")
    if len(rates) != l_max + 1:
        raise ValueError(f"need l_max + 1 = {l_max + 1} rates, got {len(rates)}")
    size = l_max + 1
    matrix = sympy.diag(*rates) - sympy.I * omega * sympy.eye(size)
    for l in range(l_max):
        if d == 2:
            element = 1 / sympy.sqrt(2) if l == 0 else sympy.Rational(1, 2)
        else:
            element = sympy.Integer(l + 1) / sympy.sqrt((2 * l + 1) * (2 * l + 3))
        matrix[l, l + 1] += sympy.I * v * q * element
        matrix[l + 1, l] += sympy.I * v * q * element
    return matrix


def diffusion_pole_coefficient(matrix: sympy.Matrix, q: sympy.Symbol) -> sympy.Expr:
    """D in λ(q) = D q² + O(q⁴), λ the eigenvalue of ``matrix`` (ω = 0) that vanishes at q = 0.

    Implicit differentiation of the characteristic polynomial p(λ, q) = det(matrix − λ) at (0, 0), where
    ∂p/∂q = 0 (the spectrum is even in q): λ''(0) = −p_qq/p_λ, so D = −p_qq/(2 p_λ). A ValueError
    unless exactly one eigenvalue vanishes at q = 0 (p_λ ≠ 0) and p(0, 0) = 0.
    """
    lam = sympy.Dummy("lambda")
    p = (matrix - lam * sympy.eye(matrix.rows)).det(method="berkowitz")
    at_zero = {lam: 0, q: 0}
    if sympy.simplify(p.subs(at_zero)) != 0:
        raise ValueError("no eigenvalue vanishes at q = 0 (is γ_0 = 0 and ω = 0?)")
    p_lam = sympy.simplify(sympy.diff(p, lam).subs(at_zero))
    if p_lam == 0:
        raise ValueError("the vanishing eigenvalue at q = 0 is degenerate")
    return sympy.simplify(-sympy.diff(p, q, 2).subs(at_zero) / (2 * p_lam))
