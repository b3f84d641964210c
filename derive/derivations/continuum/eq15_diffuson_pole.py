"""Eq. (15): D is the diffusion constant, read off the diffuson pole of the quadratic action."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step

u, ubar, q, r, s = sympy.symbols(r"u \bar{u} q r s")
D = sympy.Symbol("D", positive=True)
eps1, eps2 = sympy.symbols(r"\varepsilon_{n} \varepsilon_{m}")


def _diffuson_sides():
    """Quadratic action (unsimplified, as built) of a plane-wave rotation Q = e^{iX}Λe^{−iX} of Eq. (15) against 2πν(Dq² + ε₁ − ε₂)|u|²."""
    X = sympy.Matrix([[0, s * u * sympy.exp(sympy.I * q * r)], [s * ubar * sympy.exp(-sympy.I * q * r), 0]])
    lam, energies = sympy.diag(1, -1), sympy.diag(eps1, eps2)
    rotated = lam + sympy.I * (X * lam - lam * X) - (X * (X * lam - lam * X) - (X * lam - lam * X) * X) / 2
    gradient = rotated.diff(r)
    density = sympy.pi * nu * (-(energies * rotated).trace() + D / 4 * (gradient * gradient).trace())
    quadratic = sympy.expand(density).coeff(s, 2)
    expected = 2 * sympy.pi * nu * (D * q**2 + eps1 - eps2) * u * ubar
    return quadratic, expected


def eq15_diffuson_pole() -> Step:
    """The quadratic action of a plane-wave rotation is 2 pi nu (D q^2 + eps_n - eps_m)|u|^2."""
    lhs, rhs = _diffuson_sides()
    return Step(
        **OUTLINE.header("diffuson-pole"),
        # per unit volume, for one plane wave (the claim's u is its amplitude, u-bar its conjugate)
        result=sympy.Eq(sympy.Symbol(r"F^{(2)}_{q}"), 2 * sympy.pi * nu * (D * q**2 + eps1 - eps2) * sympy.Abs(u) ** 2),
        claims=(claims.equal(r"For $Q = e^{iX}\Lambda e^{-iX}$ with $X$ the off-diagonal plane wave $s\,u\,e^{iqr}$, the "
                             r"density of Eq. (15) at order $s^{2}$ is", lambda: sympy.simplify(lhs), rhs,
                             formula=sympy.Eq(lhs, rhs, evaluate=False)),),
        note=r"$F^{(2)}_{q}$ is the quadratic action per unit volume of the plane wave $X \propto u\,e^{iqr}$, $\bar{u} = u^{*}$. "
             r"With $\varepsilon_n > 0 > \varepsilon_m$, $\varepsilon_n - \varepsilon_m = |\omega|$: the propagator "
             r"$1/(Dq^{2} + |\omega|)$ has $D$ as its diffusion constant, which is what the Einstein relation "
             r"$\sigma = 2e^{2}\nu D$ compares with the network.",
    )
