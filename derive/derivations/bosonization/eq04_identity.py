"""Eq. (4): the identity 1 = ∫ exp(−i Str[(Q/2 − ψψ̄)A]), a δ-function of Q/2 − ψψ̄."""
from __future__ import annotations

import numpy as np
import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    EIGHT_BY_EIGHT,
    A,
    Q,
    nc,
)
from derive.engines import claims
from derive.engines.supermatrix import (
    Grading,
    GrassmannAlgebra,
    Str,
    multiply,
    random_even_supermatrix,
    supertrace,
)
from derive.model import Step

__all__ = ["eq04_identity"]


def _even_and_odd_entries_balance() -> str | None:
    cells = [(i, j) for i in range(8) for j in range(8)]
    even = sum(1 for c in cells if EIGHT_BY_EIGHT.entry_parity(*c) == 0)
    odd = len(cells) - even
    return None if even == odd else f"{even} even and {odd} odd entries"


def _grassmann_outer_product_sign() -> str | None:
    """Str_Berezin(ψ ψ̄ A) = ψ̄ A ψ for supervectors with Grassmann-valued fermionic components."""
    rng = np.random.default_rng(11)
    algebra, grading = GrassmannAlgebra(5), Grading.retarded_advanced(1, 1)
    psi = [algebra.random_element(rng, parity) for parity in grading.parities]
    psibar = [algebra.random_element(rng, parity) for parity in grading.parities]
    a = random_even_supermatrix(rng, algebra, grading)
    outer = np.array([[psi[i] @ psibar[j] for j in range(4)] for i in range(4)])
    left = supertrace(multiply(outer, a), grading)
    right = sum(psibar[i] @ a[i, j] @ psi[j] for i in range(4) for j in range(4))
    error = float(np.max(np.abs(left - right)))
    return None if error < 1e-9 * max(1.0, float(np.max(np.abs(right)))) else f"max deviation {error:.3g}"


def eq04_identity() -> Step:
    psi, psibar = nc("psi"), nc("\\bar{\\psi}")
    scale = sympy.Symbol("c", positive=True)
    return Step(
        **OUTLINE.header("eq4-identity"),
        result=sympy.Eq(sympy.Integer(1), sympy.Integral(
            sympy.exp(-sympy.I * Str((Q / 2 - psi * psibar) * A)), sympy.Symbol("Q"), sympy.Symbol("A"))),
        claims=(
            claims.holds(r"an $8 \times 8$ $(4|4)$ supermatrix has as many even as odd entries (32 and 32)",
                         _even_and_odd_entries_balance, "count of the graded entries"),
            claims.equal(r"so the Berezinian of $Q \to c Q$ is $c^{32 - 32} = 1$: the factor $1/2$ in Eq. (4) costs nothing",
                         scale ** (32 - 32), 1),
            claims.equal(r"$\operatorname{Str} 1 = 0$ for equal numbers of bosons and fermions",
                         supertrace(sympy.eye(8), EIGHT_BY_EIGHT), 0),
            claims.holds(r"$\operatorname{Str}(\psi \bar{\psi} A) = \bar{\psi} A \psi$ in Berezin's sign, that is $-\bar{\psi} A \psi$ with the paper's supertrace",
                         _grassmann_outer_product_sign, "explicit Grassmann algebra of 5 generators, as $32 \\times 32$ matrices"),
        ),
        note=r"The $A$-integral is a Fourier representation of $\delta(Q/2 - \psi \bar{\psi})$; the rescaling by $1/2$ "
             r"and constant factors cancel between bosonic and fermionic entries.",
    )
