"""Eq. (17): the local chemical-potential shift mu_jr = (delta/2) N_jr."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import T, delta
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def eq17_chemical_potential() -> Step:
    """Eq. (17) from N of Eq. (12)."""
    trace_qp, q_r, N = sympy.symbols(r"\operatorname{Tr}[Q\hat{P}_j] q_r N_{jr}")
    from_eq12 = -sympy.I * sympy.pi * T / delta * trace_qp - q_r
    mu = delta / 2 * from_eq12
    printed = -sympy.I * sympy.pi * T / 2 * trace_qp - delta / 2 * q_r
    return Step(
        **OUTLINE.header("eq17-chemical-potential"),
        result=sympy.Eq(sympy.Symbol(r"\mu_{jr}"), printed),
        claims=(claims.equal("mu = (delta/2) N with N of Eq. (12) gives Eq. (17)", mu, printed),),
        note="N_{jr} of Eq. (12) evaluated on the continuum field Q(r).",
    )
