"""Eq. (13) -> Eq. (14): the canonical-ensemble correction Delta F, and its regularised closed form."""
from __future__ import annotations

import sympy
from sympy import I, Symbol, pi

from derive.engines import claims
from derive.derivations.granular.notation import PAPER, E_T, T, delta
from derive.engines.matsubara import fermi_derivative_fourier_by_residues
from derive.model import Argument, Export, Step


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


# --- Eq. (14) regularised: the double pole as a finite part, correlations cut at the Thouless energy --------


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
