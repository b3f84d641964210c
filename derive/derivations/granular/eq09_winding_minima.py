"""Eq. (9) and the first two terms of (11b) at the winding-number minima Q = sign(eps_n - 2 pi T w)."""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, Symbol, pi

from derive.derivations.granular.notation import SPIN, T, delta
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import signed_matsubara_sum
from derive.model import Argument, Export, Step

REPLICAS = 3
M = Symbol("M", integer=True, positive=True)  # Matsubara cutoff: n = -M .. M-1


def isolated_grain_terms(w: sympy.Expr, q: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """(-(pi/delta) Tr[eps Q], delta/(4T) N^2) for one replica, Q = sign(eps_n - 2 pi T w), spin included."""
    energy = -pi / delta * SPIN * pi * T * signed_matsubara_sum(lambda n: 2 * n + 1, w, M)
    trace_PQ = SPIN * signed_matsubara_sum(lambda n: 1, w, M)
    N = -I * pi * T / delta * trace_PQ - q
    return energy, delta / (4 * T) * N**2


def _enumerated_sums_statement(w: sympy.Symbol) -> sympy.Eq:
    """The two signed Matsubara sums of the step (energy and trace) and their closed forms."""
    return sympy.Eq(sympy.ImmutableMatrix([_signed_sum(lambda n: 2 * n + 1, w), _signed_sum(lambda n: 1, w)]),
                    sympy.ImmutableMatrix([2 * (M**2 - w**2), -2 * w]), evaluate=False)


def _enumerated_sums_residual(statement: sympy.Eq, w: sympy.Symbol) -> str | None:
    """Both sums term by term for every |w| <= M <= 5, against the closed forms and the engine's closed forms."""
    engine = (signed_matsubara_sum(lambda n: 2 * n + 1, w, M), signed_matsubara_sum(lambda n: 1, w, M))
    for cutoff in range(1, 6):
        for winding in range(-cutoff, cutoff + 1):
            values = {w: winding, M: cutoff}
            for total, closed, computed in zip(statement.lhs, statement.rhs, engine, strict=True):
                enumerated = total.subs(values).doit()
                if not enumerated == closed.subs(values) == computed.subs(values):
                    return f"w = {winding}, M = {cutoff}: enumerated {enumerated}, closed {closed.subs(values)}"
    return None


def _signed_sum(weight, w: sympy.Expr) -> sympy.Sum:
    """sum_{n=-M}^{M-1} weight(n) sign(eps_n - 2 pi T w), unevaluated (eps_n - 2 pi T w = pi T (2n + 1 - 2w))."""
    n = Symbol("n", integer=True)
    return sympy.Sum(weight(n) * sympy.sign(2 * n + 1 - 2 * w), (n, -M, M - 1))


def _total_action(ws, q) -> sympy.Expr:
    return sympy.Add(*(sum(isolated_grain_terms(w, q)) for w in ws))


_U, _Q0 = sympy.MatrixSymbol(r"\hat{U}", 2, 2), sympy.MatrixSymbol("Q_0", 2, 2)   # Eq. (8): the rotation, the minimum


def _trace_on_the_manifold_residuals() -> list[sympy.Expr]:
    """Tr[U Q_0 U^dagger] - Tr Q_0 for a general U(2) (Euler angles and a phase) rotating the two energies next to the
    winding point, Q_0 = diag(1, -1), and for an exact 3 x 3 unitary (Cayley transform of a rational anti-Hermitian
    matrix) rotating three energies, Q_0 = diag(1, 1, -1)."""
    theta, phi1, phi2, alpha = sympy.symbols("vartheta varphi_1 varphi_2 alpha", real=True)
    a, b = sympy.cos(theta) * sympy.exp(I * phi1), sympy.sin(theta) * sympy.exp(I * phi2)
    u2 = sympy.exp(I * alpha) * sympy.Matrix([[a, b], [-sympy.conjugate(b), sympy.conjugate(a)]])
    q2 = sympy.diag(1, -1)
    generator = sympy.Matrix([[I, 1 + 2 * I, sympy.Rational(1, 3)], [-1 + 2 * I, 0, 2 - I], [-sympy.Rational(1, 3), -2 - I, -3 * I]])
    assert generator.H == -generator
    u3 = ((sympy.eye(3) - generator) * (sympy.eye(3) + generator).inv()).applyfunc(sympy.expand_complex)
    q3 = sympy.diag(1, 1, -1)
    unitary = (u3 * u3.H - sympy.eye(3)).applyfunc(sympy.expand_complex)
    return [sympy.expand((u2 * q2 * u2.H).trace() - q2.trace()),
            sympy.expand_complex((u3 * q3 * u3.H).trace() - q3.trace()), *unitary]


def eq09_winding_minima() -> Step:
    """Eq. (9): the isolated-grain action at the winding minima, and Tr Q = 2W."""
    w = Symbol("w", integer=True)
    ws = sympy.symbols(f"w_1:{REPLICAS + 1}", integer=True)
    q = Symbol("q", real=True)
    at_zero = {wj: 0 for wj in ws}
    energy, charging = isolated_grain_terms(w, q)
    return Step(
        **OUTLINE.header("winding-minima"),
        result=sympy.Eq(sympy.Function(r"F^{(0)}_{d}")(*ws), sympy.expand(_total_action(ws, 0))),
        claims=(
            claims.equal(
                r"$\sum_{n=-M}^{M-1}\varepsilon_n\operatorname{sign}(\varepsilon_n - 2\pi T w) = 2\pi T(M^2 - w^2)$ "
                r"for every integer $|w| \le M$",
                lambda: signed_matsubara_sum(lambda n: 2 * n + 1, w, M),
                2 * M**2 - 2 * w**2,
                formula=sympy.Eq(pi * T * _signed_sum(lambda n: 2 * n + 1, w), 2 * pi * T * (M**2 - w**2), evaluate=False),
            ),
            claims.holds(
                r"the closed forms agree with term-by-term enumeration for all $|w| \le M \le 5$",
                partial(_enumerated_sums_residual, _enumerated_sums_statement(w), w),
                "exact integer enumeration of every term",
                formula=_enumerated_sums_statement(w),
            ),
            claims.equal(
                r"at $q = 0$ the first two terms of Eq. (11b), summed over " + str(REPLICAS) + r" replicas with arbitrary "
                r"integers $w_j$ (spin included), do not depend on the $w_j$; shown for one replica, whose terms "
                r"depend on its own $w$ only",
                lambda: sympy.expand(_total_action(ws, 0) - _total_action(ws, 0).subs(at_zero)),
                0,
                formula=sympy.Eq(_total_action((w,), 0), _total_action((w,), 0).subs(w, 0), evaluate=False),
            ),
            claims.equal(
                r"at $q \ne 0$ what remains is $-2\pi i q\sum_j w_j$, the phase $e^{2\pi i q\sum_j w_j}$ of the "
                r"$\theta$ term of the AES action (shown for one replica)",
                lambda: sympy.expand(_total_action(ws, q) - _total_action(ws, q).subs(at_zero)),
                -2 * pi * I * q * sympy.Add(*ws),
                formula=sympy.Eq(_total_action((w,), q) - _total_action((w,), q).subs(w, 0), -2 * pi * I * q * w, evaluate=False),
            ),
            claims.equal(
                r"$\operatorname{Tr}Q = \sum_j\operatorname{Tr}[QP_j] = -4\sum_j w_j$, so $\operatorname{Tr}Q = 2W$ "
                r"of Eq. (9) holds with $W = -2\sum_j w_j$ (one replica shown)",
                lambda: sympy.Add(*(SPIN * signed_matsubara_sum(lambda n: 1, wj, M) for wj in ws)),
                2 * (-2 * sympy.Add(*ws)),
                formula=sympy.Eq(SPIN * _signed_sum(lambda n: 1, w), -4 * w, evaluate=False),
            ),
            claims.all_zero(
                r"Eq. (9) on the whole manifold, not only at its diagonal points: $Q = \hat U Q_0 \hat U^\dagger$ of Eq. (8) has "
                r"$\operatorname{Tr} Q = \operatorname{Tr} Q_0 = 2W$ for every unitary $\hat U$ (checked for a general "
                r"$U(2)$ and an exact $3 \times 3$ unitary mixing energies on both sides of the winding point), so "
                r"$W$, an integer that cannot jump along a continuous path of $\hat U$, labels disjoint manifolds",
                _trace_on_the_manifold_residuals,
                formula=sympy.Eq(sympy.Trace(_U * _Q0 * _U.adjoint()), sympy.Trace(_Q0), evaluate=False),
            ),
        ),
        exports=(
            Export(
                "isolated_grain_terms",
                sympy.Tuple(energy, charging),
                (
                    Argument("w", w, description="winding number w_jl of one replica (integer, |w| <= M)"),
                    Argument("T", T),
                    Argument("delta", delta, description="mean level spacing per spin"),
                    Argument("q", q, description="background charge q_l"),
                    Argument("M", M, description="Matsubara cutoff: n = -M .. M-1"),
                ),
                "(-(pi/delta) Tr[eps Q P_j], delta/(4T) N_jl^2) for Q = sign(eps_n - 2 pi T w), spin included.",
            ),
        ),
        note=(r"The paper writes $W = 2\sum_j w_j$; with $Q = \operatorname{sign}(\varepsilon_n - 2\pi T w)$ the trace is "
              r"$-4\sum_j w_j$, so $W = -2\sum_j w_j$."),
    )
