"""Eq. (15): d R = e^{i chi-hat} (d~Q) e^{-i chi-hat}, the covariant derivative d~Q = grad Q + i[grad chi-hat, Q]."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import difference, nc, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.model import Step


def eq15_covariant_derivative() -> Step:
    """The covariant derivative through fourth order, and Tr[(dR)^2] = Tr[(d~Q)^2]."""
    def residual(m):
        lhs = cn.power_of(cn.differentiate, word("E", "Q0", "F"), m)
        return cn.add(lhs, cn.scale(cn.mul(cn.letter("E"), cn.power_of(cn.covariant_derivative, cn.letter("Q0"), m), cn.letter("F")), -1))

    def traces_residual():
        first = cn.mul(cn.letter("E"), cn.covariant_derivative(cn.letter("Q0")), cn.letter("F"))
        return difference(cn.trace(cn.mul(first, first)), cn.trace(cn.mul(*[cn.covariant_derivative(cn.letter("Q0"))] * 2)))

    covariant = nc["Q1"] + sympy.I * (nc["X1"] * nc["Q0"] - nc["Q0"] * nc["X1"])
    return Step(
        **OUTLINE.header("covariant-derivative"),
        result=sympy.Eq(sympy.Symbol(r"\tilde\partial Q", commutative=False), covariant),
        claims=tuple(zero_poly(f"d^{m}(e^{{i chi-hat}} Q e^{{-i chi-hat}}) = e^{{i chi-hat}} d~^{m}Q e^{{-i chi-hat}}", lambda m=m: residual(m),
                               "symbolic: Leibniz rule with de^{i chi-hat} = idchi-hat e^{i chi-hat}") for m in range(1, 5))
        + (zero_poly("Tr[(dR)^2] = Tr[(d~Q)^2]", traces_residual, "symbolic: free algebra, e^{-i chi-hat}e^{i chi-hat} = 1"),),
        note="From Eq. (11b) as printed d~Q = grad Q + i[grad chi-hat, Q]; Eq. (15) prints grad Q - i[grad chi-hat, Q], which is chi-hat -> -chi-hat (see notes/continuum.md).",
    )
