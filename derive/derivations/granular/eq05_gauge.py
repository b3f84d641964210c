"""Eqs. (4)-(5): the gauge transformation psi -> e^{i chi} psi removes chi-dot and dresses t with the phases."""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, MatrixSymbol, Symbol, Trace

from derive.derivations.granular.notation import chi, size, t, tau
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.phases import DiagonalPhase, cancel_phases
from derive.engines.trln import canonical_trace
from derive.model import Step


def gauge_sides(derivative=sympy.diff) -> tuple[sympy.Expr, sympy.Expr]:
    """(e^{-i chi}(i eps-hat + i V0 + i chi-dot) e^{i chi} psi, (i eps-hat + i V0) psi); ``derivative=sympy.Derivative``
    keeps the derivatives unevaluated, as the claim's statement shows them."""
    psi, chi_t, V0 = sympy.Function("psi")(tau), sympy.Function("chi_l")(tau), Symbol("V^0", real=True)

    def operator(f, V):
        return -derivative(f, tau) + I * V * f  # i eps-hat + i V with eps-hat = i d/dtau

    return sympy.exp(-I * chi_t) * operator(sympy.exp(I * chi_t) * psi, V0 + derivative(chi_t, tau)), operator(psi, V0)


def gauge_removes_chi_dot() -> sympy.Expr:
    """The difference of the two gauge_sides, expanded (zero)."""
    gauged, plain = gauge_sides()
    return sympy.expand(gauged - plain)


GRAIN_PHASES = MatrixSymbol("chi_g", 2, 1)  # (chi_1, chi_2): the phases of the two grains


def gauged_tunneling_statement() -> sympy.Eq:
    """U^dagger (G^-1 - t-hat) U = the block with t e^{-+i(chi_1 - chi_2)}, U = e^{i chi-hat} over two grains
    (gamma_l stands for G_l^-1 at one level)."""
    chi_1, chi_2 = sympy.symbols("chi_1 chi_2", real=True)
    gamma_1, gamma_2 = sympy.symbols("gamma_1 gamma_2")
    block = sympy.ImmutableMatrix([[gamma_1, -t], [-t, gamma_2]])
    expected = sympy.ImmutableMatrix([[gamma_1, -t * sympy.exp(-I * (chi_1 - chi_2))], [-t * sympy.exp(I * (chi_1 - chi_2)), gamma_2]])
    return sympy.Eq(sympy.MatMul(DiagonalPhase(GRAIN_PHASES, -1), block, DiagonalPhase(GRAIN_PHASES)), expected, evaluate=False)


def gauged_tunneling_block(statement: sympy.Eq) -> sympy.Matrix:
    """The statement's left side with the explicit phases, minus its right side (zero)."""
    phases = sympy.ImmutableMatrix(sympy.symbols("chi_1 chi_2", real=True))
    return sympy.simplify(sympy.Matrix(statement.lhs.xreplace({GRAIN_PHASES: phases}).doit()) - statement.rhs)


def _zero_or_residual(residual, statement: sympy.Eq) -> str | None:
    value = residual(statement)
    return None if value == sympy.zeros(*value.shape) else str(value)


def eq05_gauge() -> Step:
    """Eqs. (4)-(5): the gauge transformation and the phase-dressed tunneling amplitude."""
    Q = MatrixSymbol("Q", size, size)
    E, E_inv = DiagonalPhase(chi), DiagonalPhase(chi, -1)
    Q_tilde = sympy.MatMul(E, Q, E_inv)
    return Step(
        **OUTLINE.header("eq4-5-gauge"),
        result=sympy.Eq(Symbol(r"\tilde{t}_{ll'}"), t * sympy.exp(-I * Symbol(r"\hat{\chi}_{ll'}"))),
        claims=(
            claims.equal(
                r"$e^{-i\chi_l}(i\hat\varepsilon + iV^0 + i\dot\chi_l)e^{i\chi_l} = i\hat\varepsilon + iV^0$: "
                r"the gauge transformation removes $\dot\chi_l$",
                gauge_removes_chi_dot,
                0,
                formula=sympy.Eq(*gauge_sides(sympy.Derivative), evaluate=False),
            ),
            claims.holds(
                r"$U^\dagger(G^{-1} - \hat t)U$ with $U = \operatorname{diag}(e^{i\chi_l}) = e^{i\hat\chi_g}$ turns $t$ into "
                r"$t e^{-i(\chi_l - \chi_{l'})}$, Eq. (5b) (two grains; $\gamma_l$ for $G_l^{-1}$)",
                partial(_zero_or_residual, gauged_tunneling_block, gauged_tunneling_statement()),
                "symbolic: an explicit two-grain block, simplified",
                formula=gauged_tunneling_statement(),
            ),
            claims.equal(
                r"the disorder term $\operatorname{Tr}\tilde Q^2$ of Eq. (3a) is invariant under the gauge transformation (5a)",
                lambda: cancel_phases(Trace(sympy.MatMul(Q_tilde, Q_tilde))),
                lambda: canonical_trace(Trace(sympy.MatMul(Q, Q))),
                formula=sympy.Eq(Trace(Q_tilde**2), Trace(Q**2), evaluate=False),
            ),
        ),
        note=r"Eq. (5b) prints $\hat\chi$ with the grain and replica labels run together; here $\hat\chi_{ll'} = \chi_l - \chi_{l'}$.",
    )
