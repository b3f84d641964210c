"""Eq. (1) for any isotropic kernel w(n·n'): all harmonics, D = v_F²τ_tr/d, and the diffuson pole −iω + Dq².

Ĉ is diagonal in the harmonics of the sphere with rates γ_l = n_i⟨w(1 − G_l(n·n'))⟩ (Funk–Hecke; no
polynomial w needed), and the gradient coupling ⟨Str Λ[P_n, n·A]⟩ reaches only l = 1. So the Gaussian
integration over P keeps only the l = 1 part, with rate γ_1 = 1/τ_tr, whatever the other γ_l: D =
v_F²/(dγ_1). The same γ_1 gives the slow eigenvalue of −iω + i v_F n·q + Ĉ.
"""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import n_i, omega, theta, v_F
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.engines.fermi_surface import chart_3d, dimension
from derive.engines.kinetic import diffusion_pole_coefficient, harmonic_rate, normalised_gegenbauer, streaming_matrix
from derive.engines.transport import cos_theta, sphere_area, sphere_average, transport_rate
from derive.model import Step

__all__ = ["eq01_any_kernel"]

L_MAX = 3
q = sympy.Symbol(r"\mathbf{q}", positive=True)     # |q| of the wave vector (q is the supermatrix of Eq. (8))
rates = [sympy.Integer(0), *sympy.symbols(f"gamma_1:{L_MAX + 1}", positive=True)]
kappa = sympy.Symbol("kappa", positive=True)
NON_POLYNOMIAL = sympy.exp(kappa * cos_theta) * (1 + cos_theta) ** 2


def _pole_defect(d: int) -> list[sympy.Expr]:
    D = diffusion_pole_coefficient(streaming_matrix(d, L_MAX, q, v_F, rates), q)
    return [sympy.simplify(D - v_F**2 / (d * rates[1]))]


def _frequency_shift(d: int) -> list[sympy.Expr]:
    shifted = streaming_matrix(d, L_MAX, q, v_F, rates, omega) - streaming_matrix(d, L_MAX, q, v_F, rates)
    return list(shifted + sympy.I * omega * sympy.eye(L_MAX + 1))


def _coupling_only_to_l1(d: int) -> list[sympy.Expr]:
    """⟨n_1 G_l(n_1)⟩ − δ_l1/d for l ≤ 6: n·A (along e_1) projects on the l = 1 zonal harmonic only."""
    n = sympy.symbols(f"n1:{d + 1}", real=True)
    return [sphere_average(n[0] * normalised_gegenbauer(l, d).subs(cos_theta, n[0]), n)
            - (sympy.Rational(1, d) if l == 1 else 0) for l in range(7)]


def _rates_of_a_non_polynomial_kernel(d: int) -> list[sympy.Expr]:
    """γ_0 = 0 and γ_1 = n_i⟨w(1 − n·n')⟩ = 1/τ_tr for w = e^{κ n·n'}(1 + n·n')²."""
    tau_tr_inverse = n_i * transport_rate(NON_POLYNOMIAL, d) / sphere_area(d)
    return [harmonic_rate(NON_POLYNOMIAL, d, 0, n_i),
            sympy.simplify(harmonic_rate(NON_POLYNOMIAL, d, 1, n_i) - tau_tr_inverse)]


def eq01_any_kernel() -> Step:
    """The collision term for any isotropic kernel and the diffuson pole, d = 2 and 3."""
    D, tau_tr = sympy.symbols("D tau_tr", positive=True)
    d = dimension
    slow = sympy.Function(r"\lambda_{\mathrm{slow}}")
    order = sympy.Symbol("l", integer=True, nonnegative=True)
    zonal = sympy.Function("G")                             # G(l, cos θ): the zonal harmonic of degree l, G(l, 1) = 1
    n = chart_3d().direction
    w = NON_POLYNOMIAL.subs(cos_theta, sympy.cos(theta))
    rate = lambda l: n_i * Average(w * (1 - zonal(l, sympy.cos(theta))), theta)
    pole_at = lambda dim: sympy.Eq(slow(0, q), v_F**2 * q**2 / (dim * rates[1]) + sympy.O(q**4))
    projection = lambda dim: sympy.Eq(Average(n[0] * zonal(order, n[0]), *n[:dim]), sympy.KroneckerDelta(order, 1) / dim)
    pick = lambda values, k: (lambda: [values()[k]])
    pole = slow(omega, q)
    return Step(
        **OUTLINE.header("eq1-any-kernel"),
        result=sympy.Eq(pole, -sympy.I * omega + v_F**2 * tau_tr / d * q**2 + sympy.O(q**4)),
        claims=(
            *(claims.all_zero(r"the slow eigenvalue of $i v_F n \cdot \mathbf{q} + \hat{C}$ on the zonal harmonics "
                              f"$l \\le {L_MAX}$ is $v_F^2 \\mathbf{{q}}^2/({d} \\gamma_1) + O(\\mathbf{{q}}^4)$ for arbitrary $\\gamma_2$, "
                              f"$\\gamma_3$ ($d = {d}$; characteristic polynomial, implicit differentiation)",
                              partial(_pole_defect, d), formula=pole_at(d)) for d in (2, 3)),
            claims.all_zero(r"$-i \omega$ shifts every eigenvalue by $-i \omega$: the pole is at $-i \omega + D \mathbf{q}^2$ "
                            r"($d = 2$)",
                            partial(_frequency_shift, 2), formula=sympy.Eq(slow(omega, q), -sympy.I * omega + slow(0, q))),
            *(claims.all_zero(r"the gradient coupling $n \cdot A$ reaches only $l = 1$: "
                              f"$\\langle n_1 G_l(n_1) \\rangle = \\delta_{{l 1}}/{d}$ for $l \\le 6$ ($d = {d}$)",
                              partial(_coupling_only_to_l1, d), formula=projection(d)) for d in (2, 3)),
            *(claim for d in (2, 3) for claim in (
                claims.all_zero(r"a non-polynomial kernel $w = e^{\kappa \cos\theta} (1 + \cos\theta)^2$, "
                                r"$\gamma_l = n_i \langle w (1 - G(l, \cos\theta)) \rangle$: $\gamma_0 = 0$ "
                                f"($d = {d}$, closed form)",
                                pick(partial(_rates_of_a_non_polynomial_kernel, d), 0), formula=sympy.Eq(rate(0), 0)),
                claims.all_zero(f"$\\dots$ and $\\gamma_1 = 1/\\tau_{{tr}} = n_i \\langle w (1 - \\cos\\theta) \\rangle$, that is "
                                f"($d = {d}$, Funk--Hecke against the transport rate)",
                                pick(partial(_rates_of_a_non_polynomial_kernel, d), 1),
                                formula=sympy.Eq(Average(w * (sympy.cos(theta) - zonal(1, sympy.cos(theta))), theta), 0)))),
        ),
        note=r"By the Funk--Hecke theorem an isotropic kernel is diagonal in the harmonics of $S^{d-1}$, "
             r"$\gamma_l = n_i \langle w (1 - G_l) \rangle$ with $G_l$ the normalised Gegenbauer polynomial, so the "
             r"Gaussian integration over $P$ (all $l$) keeps only the $l = 1$ part and "
             r"$D = v_F^2/(d \gamma_1) = v_F^2 \tau_{tr}/d$ for any $w$. Kernels that no closed form covers are "
             r"checked on a grid in the test suite.",
    )
