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


# s(i) ∈ {0, 1}: the grading of row i (0 boson, 1 fermion); entry (i, j) is even when s(i) + s(j) is, so
# (number of even entries) − (number of odd entries) = Σ_ij (−1)^{s(i) + s(j)} = (Σ_i (−1)^{s(i)})².
grading = sympy.Function("s")
row = sympy.Symbol("i", integer=True, positive=True)
STR_ONE = sympy.Sum((-1) ** grading(row), (row, 1, 8))   # Str 1 of the paper: Tr_FF − Tr_BB = −Σ_i (−1)^{s(i)}
ENTRY_BALANCE = STR_ONE**2


def _with_the_grading(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with its sums written out and σ_i the parities of the retarded-advanced (4|4) grading."""
    parities = {grading(k + 1): parity for k, parity in enumerate(EIGHT_BY_EIGHT.parities)}
    return sympy.expand(expr.doit().subs(parities))


def _holds_for_the_grading(formula: sympy.Eq) -> str | None:
    residual = _with_the_grading(formula.lhs - formula.rhs)
    return None if residual == 0 else f"residual = {residual}"


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
    balance = sympy.Eq(ENTRY_BALANCE, 0)
    rescaling = sympy.Eq(scale**ENTRY_BALANCE, 1)
    str_one_vanishes = sympy.Eq(STR_ONE, 0)
    outer_product = sympy.Eq(Str(psi * psibar * A), -psibar * A * psi)
    return Step(
        **OUTLINE.header("eq4-identity"),
        # Q and A are the supermatrices of the integrand, so the measure dQ dA is over the same symbols
        result=sympy.Eq(sympy.Integer(1), sympy.Integral(sympy.exp(-sympy.I * Str((Q / 2 - psi * psibar) * A)), Q, A)),
        claims=(
            claims.holds(r"an $8 \times 8$ $(4|4)$ supermatrix, with $s(i) = 0$ for a bosonic and $1$ for a "
                         r"fermionic row, has as many even as odd entries: their difference is $\sum_{i, j} (-1)^{s(i) + s(j)}$",
                         lambda: _holds_for_the_grading(balance), "the sum written out with the $(4|4)$ grading",
                         formula=balance),
            claims.holds(r"so the Berezinian of $Q \to c Q$ is $1$: the factor $1/2$ in Eq. (4) costs nothing",
                         lambda: _holds_for_the_grading(rescaling), "the sum written out with the $(4|4)$ grading",
                         formula=rescaling),
            claims.holds(r"$\operatorname{Str} 1 = -\sum_i (-1)^{s(i)}$ vanishes for equal numbers of bosons and fermions",
                         lambda: _holds_for_the_grading(str_one_vanishes), "the sum written out with the $(4|4)$ grading",
                         formula=str_one_vanishes),
            claims.holds(r"in the paper's sign of the supertrace, for supervectors $\psi$, $\bar{\psi}$ with "
                         r"Grassmann-valued fermionic components",
                         _grassmann_outer_product_sign, "explicit Grassmann algebra of 5 generators, as $32 \\times 32$ matrices",
                         formula=outer_product),
        ),
        note=r"The $A$-integral is a Fourier representation of $\delta(Q/2 - \psi \bar{\psi})$; the rescaling by $1/2$ "
             r"and constant factors cancel between bosonic and fermionic entries.",
    )
