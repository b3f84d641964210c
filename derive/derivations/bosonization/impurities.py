"""Eq. (12) of the bosonization paper: strong impurities beyond the Born approximation.

The averaged T-matrix (independent impurities, small n_i), the averaged Green function, the optical
theorem in the paper's normalisation (f = −T on shell, ħ = m = 1, normalised ⟨·⟩ over n'), τ, and the
exact τ, τ_tr of isotropic (s-wave), hard-disk and hard-sphere scatterers as functions of k_F a.
"""
from __future__ import annotations

from functools import partial

import sympy

from derive.engines import claims
from derive.engines.transport import cos_theta, scattering_rate, transport_rate
from derive.model import Argument, Export, Step
from derive.engines.scatterers import cross_sections_symbolic

PAPER = "bosonization"
PARTIAL_WAVES = 40          # exact to ~1e-15 for k_F a up to about 20 (the tail starts near l ≈ k_F a)
n_i, v_F, k_F, a, tau = sympy.symbols("n_i v_F k_F a tau", positive=True)
x = sympy.Symbol("x", positive=True)             # k_F a


def step_averaged_t_matrix() -> Step:
    g0, f, xi, f_real, lam = sympy.symbols("g_0 f xi f' Lambda")
    X = n_i * f / (1 - sympy.I * g0 * n_i * f)
    z = sympy.I * g0 * n_i * f
    averaged_g = g0 * (1 + sympy.I * X * g0)
    on_shell = {g0: sympy.I / xi, f: f_real + sympy.I * lam / (2 * n_i * tau)}
    return Step(
        id="eq12-averaged-t-matrix", title="The averaged T-matrix and Green function", paper=PAPER, equation="(12)",
        result=sympy.Eq(sympy.Symbol(r"\langle X \rangle"), X),
        claims=(
            claims.equal("Σ_{k<5} n_i f (i g₀ n_i f)^k = ⟨X⟩ (1 − (i g₀ n_i f)^5): the single-impurity "
                         "ladder sums to Eq. (12)", sum(n_i * f * z**k for k in range(5)), X * (1 - z**5), "simplify"),
            claims.equal("⟨g⟩ = g₀[1 + i⟨X⟩g₀] = 1/(g₀⁻¹ − i n_i f)", averaged_g,
                         1 / (1 / g0 - sympy.I * n_i * f), "simplify"),
            claims.equal("with g₀ = i/ξ and Im f = Λ/(2 n_i τ): ⟨g⟩ = i/(ξ + n_i Re f + iΛ/2τ)",
                         averaged_g.subs(on_shell), sympy.I / (xi + n_i * f_real + sympy.I * lam / (2 * tau)),
                         "simplify"),
        ),
        note="Both f's in Eq. (12) are the forward amplitude f(p, p): ⟨X⟩ is diagonal, δ(p − p'). Re f shifts "
             "ε_F; the ξ-integral of ⟨g⟩ is again Λ (Eq. 9 step, width 1/2τ).",
    )


def _phase_symbols(count: int) -> tuple[sympy.Symbol, ...]:
    return sympy.symbols(f"delta_0:{count}", real=True)


def _weierstrass_zero(expr: sympy.Expr, deltas) -> sympy.Expr:
    """Rewrite sin, cos, exp(i·δ) of the phase shifts rationally in tan(δ/2); returns the cancelled form."""
    expr = sympy.expand_trig(sympy.expand(expr.rewrite(sympy.cos)))
    ts = sympy.symbols(f"t_0:{len(deltas)}", real=True)
    rational = expr.subs({sympy.sin(d): 2 * t / (1 + t**2) for d, t in zip(deltas, ts)}).subs(
        {sympy.cos(d): (1 - t**2) / (1 + t**2) for d, t in zip(deltas, ts)})
    return sympy.cancel(sympy.together(rational))


def _partial_amplitudes(deltas) -> list[sympy.Expr]:
    return [sympy.exp(sympy.I * d) * sympy.sin(d) for d in deltas]


def _amplitude_3d(deltas, c: sympy.Symbol) -> sympy.Expr:
    """f(θ) = (2π/k) Σ_l (2l+1) e^{iδ_l} sin δ_l P_l(cos θ), k = 1."""
    return 2 * sympy.pi * sum((2 * l + 1) * amp * sympy.legendre(l, c)
                              for l, amp in enumerate(_partial_amplitudes(deltas)))


def _optical_defects_3d(weight) -> list[sympy.Expr]:
    """Im f(0) − πν⟨|f|²⟩ and 2πν⟨|f|² w⟩ − v σ-formula, d = 3, four partial waves, k = m = 1."""
    deltas, c = _phase_symbols(4), sympy.Symbol("c", real=True)
    f = _amplitude_3d(deltas, c)
    nu = 1 / (2 * sympy.pi**2)
    average = lambda e: sympy.integrate(sympy.expand(e), (c, -1, 1)) / 2
    modulus = sympy.expand(f * f.conjugate())
    if weight == "optical":
        return [_weierstrass_zero(sympy.im(f.subs(c, 1)) - sympy.pi * nu * average(modulus), deltas)]
    steps = [sympy.sin(deltas[l] - (deltas[l + 1] if l + 1 < 4 else 0)) ** 2 for l in range(4)]
    sigma = 4 * sympy.pi * sum((2 * l + 1) * sympy.sin(d) ** 2 for l, d in enumerate(deltas))
    sigma_tr = 4 * sympy.pi * sum((l + 1) * s for l, s in enumerate(steps))
    return [_weierstrass_zero(2 * sympy.pi * nu * average(modulus) - sigma, deltas),
            _weierstrass_zero(2 * sympy.pi * nu * average(modulus * (1 - c)) - sigma_tr, deltas)]


def _optical_defects_2d() -> list[sympy.Expr]:
    """Same in d = 2 with m = −2..2 (δ_{−m} = δ_m), f = 2 Σ e^{iδ} sin δ e^{imθ}, ν = 1/2π; z = e^{iθ}."""
    deltas, z = _phase_symbols(3), sympy.Symbol("z")
    amps = _partial_amplitudes(deltas)
    conj = [a.conjugate() for a in amps]
    f = 2 * sum(amps[abs(k)] * z**k for k in range(-2, 3))
    fbar = 2 * sum(conj[abs(k)] * z**(-k) for k in range(-2, 3))
    constant_term = lambda e: sympy.Poly(sympy.expand(e * z**8), z).coeff_monomial(z**8)
    nu = 1 / (2 * sympy.pi)
    modulus = sympy.expand(f * fbar)
    sigma = 4 * sum((1 if k == 0 else 2) * sympy.sin(deltas[k]) ** 2 for k in range(3))
    sigma_tr = 4 * sum(sympy.sin(deltas[k] - (deltas[k + 1] if k < 2 else 0)) ** 2 for k in range(3))
    return [
        _weierstrass_zero(sympy.im(f.subs(z, 1)) - sympy.pi * nu * constant_term(modulus), deltas),
        _weierstrass_zero(2 * sympy.pi * nu * constant_term(modulus) - sigma, deltas),
        _weierstrass_zero(2 * sympy.pi * nu * constant_term(modulus * (1 - (z + 1 / z) / 2)) - sigma_tr, deltas),
    ]


def step_optical_theorem() -> Step:
    f_forward, nu, w = sympy.symbols("f_{nn} nu w")
    return Step(
        id="eq12-optical-theorem", title="The optical theorem and τ", paper=PAPER, equation="(12)",
        result=sympy.Eq(sympy.im(f_forward), sympy.pi * nu * sympy.Symbol(r"\langle |f(n, n')|^2 \rangle_{n'}")),
        claims=(
            claims.all_zero("d = 3, four partial waves: Im f(n,n) = πν⟨|f(n,n')|²⟩ (paper's factors hold)",
                            partial(_optical_defects_3d, "optical")),
            claims.all_zero("d = 3: 1/(n_iτ) = 2πν⟨|f|²⟩ = v_F σ and 1/(n_iτ_tr) = 2πν⟨|f|²(1 − n·n')⟩ = v_F σ_tr "
                            "with σ_tr = (4π/k²)Σ(l+1) sin²(δ_l − δ_{l+1})", partial(_optical_defects_3d, "rates")),
            claims.all_zero("d = 2, |m| ≤ 2: the optical theorem, v_F σ and v_F σ_tr = (4/k)Σ_{m≥0} sin²(δ_m − δ_{m+1})",
                            _optical_defects_2d),
        ),
        note="⟨·⟩ is the normalised average over n'; f = −T (so Im f > 0) and w = 2πν|f|², so "
             "τ⁻¹ = n_i⟨w⟩ = 2 n_i Im f(n, n), i.e. Im f = (2 n_i τ)⁻¹ as printed.",
    )


def _sphere_s_wave_limit() -> sympy.Expr:
    j0, y0 = sympy.expand_func(sympy.jn(0, x)), sympy.expand_func(sympy.yn(0, x))
    return sympy.limit(4 * sympy.pi / x**2 * j0**2 / (j0**2 + y0**2), x, 0)


def _sphere_wronskians() -> list[sympy.Expr]:
    """x² (j_l y_{l+1} − y_l j_{l+1}) = −1... enters sin²(δ_l − δ_{l+1}); checked for l ≤ 3."""
    cross = lambda l: sympy.jn(l, x) * sympy.yn(l + 1, x) - sympy.yn(l, x) * sympy.jn(l + 1, x)
    return [sympy.simplify(sympy.expand_func(x**2 * cross(l))) + 1 for l in range(4)]


def step_model_scatterers() -> Step:
    exports = []
    delta0 = sympy.Symbol("delta_0", real=True)
    for d, name in ((2, "hard_disk"), (3, "hard_sphere")):
        sigma, sigma_tr = cross_sections_symbolic(d, x, PARTIAL_WAVES)
        args = (Argument("k_F_a", x, description="k_F times the radius a"), Argument("a", a),
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
    sigma3, sigma3_tr = cross_sections_symbolic(3, x, 2)
    return Step(
        id="model-scatterers", title="τ and τ_tr of model scatterers beyond the Born approximation", paper=PAPER,
        equation="(12)", result=sympy.Eq(sympy.Symbol(r"\sigma_{tr}"), sympy.Symbol(r"\ldots") + sigma3_tr),
        claims=(
            claims.equal("hard sphere, k_F a → 0: σ → 4πa² (s-wave)", _sphere_s_wave_limit, 4 * sympy.pi),
            claims.all_zero("x²(j_l y_{l+1} − y_l j_{l+1}) = −1 for l ≤ 3 (so sin²(δ_l − δ_{l+1}) = "
                            "1/(x⁴|h_l|²|h_{l+1}|²))", _sphere_wronskians),
            claims.equal("isotropic w: τ_tr = τ in d = 2", transport_rate(1, 2), scattering_rate(1, 2)),
            claims.equal("isotropic w: τ_tr = τ in d = 3", transport_rate(1, 3), scattering_rate(1, 3)),
            claims.equal("w ∝ 1 + cos θ in d = 3 scatters forward: τ_tr/τ = 3/2",
                         scattering_rate(1 + cos_theta, 3) / transport_rate(1 + cos_theta, 3), sympy.Rational(3, 2)),
        ),
        exports=tuple(exports),
        note="Exact phase shifts tan δ_l = j_l(k_F a)/y_l(k_F a) (sphere), J_m/Y_m (disk); the exported "
             "functions evaluate Bessel functions with scipy.special.",
    )


def impurity_steps() -> tuple[Step, ...]:
    return step_averaged_t_matrix(), step_optical_theorem(), step_model_scatterers()
