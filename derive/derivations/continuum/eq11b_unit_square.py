"""Eq. (11b): R^2 = 1 turns Tr[R_l R_l'] into a square of differences (exact, before any expansion)."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import difference, n, nc, shown, shown_traces, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq11b_unit_square() -> Step:
    """Tr[R_l R_l'] = n - (1/2) Tr[(R_l' - R_l)^2] given R^2 = 1."""
    diff = cn.add(cn.letter("Rp"), cn.letter("R0", -1))
    rhs = cn.add({(): sympy.Integer(1)}, cn.scale(cn.trace(cn.mul(diff, diff)), sympy.Rational(-1, 2)))

    def residual():
        return difference(cn.reduce_involutions(cn.trace(word("R0", "Rp"))), cn.reduce_involutions(rhs))

    shown_result = sympy.Eq(Tr(nc["R0"], nc["Rp"]), n - sympy.Rational(1, 2) * Tr(shown(diff) ** 2))
    statement = sympy.Eq(shown_traces(cn.trace(word("R0", "Rp"))), n - sympy.Rational(1, 2) * Tr(shown(diff), shown(diff)),
                         evaluate=False)
    return Step(
        **OUTLINE.header("unit-square"),
        result=shown_result,
        claims=(zero_poly(r"Given $R_{l}^{2} = R_{l'}^{2} = 1$", residual,
                          "symbolic: free algebra with $R^{2} = 1$ inside cyclic traces", formula=statement),),
        note=r"Exact, before any expansion: $-\frac{g_T}{8}\operatorname{Tr}[R_{l}R_{l'}] = -\frac{g_T}{8}n "
             r"+ \frac{g_T}{16}\operatorname{Tr}[(R_{l'} - R_{l})^{2}]$; the constant is dropped.",
    )
