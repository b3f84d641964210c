"""Eqs. (11b), (11c), (12): the Gaussian integral over V0 and the charge N_jl."""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, Matrix, MatrixSymbol, Symbol, Trace, pi

from derive.derivations.granular.notation import T, delta, e, size
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Argument, Export, Step


def _v0_action(V: sympy.Matrix, N: sympy.Matrix, C: sympy.Matrix) -> sympy.Expr:
    """Terms of F_d + F_C with static V0 (two grains, one replica): b = (pi/delta)Tr[P Q] - i q/T = i N/T."""
    return (V.T * V)[0] / (T * delta) + (V.T * C * V)[0] / (2 * e**2 * T) - I * (V.T * N)[0] / T


def _two_grain_symbols():
    c11, c12, c22 = sympy.symbols("C_11 C_12 C_22", positive=True)
    return Matrix([[c11, c12], [c12, c22]]), Matrix(sympy.symbols("N_1:3")), Matrix(sympy.symbols("V_1:3"))


def _exact_gaussian_statement() -> sympy.Eq:
    """The V0 action completed to a square: S(V) = (V - V*) K (V - V*)/T + N K^-1 N/(4T), K = 1/delta + C/2e^2,
    V* = i K^-1 N/2 (two grains): the Gaussian integral over V0 is exp[-N K^-1 N/(4T)] times a constant."""
    C, N, V = _two_grain_symbols()
    K = sympy.eye(2) / delta + C / (2 * e**2)
    shift = V - I * K.inv() * N / 2
    completed = (shift.T * K * shift)[0] / T + (N.T * K.inv() * N)[0] / (4 * T)
    return sympy.Eq(_v0_action(V, N, C), completed, evaluate=False)


def _first_order_in_C_statement() -> sympy.Eq:
    """(1/4T) N (1/delta + lambda C/2e^2)^-1 N = the printed terms (lambda = 1) + O(lambda^2)."""
    C, N, _ = _two_grain_symbols()
    lam = Symbol("lambda")
    exact = (N.T * (sympy.eye(2) / delta + lam * C / (2 * e**2)).inv() * N)[0] / (4 * T)
    paper = delta / (4 * T) * (N.T * N)[0] - lam * (delta**2 / (4 * T)) * (N.T * C * N)[0] / (2 * e**2)
    return sympy.Eq(exact, paper + sympy.O(lam**2), evaluate=False)


def _first_order_residual(statement: sympy.Eq) -> sympy.Expr:
    (lam,) = statement.rhs.getO().free_symbols
    return sympy.simplify(sympy.series(statement.lhs, lam, 0, 2).removeO() - statement.rhs.removeO())


def _action_at_C0_saddle_and_paper() -> tuple[sympy.Expr, sympy.Expr]:
    """(the V0 action at V0 = i delta N/2 = i mu of Eq. (17), the printed terms), two grains."""
    C, N, V = _two_grain_symbols()
    at_saddle = _v0_action(I * delta * N / 2, N, C)
    paper = delta / (4 * T) * (N.T * N)[0] - (delta**2 / (4 * T)) * (N.T * C * N)[0] / (2 * e**2)
    return at_saddle, paper




def eq11_12_v0_integral() -> Step:
    """Eqs. (11b), (11c), (12): the exact and first-order V0 integral, and the export grain_charge."""
    Q, q = MatrixSymbol("Q", size, size), Symbol("q", real=True)
    trace_PQ, N = Trace(sympy.MatMul(Q, MatrixSymbol("P_j", size, size))), Symbol("N_{jl}")
    exact, first_order = _exact_gaussian_statement(), _first_order_in_C_statement()
    charge = -I * pi * T / delta * Trace(Q) - q
    return Step(
        **OUTLINE.header("eq11-12-v0-integral"),
        result=sympy.Eq(N, -I * pi * T / delta * trace_PQ - q),
        claims=(
            claims.equal(
                r"the coefficient of $V^0$, $(\pi/\delta)\operatorname{Tr}[P_j Q] - iq/T$, equals $iN_{jl}/T$ with $N_{jl}$ of Eq. (12)",
                pi / delta * trace_PQ - I * q / T,
                I / T * (-I * pi * T / delta * trace_PQ - q),
                formula=sympy.Eq(pi / delta * trace_PQ - I * q / T, I / T * (-I * pi * T / delta * trace_PQ - q), evaluate=False),
            ),
            claims.equal(
                r"the action in $V^0$ (two grains, charges $N_l$, capacitances $C_{ll'}$) is a square plus "
                r"$(1/4T)\,N(1/\delta + C/2e^2)^{-1}N$, so the Gaussian integral over $V^0$ gives exactly that term",
                exact.lhs,
                exact.rhs,
                method="simplify",
                formula=exact,
            ),
            claims.equal(
                r"to first order in $C$ (order $\lambda$ with $C \to \lambda C$) this is $(\delta/4T)\sum N^2 - "
                r"(\delta^2/4T)\,NCN/2e^2$: the second term of Eq. (11b) and the $NN$ term of Eq. (11c) ($\int d\tau = 1/T$)",
                partial(_first_order_residual, first_order),
                0,
                formula=first_order,
            ),
            claims.equal(
                r"the printed terms are the action at the saddle point $V^0 = i\delta N/2 = i\mu$ of $C = 0$ (Eq. (17))",
                _action_at_C0_saddle_and_paper()[0],
                _action_at_C0_saddle_and_paper()[1],
                formula=sympy.Eq(*_action_at_C0_saddle_and_paper(), evaluate=False),
            ),
        ),
        exports=(
            Export(
                "grain_charge",
                charge,
                (
                    Argument("Q", Q, description="Q restricted to replica j (spin and Matsubara), shape (..., n, n)"),
                    Argument("T", T),
                    Argument("delta", delta, description="mean level spacing per spin"),
                    Argument("q", q, description="background charge q_l"),
                ),
                "N_jl = -i (pi T/delta) Tr[Q P_j] - q_l, Eq. (12).",
            ),
        ),
        note=(
            r"Eqs. (11b) and (11c) keep the first order in $\delta C/e^2 = \delta/E_C$ of the exact Gaussian result "
            r"$(1/4T)\,N(1/\delta + C/2e^2)^{-1}N$."
        ),
    )
