"""Eqs. (11b), (11c), (12): the Gaussian integral over V0 and the charge N_jl."""
from __future__ import annotations

import random
from functools import partial

import sympy
from sympy import I, Matrix, MatrixSymbol, Symbol, Trace, adjoint, pi

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


# Two grains, one replica: capacitances, charges N_l, the static field V0, and K = 1/delta + C/2e^2 (symmetric).
CAPACITANCE, K, K_0 = (MatrixSymbol(name, 2, 2) for name in ("C", "K", "K_0"))
CHARGES, FIELD = MatrixSymbol(r"\mathbf{N}", 2, 1), MatrixSymbol(r"\mathbf{V}", 2, 1)


def _matrix_v0_action(V: sympy.MatrixExpr) -> sympy.MatrixExpr:
    """_v0_action written with the matrix symbols (V real: V^T = V^dagger)."""
    C, N = CAPACITANCE, CHARGES
    return adjoint(V) * V / (T * delta) + adjoint(V) * C * V / (2 * e**2 * T) - I * adjoint(V) * N / T


def _explicit(symmetric: tuple[str, ...]) -> dict:
    """Symmetric 2 x 2 matrices with symbolic entries for the named matrix symbols, real symbolic N and V."""
    names = {"C": CAPACITANCE, "K": K, "K_0": K_0}
    values = {}
    for name in symmetric:
        a, b, c = sympy.symbols(f"{name}_11 {name}_12 {name}_22", positive=True)
        values[names[name]] = sympy.ImmutableMatrix([[a, b], [b, c]])
    for vector, letter in ((CHARGES, "N"), (FIELD, "V")):
        values[vector] = sympy.ImmutableMatrix(sympy.symbols(f"{letter}_1:3", real=True))
    return values


def _scalar(expr: sympy.MatrixExpr, values: dict) -> sympy.Expr:
    """A 1 x 1 matrix expression with the explicit matrices substituted, as a scalar."""
    return sympy.Matrix(expr.xreplace(values).doit())[0]


def _exact_gaussian_statement() -> sympy.Eq:
    """V K V/T - i V N/T = (V - V*) K (V - V*)/T + N K^-1 N/(4T), V* = i K^-1 N/2: the V0 action is a square plus
    N K^-1 N/(4T), so the Gaussian integral over V0 gives exp[-N K^-1 N/(4T)] times a constant."""
    N, V = CHARGES, FIELD
    square = (adjoint(V) - I / 2 * adjoint(N) * K.I) * K * (V - I / 2 * K.I * N) / T
    return sympy.Eq(adjoint(V) * K * V / T - I * adjoint(V) * N / T, square + adjoint(N) * K.I * N / (4 * T), evaluate=False)


def _exact_gaussian_residual(statement: sympy.Eq) -> sympy.Expr:
    """The statement at K = 1/delta + C/2e^2 (C symmetric, symbolic entries), and its left side against the V0 action."""
    values = _explicit(("C",))
    values[K] = sympy.eye(2) / delta + values[CAPACITANCE] / (2 * e**2)
    square = sympy.cancel(sympy.expand(_scalar(statement.lhs - statement.rhs, values)))
    action = sympy.expand(_scalar(statement.lhs - _matrix_v0_action(FIELD), values))
    return square + action


def _first_order_in_C_statement() -> sympy.Eq:
    """N (K_0 + lambda C/2e^2)^-1 N/(4T) + lambda N K_0^-1 C K_0^-1 N/(8 e^2 T) = N K_0^-1 N/(4T) + lambda^2 R:
    the resolvent expansion with its exact second-order remainder R."""
    lam, N, C = Symbol("lambda"), CHARGES, CAPACITANCE
    resolvent = (K_0 + lam * C / (2 * e**2)).I
    exact = adjoint(N) * resolvent * N / (4 * T)
    first_order = lam * adjoint(N) * K_0.I * C * K_0.I * N / (8 * e**2 * T)
    remainder = lam**2 * adjoint(N) * K_0.I * C * K_0.I * C * resolvent * N / (16 * e**4 * T)
    # the first-order term on the left: every displayed term with a positive coefficient
    return sympy.Eq(exact + first_order, adjoint(N) * K_0.I * N / (4 * T) + remainder, evaluate=False)


def _first_order_residual(statement: sympy.Eq, points: int = 6) -> str | None:
    """The statement at seeded random rational points: symmetric K_0 and C, N, lambda, e, T (exact arithmetic;
    the symbolic 2 x 2 inverse makes simplify slow)."""
    rng = random.Random(20261206)

    def rational() -> sympy.Rational:
        return sympy.Rational(rng.randint(1, 9), rng.randint(1, 9))

    difference = statement.lhs - statement.rhs
    for _ in range(points):
        point = {symbol: rational() for symbol in difference.free_symbols if not isinstance(symbol, MatrixSymbol)}
        for matrix in (K_0, CAPACITANCE):
            a, b, c = rational(), rational(), rational()
            point[matrix] = sympy.ImmutableMatrix([[a + b, b], [b, b + c]])  # symmetric positive definite
        point[CHARGES] = sympy.ImmutableMatrix([rational(), rational()])
        value = sympy.Matrix(difference.xreplace(point).doit())[0]
        if sympy.nsimplify(value) != 0:
            return f"at {point}: {value}"
    return None


def _action_at_C0_saddle_and_paper() -> tuple[sympy.Expr, sympy.Expr]:
    """(the printed terms, the V0 action at V0 = i delta N/2 = i mu of Eq. (17)), two grains."""
    C, N, V = _two_grain_symbols()
    at_saddle = _v0_action(I * delta * N / 2, N, C)
    paper = delta / (4 * T) * (N.T * N)[0] - (delta**2 / (4 * T)) * (N.T * C * N)[0] / (2 * e**2)
    return paper, at_saddle


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
                r"with $K = 1/\delta + C/2e^2$ the action in $V^0$ (two grains, charges $N_l$, capacitances $C_{ll'}$) is a "
                r"square plus $(1/4T)\,NK^{-1}N$, so the Gaussian integral over $V^0$ gives exactly that term",
                partial(_exact_gaussian_residual, exact),
                0,
                formula=exact,
            ),
            claims.holds(
                r"to first order in $C$ ($C \to \lambda C$, the $\lambda^2$ term the exact remainder), for any symmetric "
                r"$K_0$; at $K_0 = 1/\delta$ "
                r"this is $(\delta/4T)\sum N^2 - (\delta^2/4T)\,NCN/2e^2$, the second term of Eq. (11b) and the $NN$ term of "
                r"Eq. (11c) ($\int d\tau = 1/T$)",
                partial(_first_order_residual, first_order),
                "exact rational evaluation at 6 seeded random points (symmetric $K_0$ and $C$)",
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
