"""Eq. (13) expanded in P: V_n = V W_n, W_n = e^{−iP_n}, PΛ = −ΛP, X = A_nΛ − ΛA_n."""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    An,
    Lam,
    P,
    V,
    Vbar,
    nc,
)
from derive.engines import claims
from derive.engines.fermi_surface import AlongDirection
from derive.engines.supermatrix import (
    Str,
    SupertraceRules,
    supertrace_of,
)
from derive.engines.trln import expand_terms
from derive.model import Step

__all__ = ["eq13_expansion_in_p"]

dP = AlongDirection(P)                     # n·∇P
V_n, Vbar_n = nc("V_n"), nc("\\bar{V}_n")


def _order_in(expr: sympy.Expr, letters: set, order: int) -> sympy.Expr:
    """The part of a noncommutative expression with exactly ``order`` letters from ``letters``."""
    return sympy.Add(*(coeff * sympy.Mul(*word) for word, coeff in expand_terms(sympy.expand(expr)).items()
                       if sum(f in letters for f in word) == order))


def _expansion_rules() -> SupertraceRules:
    return SupertraceRules(Lam, frozenset({P, dP}), ((V, Vbar),))


def _liouville_integrand() -> sympy.Expr:
    """Λ V̄_n n·∇V_n = Λ (W̄ A_n W + W̄ ∇W) with V̄V = 1, through second order in P."""
    W, Wbar = 1 - sympy.I * P - P**2 / 2, 1 + sympy.I * P - P**2 / 2
    dW = -sympy.I * dP - (dP * P + P * dP) / 2
    return Lam * (Wbar * An * W + Wbar * dW)


def eq13_expansion_in_p() -> Step:
    rules, letters = _expansion_rules(), {P, dP}
    W, Wbar = 1 - sympy.I * P - P**2 / 2, 1 + sympy.I * P - P**2 / 2
    X = An * Lam - Lam * An
    integrand = _liouville_integrand()
    str_of = lambda e: supertrace_of(e, rules)
    frequency_orders = _order_in(Lam * W * Lam * Wbar, letters, 2) + _order_in(Lam * W * Lam * Wbar, letters, 1)
    return Step(
        **OUTLINE.header("eq13-expansion-in-P"),
        result=sympy.Eq(Str(Lam * Vbar_n * AlongDirection(V_n)),
                        Str(Lam, An) + sympy.I * Str(P * X) + Str(Lam, P, dP)),
        claims=(
            claims.equal(r"$\bar{W} W = 1$ through second order in $P$", Wbar * W, 1 + P**4 / 4,
                         formula=sympy.Eq(sympy.Mul(Wbar, W, evaluate=False), 1 + P**4 / 4, evaluate=False)),
            claims.equal(r"first order in $P$, with $X = A_n \Lambda - \Lambda A_n$ (the term $\operatorname{Str} \Lambda\, n \cdot \nabla P$ "
                         r"vanishes)",
                         lambda: str_of(_order_in(integrand, letters, 1)), lambda: str_of(sympy.I * P * X),
                         formula=sympy.Eq(Str(_order_in(integrand, letters, 1)), sympy.I * Str(P * X), evaluate=False)),
            claims.equal(r"second order in $P$ at $A_n = 0$",
                         lambda: str_of(_order_in(integrand.subs(An, 0), letters, 2)), lambda: str_of(Lam * P * dP),
                         formula=sympy.Eq(Str(_order_in(integrand.subs(An, 0), letters, 2)), Str(Lam * P * dP),
                                          evaluate=False)),
            claims.equal(r"frequency term at $V = 1$: the first- and second-order parts of "
                         r"$\operatorname{Str}[\Lambda Q_n] = \operatorname{Str}[\Lambda W \Lambda \bar{W}]$",
                         lambda: str_of(frequency_orders), lambda: str_of(-2 * P * P),
                         formula=sympy.Eq(Str(frequency_orders), Str(-2 * P * P), evaluate=False)),
        ),
        note=r"Terms $P^2 A_n$ are $O(\nabla^3)$ once $P = O(\nabla)$ and are dropped; the zeroth order "
             r"$\operatorname{Str} \Lambda A_n$ is a total derivative and drops from the diffusive limit.",
    )
