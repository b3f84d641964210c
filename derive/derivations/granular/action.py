"""The microscopic action up to the saddle point: the Coulomb decoupling of Eq. (3b), the gauge transformation
of Eqs. (4)-(5), and the saddle point Lambda = sign(eps_n) of Eq. (6) from the xi integral."""
from __future__ import annotations

import sympy
from sympy import I, Matrix, MatrixSymbol, Rational, Symbol, Trace, pi

from derive.engines import claims
from derive.derivations.granular.notation import PAPER, T, chi, e, size, t, tau
from derive.engines.matsubara import xi_integral_symmetric_cutoff
from derive.engines.phases import DiagonalPhase, cancel_phases
from derive.model import Step
from derive.engines.trln import canonical_trace


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
