"""Eqs. (1), (3b): the Hubbard-Stratonovich decoupling of the charging energy by the static field V0."""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, MatrixSymbol, Symbol, adjoint

from derive.derivations.granular.notation import T, e
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Step

# Two grains: the capacitance matrix, the charges, the background charges and the static field.
CAPACITANCE = MatrixSymbol("C", 2, 2)
CHARGES, BACKGROUND, FIELD = (MatrixSymbol(rf"\mathbf{{{name}}}", 2, 1) for name in ("N", "q", "V"))


def coulomb_decoupling_statement() -> sympy.Eq:
    """The exponent in the static V (two grains) completed to a square:
    V C V/(2e^2 T) + i V (q - N)/T = (V - V*) C (V - V*)/(2e^2 T) + (e^2/2T)(N - q) C^-1 (N - q), V* = i e^2 C^-1 (N - q);
    the Gaussian integral over V therefore gives exp[-(e^2/2T)(N - q) C^-1 (N - q)] times a constant."""
    C, N, q, V = CAPACITANCE, CHARGES, BACKGROUND, FIELD
    exponent = adjoint(V) * C * V / (2 * e**2 * T) + I * adjoint(V) * (q - N) / T
    # V* is complex: the square is (V - V*)^T C (V - V*), its row written with adjoints of the real N, q, V
    # and C^-1 = (C^-1)^T (C is symmetric).
    shift = V - I * e**2 * C.I * (N - q)
    shift_row = adjoint(V) - I * e**2 * adjoint(N - q) * C.I
    coulomb = e**2 / (2 * T) * adjoint(N - q) * C.I * (N - q)
    return sympy.Eq(exponent, shift_row * C * shift / (2 * e**2 * T) + coulomb, evaluate=False)


def coulomb_decoupling_residual(statement: sympy.Eq) -> sympy.Expr:
    """The statement for a real symmetric C and real N, q, V with symbolic entries, simplified (zero)."""
    c11, c12, c22 = sympy.symbols("C_11 C_12 C_22", positive=True)
    explicit = {CAPACITANCE: sympy.ImmutableMatrix([[c11, c12], [c12, c22]]),
                **{vector: sympy.ImmutableMatrix(sympy.symbols(f"{letter}_1:3", real=True))
                   for vector, letter in ((CHARGES, "N"), (BACKGROUND, "q"), (FIELD, "V"))}}
    difference = (statement.lhs - statement.rhs).xreplace(explicit).doit()
    return sympy.cancel(sympy.expand(sympy.Matrix(difference)[0]))


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
                partial(coulomb_decoupling_residual, statement),
                0,
                formula=statement,
            ),
        ),
        note=r"The sign of $i\delta_{ll'} q_l$ in Eq. (3b) matches the coupling $iVN$ of Eq. (3c): together they give $N - q$.",
    )
