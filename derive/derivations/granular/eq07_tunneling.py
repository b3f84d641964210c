"""Eq. (7): the tunneling term from the Tr ln engine, one contact, its chi-gradient, and g_T in terms of t."""
from __future__ import annotations

import sympy
from sympy import I, MatrixSymbol, Symbol, Trace, pi
from sympy.matrices.expressions.diagonal import DiagonalOf

from derive.derivations.granular.notation import Q1, Q2, T, chi, delta, e, g_T, g_T_of_t, size, t
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import fermi
from derive.engines.phases import DiagonalPhase, phase_gradient
from derive.engines.trln import GrainStructure, canonical_trace, grain_second_order_residual, trln_order
from derive.model import Argument, Export, Step


def tunneling_action_expr(n: sympy.Expr = size) -> sympy.Expr:
    """-(g_T/8) Tr[e^{i chi} Q_1 e^{-i chi} Q_2], one contact of Eq. (7)/(11b), for n x n blocks."""
    q1, q2, phases = MatrixSymbol("Q_1", n, n), MatrixSymbol("Q_2", n, n), MatrixSymbol("chi", n, 1)
    return -g_T / 8 * Trace(sympy.MatMul(DiagonalPhase(phases), q1, DiagonalPhase(phases, -1), q2))


def gradient_statement(n: sympy.Expr = size) -> sympy.Eq:
    """∂S/∂χ = the exported gradient: each phase factor e^{±iχ̂} gives ±i times the diagonal of the rotated word."""
    expr = tunneling_action_expr(n)
    phases = MatrixSymbol("chi", n, 1)
    return sympy.Eq(sympy.Derivative(expr, phases), phase_gradient(expr, phases), evaluate=False)


def gradient_residual(n: int = 3) -> sympy.Matrix:
    """phase_gradient of the tunneling action minus d/d chi_c of the explicit n x n trace."""
    q1, q2, phases = MatrixSymbol("Q_1", n, n), MatrixSymbol("Q_2", n, n), MatrixSymbol("chi", n, 1)
    explicit = {
        q1: sympy.ImmutableMatrix(n, n, sympy.symbols(f"a_0:{n * n}")),
        q2: sympy.ImmutableMatrix(n, n, sympy.symbols(f"b_0:{n * n}")),
        phases: sympy.ImmutableMatrix(sympy.symbols(f"c_0:{n}", real=True)),
    }
    statement = gradient_statement(n)
    value = statement.lhs.expr.xreplace(explicit).doit()
    gradient = statement.rhs.replace(
        lambda node: isinstance(node, DiagonalOf),
        lambda node: sympy.ImmutableMatrix(node.arg.xreplace(explicit).doit().diagonal().T),
    )
    gradient = sympy.Matrix(gradient.doit())
    derivative = sympy.Matrix([sympy.diff(value, c) for c in explicit[phases]])
    return (gradient - derivative).applyfunc(lambda x: sympy.expand(sympy.powsimp(sympy.expand(x))))


_MOMENTA = 2
# G_l at each momentum p (blocks in replica, spin and Matsubara space) for the two grains l, l' of a contact.
MOMENTUM_BLOCKS = {(l, p): MatrixSymbol(f"g_{{{side}{p + 1}}}", size, size) for l, side in enumerate(("l", "l'"))
                   for p in range(_MOMENTA)}


def momentum_sum_statement() -> sympy.Eq:
    """t^2 Tr[(sum_p g_l(p)) e^{-i chi} (sum_k g_l'(k)) e^{i chi}] = sum_{p,k} t^2 Tr[g_l(p) e^{-i chi} g_l'(k) e^{i chi}]."""
    E, E_inv = DiagonalPhase(chi, -1), DiagonalPhase(chi)
    pairs = sympy.Add(*(t**2 * Trace(sympy.MatMul(MOMENTUM_BLOCKS[(0, p)], E, MOMENTUM_BLOCKS[(1, k)], E_inv))
                        for p in range(_MOMENTA) for k in range(_MOMENTA)))
    summed = [sympy.MatAdd(*(MOMENTUM_BLOCKS[(l, p)] for p in range(_MOMENTA))) for l in (0, 1)]
    return sympy.Eq(t**2 * Trace(sympy.MatMul(summed[0], E, summed[1], E_inv)), pairs, evaluate=False)


def momentum_sum_residual(statement: sympy.Eq) -> sympy.Expr:
    """Tr[G_l t G_l' t] over the whole space (G diagonal in momentum, t_pk = t e^{-+i chi} for all p, k), 2 x 2 blocks,
    minus each side of the statement with the same blocks: both differences expanded."""
    d = 2
    blocks = {key: sympy.ImmutableMatrix(d, d, sympy.symbols(f"g{key[0]}{key[1]}_0:{d * d}")) for key in MOMENTUM_BLOCKS}
    phases = sympy.ImmutableMatrix(sympy.symbols(f"c_0:{d}", real=True))
    phase, phase_inv = sympy.diag(*[sympy.exp(-I * c) for c in phases]), sympy.diag(*[sympy.exp(I * c) for c in phases])
    G = {l: sympy.diag(*[blocks[(l, p)] for p in range(_MOMENTA)]) for l in (0, 1)}
    ones = sympy.ones(_MOMENTA, _MOMENTA)
    t_01, t_10 = t * sympy.kronecker_product(ones, phase), t * sympy.kronecker_product(ones, phase_inv)
    full = (G[0] * t_01 * G[1] * t_10).trace()
    explicit = {**{MOMENTUM_BLOCKS[key]: value for key, value in blocks.items()}, chi: phases}
    sides = [side.xreplace(explicit).doit() for side in (statement.rhs, statement.lhs)]  # [sum over p, k; summed]
    return sympy.expand(full - sides[0]) + sympy.expand(sides[0] - sides[1])


def engine_tunneling_term() -> sympy.Expr:
    """-Tr ln(1 - G t) at second order, two grains, after Sum_p G_l = -i pi Q_l/delta and the gauge phases."""
    return canonical_trace(_second_order_contact())


def _second_order_contact() -> sympy.Expr:
    """-Tr ln(1 - G t) at second order for one contact, G_l and t replaced, before the cyclic canonical form."""
    grains = GrainStructure(2, [(0, 1)], size)
    second = -trln_order(grains.G, grains.V, 2)
    replace = {
        grains.G_blocks[0]: -I * pi / delta * Q1,
        grains.G_blocks[1]: -I * pi / delta * Q2,
        grains.t[(0, 1)]: t * DiagonalPhase(chi, -1),
        grains.t[(1, 0)]: t * DiagonalPhase(chi, 1),
    }
    return second.xreplace(replace)


def golden_rule_g_T() -> sympy.Expr:
    """2 pi/e^2 times the golden-rule conductance 2 (spin) * 2 pi e^2 |t|^2 nu^2, with the Fermi window integral."""
    u, L = Symbol("u", positive=True), Symbol("L", positive=True)

    def antiderivative(y):
        return -T * sympy.log(1 + sympy.exp(-y / T))  # d/dy = f(y)

    window = (antiderivative(L - u) - antiderivative(-L - u)) - (antiderivative(L) - antiderivative(-L))
    electrons_per_bias = sympy.limit(window, L, sympy.oo) / u  # int dx [f(x - u) - f(x)] / u
    return _g_T_from_conductance(electrons_per_bias)


def _g_T_from_conductance(electrons_per_bias: sympy.Expr) -> sympy.Expr:
    """2 pi/e^2 times the golden-rule conductance 2 (spin) * 2 pi e^2 |t|^2 nu^2 * electrons_per_bias."""
    return 2 * pi / e**2 * (2 * 2 * pi * e**2 * t**2 / delta**2 * electrons_per_bias)


def _fermi_window_per_bias() -> sympy.Integral:
    """int dx [f(x - u) - f(x)]/u, unevaluated: the statement golden_rule_g_T evaluates."""
    u, x = Symbol("u", positive=True), Symbol("xi", real=True)
    return sympy.Integral((fermi(x - u, T) - fermi(x, T)) / u, (x, -sympy.oo, sympy.oo))


def eq07_tunneling() -> Step:
    """Eq. (7): -Tr ln(1 - G t) at second order in t, one contact, and its exports."""
    grains = GrainStructure(3, [(0, 1), (1, 2)], size)
    tunneling = tunneling_action_expr()
    momenta = momentum_sum_statement()
    return Step(
        **OUTLINE.header("eq7-tunneling"),
        result=sympy.Eq(Symbol(r"\mathcal{F}_t"), tunneling),
        claims=(
            claims.all_zero(
                r"grain structure: $\operatorname{Tr}[GV] = 0$ and $-\frac12\operatorname{Tr}[(GV)^2] = "
                r"-\frac12\sum_{ll'}\operatorname{Tr}[G_l t_{ll'} G_{l'} t_{l'l}]$ over ordered pairs, for a chain of three grains",
                lambda: [trln_order(grains.G, grains.V, 1), grain_second_order_residual(grains)],
                formula=sympy.Eq(trln_order(grains.G, grains.V, 2), -sympy.Rational(1, 2) * grains.ordered_pair_sum(),
                                 evaluate=False),
            ),
            claims.holds(
                r"with $t_{pk} = t$ for all momenta $p$, $k$ (dressed by the phases of Eq. (5b)), $\operatorname{Tr}[G_l t G_{l'} t]$ "
                r"over the blocks $g_{lp}$ of $G_l$ at momentum $p$ is the trace of the momentum sums (two momenta shown)",
                lambda: None if momentum_sum_residual(momenta) == 0 else str(momentum_sum_residual(momenta)),
                r"symbolic: explicit $2\times 2$ blocks, two momenta, expanded",
                formula=momenta,
            ),
            claims.equal(
                r"$-\operatorname{Tr}\ln(1 - Gt)$ at order $t^2$ for one contact is "
                r"$-(g_T/8)\operatorname{Tr}[e^{i\chi} Q_1 e^{-i\chi} Q_2]$ with $g_T = 8\pi^2 t^2/\delta^2$ "
                "(the two orientations of the contact combine)",
                engine_tunneling_term,
                lambda: canonical_trace(tunneling.subs(g_T, g_T_of_t())),
                formula=sympy.Eq(_second_order_contact(), tunneling.subs(g_T, g_T_of_t()), evaluate=False),
            ),
            claims.holds(
                r"the exported gradient in the phases (each phase factor $e^{is\chi}$ gives $is$ times the diagonal of "
                r"the rotated word) equals $\partial/\partial\chi_c$ of the explicit $3\times 3$ trace",
                lambda: None if gradient_residual() == sympy.zeros(3, 1) else str(gradient_residual()),
                r"symbolic: explicit $3\times 3$ matrices, expanded",
                formula=gradient_statement(),
            ),
            claims.equal(
                r"$g_T = 8\pi^2 t^2/\delta^2$ is the golden-rule conductance (spin included) in units of $e^2/2\pi\hbar$, "
                r"so $\sum_{ll'}$ in Eq. (7) counts each contact once",
                golden_rule_g_T,
                g_T_of_t(),
                formula=sympy.Eq(_g_T_from_conductance(_fermi_window_per_bias()), g_T_of_t(), evaluate=False),
            ),
        ),
        exports=(
            Export(
                "tunneling_action",
                tunneling,
                (
                    Argument("Q1", Q1, description="Q of grain l, shape (..., n, n), in the basis where chi-hat is diagonal"),
                    Argument("Q2", Q2, description="Q of grain l', shape (..., n, n)"),
                    Argument("chi", chi, description="diagonal of chi-hat_ll' = chi_l - chi_l', shape (..., n)"),
                    Argument("g_T", g_T, description="dimensionless tunneling conductance 2 pi hbar/(e^2 R)"),
                ),
                "-(g_T/8) Tr[exp(i chi) Q1 exp(-i chi) Q2]: the tunneling action of one contact (Eq. 7, 11b).",
            ),
            Export(
                "tunneling_action_chi_gradient",
                phase_gradient(tunneling, chi),
                (Argument("Q1", Q1), Argument("Q2", Q2), Argument("chi", chi), Argument("g_T", g_T)),
                "d tunneling_action / d chi_c, shape (..., n).",
            ),
        ),
        note=(
            r"$g_T = 8\pi^2|t|^2/\delta^2$ when $\sum_{ll'}$ counts each contact once; with ordered pairs "
            r"(each contact twice) the same action needs $g_T/16$ in front. Eq. (7) does not say which."
        ),
    )
