"""Eqs. (10)-(12): the expansion to linear order in eps-hat and V0, and the Gaussian integral over V0 that gives
Eqs. (11b), (11c) and the charge N_jl of Eq. (12)."""
from __future__ import annotations

import sympy
from sympy import I, Matrix, MatrixSymbol, Symbol, Trace, pi

from derive.engines import claims
from derive.derivations.granular.notation import PAPER, T, delta, e, size
from derive.engines.matsubara import fermi, matsubara_inverse_square_by_residues
from derive.model import Argument, Export, Step
from derive.engines.trln import canonical_trace, trln_order


# --- Eq. (10): linear order in eps-hat and V0; the compressibility term of F_0[V] ------------------


def _linear_term() -> sympy.Expr:
    """-Tr ln(G^-1 + X) at first order in X = i(eps-hat + V0), with Sum_p G = -i pi Q/delta."""
    G, Q, eps_hat = (MatrixSymbol(name, size, size) for name in ("G", "Q", r"\hat{\varepsilon}"))
    V0 = Symbol("V^0", real=True)
    X = I * (eps_hat + V0 * sympy.Identity(size))
    first = -trln_order(G, X, 1)
    return canonical_trace(first.xreplace({G: -I * pi / delta * Q}))


def _linear_term_expected() -> sympy.Expr:
    Q, eps_hat = MatrixSymbol("Q", size, size), MatrixSymbol(r"\hat{\varepsilon}", size, size)
    V0 = Symbol("V^0", real=True)
    return canonical_trace(-pi / delta * Trace(sympy.MatMul(eps_hat, Q)) - pi / delta * V0 * Trace(Q))


def _compressibility_term() -> sympy.Expr:
    """(1/2) Tr[(G i V0)^2]: sum_n G^2 = f'(xi)/T (next claim), (1/delta) int dxi f' = -1/delta, spin 2."""
    xi, V0 = Symbol("xi", real=True), Symbol("V^0", real=True)
    band = sympy.limit(fermi(xi, T), xi, sympy.oo) - sympy.limit(fermi(xi, T), xi, -sympy.oo)  # int dxi f'
    trace_G_squared = 2 * band / (delta * T)
    return sympy.Rational(1, 2) * (I * V0) ** 2 * trace_G_squared


def step_linear_expansion() -> Step:
    xi, V0 = Symbol("xi", real=True), Symbol("V^0", real=True)
    return Step(
        id="eq10-linear-expansion",
        title="Linear order in eps-hat and V0, Eq. (10)",
        paper=PAPER,
        equation="(10)",
        result=sympy.Eq(Symbol(r"\delta\mathcal{F}_d"), V0**2 / (T * delta) + _linear_term_expected()),
        claims=(
            claims.equal(
                "-Tr ln at first order in i(eps-hat + V0), with Sum_p G = -i pi Q/delta, is "
                "-(pi/delta) Tr[(eps-hat + V0) Q]: the sign is minus (Eq. 10 prints plus; Eqs. 11b, 12 need minus)",
                _linear_term,
                _linear_term_expected,
            ),
            claims.equal(
                "T sum_n 1/(i eps_n - xi)^2 = f'(xi), by residues",
                lambda: matsubara_inverse_square_by_residues(xi, T),
                lambda: sympy.diff(fermi(xi, T), xi),
                method="simplify",
            ),
            claims.equal(
                "F_0[V] - F_0[0] = (1/2) Tr[(G i V0)^2] = (V0)^2/(T delta) per grain and replica (Matsubara sum first)",
                _compressibility_term,
                V0**2 / (T * delta),
            ),
        ),
        note="The printed Eq. (10) has +Tr'[(eps + V0) P_j (Q - Lambda)]; the expansion gives minus, as Eqs. (11b) and (12) require.",
    )


# --- Eqs. (11b), (11c), (12): the Gaussian integral over V0 ----------------------------------------


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


def _paper_form_is_action_at_C0_saddle() -> sympy.Expr:
    C, N, V = _two_grain_symbols()
    at_saddle = _v0_action(I * delta * N / 2, N, C)  # V0 = i delta N/2 = i mu of Eq. (17)
    paper = delta / (4 * T) * (N.T * N)[0] - (delta**2 / (4 * T)) * (N.T * C * N)[0] / (2 * e**2)
    return sympy.expand(at_saddle - paper)


def step_v0_integral() -> Step:
    Q, q = MatrixSymbol("Q", size, size), Symbol("q", real=True)
    trace_PQ, N = Symbol(r"\mathrm{Tr}[Q P_j]"), Symbol("N_{jl}")
    charge = -I * pi * T / delta * Trace(Q) - q
    return Step(
        id="eq11-12-v0-integral",
        title="The Gaussian integral over V0: Eqs. (11b), (11c) and N_jl of Eq. (12)",
        paper=PAPER,
        equation="(11)-(12)",
        result=sympy.Eq(N, -I * pi * T / delta * trace_PQ - q),
        claims=(
            claims.equal(
                "the V0-linear coefficient (pi/delta)Tr[P_j Q] - i q/T equals i N_jl/T with N_jl of Eq. (12)",
                pi / delta * trace_PQ - I * q / T,
                I / T * (-I * pi * T / delta * trace_PQ - q),
            ),
            claims.equal(
                "the Gaussian V0 integral gives exactly (1/4T) N (1/delta + C/2e^2)^-1 N (two grains)",
                _exact_gaussian_residual,
                0,
            ),
            claims.equal(
                "to first order in C this is delta/(4T) Sum N^2 - (delta^2/4T) N C N/(2e^2): the second term of "
                "Eq. (11b) and the N N term of Eq. (11c) (int dtau = 1/T)",
                _first_order_in_C_residual,
                0,
            ),
            claims.equal(
                "the printed terms are the action at the C = 0 saddle V0 = i delta N/2 = i mu (Eq. 17)",
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
            "Eqs. (11b)-(11c) keep the first order in delta C/e^2 = delta/E_C of the exact Gaussian result "
            "(1/4T) N (1/delta + C/2e^2)^-1 N."
        ),
    )
