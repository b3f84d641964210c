"""Eq. (6): the saddle point Lambda = sign(eps_n) from the xi integral of the Green function."""
from __future__ import annotations

import sympy
from sympy import I, Rational, Symbol, pi

from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import xi_integral_symmetric_cutoff
from derive.model import Step


def self_consistency_residual() -> str | None:
    """Q = sign(eps + Q/(2 tau_e)): Lambda = sign(eps) always; -sign(eps) only for |eps| < 1/(2 tau_e)."""
    tau_e = Rational(1, 3)
    for eps in (Rational(-7, 2), Rational(-1, 5), Rational(1, 7), Rational(5, 2)):
        if sympy.sign(eps + sympy.sign(eps) / (2 * tau_e)) != sympy.sign(eps):
            return f"Lambda = sign(eps) not self-consistent at eps = {eps}"
        inverted_ok = sympy.sign(eps - sympy.sign(eps) / (2 * tau_e)) == -sympy.sign(eps)
        if inverted_ok != (abs(eps) < 1 / (2 * tau_e)):
            return f"Q = -sign(eps) self-consistency wrong at eps = {eps}"
    return None


def _difference_integrand(xi: sympy.Symbol) -> sympy.Expr:
    a, b = Symbol("a", positive=True), Symbol("b", positive=True)
    return 1 / (I * a - xi) - 1 / (-I * b - xi)


def residue_difference() -> sympy.Expr:
    """int dxi [1/(i a - xi) - 1/(-i b - xi)] (a, b > 0) by residues, closing in the upper half-plane."""
    xi = sympy.Symbol("xi")
    return 2 * pi * I * sympy.residue(_difference_integrand(xi), xi, I * Symbol("a", positive=True))


def _over_xi(integrand) -> sympy.Integral:
    """int_{-oo}^{oo} dxi integrand(xi), unevaluated: the statement the cutoff and residue claims prove."""
    xi = Symbol("xi", real=True)
    return sympy.Integral(integrand(xi), (xi, -sympy.oo, sympy.oo))


def eq06_saddle_point() -> Step:
    """Eq. (6): Q = sign(eps_n + Q/2tau), solved by Lambda = sign(eps_n)."""
    a = Symbol("a", positive=True)
    eps, tau_e = Symbol("epsilon_n", real=True), Symbol("tau", positive=True)
    return Step(
        **OUTLINE.header("eq6-saddle-point"),
        # Q_n: the diagonal element of Q at eps_n (Q is diagonal in the Matsubara basis at the saddle point)
        result=sympy.Eq(Symbol("Q_n"), sympy.sign(eps + Symbol("Q_n") / (2 * tau_e))),
        claims=(
            claims.equal(r"$\int d\xi\,(ia - \xi)^{-1} = -i\pi$ for $a > 0$ (symmetric cutoff $L \to \infty$)", lambda: xi_integral_symmetric_cutoff(a), -I * pi,
                         formula=sympy.Eq(_over_xi(lambda xi: 1 / (I * a - xi)), -I * pi, evaluate=False)),
            claims.equal(r"$\int d\xi\,(ia - \xi)^{-1} = i\pi$ for $a < 0$", lambda: xi_integral_symmetric_cutoff(-a), I * pi,
                         formula=sympy.Eq(_over_xi(lambda xi: 1 / (-I * a - xi)), I * pi, evaluate=False)),
            claims.equal(
                "the convergent difference of two Green functions, integrated by residues, equals the difference of the cutoff results",
                residue_difference,
                -2 * pi * I,
                formula=sympy.Eq(_over_xi(_difference_integrand), -2 * pi * I, evaluate=False),
            ),
            claims.holds(
                r"$Q = (i/\pi\nu)\,\nu\int d\xi\, G = \operatorname{sign}(\varepsilon_n + Q/2\tau)$ is solved by "
                r"$\Lambda = \operatorname{sign}\varepsilon_n$; $Q = -\operatorname{sign}\varepsilon_n$ also solves it for "
                r"$|\varepsilon_n| < 1/2\tau$ (the $Q_0 = \pm 1$ of the paper)",
                self_consistency_residual,
                r"exact evaluation at rational points on both sides of $1/2\tau$",
                formula=sympy.Eq(sympy.sign(eps), sympy.sign(eps + sympy.sign(eps) / (2 * tau_e)), evaluate=False),
            ),
        ),
        note=(
            r"Eq. (6) after the $\xi$ integral: $Q = (i/\pi\nu)\,\nu\int d\xi\, G = \operatorname{sign}(\varepsilon_n + Q/2\tau)$, "
            r"solved by $\Lambda = \operatorname{sign}\varepsilon_n$. Eqs. (7) and (10) use "
            r"$\sum_p G_l(p) = -i\pi Q_l/\delta$, with $1/\delta$ the density of states of a grain per spin."
        ),
    )
