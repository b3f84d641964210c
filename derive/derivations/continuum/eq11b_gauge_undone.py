"""Eq. (11b): the tunneling term with the gauge of Eq. (5a) undone, a trace of R = e^{i chi-hat} Q e^{-i chi-hat}."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import difference, nc, traced_word, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq11b_gauge_undone() -> Step:
    """Eq. (11b) written as Tr[R_l R_l']."""
    lattice_word, undone_word = ("El", "Fp", "Ql", "Fl", "Ep", "Qp"), ("El", "Ql", "Fl", "Ep", "Qp", "Fp")
    lattice_term = cn.trace(word(*lattice_word))  # e^{i chi-hat_{ll'}} = e^{i chi-hat_l} e^{-i chi-hat_{l'}}
    undone = cn.trace(word(*undone_word))  # Tr[R_l R_{l'}], R = e^{i chi-hat} Q e^{-i chi-hat}
    statement = sympy.Eq(traced_word(*lattice_word), traced_word(*undone_word), evaluate=False)
    return Step(
        **OUTLINE.header("eq11b-gauge-undone"),
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]), Tr(nc["R0"], nc["Rp"])),
        claims=(zero_poly(r"The trace is cyclic and $\hat\chi_{l}$, $\hat\chi_{l'}$ are diagonal, so the phases regroup "
                          r"around each $Q$", lambda: difference(lattice_term, undone),
                          "symbolic: free algebra, canonical cyclic traces", formula=statement),),
        note=r"Since $\hat\chi_{ll'} = \hat\chi_{l} - \hat\chi_{l'}$ is diagonal, "
             r"$e^{i\hat\chi_{ll'}} = e^{i\hat\chi_{l}}e^{-i\hat\chi_{l'}}$: the term only sees "
             r"$R = e^{i\hat\chi}Qe^{-i\hat\chi}$, the gauge transformation of Eq. (5a) undone.",
    )
