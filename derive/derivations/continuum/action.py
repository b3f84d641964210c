"""Eqs. (15), (17), (16): the continuum action F_d with its diffuson pole, the chemical potential, the Coulomb term."""
from __future__ import annotations

import sympy

from derive.engines import claims
from derive.derivations.continuum.densities import density_arguments, gradient_density
from derive.derivations.continuum.notation import PAPER, T, delta, nu
from derive.model import Export, Step


def step_eq15() -> Step:
    N, mu, volume = sympy.symbols("N mu v", positive=True)
    tr_eps_q = sympy.Symbol(r"\operatorname{Tr}[\hat\varepsilon Q]")
    j = sympy.Symbol("j", integer=True)
    mu_j = sympy.Indexed(sympy.IndexedBase(r"\mu"), j)
    gradient = sympy.Symbol(r"\frac{D_{\mu\nu}}{4}\operatorname{Tr}[\tilde\partial_{\mu}Q\,\tilde\partial_{\nu}Q]")
    result = sympy.Eq(sympy.Symbol("F_d"), sympy.pi * nu * sympy.Integral(
        sympy.Sum(mu_j**2, (j, 1, sympy.Symbol(r"\alpha"))) / (sympy.pi * T) - tr_eps_q + gradient, sympy.Symbol(r"\mathbf{r}")))
    return Step(
        id="eq15-continuum-action", title="The continuum action F_d", paper=PAPER, equation="(15)", result=result,
        claims=(
            claims.equal("per grain pi/delta = pi nu*v with nu = 1/(delta v): -(pi/delta)sum_l Tr[eps-hatQ_l] -> -pi nuint Tr[eps-hatQ]",
                         sympy.pi / delta, sympy.pi * (1 / (delta * volume)) * volume),
            claims.equal("(delta/4T) N^2 per grain = pi nu v mu^2/(piT) with mu = deltaN/2",
                         delta / (4 * T) * N**2, (sympy.pi / (delta * volume)) * volume * (delta * N / 2) ** 2 / (sympy.pi * T)),
        ),
        exports=tuple(
            Export(f"gradient_action_density_d{d}", gradient_density(d), density_arguments(d, second=False),
                   "Gradient term of Eq. (15) per unit volume: pi nu (D_{mu nu}/4) Tr[d~_mu Q d~_nu Q], d~Q = grad Q + i[grad chi-hat, Q], "
                   "with pi nu D/4 = pi gamma g_T/(4 volume).")
            for d in (1, 2, 3)),
        note="sum_l -> int dr/v. The tunneling term gives the gradient term (previous steps); the constant -(g_T/8)n per contact is dropped.",
    )


def _diffuson_sides():
    """Quadratic action of a plane-wave rotation Q = e^{iX}Λe^{−iX} of Eq. (15) against 2πν(Dq² + ε₁ − ε₂)|c|²."""
    c, cbar, q, r, s, D = sympy.symbols("c cbar q r s D")
    eps1, eps2 = sympy.symbols("epsilon_1 epsilon_2")
    X = sympy.Matrix([[0, s * c * sympy.exp(sympy.I * q * r)], [s * cbar * sympy.exp(-sympy.I * q * r), 0]])
    lam, energies = sympy.diag(1, -1), sympy.diag(eps1, eps2)
    rotated = lam + sympy.I * (X * lam - lam * X) - (X * (X * lam - lam * X) - (X * lam - lam * X) * X) / 2
    gradient = rotated.diff(r)
    density = sympy.pi * nu * (-(energies * rotated).trace() + D / 4 * (gradient * gradient).trace())
    quadratic = sympy.expand(density).coeff(s, 2)
    return (lambda: sympy.simplify(quadratic)), (lambda: 2 * sympy.pi * nu * (D * q**2 + eps1 - eps2) * c * cbar)


def step_diffuson() -> Step:
    lhs, rhs = _diffuson_sides()
    return Step(
        id="diffuson-pole", title="D in Eq. (15) is the diffusion constant: the diffuson pole", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"F^{(2)}_d"), sympy.Symbol(
            r"2\pi\nu\sum_{q}\left(Dq^{2}+\varepsilon_n-\varepsilon_m\right)|c_q|^{2}")),
        claims=(claims.equal("Q = e^{iX} Lambda e^{-iX}, X off-diagonal plane wave c e^{iqr}: the action is "
                             "2 pi nu (D q^2 + eps_n - eps_m)|c|^2 to second order", lhs, rhs),),
        note="eps_n > 0 > eps_m, so eps_n - eps_m = |omega|: the propagator 1/(Dq^2 + |omega|) has D as its diffusion "
             "constant, which is what the Einstein relation sigma = 2e^2 nu D compares with the network.",
    )


def step_eq17() -> Step:
    trace_qp, q_r, N = sympy.symbols(r"\operatorname{Tr}[Q\hat{P}_j] q_r N_{jr}")
    from_eq12 = -sympy.I * sympy.pi * T / delta * trace_qp - q_r
    mu = delta / 2 * from_eq12
    printed = -sympy.I * sympy.pi * T / 2 * trace_qp - delta / 2 * q_r
    return Step(
        id="eq17-chemical-potential", title="The local chemical-potential shift mu_jr", paper=PAPER, equation="(17)",
        result=sympy.Eq(sympy.Symbol(r"\mu_{jr}"), printed),
        claims=(claims.equal("mu = (delta/2) N with N of Eq. (12) gives Eq. (17)", mu, printed),),
        note="N_{jr} of Eq. (12) evaluated on the continuum field Q(r).",
    )


def step_eq16() -> Step:
    N1, N2 = sympy.symbols("N_{jr} N_{jr'}")
    mu1, mu2 = delta * N1 / 2, delta * N2 / 2
    return Step(
        id="eq16-coulomb", title="The Coulomb term F_C in the continuum", paper=PAPER, equation="(16)",
        result=sympy.Eq(sympy.Symbol("F_C"), sympy.Symbol(
            r"\int\frac{d\mathbf{r}\,d\mathbf{r}'}{v^{2}}\int_0^\beta d\tau\,\frac{C_{\mathbf{r}\mathbf{r}'}}{2e^{2}}"
            r"\sum_j\left(\dot\chi_{j\mathbf{r}}\dot\chi_{j\mathbf{r}'}-\mu_{j\mathbf{r}}\mu_{j\mathbf{r}'}\right)")),
        claims=(claims.equal("(delta^2/4) N_jr N_jr' = mu_jr mu_jr'", delta**2 / 4 * N1 * N2, mu1 * mu2),),
        note="Eq. (11c) with sum_l -> int dr/v; the paper's a^{2d} is v^2 for v = a^d (simple cubic); in general v = volume per grain.",
    )
