"""Eq. (17): the local chemical-potential shift mu_jr = (delta/2) N_jr."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import T, delta
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines.trln import Tr
from derive.model import Step


def eq17_chemical_potential() -> Step:
    """Eq. (17) from N of Eq. (12)."""
    Q, P_j = sympy.Symbol("Q", commutative=False), sympy.Symbol(r"\hat{P}_{j}", commutative=False)
    trace_qp, q_r = Tr(Q, P_j), sympy.Symbol(r"q_{\mathbf{r}}")
    from_eq12 = -sympy.I * sympy.pi * T / delta * trace_qp - q_r
    mu = delta / 2 * from_eq12
    printed = -sympy.I * sympy.pi * T / 2 * trace_qp - delta / 2 * q_r
    return Step(
        **OUTLINE.header("eq17-chemical-potential"),
        result=sympy.Eq(sympy.Symbol(r"\mu_{j\mathbf{r}}"), printed),
        claims=(claims.equal(r"$\mu_{j\mathbf{r}} = (\delta/2)\,N_{j\mathbf{r}}$ with $N_{j\mathbf{r}}$ of Eq. (12) gives Eq. (17)",
                             mu, printed, formula=sympy.Eq(mu, printed, evaluate=False)),),
        note=r"$N_{j\mathbf{r}}$ of Eq. (12) evaluated on the continuum field $Q(\mathbf{r})$.",
    )
