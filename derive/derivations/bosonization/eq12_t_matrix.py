"""Eq. (12): the averaged T-matrix of independent impurities (small n_i) and the averaged Green function."""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    n_i,
)
from derive.engines import claims
from derive.model import Step

__all__ = ["eq12_averaged_t_matrix"]

tau = sympy.Symbol("tau", positive=True)


def eq12_averaged_t_matrix() -> Step:
    g0, f, xi, f_real, lam = sympy.symbols("g_0 f xi f' Lambda")
    X = n_i * f / (1 - sympy.I * g0 * n_i * f)
    z = sympy.I * g0 * n_i * f
    averaged_g = g0 * (1 + sympy.I * X * g0)
    on_shell = {g0: sympy.I / xi, f: f_real + sympy.I * lam / (2 * n_i * tau)}
    return Step(
        **OUTLINE.header("eq12-averaged-t-matrix"),
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
