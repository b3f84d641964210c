"""Eq. (11): integrating out the fast modes at Gaussian level gives the coarse-grained functional."""
from __future__ import annotations

import numpy as np
import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    Ber,
    H_phase,
    Lam,
    nc,
    omega,
    phase_point,
)
from derive.engines import claims
from derive.engines.supermatrix import (
    Grading,
    GrassmannAlgebra,
    Str,
    SupertraceRules,
    algebra_log,
    berezinian_of_linear_map,
    invert,
    multiply,
    random_even_supermatrix,
    random_rational_even_supermatrix,
    superdeterminant,
    supertrace,
    supertrace_of,
)
from derive.model import Step

__all__ = ["eq11_coarse_grained"]


def _fluctuation_data(seed: int):
    """A grading and two Grassmann-valued (4 generators) even (1|1)⊕(1|1) supermatrices: H invertible, K small."""
    rng = np.random.default_rng(seed)
    algebra, grading = GrassmannAlgebra(4), Grading.retarded_advanced(1, 1)
    body = np.eye(4) * 2.0 + 0.3 * rng.normal(size=(4, 4))
    H = random_even_supermatrix(rng, algebra, grading, body=body)
    K = random_even_supermatrix(rng, algebra, grading, body=0.5 * rng.normal(size=(4, 4)))
    return grading, H, K


def _log_sdet(matrix: np.ndarray, grading: Grading) -> np.ndarray:
    return algebra_log(superdeterminant(matrix, grading))


def _third_order_residual(residual, scales=(0.04, 0.02, 0.01, 0.005)) -> str | None:
    """None when max |residual(ε)| falls as ε³ (fitted slope 3 ± 0.15); else the residuals and the slope."""
    sizes = [float(np.max(np.abs(residual(e)))) for e in scales]
    slope = float(np.polyfit(np.log(scales), np.log(sizes), 1)[0])
    return None if abs(slope - 3) < 0.15 else f"residuals {sizes}, slope {slope:.3f}"


def _str_ln_expansion() -> str | None:
    """Str ln(g + εδ) = Str ln g + ε Str(g⁻¹δ) − (ε²/2) Str(g⁻¹δ)² + O(ε³), Grassmann-valued g, δ."""
    grading, g, delta = _fluctuation_data(21)
    g_inv = invert(g)
    first = supertrace(multiply(g_inv, delta), grading)
    second = supertrace(multiply(multiply(g_inv, delta), multiply(g_inv, delta)), grading)
    base = _log_sdet(g, grading)
    return _third_order_residual(lambda e: _log_sdet(g + e * delta, grading) - base - e * first + e**2 / 2 * second)


def _coarse_grained_is_the_exact_minimum() -> str | None:
    """min over Q̃ of (i/2)Str[(H + K)Q̃ − i ln Q̃] (at Q̃ = i(H + K)⁻¹, value −½ ln Sdet(H + K), Str 1 = 0)
    against Eq. (11): ½ ln Sdet g + (i/2)Str[(H + K)g] − ¼Str(gK)², g = iH⁻¹; residual O(K³)."""
    grading, H, K = _fluctuation_data(22)
    g = 1j * invert(H)
    str_ = lambda m: supertrace(m, grading)
    log_sdet_g = _log_sdet(g, grading)

    def residual(e):
        exact = -0.5 * _log_sdet(H + e * K, grading)
        gK = multiply(g, e * K)
        eq11 = 0.5 * log_sdet_g + 0.5j * str_(multiply(H + e * K, g)) - 0.25 * str_(multiply(gK, gK))
        return exact - eq11
    return _third_order_residual(residual)


def eq11_coarse_grained() -> Step:
    g, ginv, Vs, Vb, Qs, Qt, dQ, K = (nc(s) for s in ("g", "g^{-1}", "V", "\\bar{V}", "Q", "\\tilde{Q}", "\\delta Q", "K"))
    H, Delta, eps = H_phase, nc("\\Delta"), sympy.Symbol(r"\epsilon")
    log_expansion = sympy.Eq(Str(sympy.log(g + eps * dQ)),
                             Str(sympy.log(g)) + eps * Str(ginv * dQ) - eps**2 / 2 * Str(ginv * dQ * ginv * dQ) + sympy.O(eps**3),
                             evaluate=False)
    gaussian = sympy.Eq(Ber(ginv * Delta * ginv, Delta), 1)
    minimum = sympy.Eq(-Str(sympy.log(H + eps * K)) / 2,
                       Str(sympy.log(g)) / 2 + sympy.I / 2 * Str((H + eps * K) * g) - eps**2 / 4 * Str(g * K * g * K)
                       + sympy.O(eps**3), evaluate=False)
    F, x = sympy.Function("F"), phase_point
    power = sympy.Symbol("n", integer=True, positive=True)
    conj = SupertraceRules(Lam, inverses=((Vs, Vb),))
    green = SupertraceRules(Lam, inverses=((g, ginv),))
    commutator = Vb * (H * Vs - Vs * H)                 # V̄[H, V] = V̄HV − H
    shift = dQ - sympy.I * g * K * g                    # δQ minus its stationary value i g K g
    g22 = Grading.retarded_advanced(2, 2)
    g_value = random_rational_even_supermatrix(5, g22)
    g_inverse = g_value.inv()
    rhs = (sympy.I * omega / 4 * sympy.Integral(Str(Lam, Qs), x) + sympy.I / 2 * sympy.Integral(Str(H, Qs), x)
           - sympy.Rational(1, 4) * sympy.Integral(Str((g * Vb * (H * Vs - Vs * H)) ** 2), x))
    return Step(
        **OUTLINE.header("eq11-coarse-grained"),
        result=sympy.Eq(F(Qs), rhs),
        claims=(
            claims.equal(r"with $Q = V \tilde{Q} \bar{V}$ the fast $\tilde{Q}$ sees $H + K$, "
                         r"$K = \bar{V} [H, V] = \bar{V} H V - H$",
                         lambda: supertrace_of(H * Vs * Qt * Vb, conj),
                         lambda: supertrace_of((H + sympy.expand(commutator)) * Qt, conj),
                         formula=sympy.Eq(Str(H * Vs * Qt * Vb), Str((H + commutator) * Qt), evaluate=False)),
            claims.all_zero(r"for $n \le 4$: $\operatorname{Str} \ln Q = \operatorname{Str} \ln \tilde{Q}$ does not see $V$",
                            lambda: [supertrace_of((Vs * Qt * Vb) ** n, conj) - supertrace_of(Qt**n, conj)
                                     for n in range(1, 5)],
                            formula=sympy.Eq(Str((Vs * Qt * Vb) ** power), Str(Qt**power), evaluate=False)),
            claims.holds(r"the expansion of the logarithm in $\delta Q$",
                         _str_ln_expansion, formula=log_expansion, method= r"Grassmann-valued $(1|1) \oplus (1|1)$ supermatrices, 4 generators: "
                         r"$\ln \operatorname{Sdet}$ against the series, residual slope 3 in $\epsilon$"),
            claims.equal(r"the stationary point is $\tilde{Q} = g = i H^{-1}$: the part of "
                         r"$\tfrac{i}{2} \operatorname{Str}[(H + K)(g + \delta Q) - i g^{-1} \delta Q]$ linear in $\delta Q$ "
                         r"is $\tfrac{i}{2} \operatorname{Str}[K \delta Q]$, with $g^{-1} = -i H$",
                         lambda: supertrace_of(sympy.I / 2 * ((H + K) * dQ - sympy.I * (-sympy.I * H) * dQ), green),
                         lambda: supertrace_of(sympy.I / 2 * K * dQ, green),
                         formula=sympy.Eq(Str(sympy.I / 2 * ((H + K) * dQ - sympy.I * (-sympy.I * H) * dQ)),
                                          Str(sympy.I / 2 * K * dQ), evaluate=False)),
            claims.equal(r"completing the square, with $\Delta = \delta Q - i g K g$",
                         lambda: supertrace_of(sympy.I / 2 * K * dQ - ginv * dQ * ginv * dQ / 4, green),
                         lambda: supertrace_of(-g * K * g * K / 4 - ginv * shift * ginv * shift / 4, green),
                         formula=sympy.Eq(sympy.I / 2 * Str(K * dQ) - Str(ginv * dQ * ginv * dQ) / 4,
                                          -Str(g * K * g * K) / 4 - Str(ginv * shift * ginv * shift) / 4, evaluate=False)),
            claims.equal(r"the Gaussian integral over $\Delta$ is 1: the Berezinian of $\Delta \to g^{-1} \Delta g^{-1}$ is 1 "
                         r"on $(2|2)$ supermatrices (exact rational $g$, not diagonal)",
                         lambda: berezinian_of_linear_map(lambda m: g_inverse * m * g_inverse, g22), 1, formula=gaussian),
            claims.holds(r"end to end: Eq. (11), with $K \to \epsilon K$ and $g = i H^{-1}$, is the exact minimum "
                         r"$-\tfrac{1}{2} \operatorname{Str} \ln(H + \epsilon K)$ over $\tilde{Q}$ of "
                         r"$\tfrac{i}{2} \operatorname{Str}[(H + \epsilon K) \tilde{Q} - i \ln \tilde{Q}]$ up to $O(\epsilon^3)$",
                         _coarse_grained_is_the_exact_minimum, formula=minimum, method=
                         r"Grassmann-valued supermatrices, exact minimum $-\tfrac{1}{2} \ln \operatorname{Sdet}(H + K)$, "
                         r"residual slope 3"),
        ),
        note=r"Products are star products (associative, and $\int \operatorname{Str}$ is cyclic, Eq. (10)). With "
             r"$Q = V \tilde{Q} \bar{V}$ the fast $\tilde{Q}$ sees $H + K$, $K = \bar{V} [H, V]$ small for slow $V$; "
             r"expanding to second order in $\delta Q = \tilde{Q} - g$ and integrating $\delta Q$ out (a Gaussian "
             r"superintegral, normalised by supersymmetry) gives the stationary value "
             r"$-\tfrac{1}{4} \operatorname{Str}(g K)^2$, the last term of Eq. (11). The $\omega$-term is kept at tree "
             r"level. Not derived: higher orders in $\delta Q$ (the paper's contraction rules) and the integration domain.",
    )
