"""Eq. (15): D is the diffusion constant, read off the diffuson pole of the quadratic action."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def _diffuson_sides():
    """Quadratic action (unsimplified, as built) of a plane-wave rotation Q = e^{iX}Λe^{−iX} of Eq. (15) against 2πν(Dq² + ε₁ − ε₂)|c|²."""
    c, cbar, q, r, s = sympy.symbols(r"c \bar{c} q r s")
    D = sympy.Symbol("D", positive=True)
    eps1, eps2 = sympy.symbols(r"\varepsilon_{n} \varepsilon_{m}")
    X = sympy.Matrix([[0, s * c * sympy.exp(sympy.I * q * r)], [s * cbar * sympy.exp(-sympy.I * q * r), 0]])
    lam, energies = sympy.diag(1, -1), sympy.diag(eps1, eps2)
    rotated = lam + sympy.I * (X * lam - lam * X) - (X * (X * lam - lam * X) - (X * lam - lam * X) * X) / 2
    gradient = rotated.diff(r)
    density = sympy.pi * nu * (-(energies * rotated).trace() + D / 4 * (gradient * gradient).trace())
    quadratic = sympy.expand(density).coeff(s, 2)
    expected = 2 * sympy.pi * nu * (D * q**2 + eps1 - eps2) * c * cbar
    return quadratic, expected


def eq15_diffuson_pole() -> Step:
    """The quadratic action of a plane-wave rotation is 2 pi nu (D q^2 + eps_n - eps_m)|c|^2."""
    lhs, rhs = _diffuson_sides()
    return Step(
        **OUTLINE.header("diffuson-pole"),
        result=sympy.Eq(sympy.Symbol(r"F^{(2)}_d"), sympy.Symbol(
            r"2\pi\nu\sum_{q}\left(Dq^{2}+\varepsilon_n-\varepsilon_m\right)|c_q|^{2}")),
        claims=(claims.equal(r"For $Q = e^{iX}\Lambda e^{-iX}$ with $X$ the off-diagonal plane wave $s\,c\,e^{iqr}$, the "
                             r"density of Eq. (15) at order $s^{2}$ is", lambda: sympy.simplify(lhs), rhs,
                             formula=sympy.Eq(lhs, rhs, evaluate=False)),),
        note=r"With $\varepsilon_n > 0 > \varepsilon_m$, $\varepsilon_n - \varepsilon_m = |\omega|$: the propagator "
             r"$1/(Dq^{2} + |\omega|)$ has $D$ as its diffusion constant, which is what the Einstein relation "
             r"$\sigma = 2e^{2}\nu D$ compares with the network.",
    )
