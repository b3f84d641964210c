"""Eqs. (11b), (11c), (12): the Gaussian integral over V0 and the charge N_jl."""
from __future__ import annotations

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


def _saddle_value(C: sympy.Matrix) -> sympy.Expr:
    _, N, V = _two_grain_symbols()
    action = _v0_action(V, N, C)
    saddle = sympy.solve([sympy.diff(action, v) for v in V], list(V), dict=True)[0]
    return action.subs(saddle)


def _exact_gaussian_residual() -> sympy.Expr:
    C, N, _ = _two_grain_symbols()
    expected = (N.T * (sympy.eye(2) / delta + C / (2 * e**2)).inv() * N)[0] / (4 * T)
    return sympy.simplify(_saddle_value(C) - expected)


def _first_order_in_C_residual() -> sympy.Expr:
    C, N, _ = _two_grain_symbols()
    lam = Symbol("lambda")
    exact = (N.T * (sympy.eye(2) / delta + lam * C / (2 * e**2)).inv() * N)[0] / (4 * T)
    first_order = sympy.series(exact, lam, 0, 2).removeO().subs(lam, 1)
    paper = delta / (4 * T) * (N.T * N)[0] - (delta**2 / (4 * T)) * (N.T * C * N)[0] / (2 * e**2)
    return sympy.simplify(first_order - paper)


def _action_at_C0_saddle_and_paper() -> tuple[sympy.Expr, sympy.Expr]:
    """(the V0 action at V0 = i delta N/2 = i mu of Eq. (17), the printed terms), two grains."""
    C, N, V = _two_grain_symbols()
    at_saddle = _v0_action(I * delta * N / 2, N, C)
    paper = delta / (4 * T) * (N.T * N)[0] - (delta**2 / (4 * T)) * (N.T * C * N)[0] / (2 * e**2)
    return at_saddle, paper


def _paper_form_is_action_at_C0_saddle() -> sympy.Expr:
    at_saddle, paper = _action_at_C0_saddle_and_paper()
    return sympy.expand(at_saddle - paper)


def eq11_12_v0_integral() -> Step:
    """Eqs. (11b), (11c), (12): the exact and first-order V0 integral, and the export grain_charge."""
    Q, q = MatrixSymbol("Q", size, size), Symbol("q", real=True)
    trace_PQ, N = Symbol(r"\mathrm{Tr}[Q P_j]"), Symbol("N_{jl}")
    charge = -I * pi * T / delta * Trace(Q) - q
    return Step(
        **OUTLINE.header("eq11-12-v0-integral"),
        result=sympy.Eq(N, -I * pi * T / delta * trace_PQ - q),
        claims=(
            claims.equal(
                r"the coefficient of $V^0$, $(\pi/\delta)\operatorname{Tr}[P_j Q] - iq/T$, equals $iN_{jl}/T$ with $N_{jl}$ of Eq. (12)",
                pi / delta * trace_PQ - I * q / T,
                I / T * (-I * pi * T / delta * trace_PQ - q),
                formula=sympy.Eq(pi / delta * trace_PQ - I * q / T, I / T * (-I * pi * T / delta * trace_PQ - q),
                                 evaluate=False).subs(trace_PQ, Trace(sympy.MatMul(Q, MatrixSymbol("P_j", size, size)))),
            ),
            claims.equal(
                r"the Gaussian integral over $V^0$ gives exactly $(1/4T)\,N(1/\delta + C/2e^2)^{-1}N$ (two grains)",
                _exact_gaussian_residual,
                0,
            ),
            claims.equal(
                r"to first order in $C$ this is $(\delta/4T)\sum N^2 - (\delta^2/4T)\,NCN/2e^2$: the second term of "
                r"Eq. (11b) and the $NN$ term of Eq. (11c) ($\int d\tau = 1/T$)",
                _first_order_in_C_residual,
                0,
            ),
            claims.equal(
                r"the printed terms are the action at the saddle point $V^0 = i\delta N/2 = i\mu$ of $C = 0$ (Eq. (17))",
                _paper_form_is_action_at_C0_saddle,
                0,
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
