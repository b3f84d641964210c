"""Eq. (13) -> Eq. (14): first order in the charge-neutrality term, and the canonical-ensemble correction Delta F."""
from __future__ import annotations

import sympy
from sympy import I, Symbol, pi

from derive.derivations.granular.notation import T, delta
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def _eq13_residual() -> sympy.Expr:
    """Delta F = T (1/alpha) <S_2> at first order in S_2 = delta/(4T) sum_j N_j^2, N_j = -i (pi T/delta) Tr[Q P_j]."""
    alpha, trace_squared = Symbol("alpha", positive=True), Symbol(r"\langle(\mathrm{Tr}[Q P_j])^2\rangle")
    N_squared = (-I * pi * T / delta) ** 2 * trace_squared
    first_order = T / alpha * alpha * (delta / (4 * T)) * N_squared  # alpha equal replicas
    eq13 = -delta / 4 * (pi * T / delta) ** 2 / alpha * alpha * trace_squared
    return sympy.expand(first_order - eq13)


def _legendre_residual() -> sympy.Expr:
    """F(N) = max_mu [Omega(mu) + mu N] - Omega(0) to second order in dN = N(0) - N is dN^2/(2 kappa)."""
    s, dN, kappa, k3, N0, m, mu1 = sympy.symbols("s dN kappa kappa_3 N_0 m mu_1")
    target = -N0 * m - kappa * m**2 / 2 - k3 * m**3 / 6 + m * (N0 - s * dN)  # Omega(m) - Omega(0) + m N
    stationarity = sympy.expand(sympy.diff(target, m).subs(m, s * mu1))
    leading = {mu1: sympy.solve(stationarity.coeff(s, 1), mu1)[0]}
    value = sympy.expand(target.subs(m, s * mu1).subs(leading))
    return sympy.expand(value.coeff(s, 2) - dN**2 / (2 * kappa)) + value.coeff(s, 1) + value.coeff(s, 0)


def eq13_14_canonical() -> Step:
    """Eq. (13) from first order in S_2 and Eq. (14) from the Legendre transform at fixed N."""
    dN2, kappa = Symbol(r"\left\langle(\Delta N)^{2}\right\rangle_{\mu}"), 2 / delta
    return Step(
        **OUTLINE.header("eq13-eq14-canonical"),
        result=sympy.Eq(Symbol(r"\Delta F"), dN2 / (2 * kappa)),
        claims=(
            claims.equal(
                r"the first order in $(\delta/4T)\sum N^2$ ($q = 0$) gives Eq. (13), "
                r"$\Delta F = -(\delta/4)(\pi T/\delta)^2\alpha^{-1}\sum_j\langle(\operatorname{Tr}QP_j)^2\rangle$",
                _eq13_residual,
                0,
            ),
            claims.equal(
                r"the canonical free energy (the Legendre transform of $\Omega$ at fixed $N$) exceeds $\Omega + \mu N$ by "
                r"$(\Delta N)^2/(2\,dN/d\mu) + O(\Delta N^3)$; $dN/d\mu = 2/\delta$ (spin) gives Eq. (14), "
                r"$(\delta/4)\langle(\Delta N)^2\rangle$",
                _legendre_residual,
                0,
            ),
            claims.equal(
                r"on spin-degenerate levels $N = 2\sum_i f(e_i)$, so $(\delta/4)\operatorname{Var}N = \delta\operatorname{Var}\sum_i f$; "
                r"with the unitary correlator $-1/2\pi^2\omega^2$ this is the printed "
                r"$-(\delta/2\pi^2)\iint f(e)f(e')/(e - e')^2$",
                delta / 4 * 4 * (-1 / (2 * pi**2)),
                -delta / (2 * pi**2),
            ),
        ),
        note=r"Eq. (14) holds with $\Delta N$ the total number (both spins) and $\delta$ the level spacing per spin.",
    )
