"""The sigma-model for granular metals, Eqs. (3)-(14) of the granular paper, in paper order.

Steps: the Coulomb decoupling of Eq. (3b); the gauge transformation of Eqs. (4)-(5); the saddle point
of Eq. (6) from the xi integral; the tunneling term of Eq. (7) from the Tr ln engine, with g_T in terms
of t and the level spacing; the linear expansion of Eq. (10) and the Gaussian V0 integral giving
Eqs. (11b), (11c), (12); the winding-number minima and Eq. (9); Eq. (13) -> Eq. (14) and a finite,
regularised Delta F. Conventions and every difference from print: notes/granular.md.
"""
from __future__ import annotations

import sympy
from sympy import I, Matrix, MatrixSymbol, Rational, Symbol, Trace, pi
from sympy.matrices.expressions.diagonal import DiagonalOf

from derive import claims
from derive.gaussian import complex_gaussian_expectation, variances_from_action
from derive.matsubara import (
    fermi,
    fermi_derivative_fourier_by_residues,
    matsubara_inverse_square_by_residues,
    signed_matsubara_sum,
    signed_matsubara_sum_enumerated,
    xi_integral_symmetric_cutoff,
)
from derive.phases import DiagonalPhase, cancel_phases, phase_gradient
from derive.pipeline import Argument, Derivation, Export, Step
from derive.trln import GrainStructure, canonical_trace, grain_second_order_residual, trln_order

TITLE = "The sigma-model for granular metals (granular paper, Eqs. 3-14)"
PAPER = "granular"
OPTIONS: dict = {}

T, delta, g_T, t, e = sympy.symbols("T delta g_T t e", positive=True)
E_T = Symbol("E_T", positive=True)
tau = Symbol("tau", real=True)
size = Symbol("n", integer=True, positive=True)
Q1, Q2 = MatrixSymbol("Q_1", size, size), MatrixSymbol("Q_2", size, size)
chi = MatrixSymbol("chi", size, 1)


def g_T_of_t() -> sympy.Expr:
    """g_T = 8 pi^2 |t|^2 / delta^2 (delta: level spacing per spin; each contact counted once)."""
    return 8 * pi**2 * t**2 / delta**2


def tunneling_action_expr(n: sympy.Expr = size) -> sympy.Expr:
    """-(g_T/8) Tr[e^{i chi} Q_1 e^{-i chi} Q_2], one contact of Eq. (7)/(11b), for n x n blocks."""
    q1, q2, phases = MatrixSymbol("Q_1", n, n), MatrixSymbol("Q_2", n, n), MatrixSymbol("chi", n, 1)
    return -g_T / 8 * Trace(sympy.MatMul(DiagonalPhase(phases), q1, DiagonalPhase(phases, -1), q2))


def _gradient_residual(n: int = 3) -> sympy.Matrix:
    """phase_gradient of the tunneling action minus d/d chi_c of the explicit n x n trace."""
    q1, q2, phases = MatrixSymbol("Q_1", n, n), MatrixSymbol("Q_2", n, n), MatrixSymbol("chi", n, 1)
    explicit = {
        q1: sympy.ImmutableMatrix(n, n, sympy.symbols(f"a_0:{n * n}")),
        q2: sympy.ImmutableMatrix(n, n, sympy.symbols(f"b_0:{n * n}")),
        phases: sympy.ImmutableMatrix(sympy.symbols(f"c_0:{n}", real=True)),
    }
    expr = tunneling_action_expr(n)
    value = expr.xreplace(explicit).doit()
    gradient = phase_gradient(expr, phases).replace(
        lambda node: isinstance(node, DiagonalOf),
        lambda node: sympy.ImmutableMatrix(node.arg.xreplace(explicit).doit().diagonal().T),
    )
    gradient = sympy.Matrix(gradient.doit())
    derivative = sympy.Matrix([sympy.diff(value, c) for c in explicit[phases]])
    return (gradient - derivative).applyfunc(lambda x: sympy.expand(sympy.powsimp(sympy.expand(x))))


# --- Eqs. (1), (3b): Hubbard-Stratonovich decoupling of the charging energy ------------------------


def _coulomb_decoupling_residual() -> sympy.Expr:
    """Gaussian integral over static V (two grains): the exponent at the saddle is (e^2/2T)(N-q)C^-1(N-q)."""
    c11, c12, c22 = sympy.symbols("C_11 C_12 C_22", positive=True)
    C = Matrix([[c11, c12], [c12, c22]])
    N, q, V = (Matrix(sympy.symbols(f"{s}_1:3")) for s in ("N", "q", "V"))
    exponent = (V.T * C * V)[0] / (2 * e**2 * T) + I * (V.T * (q - N))[0] / T
    saddle = sympy.solve([sympy.diff(exponent, v) for v in V], list(V), dict=True)[0]
    coulomb = (e**2 / (2 * T)) * ((N - q).T * C.inv() * (N - q))[0]
    return sympy.simplify(exponent.subs(saddle) - coulomb)


def step_coulomb() -> Step:
    V_l, C_ll, q_l = Symbol("V^0_{l}"), Symbol("C_{ll'}"), Symbol("q_l")
    return Step(
        id="eq3b-coulomb-decoupling",
        title="Decoupling the charging energy, Eq. (1) -> Eq. (3b)",
        paper=PAPER,
        equation="(3b)",
        result=sympy.Eq(Symbol(r"\mathcal{F}_C"), V_l * (C_ll / (2 * e**2) * Symbol("V^0_{l'}") + I * q_l) / T),
        claims=(
            claims.equal(
                "integrating the static field V of Eq. (3b) (coupled to the charge as i V (q - N)) gives "
                "exp(-(e^2/2T) (N-q) C^-1 (N-q)), the charging energy of Eq. (1), for two grains",
                _coulomb_decoupling_residual,
                0,
            ),
        ),
        note="The sign of i delta_ll' q_l in Eq. (3b) matches the coupling i V N of Eq. (3c): together they give N - q.",
    )


# --- Eqs. (4)-(5): gauge transformation -----------------------------------------------------------


def _gauge_removes_chi_dot() -> sympy.Expr:
    psi, chi_t, V0 = sympy.Function("psi")(tau), sympy.Function("chi")(tau), Symbol("V^0")
    operator = lambda f, V: -sympy.diff(f, tau) + I * V * f  # i eps-hat + i V with eps-hat = i d/dtau
    gauged = sympy.exp(-I * chi_t) * operator(sympy.exp(I * chi_t) * psi, V0 + sympy.diff(chi_t, tau))
    return sympy.expand(gauged - operator(psi, V0))


def _gauged_tunneling_block() -> sympy.Matrix:
    chi_1, chi_2, a, b = sympy.symbols("chi_1 chi_2 a b")
    U = sympy.diag(sympy.exp(I * chi_1), sympy.exp(I * chi_2))
    block = Matrix([[a, -t], [-t, b]])
    gauged = U.H.subs({sympy.conjugate(chi_1): chi_1, sympy.conjugate(chi_2): chi_2}) * block * U
    expected = Matrix([[a, -t * sympy.exp(-I * (chi_1 - chi_2))], [-t * sympy.exp(I * (chi_1 - chi_2)), b]])
    return sympy.simplify(gauged - expected)


def step_gauge() -> Step:
    Q = MatrixSymbol("Q", size, size)
    E, E_inv = DiagonalPhase(chi), DiagonalPhase(chi, -1)
    Q_tilde = sympy.MatMul(E, Q, E_inv)
    return Step(
        id="eq4-5-gauge",
        title="The gauge transformation, Eqs. (4)-(5)",
        paper=PAPER,
        equation="(5)",
        result=sympy.Eq(Symbol(r"\tilde{t}_{ll'}"), t * sympy.exp(-I * Symbol(r"\hat{\chi}_{ll'}"))),
        claims=(
            claims.equal(
                "e^{-i chi}(i eps-hat + i V0 + i chi-dot) e^{i chi} = i eps-hat + i V0: the gauge removes chi-dot",
                _gauge_removes_chi_dot,
                0,
            ),
            claims.holds(
                "U^dagger (G^-1 - t-hat) U with U = diag(e^{i chi_l}) turns t into t e^{-i (chi_l - chi_l')} (Eq. 5b)",
                lambda: None if _gauged_tunneling_block() == sympy.zeros(2, 2) else str(_gauged_tunneling_block()),
                "symbolic: explicit two-grain block, simplified",
            ),
            claims.equal(
                "the disorder term Tr Q-tilde^2 of Eq. (3a) is gauge invariant under Eq. (5a)",
                lambda: cancel_phases(Trace(sympy.MatMul(Q_tilde, Q_tilde))),
                lambda: canonical_trace(Trace(sympy.MatMul(Q, Q))),
            ),
        ),
        note="Eq. (5b) prints chi-hat with grain and replica labels run together (OCR); chi-hat_ll' = chi_l - chi_l'.",
    )


# --- Eq. (6): saddle point from the xi integral ---------------------------------------------------


def _self_consistency_residual() -> str | None:
    """Q = sign(eps + Q/(2 tau_e)): Lambda = sign(eps) always; -sign(eps) only for |eps| < 1/(2 tau_e)."""
    tau_e = Rational(1, 3)
    for eps in (Rational(-7, 2), Rational(-1, 5), Rational(1, 7), Rational(5, 2)):
        if sympy.sign(eps + sympy.sign(eps) / (2 * tau_e)) != sympy.sign(eps):
            return f"Lambda = sign(eps) not self-consistent at eps = {eps}"
        inverted_ok = sympy.sign(eps - sympy.sign(eps) / (2 * tau_e)) == -sympy.sign(eps)
        if inverted_ok != (abs(eps) < 1 / (2 * tau_e)):
            return f"Q = -sign(eps) self-consistency wrong at eps = {eps}"
    return None


def _residue_difference() -> sympy.Expr:
    """int dxi [1/(i a - xi) - 1/(-i b - xi)] (a, b > 0) by residues, closing in the upper half-plane."""
    xi, a, b = sympy.Symbol("xi"), Symbol("a", positive=True), Symbol("b", positive=True)
    integrand = 1 / (I * a - xi) - 1 / (-I * b - xi)
    return 2 * pi * I * sympy.residue(integrand, xi, I * a)


def step_saddle_point() -> Step:
    a = Symbol("a", positive=True)
    eps, tau_e = Symbol("epsilon_n", real=True), Symbol("tau", positive=True)
    return Step(
        id="eq6-saddle-point",
        title="The saddle point Lambda = sign(eps_n), Eq. (6)",
        paper=PAPER,
        equation="(6)",
        result=sympy.Eq(Symbol("Q"), sympy.sign(eps + Symbol("Q") / (2 * tau_e))),
        claims=(
            claims.equal("int dxi/(i a - xi) = -i pi for a > 0 (symmetric cutoff, L -> oo)", lambda: xi_integral_symmetric_cutoff(a), -I * pi),
            claims.equal("int dxi/(i a - xi) = +i pi for a < 0", lambda: xi_integral_symmetric_cutoff(-a), I * pi),
            claims.equal(
                "the convergent difference of two Green functions by residues equals the difference of the cutoff results",
                _residue_difference,
                -2 * pi * I,
            ),
            claims.holds(
                "Q = (i/pi nu) nu int dxi G = sign(eps_n + Q/(2 tau)) is solved by Lambda = sign(eps_n); "
                "Q = -sign(eps_n) also solves it for |eps_n| < 1/(2 tau) (the Q_0 = +-1 of the paper)",
                _self_consistency_residual,
                "exact evaluation at rational points on both sides of 1/(2 tau)",
            ),
        ),
        note=(
            "Eq. (6) after the xi integral: Q = (i/pi nu) nu int dxi G = sign(eps_n + Q/2tau), solved by "
            "Lambda = sign(eps_n). Sum_p G_l(p) = -i pi Q_l/delta (1/delta: grain density of states per spin) "
            "is what Eqs. (7) and (10) use."
        ),
    )


# --- Eq. (7): the tunneling term from the Tr ln engine -------------------------------------------


def _momentum_sum_residual() -> sympy.Matrix:
    """Tr[G_l t G_l' t] with G diagonal in momentum and t_pk = t for all p, k: t^2 Tr[g_l P g_l' P^-1]."""
    m, d = 2, 2
    blocks = {(l, p): Matrix(d, d, sympy.symbols(f"g{l}{p}_0:{d * d}")) for l in (0, 1) for p in range(m)}
    phase = sympy.diag(*sympy.symbols(f"u_0:{d}"))
    phase_inv = sympy.diag(*[1 / u for u in phase.diagonal()])
    G = {l: sympy.diag(*[blocks[(l, p)] for p in range(m)]) for l in (0, 1)}
    ones = sympy.ones(m, m)
    t_01, t_10 = t * sympy.kronecker_product(ones, phase), t * sympy.kronecker_product(ones, phase_inv)
    full = (G[0] * t_01 * G[1] * t_10).trace()
    summed = {l: sum((blocks[(l, p)] for p in range(m)), sympy.zeros(d, d)) for l in (0, 1)}
    return sympy.expand(full - t**2 * (summed[0] * phase * summed[1] * phase_inv).trace())


def _engine_tunneling_term() -> sympy.Expr:
    """-Tr ln(1 - G t) at second order, two grains, after Sum_p G_l = -i pi Q_l/delta and the gauge phases."""
    grains = GrainStructure(2, [(0, 1)], size)
    second = -trln_order(grains.G, grains.V, 2)
    replace = {
        grains.G_blocks[0]: -I * pi / delta * Q1,
        grains.G_blocks[1]: -I * pi / delta * Q2,
        grains.t[(0, 1)]: t * DiagonalPhase(chi, -1),
        grains.t[(1, 0)]: t * DiagonalPhase(chi, 1),
    }
    return canonical_trace(second.xreplace(replace))


def _golden_rule_g_T() -> sympy.Expr:
    """2 pi/e^2 times the golden-rule conductance 2 (spin) * 2 pi e^2 |t|^2 nu^2, with the Fermi window integral."""
    u, L = Symbol("u", positive=True), Symbol("L", positive=True)
    antiderivative = lambda y: -T * sympy.log(1 + sympy.exp(-y / T))  # d/dy = f(y)
    window = (antiderivative(L - u) - antiderivative(-L - u)) - (antiderivative(L) - antiderivative(-L))
    electrons_per_bias = sympy.limit(window, L, sympy.oo) / u  # int dx [f(x - u) - f(x)] / u
    conductance = 2 * 2 * pi * e**2 * t**2 / delta**2 * electrons_per_bias
    return 2 * pi / e**2 * conductance


def step_tunneling() -> Step:
    grains = GrainStructure(3, [(0, 1), (1, 2)], size)
    tunneling = tunneling_action_expr()
    return Step(
        id="eq7-tunneling",
        title="The tunneling term to second order in t, Eq. (7)",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(Symbol(r"\mathcal{F}_t"), tunneling),
        claims=(
            claims.all_zero(
                "grain structure: Tr[G V] = 0 and -(1/2)Tr[(G V)^2] = -(1/2) sum_ll' Tr[G_l t_ll' G_l' t_l'l] "
                "(ordered pairs; a chain of three grains)",
                lambda: [trln_order(grains.G, grains.V, 1), grain_second_order_residual(grains)],
            ),
            claims.holds(
                "with t_pk = t for all momenta, Tr[G_l t G_l' t] = t^2 Tr[(Sum_p G_l)(Sum_k G_l')] "
                "(explicit: 2 momenta, 2x2 Matsubara blocks, diagonal phases)",
                lambda: None if _momentum_sum_residual() == 0 else str(_momentum_sum_residual()),
                "symbolic: explicit matrices, expanded",
            ),
            claims.equal(
                "-Tr ln(1 - G t) at order t^2 for one contact = -(g_T/8) Tr[e^{i chi} Q_1 e^{-i chi} Q_2] "
                "with g_T = 8 pi^2 t^2/delta^2 (the two orientations of the contact combine)",
                _engine_tunneling_term,
                lambda: canonical_trace(tunneling.subs(g_T, g_T_of_t())),
            ),
            claims.holds(
                "the exported chi-gradient (phase_gradient: each phase factor gives i s diag of the rotated word) "
                "equals d/d chi_c of the explicit 3 x 3 trace",
                lambda: None if _gradient_residual() == sympy.zeros(3, 1) else str(_gradient_residual()),
                "symbolic: explicit 3 x 3 matrices, expanded",
            ),
            claims.equal(
                "g_T = 8 pi^2 t^2/delta^2 is the golden-rule conductance (spin included) in units e^2/(2 pi hbar), "
                "so Sum_ll' in Eq. (7) counts each contact once",
                _golden_rule_g_T,
                g_T_of_t(),
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
            "g_T = 8 pi^2 |t|^2/delta^2 when Sum_ll' counts each contact once; with ordered pairs "
            "(each contact twice) the same action needs g_T/16 in front. Eq. (7) does not say which."
        ),
    )


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


# --- Winding-number minima and Eq. (9) --------------------------------------------------------------

REPLICAS = 3
SPIN = 2
M = Symbol("M", integer=True, positive=True)  # Matsubara cutoff: n = -M .. M-1


def isolated_grain_terms(w: sympy.Expr, q: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """(-(pi/delta) Tr[eps Q], delta/(4T) N^2) for one replica, Q = sign(eps_n - 2 pi T w), spin included."""
    energy = -pi / delta * SPIN * pi * T * signed_matsubara_sum(lambda n: 2 * n + 1, w, M)
    trace_PQ = SPIN * signed_matsubara_sum(lambda n: 1, w, M)
    N = -I * pi * T / delta * trace_PQ - q
    return energy, delta / (4 * T) * N**2


def _enumerated_sums_residual() -> str | None:
    w = Symbol("w", integer=True)
    closed_energy = signed_matsubara_sum(lambda n: 2 * n + 1, w, M)
    closed_trace = signed_matsubara_sum(lambda n: 1, w, M)
    for cutoff in range(1, 6):
        for winding in range(-cutoff, cutoff + 1):
            values = {w: winding, M: cutoff}
            if closed_energy.subs(values) != signed_matsubara_sum_enumerated(lambda n: 2 * n + 1, winding, cutoff):
                return f"energy sum differs at w = {winding}, M = {cutoff}"
            if closed_trace.subs(values) != signed_matsubara_sum_enumerated(lambda n: 1, winding, cutoff):
                return f"trace sum differs at w = {winding}, M = {cutoff}"
    return None


def _total_action(ws, q) -> sympy.Expr:
    return sympy.Add(*(sum(isolated_grain_terms(w, q)) for w in ws))


def step_winding_minima() -> Step:
    w = Symbol("w", integer=True)
    ws = sympy.symbols(f"w_1:{REPLICAS + 1}", integer=True)
    q = Symbol("q", real=True)
    at_zero = {wj: 0 for wj in ws}
    energy, charging = isolated_grain_terms(w, q)
    return Step(
        id="winding-minima",
        title="Winding-number minima Q = sign(eps_n - 2 pi T w): the w-dependence cancels; Tr Q and W, Eq. (9)",
        paper=PAPER,
        equation="(9), (11b)",
        result=sympy.Eq(sympy.Function(r"F^{(0)}_{d}")(*ws), sympy.expand(_total_action(ws, 0))),
        claims=(
            claims.equal(
                "sum_{n=-M}^{M-1} eps_n sign(eps_n - 2 pi T w) = 2 pi T (M^2 - w^2) for every integer |w| <= M",
                lambda: signed_matsubara_sum(lambda n: 2 * n + 1, w, M),
                2 * M**2 - 2 * w**2,
            ),
            claims.holds(
                "the closed forms agree with term-by-term enumeration for all |w| <= M <= 5",
                _enumerated_sums_residual,
                "exact integer enumeration",
            ),
            claims.equal(
                f"q = 0: the first two terms of Eq. (11b), summed over {REPLICAS} replicas with arbitrary integers w_j "
                "(spin included), do not depend on the w_j",
                lambda: sympy.expand(_total_action(ws, 0) - _total_action(ws, 0).subs(at_zero)),
                0,
            ),
            claims.equal(
                "q != 0: what remains is -2 pi i q sum_j w_j, the phase e^{2 pi i q sum w} of the AES theta term",
                lambda: sympy.expand(_total_action(ws, q) - _total_action(ws, q).subs(at_zero)),
                -2 * pi * I * q * sympy.Add(*ws),
            ),
            claims.equal(
                "Tr Q = sum_j Tr[Q P_j] = -4 sum_j w_j, so Eq. (9) Tr Q = 2W holds with W = -2 sum_j w_j",
                lambda: sympy.Add(*(SPIN * signed_matsubara_sum(lambda n: 1, wj, M) for wj in ws)),
                2 * (-2 * sympy.Add(*ws)),
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
        note="The paper writes W = 2 sum_j w_j; with Q = sign(eps_n - 2 pi T w) the trace is -4 sum_j w_j, so W = -2 sum_j w_j.",
    )


# --- Eq. (13) -> Eq. (14): the canonical-ensemble correction -----------------------------------------


def _eq13_residual() -> sympy.Expr:
    """Delta F = T (1/alpha) <S_2> at first order in S_2 = delta/(4T) sum_j N_j^2, N_j = -i (pi T/delta) Tr[Q P_j]."""
    alpha, trace_squared = Symbol("alpha", positive=True), Symbol(r"\langle(\mathrm{Tr}[Q P_j])^2\rangle")
    N_squared = (-I * pi * T / delta) ** 2 * trace_squared
    first_order = T / alpha * alpha * (delta / (4 * T)) * N_squared  # alpha equal replicas
    eq13 = -delta / 4 * (pi * T / delta) ** 2 / alpha * alpha * trace_squared
    return sympy.expand(first_order - eq13)


def _legendre_residual() -> sympy.Expr:
    """F(N) = max_mu [Omega(mu) + mu N] - Omega(0) to second order in dN = N(0) - N is dN^2/(2 kappa)."""
    s, dN, kappa, k3, N0, m, mu1 = sympy.symbols("s dN kappa kappa_3 N_0 m mu_1")
    target = -N0 * m - kappa * m**2 / 2 - k3 * m**3 / 6 + m * (N0 - s * dN)  # Omega(m) - Omega(0) + m N
    stationarity = sympy.expand(sympy.diff(target, m).subs(m, s * mu1))
    leading = {mu1: sympy.solve(stationarity.coeff(s, 1), mu1)[0]}
    value = sympy.expand(target.subs(m, s * mu1).subs(leading))
    return sympy.expand(value.coeff(s, 2) - dN**2 / (2 * kappa)) + value.coeff(s, 1) + value.coeff(s, 0)


def step_eq13_eq14() -> Step:
    dN2, kappa = Symbol(r"\left\langle(\Delta N)^{2}\right\rangle_{\mu}"), 2 / delta
    return Step(
        id="eq13-eq14-canonical",
        title="Perturbation theory in the charge-neutrality term: Eq. (13) and Eq. (14)",
        paper=PAPER,
        equation="(13)-(14)",
        result=sympy.Eq(Symbol(r"\Delta F"), dN2 / (2 * kappa)),
        claims=(
            claims.equal(
                "first order in delta/(4T) sum N^2 (q = 0) gives Eq. (13): Delta F = -(delta/4)(pi T/delta)^2 (1/alpha) sum <(Tr Q P_j)^2>",
                _eq13_residual,
                0,
            ),
            claims.equal(
                "the canonical free energy (Legendre transform of Omega at fixed N) exceeds Omega + mu N by "
                "dN^2/(2 dN/dmu) + O(dN^3); dN/dmu = 2/delta (spin) gives Eq. (14), (delta/4)<dN^2>",
                _legendre_residual,
                0,
            ),
            claims.equal(
                "spin-degenerate levels: N = 2 sum_i f(e_i), so (delta/4) Var N = delta Var(sum f); with the unitary "
                "correlator -1/(2 pi^2 w^2) this is the printed -(delta/2 pi^2) int int f f/(e-e')^2",
                delta / 4 * 4 * (-1 / (2 * pi**2)),
                -delta / (2 * pi**2),
            ),
        ),
        note="Eq. (14) holds with Delta N the total (both spins) number and delta the level spacing per spin.",
    )


# --- Eq. (13) in the sigma-model: Gaussian fluctuations about Lambda, the replica limit -------------


def replica_fluctuations(replicas: int, cutoff: int):
    """Explicit W over (replica, spin, n), n = -cutoff..cutoff-1: W_xy = z_xy (x+, y-), W_yx = -conj(z_xy).

    Returns (indices, Lambda, eps, W as a dict, z, zbar). {Lambda, W} = 0 by construction; Q is
    Lambda (1 + W)(1 - W)^-1 = Lambda (1 + 2 W + 2 W^2 + ...), Hermitian for this W.
    """
    indices = [(r, s, n) for r in range(replicas) for s in range(SPIN) for n in range(-cutoff, cutoff)]
    lam = {a: 1 if a[2] >= 0 else -1 for a in indices}
    eps = {a: pi * T * (2 * a[2] + 1) for a in indices}
    pairs = [(x, y) for x in indices for y in indices if lam[x] > 0 > lam[y]]
    z = [Symbol(f"z_{k}") for k in range(len(pairs))]
    zbar = [Symbol(f"zbar_{k}") for k in range(len(pairs))]
    W = {}
    for (x, y), zk, zbk in zip(pairs, z, zbar):
        W[(x, y)], W[(y, x)] = zk, -zbk
    return indices, lam, eps, W, z, zbar


def _trace_P_Lambda_W_power(indices, lam, W, j: int, power: int) -> sympy.Expr:
    """Tr[P_j Lambda W^power] for power 1 or 2, from the explicit entries."""
    if power == 1:
        return sympy.Add(*(lam[a] * W.get((a, a), 0) for a in indices if a[0] == j))
    return sympy.Add(*(lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices if a[0] == j for b in indices))


def replica_pair_sum(cutoff: int) -> sympy.Expr:
    """S = sum over spins and n >= 0 > m (one replica each) of (delta/(2 pi (eps_n - eps_m)))^2."""
    return SPIN**2 * sympy.Add(*(
        (delta / (2 * pi * (pi * T * (2 * n + 1) - pi * T * (2 * m + 1)))) ** 2
        for n in range(cutoff) for m in range(-cutoff, 0)
    ))


def _wick_moment_residual() -> str | None:
    """<Tr[P_j Lambda W^2]> = 0 and <(Tr[P_j Lambda W^2])^2> = 2 (alpha - 1) S, exact Wick sums."""
    for replicas, cutoff in ((2, 1), (3, 1), (2, 2)):
        indices, lam, eps, W, z, zbar = replica_fluctuations(replicas, cutoff)
        action = -(2 * pi / delta) * sympy.Add(*(eps[a] * lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices for b in indices))
        variances = variances_from_action(action, z, zbar)
        trace = _trace_P_Lambda_W_power(indices, lam, W, 0, 2)
        mean = complex_gaussian_expectation(trace, z, zbar, variances)
        second = complex_gaussian_expectation(trace**2, z, zbar, variances)
        residual = sympy.simplify(second - 2 * (replicas - 1) * replica_pair_sum(cutoff))
        if sympy.simplify(mean) != 0 or residual != 0:
            return f"alpha = {replicas}, M = {cutoff}: mean {mean}, second-moment residual {residual}"
    return None


def _variances_residual() -> str | None:
    """The action -(pi/delta) Tr[eps Q] at order W^2 is sum (2 pi/delta)(eps_x - eps_y) |z_xy|^2."""
    indices, lam, eps, W, z, zbar = replica_fluctuations(2, 2)
    action = -(2 * pi / delta) * sympy.Add(*(eps[a] * lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices for b in indices))
    pairs = [(x, y) for x in indices for y in indices if lam[x] > 0 > lam[y]]
    for variance, (x, y) in zip(variances_from_action(action, z, zbar), pairs):
        if sympy.simplify(variance - delta / (2 * pi * (eps[x] - eps[y]))) != 0:
            return f"variance of z_{x}{y} is {variance}"
    if any(_trace_P_Lambda_W_power(indices, lam, W, j, 1) != 0 for j in range(2)):
        return "Tr[P_j Lambda W] is not zero"
    return None


def step_eq13_sigma_model() -> Step:
    alpha, P, X = Symbol("alpha"), Symbol("P", integer=True, positive=True), Symbol("X", positive=True)
    p = Symbol("p", integer=True, positive=True)
    S_general = SPIN**2 * delta**2 / (4 * pi**2) * X  # X = sum_{n>=0>m} (eps_n - eps_m)^-2
    limit_of_replica_sum = (4 * 2 * (alpha - 1) * S_general).subs(alpha, 0)  # (1/alpha) sum_j, alpha -> 0
    eq13 = -delta / 4 * (pi * T / delta) ** 2 * limit_of_replica_sum
    harmonic_form = 2 * delta * T**2 * sympy.summation(p / (2 * pi * T * p) ** 2, (p, 1, P))
    return Step(
        id="eq13-sigma-model",
        title="Eq. (13) evaluated in the sigma-model: Gaussian fluctuations about Lambda and the replica limit",
        paper=PAPER,
        equation="(13)",
        result=sympy.Eq(Symbol(r"\Delta F"), delta / (2 * pi**2) * sympy.harmonic(P)),
        claims=(
            claims.holds(
                "Q = Lambda(1+W)(1-W)^-1, {Lambda, W} = 0: Tr[P_j Lambda W] = 0, and the action -(pi/delta)Tr[eps Q] "
                "at order W^2 is sum (2 pi/delta)(eps_x - eps_y)|W_xy|^2, so <|W_xy|^2> = delta/(2 pi (eps_x - eps_y))",
                _variances_residual,
                "symbolic: explicit W over 2 replicas x 2 spins x 4 Matsubara energies",
            ),
            claims.holds(
                "<Tr[P_j Lambda W^2]> = 0 and <(Tr[P_j Lambda W^2])^2> = 2(alpha - 1) S, S = sum over spins and "
                "n >= 0 > m of <|W|^2>^2, for (alpha, M) = (2, 1), (3, 1), (2, 2)",
                _wick_moment_residual,
                "exact Wick enumeration over explicit complex Gaussian W",
            ),
            claims.equal(
                "with Tr[Q P_j] = 2 Tr[P_j Lambda W^2] + O(W^3), Eq. (13) in the limit alpha -> 0 gives "
                "Delta F = 2 delta T^2 sum_{n>=0>m} (eps_n - eps_m)^-2",
                eq13,
                2 * delta * T**2 * X,
            ),
            claims.equal(
                "cutting eps_n - eps_m = 2 pi T p at p <= P ~ E_T/(2 pi T) (p pairs for each p): Delta F = (delta/2 pi^2) H_P",
                harmonic_form,
                delta / (2 * pi**2) * sympy.harmonic(P),
                method="simplify",
            ),
            claims.equal(
                "H_P - ln P -> Euler's gamma: Delta F = (delta/2 pi^2)[ln(E_T/2 pi T) + gamma], the slope -delta/(2 pi^2) "
                "in ln T of the real-energy form",
                lambda: sympy.limit(sympy.harmonic(P) - sympy.log(P), P, sympy.oo),
                sympy.EulerGamma,
            ),
        ),
        note=(
            "The alpha-independent part comes from pairs with one end in replica j and one in another replica; "
            "(alpha - 1) -> -1 fixes the sign. Leading order in delta/T; the cutoff constant (gamma here, 1 in "
            "the real-energy form) depends on the cutoff's shape."
        ),
    )


def delta_F_expr() -> sympy.Expr:
    """(delta/2 pi^2)[a coth a - ln(2 sinh a)], a = pi T/E_T: the regularised Delta F."""
    a = pi * T / E_T
    return delta / (2 * pi**2) * (a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a)))


def _closed_form_derivative_residual() -> sympy.Expr:
    a = Symbol("a", positive=True)
    closed = a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a))
    return sympy.simplify(sympy.diff(closed, a) + a / sympy.sinh(a) ** 2)


def step_delta_F() -> Step:
    k, omega, a = Symbol("k", positive=True), Symbol("omega", real=True), Symbol("a", positive=True)
    closed = a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a))
    return Step(
        id="eq14-delta-F-regularised",
        title="Delta F for a zero-dimensional grain, regularised: double pole and Thouless-energy cutoff",
        paper=PAPER,
        equation="(14)",
        result=sympy.Eq(Symbol(r"\Delta F"), delta_F_expr()),
        claims=(
            claims.equal(
                "int dz f'(z) e^{ikz} = -pi k T/sinh(pi k T) (k > 0), by residues at z = i eps_n",
                lambda: fermi_derivative_fourier_by_residues(k, T).rewrite(sympy.exp),
                lambda: (-pi * k * T / sympy.sinh(pi * k * T)).rewrite(sympy.exp),
                method="simplify",
            ),
            claims.equal(
                "the double pole as a Hadamard finite part: FP int e^{ik w}/w^2 dw = -int (1 - cos k w)/w^2 dw = -pi |k|, "
                "so -1/(2 pi^2 w^2) has the transform |k|/(2 pi)",
                lambda: -sympy.integrate((1 - sympy.cos(k * omega)) / omega**2, (omega, -sympy.oo, sympy.oo)),
                -pi * k,
            ),
            claims.equal(
                "Var(sum f) = int dk/2pi |f-hat|^2 |k|/2pi over |k| > 1/E_T equals (1/2pi^2) int_a^oo du u/sinh^2 u, "
                "a = pi T/E_T (integrands equal under u = pi k T)",
                lambda: 2 / (2 * pi) * (1 / k**2) * (pi * k * T / sympy.sinh(pi * k * T)) ** 2 * k / (2 * pi),
                lambda: (1 / (2 * pi**2)) * (pi * k * T) / sympy.sinh(pi * k * T) ** 2 * pi * T,
            ),
            claims.equal(
                "d/da [a coth a - ln(2 sinh a)] = -a/sinh^2 a",
                _closed_form_derivative_residual,
                0,
            ),
            claims.equal("a coth a - ln(2 sinh a) -> 0 as a -> oo (so it is int_a^oo u du/sinh^2 u)", lambda: sympy.limit(closed, a, sympy.oo), 0),
            claims.equal(
                "for T << E_T: a coth a - ln(2 sinh a) = 1 - ln(2a) + a^2/6 + O(a^4), i.e. Delta F = (delta/2 pi^2)[1 + ln(E_T/(2 pi T))]",
                lambda: sympy.series(closed, a, 0, 4).removeO(),
                1 - sympy.log(2) - sympy.log(a) + a**2 / 6,
                method="simplify",
            ),
        ),
        exports=(
            Export(
                "delta_F",
                delta_F_expr(),
                (
                    Argument("T", T),
                    Argument("delta", delta, description="mean level spacing per spin"),
                    Argument("E_T", E_T, description="Thouless energy (cutoff of the spectral correlations)"),
                ),
                "Canonical-ensemble correction Delta F = (delta/2pi^2)[a coth a - ln(2 sinh a)], a = pi T/E_T (delta << T).",
            ),
        ),
        note=(
            "The printed double integral diverges at e = e' and at large energies; as a finite part with the "
            "correlations cut at times shorter than 1/E_T it is finite. The constant depends on the cutoff shape, "
            "the slope -delta/(2 pi^2) in ln T does not."
        ),
    )


def build() -> Derivation:
    """The granular derivation, steps in paper order."""
    return Derivation(
        name="granular",
        title=TITLE,
        paper=PAPER,
        steps=(
            step_coulomb(),
            step_gauge(),
            step_saddle_point(),
            step_tunneling(),
            step_linear_expansion(),
            step_v0_integral(),
            step_winding_minima(),
            step_eq13_eq14(),
            step_eq13_sigma_model(),
            step_delta_F(),
        ),
        summary=(
            "Tunneling action of one contact and its chi-gradient, the charge N_jl of Eq. (12), the isolated-grain "
            "action at the winding-number minima, and the regularised canonical-ensemble correction Delta F."
        ),
    )
