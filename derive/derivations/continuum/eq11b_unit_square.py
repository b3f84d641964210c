"""Eq. (11b): R^2 = 1 turns Tr[R_l R_l'] into a square of differences (exact, before any expansion)."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import difference, n, nc, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq11b_unit_square() -> Step:
    """Tr[R_l R_l'] = n - (1/2) Tr[(R_l' - R_l)^2] given R^2 = 1."""
    def residual():
        diff = cn.add(cn.letter("Rp"), cn.letter("R0", -1))
        rhs = cn.add({(): sympy.Integer(1)}, cn.scale(cn.trace(cn.mul(diff, diff)), sympy.Rational(-1, 2)))
        return difference(cn.reduce_involutions(cn.trace(word("R0", "Rp"))), cn.reduce_involutions(rhs))

    jump = sympy.Symbol(r"\left(R_{l'} - R_{l}\right)", commutative=False)
    shown = sympy.Eq(Tr(nc["R0"], nc["Rp"]), n - sympy.Rational(1, 2) * Tr(jump, jump))
    return Step(
        **OUTLINE.header("unit-square"),
        result=shown,
        claims=(zero_poly("Tr[R_l R_l'] = n - 1/2 Tr[(R_l' - R_l)^2] given R_l^2 = R_l'^2 = 1", residual,
                          "symbolic: free algebra with R^2 -> 1 inside cyclic traces"),),
        note="Exact, no expansion yet: -(g_T/8)Tr[R_l R_l'] = -(g_T/8)n + (g_T/16)Tr[(R_l' - R_l)^2]; the constant is dropped.",
    )
