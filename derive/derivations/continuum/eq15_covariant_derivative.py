"""Eq. (15): d R = e^{i chi-hat} (d~Q) e^{-i chi-hat}, the covariant derivative d~Q = grad Q + i[grad chi-hat, Q]."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import difference, nc, shown, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.model import Step


def eq15_covariant_derivative() -> Step:
    """The covariant derivative through fourth order, and Tr[(dR)^2] = Tr[(d~Q)^2]."""
    def sides(m):
        lhs = cn.power_of(cn.differentiate, word("E", "Q0", "F"), m)
        return lhs, cn.power_of(cn.covariant_derivative, cn.letter("Q0"), m)

    def residual(m):
        lhs, covariant_m = sides(m)
        return cn.add(lhs, cn.scale(cn.mul(cn.letter("E"), covariant_m, cn.letter("F")), -1))

    def statement(m):
        # written out for m = 1; for m = 2, 3, 4 the expansions have 8, 18 and 38 words (wider than a line), stated in prose
        if m > 1:
            return None
        lhs, covariant_m = sides(m)
        return sympy.Eq(nc["E"] * shown(covariant_m) * nc["F"], shown(lhs), evaluate=False)

    first = cn.mul(cn.letter("E"), cn.covariant_derivative(cn.letter("Q0")), cn.letter("F"))
    traces_lhs, traces_rhs = cn.trace(cn.mul(first, first)), cn.trace(cn.mul(*[cn.covariant_derivative(cn.letter("Q0"))] * 2))

    def traces_residual():
        return difference(traces_lhs, traces_rhs)

    def power(m):
        return "" if m == 1 else f"^{{{m}}}"

    phase = r"$\partial e^{i\hat\chi} = i\,\partial\hat\chi\, e^{i\hat\chi}$"
    covariant = nc["Q1"] + sympy.I * (nc["X1"] * nc["Q0"] - nc["Q0"] * nc["X1"])
    claim_list = tuple(
        zero_poly(rf"$\partial{power(m)} R = e^{{i\hat\chi}}\,(\tilde\partial{power(m)} Q)\,e^{{-i\hat\chi}}$"
                  + (", written out" if m == 1 else rf", where $\tilde\partial{power(m)} Q$ is a sum of {len(sides(m)[1])} words"),
                  lambda m=m: residual(m), f"symbolic: Leibniz rule with {phase}", formula=statement(m))
        for m in range(1, 5))
    # the traces written out are wider than a line: this statement stays in the prose
    claim_list += (zero_poly(r"The gradient term does not see the phases: "
                             r"$\operatorname{Tr}[(\partial R)^{2}] = \operatorname{Tr}[(\tilde\partial Q)^{2}]$",
                             traces_residual, r"symbolic: free algebra, $e^{-i\hat\chi}e^{i\hat\chi} = 1$"),)
    return Step(
        **OUTLINE.header("covariant-derivative"),
        result=sympy.Eq(sympy.Symbol(r"\tilde\partial Q", commutative=False), covariant),
        claims=claim_list,
        note=r"From Eq. (11b) as printed, $\tilde\partial Q = \nabla Q + i[\nabla\hat\chi, Q]$; Eq. (15) prints "
             r"$\nabla Q - i[\nabla\hat\chi, Q]$, which is $\hat\chi \to -\hat\chi$ (see the continuum notes).",
        printed=sympy.Eq(sympy.Symbol(r"\tilde\partial Q", commutative=False), nc["Q1"] - sympy.I * (nc["X1"] * nc["Q0"] - nc["Q0"] * nc["X1"])),
        erratum="the notes on the continuum limit, difference 1, the sign of the covariant derivative",
    )
