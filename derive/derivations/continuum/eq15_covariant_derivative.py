"""Eq. (15): d R = e^{i chi-hat} (d~Q) e^{-i chi-hat}, the covariant derivative d~Q = grad Q + i[grad chi-hat, Q]."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import CONTACT, difference, nc, shown, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq15_covariant_derivative() -> Step:
    """The covariant derivative through fourth order, and Tr[(dR)^2] = Tr[(d~Q)^2]."""
    rotated = nc["E"] * nc["Q0"] * nc["F"]  # R = e^{i chi-hat} Q e^{-i chi-hat}

    def sides(m):
        lhs = cn.power_of(cn.differentiate, word("E", "Q0", "F"), m)
        return lhs, cn.power_of(cn.covariant_derivative, cn.letter("Q0"), m)

    def residual(m):
        lhs, covariant_m = sides(m)
        return cn.add(lhs, cn.scale(cn.mul(cn.letter("E"), covariant_m, cn.letter("F")), -1))

    def statement(m):
        # the left side as the derivative it is, its phases taken off; the free algebra's Leibniz rule expands it into the
        # words of ``residual`` (the right side is a sum, so a long one breaks over lines)
        return sympy.Eq(nc["F"] * sympy.Derivative(rotated, (CONTACT, m)) * nc["E"], shown(sides(m)[1]), evaluate=False)

    first = cn.differentiate(word("E", "Q0", "F"))  # d R, by the Leibniz rule
    traces_lhs, traces_rhs = cn.trace(cn.mul(first, first)), cn.trace(cn.mul(*[cn.covariant_derivative(cn.letter("Q0"))] * 2))

    def traces_residual():
        return difference(traces_lhs, traces_rhs)

    def power(m):
        return "" if m == 1 else f"^{{{m}}}"

    phase = r"$\partial_{\mathbf{e}} e^{i\hat\chi} = i\,(\partial_{\mathbf{e}}\hat\chi)\, e^{i\hat\chi}$"
    covariant = shown(cn.covariant_derivative(cn.letter("Q0")))
    claim_list = tuple(
        zero_poly(rf"Order {m}: $\tilde\partial{power(m)} Q = e^{{-i\hat\chi}}(\partial_{{\mathbf{{e}}}}{power(m)} R)\,e^{{i\hat\chi}}$ "
                  rf"is a sum of {len(sides(m)[1])} words in $Q$, $\hat\chi$ and their derivatives",
                  lambda m=m: residual(m), f"symbolic: Leibniz rule with {phase}", formula=statement(m))
        for m in range(1, 5))
    claim_list += (zero_poly(r"The gradient term does not see the phases: "
                             r"$\operatorname{Tr}[(\partial_{\mathbf{e}} R)^{2}] = \operatorname{Tr}[(\tilde\partial Q)^{2}]$",
                             traces_residual, r"symbolic: free algebra, $e^{-i\hat\chi}e^{i\hat\chi} = 1$",
                             formula=sympy.Eq(Tr(sympy.Derivative(rotated, CONTACT) ** 2), Tr(covariant**2), evaluate=False)),)
    stripped = nc["F"] * sympy.Derivative(rotated, CONTACT) * nc["E"]  # d~Q: the derivative of R with the phases taken off
    commutator = nc["X1"] * nc["Q0"] - nc["Q0"] * nc["X1"]
    return Step(
        **OUTLINE.header("covariant-derivative"),
        result=sympy.Eq(stripped, covariant),
        claims=claim_list,
        note=r"Here $\tilde\partial Q = e^{-i\hat\chi}(\partial_{\mathbf{e}} R)\,e^{i\hat\chi}$ is the covariant derivative. "
             r"From Eq. (11b) as printed, $\tilde\partial Q = \nabla Q + i[\nabla\hat\chi, Q]$; Eq. (15) prints "
             r"$\nabla Q - i[\nabla\hat\chi, Q]$, which is $\hat\chi \to -\hat\chi$ (see the continuum notes).",
        printed=sympy.Eq(stripped, nc["Q1"] - sympy.I * commutator, evaluate=False),
        erratum="the notes on the continuum limit, difference 1, the sign of the covariant derivative",
    )
