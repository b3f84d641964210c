"""Eq. (9): the ξ-integral of the quasiclassical g."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    Lam,
)
from derive.engines import claims
from derive.model import Step

__all__ = ["eq09_quasiclassical_g", "quasiclassical_integral", "quasiclassical_limit"]

xi, cutoff = sympy.Symbol("xi", real=True), sympy.Symbol("Xi", positive=True)   # ξ and the cutoff Ξ


def quasiclassical_limit(sign: int, width: sympy.Expr) -> sympy.Limit:
    """lim_{Ξ→∞} (1/π) ∫_{−Ξ}^{Ξ} dξ i/(ξ + i·sign·width), unevaluated (a cutoff symmetric about ξ = 0)."""
    return sympy.Limit(sympy.Integral(sympy.I / (xi + sympy.I * sign * width), (xi, -cutoff, cutoff)) / sympy.pi,
                       cutoff, sympy.oo)


def quasiclassical_integral(sign: int, width: sympy.Expr) -> sympy.Expr:
    """The value of ``quasiclassical_limit``: the integral done, its logarithms expanded, then the limit."""
    integral = quasiclassical_limit(sign, width).args[0].doit()
    return sympy.limit(sympy.expand_log(integral, force=True), cutoff, sympy.oo)


def eq09_quasiclassical_g() -> Step:
    delta, tau = sympy.Symbol("delta", positive=True), sympy.Symbol("tau", positive=True)
    return Step(
        **OUTLINE.header("eq9-quasiclassical-g"),
        result=sympy.Eq(sympy.Integral(sympy.I / (xi + sympy.I * delta * Lam), xi) / sympy.pi, Lam),
        claims=tuple(
            claims.equal(r"a cutoff $\Xi$ symmetric about the Fermi surface" + (r", width $1/2\tau$" if w != delta else ""),
                         partial(quasiclassical_integral, s, w), s,
                         formula=sympy.Eq(quasiclassical_limit(s, w), s, evaluate=False))
            for s in (1, -1) for w in (delta, 1 / (2 * tau))
        ),
        note=r"Holds for $\Lambda = \pm 1$ and any positive width ($\delta$, or $1/2\tau$ with impurities); the real "
             r"part cancels only for a cutoff symmetric about the Fermi surface.",
    )
