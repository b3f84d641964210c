"""Eq. (11b): the tunneling term with the gauge of Eq. (5a) undone, a trace of R = e^{i chi-hat} Q e^{-i chi-hat}."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import difference, nc, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq11b_gauge_undone() -> Step:
    """Eq. (11b) written as Tr[R_l R_l']."""
    lattice_term = cn.trace(word("El", "Fp", "Ql", "Fl", "Ep", "Qp"))  # e^{i chi-hat_{ll'}} = e^{i chi-hat_l} e^{-i chi-hat_{l'}}
    undone = cn.trace(word("El", "Ql", "Fl", "Ep", "Qp", "Fp"))  # Tr[R_l R_{l'}], R = e^{i chi-hat} Q e^{-i chi-hat}
    return Step(
        **OUTLINE.header("eq11b-gauge-undone"),
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]), Tr(nc["R0"], nc["Rp"])),
        claims=(zero_poly("Tr[e^{i chi-hat_{ll'}} Q_l e^{-i chi-hat_{ll'}} Q_l'] = Tr[R_l R_l'] (chi-hat diagonal, trace cyclic)",
                          lambda: difference(lattice_term, undone), "symbolic: free algebra, canonical cyclic traces"),),
        note="chi-hat_{ll'} = chi-hat_l - chi-hat_{l'} is diagonal, so e^{i chi-hat_{ll'}} = e^{i chi-hat_l}e^{-i chi-hat_{l'}}: the term only sees R = e^{i chi-hat}Qe^{-i chi-hat} (Eq. 5a undone).",
    )
