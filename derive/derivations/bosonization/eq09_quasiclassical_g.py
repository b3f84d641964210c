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

__all__ = ["eq09_quasiclassical_g", "quasiclassical_integral"]


def quasiclassical_integral(sign: int, width: sympy.Expr) -> sympy.Expr:
    """(1/π) ∫_{−W}^{W} dξ i/(ξ + i·sign·width), W → ∞."""
    xi, cutoff = sympy.Symbol("xi", real=True), sympy.Symbol("W", positive=True)
    integral = sympy.integrate(sympy.I / (xi + sympy.I * sign * width), (xi, -cutoff, cutoff))
    return sympy.limit(sympy.expand_log(integral, force=True), cutoff, sympy.oo) / sympy.pi


def eq09_quasiclassical_g() -> Step:
    delta, tau = sympy.Symbol("delta", positive=True), sympy.Symbol("tau", positive=True)
    xi = sympy.Symbol("xi", real=True)
    return Step(
        **OUTLINE.header("eq9-quasiclassical-g"),
        result=sympy.Eq(sympy.Integral(sympy.I / (xi + sympy.I * delta * Lam), xi) / sympy.pi, Lam),
        claims=tuple(
            claims.equal(rf"$\frac{{1}}{{\pi}} \int_{{-W}}^{{W}} d\xi\, i/(\xi {'+' if s > 0 else '-'} {label}) \to {s}$ "
                         r"as $W \to \infty$ (a cutoff symmetric about the Fermi surface)",
                         partial(quasiclassical_integral, s, w), s)
            for s in (1, -1) for w, label in ((delta, r"i \delta"), (1 / (2 * tau), r"i/(2\tau)"))
        ),
        note=r"Holds for $\Lambda = \pm 1$ and any positive width ($\delta$, or $1/2\tau$ with impurities); the real "
             r"part cancels only for a cutoff symmetric about the Fermi surface.",
    )
