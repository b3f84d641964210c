"""Eq. (12) beyond the Born approximation: τ and τ_tr of s-wave, hard-disk and hard-sphere scatterers."""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    n_i,
    v_F,
)
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.engines.scatterers import cross_sections_for_arrays, cross_sections_symbolic
from derive.engines.transport import (
    cos_theta,
    scattering_rate,
    transport_rate,
)
from derive.model import Argument, Export, Step

__all__ = ["eq12_model_scatterers"]

PARTIAL_WAVES = 40          # exact to ~1e-15 for k_F a up to about 20 (the tail starts near l ≈ k_F a)
k_F, a = sympy.symbols("k_F a", positive=True)
z = sympy.Symbol("z", positive=True)             # k_F a


order = sympy.Symbol("l", integer=True, nonnegative=True)
theta = sympy.Symbol("theta", real=True)               # the angle between n and n'
# σ/a² of the s-wave hard sphere, tan δ_0 = j_0/y_0, as k_F a → 0
S_WAVE_LIMIT = sympy.Eq(sympy.Limit(4 * sympy.pi / z**2 * sympy.jn(0, z) ** 2 / (sympy.jn(0, z) ** 2 + sympy.yn(0, z) ** 2), z, 0),
                        4 * sympy.pi)
WRONSKIAN = sympy.Eq(z**2 * (sympy.jn(order, z) * sympy.yn(order + 1, z) - sympy.yn(order, z) * sympy.jn(order + 1, z)), -1)


def _sphere_s_wave_limit() -> sympy.Expr:
    limit = S_WAVE_LIMIT.lhs
    return sympy.limit(sympy.expand_func(limit.args[0]), z, 0)


def _sphere_wronskians() -> list[sympy.Expr]:
    """The Wronskian identity for l ≤ 3 (it enters sin²(δ_l − δ_{l+1}))."""
    defect = WRONSKIAN.lhs - WRONSKIAN.rhs
    return [sympy.simplify(sympy.expand_func(defect.subs(order, l))) for l in range(4)]


f_0, f_1, g_0, g_1 = sympy.symbols("f_0 f_1 g_0 g_1")


def _recurrence_invariance(d: int) -> sympy.Eq:
    """C_{l+1} = C_l for C_l = f_l g_{l+1} − g_l f_{l+1}, f and g any two solutions of the order recurrence
    f_{l+2} = c_l f_{l+1} − f_l (c_l = (2l+3)/z for spherical, 2(l+1)/z for cylinder functions)."""
    c = (2 * order + 3) / z if d == 3 else 2 * (order + 1) / z
    return sympy.Eq(f_1 * (c * g_1 - g_0) - g_1 * (c * f_1 - f_0), f_0 * g_1 - g_0 * f_1, evaluate=False)


# d = 2, order 0: z(J_0 Y_1 − Y_0 J_1) is constant (Bessel's equation) and equal to its z → 0 limit
_DISK_CROSS = z * (sympy.besselj(0, z) * sympy.bessely(1, z) - sympy.bessely(0, z) * sympy.besselj(1, z))
DISK_CROSS_CONSTANT = sympy.Eq(sympy.Derivative(_DISK_CROSS, z), 0, evaluate=False)
DISK_CROSS_LIMIT = sympy.Eq(sympy.Limit(_DISK_CROSS, z, 0), -2 / sympy.pi, evaluate=False)


def _rate_ratio(w: sympy.Expr) -> sympy.Expr:
    """τ_tr/τ = ⟨w⟩/⟨w (1 − cos θ)⟩ of a kernel w(cos θ)."""
    return Average(w, theta) / Average(w * (1 - sympy.cos(theta)), theta)


def eq12_model_scatterers() -> Step:
    exports = []
    delta0 = sympy.Symbol("delta_0", real=True)
    for d, name in ((2, "hard_disk"), (3, "hard_sphere")):
        # the same sums in the form that stays finite in float32 (hypot moduli, the order-independent cross
        # product of consecutive orders: the three claims after the Wronskian)
        sigma, sigma_tr = cross_sections_for_arrays(d, z, PARTIAL_WAVES)
        args = (Argument("k_F_a", z, description="k_F times the radius a"), Argument("a", a),
                Argument("n_i", n_i), Argument("v_F", v_F))
        for label, cross in (("tau", sigma), ("tau_tr", sigma_tr)):
            exports.append(Export(f"{label}_{name}", 1 / (n_i * v_F * a ** (d - 1) * cross), args, doc=(
                f"{'τ' if label == 'tau' else 'τ_tr'} of a {name.replace('_', ' ')} of radius a (exact partial "
                f"waves l < {PARTIAL_WAVES}, valid for k_F a up to about 20): 1/(n_i v_F a^{d - 1} σ(k_F a))")))
    for d, sigma in ((2, 4 * sympy.sin(delta0) ** 2 / k_F), (3, 4 * sympy.pi * sympy.sin(delta0) ** 2 / k_F**2)):
        exports.append(Export(f"tau_s_wave_{d}d", 1 / (n_i * v_F * sigma), (
            Argument("delta_0", delta0, description="s-wave phase shift"), Argument("k_F", k_F),
            Argument("n_i", n_i), Argument("v_F", v_F)), doc=(
            f"τ = τ_tr of an isotropic (s-wave) scatterer in d = {d}, any strength (unitary at δ₀ = π/2)")))
    _, sigma3_tr = cross_sections_symbolic(3, z, 2)
    return Step(
        **OUTLINE.header("model-scatterers"),
        result=sympy.Eq(sympy.Symbol(r"\sigma_{tr, 2}"), sigma3_tr),
        claims=(
            claims.equal(r"hard sphere of radius $a$, $z = k_F a \to 0$: $\sigma/a^2 \to 4 \pi$ (s-wave)",
                         _sphere_s_wave_limit, S_WAVE_LIMIT.rhs, formula=S_WAVE_LIMIT),
            claims.all_zero(r"for $l \le 3$, so that $\sin^2(\delta_l - \delta_{l+1}) = 1/(z^4 |h_l|^2 |h_{l+1}|^2)$",
                            _sphere_wronskians, formula=WRONSKIAN),
            *(claims.all_zero(
                rf"for every $l$ ({kind}): the cross product $C_l = f_l g_{{l+1}} - g_l f_{{l+1}}$ of any two solutions of "
                r"the three-term recurrence of the orders is the same at $l + 1$, so $z^2(j_l y_{l+1} - y_l j_{l+1}) = -1$ "
                r"and $z(J_l Y_{l+1} - Y_l J_{l+1}) = -2/\pi$ for all $l$ once they hold at $l = 0$",
                lambda d=d: [sympy.expand(_recurrence_invariance(d).lhs - _recurrence_invariance(d).rhs)],
                formula=_recurrence_invariance(d))
              for d, kind in ((3, "spherical Bessel functions"), (2, "Bessel functions"))),
            claims.all_zero(r"for the disk at $l = 0$, $z(J_0 Y_1 - Y_0 J_1)$ is constant by Bessel's equation",
                            lambda: [sympy.simplify(DISK_CROSS_CONSTANT.lhs.doit())], formula=DISK_CROSS_CONSTANT),
            claims.equal(r"and its value is the limit $z \to 0$", lambda: sympy.limit(_DISK_CROSS, z, 0),
                         DISK_CROSS_LIMIT.rhs, formula=DISK_CROSS_LIMIT),
            *(claims.equal(rf"isotropic $w$: $\tau_{{tr}} = \tau$ in $d = {d}$ (averages over the angle $\theta$ between "
                           r"$\mathbf{n}$ and $\mathbf{n}'$)",
                           transport_rate(1, d), scattering_rate(1, d),
                           formula=sympy.Eq(Average(1 - sympy.cos(theta), theta), Average(1, theta), evaluate=False))
              for d in (2, 3)),
            claims.equal(r"$w \propto 1 + \cos\theta$ in $d = 3$ scatters forward: $\tau_{tr}/\tau = 3/2$",
                         scattering_rate(1 + cos_theta, 3) / transport_rate(1 + cos_theta, 3), sympy.Rational(3, 2),
                         formula=sympy.Eq(_rate_ratio(1 + sympy.cos(theta)), sympy.Rational(3, 2))),
        ),
        exports=tuple(exports),
        note=r"$\sigma_{tr, 2}$ is the hard-sphere $\sigma_{tr}$ of the partial waves $l \le 1$. Exact phase shifts $\tan \delta_l = j_l(k_F a)/y_l(k_F a)$ (sphere) and $J_m(k_F a)/Y_m(k_F a)$ (disk); "
             r"the exported functions evaluate the Bessel functions numerically, as $\sin^2\delta_l = j_l^2/|h_l|^2$ and "
             r"$\sin^2(\delta_l - \delta_{l+1}) = 1/(z^4 |h_l|^2 |h_{l+1}|^2)$ (disk: $4/(\pi^2 z^2 |H_l|^2 |H_{l+1}|^2)$) with the "
             r"moduli $|h_l|$ from a hypotenuse, so a partial wave whose $y_l$ overflows single precision contributes 0, not NaN.",
    )
