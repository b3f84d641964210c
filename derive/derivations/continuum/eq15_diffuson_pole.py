"""Eq. (15): D is the diffusion constant, read off the diffuson pole of the quadratic action."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def _diffuson_sides():
    """Quadratic action of a plane-wave rotation Q = e^{iX}Λe^{−iX} of Eq. (15) against 2πν(Dq² + ε₁ − ε₂)|c|²."""
    c, cbar, q, r, s, D = sympy.symbols("c cbar q r s D")
    eps1, eps2 = sympy.symbols("epsilon_1 epsilon_2")
    X = sympy.Matrix([[0, s * c * sympy.exp(sympy.I * q * r)], [s * cbar * sympy.exp(-sympy.I * q * r), 0]])
    lam, energies = sympy.diag(1, -1), sympy.diag(eps1, eps2)
    rotated = lam + sympy.I * (X * lam - lam * X) - (X * (X * lam - lam * X) - (X * lam - lam * X) * X) / 2
    gradient = rotated.diff(r)
    density = sympy.pi * nu * (-(energies * rotated).trace() + D / 4 * (gradient * gradient).trace())
    quadratic = sympy.expand(density).coeff(s, 2)
    return (lambda: sympy.simplify(quadratic)), (lambda: 2 * sympy.pi * nu * (D * q**2 + eps1 - eps2) * c * cbar)


def eq15_diffuson_pole() -> Step:
    """The quadratic action of a plane-wave rotation is 2 pi nu (D q^2 + eps_n - eps_m)|c|^2."""
    lhs, rhs = _diffuson_sides()
    return Step(
        **OUTLINE.header("diffuson-pole"),
        result=sympy.Eq(sympy.Symbol(r"F^{(2)}_d"), sympy.Symbol(
            r"2\pi\nu\sum_{q}\left(Dq^{2}+\varepsilon_n-\varepsilon_m\right)|c_q|^{2}")),
        claims=(claims.equal("Q = e^{iX} Lambda e^{-iX}, X off-diagonal plane wave c e^{iqr}: the action is "
                             "2 pi nu (D q^2 + eps_n - eps_m)|c|^2 to second order", lhs, rhs),),
        note="eps_n > 0 > eps_m, so eps_n - eps_m = |omega|: the propagator 1/(Dq^2 + |omega|) has D as its diffusion "
             "constant, which is what the Einstein relation sigma = 2e^2 nu D compares with the network.",
    )
