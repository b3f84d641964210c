"""Eqs. (1), (3b): the Hubbard-Stratonovich decoupling of the charging energy by the static field V0."""
from __future__ import annotations

import sympy
from sympy import I, Matrix, Symbol

from derive.derivations.granular.notation import T, e
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def coulomb_decoupling_statement() -> sympy.Eq:
    """The exponent in the static V (two grains) completed to a square:
    V C V/(2e^2 T) + i V (q - N)/T = (V - V*) C (V - V*)/(2e^2 T) + (e^2/2T)(N - q) C^-1 (N - q), V* = i e^2 C^-1 (N - q);
    the Gaussian integral over V therefore gives exp[-(e^2/2T)(N - q) C^-1 (N - q)] times a constant."""
    c11, c12, c22 = sympy.symbols("C_11 C_12 C_22", positive=True)
    C = Matrix([[c11, c12], [c12, c22]])
    N, q, V = (Matrix(sympy.symbols(f"{s}_1:3")) for s in ("N", "q", "V"))
    exponent = (V.T * C * V)[0] / (2 * e**2 * T) + I * (V.T * (q - N))[0] / T
    shift = V - I * e**2 * C.inv() * (N - q)
    coulomb = (e**2 / (2 * T)) * ((N - q).T * C.inv() * (N - q))[0]
    return sympy.Eq(exponent, (shift.T * C * shift)[0] / (2 * e**2 * T) + coulomb, evaluate=False)


def eq03b_coulomb_decoupling() -> Step:
    """Eq. (1) -> Eq. (3b): the charging energy written with the static field V0."""
    V_l, C_ll, q_l = Symbol("V^0_{l}"), Symbol("C_{ll'}"), Symbol("q_l")
    statement = coulomb_decoupling_statement()
    return Step(
        **OUTLINE.header("eq3b-coulomb-decoupling"),
        result=sympy.Eq(Symbol(r"\mathcal{F}_C"), V_l * (C_ll / (2 * e**2) * Symbol("V^0_{l'}") + I * q_l) / T),
        claims=(
            claims.equal(
                r"the exponent in the static field $V$ of Eq. (3b), coupled to the charge as $iV(q - N)$, is a square plus "
                r"$(e^2/2T)(N - q)C^{-1}(N - q)$: integrating $V$ gives the charging energy of Eq. (1) (two grains)",
                statement.lhs,
                statement.rhs,
                method="simplify",
                formula=statement,
            ),
        ),
        note=r"The sign of $i\delta_{ll'} q_l$ in Eq. (3b) matches the coupling $iVN$ of Eq. (3c): together they give $N - q$.",
    )
