"""Beyond Eq. (15): the fourth-order gradient term, Tr Q constant in space, and the soliton scale L_T."""
from __future__ import annotations

import sympy

from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.derivations.continuum.densities import density_arguments, fourth_order_density
from derive.derivations.continuum.notation import JET_SEEDS, PAPER, T, delta, difference, g_T, nc, word, zero_poly
from derive.engines.lattices import NAMED_LATTICES, a, contact_vectors, diffusion_tensor, fourth_order_tensor, volume_per_grain
from derive.model import Export, Step
from derive.engines.trln import Tr


def _fourth_matching(name: str):
    """(g_T/16)(-1/12)/V_cell sum_contacts Delta(x)^4 = -(pi nu/4) D^(4), solved for D^(4), against gamma^(4) g_T delta."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell, d = volume_per_grain(name) * grains, vectors[0].rows
    density_of_states = grains / (delta * cell)
    coefficient = g_T * cn.gradient_series_coefficient(2) / (16 * cell) / (-sympy.pi * density_of_states / 4)
    expected = fourth_order_tensor(name)

    def residual():
        for index in sympy.utilities.iterables.product(range(d), repeat=4):
            value = coefficient * sum(sympy.Mul(*(v[i] for i in index)) for v in vectors) - expected[index] * g_T * delta
            if sympy.simplify(value) != 0:
                return f"component {index}: {value}"
        return None

    return residual


def step_fourth_order() -> Step:
    shown = sympy.Symbol(r"-\frac{\pi\nu}{4}D^{(4)}_{\mu\nu\rho\sigma}\operatorname{Tr}"
                         r"[\tilde\partial_{\mu}\tilde\partial_{\nu}Q\,\tilde\partial_{\rho}\tilde\partial_{\sigma}Q]")
    return Step(
        id="fourth-order", title="The next term: fourth order in gradients", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"F^{(4)}_d"), sympy.Integral(shown, sympy.Symbol(r"\mathbf{r}"))),
        claims=tuple(claims.holds(f"{name}: c_2 = -1/12 per contact gives D^(4) = gamma^(4) g_T delta", _fourth_matching(name),
                                  "symbolic: each component simplifies to zero") for name in NAMED_LATTICES),
        exports=tuple(
            Export(f"fourth_order_action_density_d{d}", fourth_order_density(d), density_arguments(d, second=True),
                   "The a^4 gradient term per unit volume, -pi nu (D^(4)_{mu nu rho sigma}/4) Tr[d~_mu d~_nu Q d~_rho d~_sigma Q] (gamma^(4) totally "
                   "symmetric); add it to gradient_action_density_d* for the action through fourth order.")
            for d in (1, 2, 3)),
        note="From c_2 = -1/12 of step gradient-series. For the honeycomb it is the term on the ansatz Q_A = Q_B = Q(r); "
             "a sublattice (optical) relaxation could add to it and is not derived.",
    )


def step_trace_constant() -> Step:
    def local_identity():
        twice = cn.reduce_involutions(cn.trace(cn.mul(cn.letter("Q0"), cn.differentiate(word("Q0", "Q0")))))
        return difference(twice, cn.trace(cn.letter("Q1", 2)))

    def on_jets():
        for seed in JET_SEEDS:
            value = cn.evaluate_on_jet(cn.trace(cn.letter("Q1")), cn.exact_jet(seed, size=4, order=1))
            if value != 0:
                return f"jet {seed}: Tr dQ = {value}"
        return None

    return Step(
        id="trace-constant", title="Tr Q is constant in space", paper=PAPER, equation="(9)",
        result=sympy.Eq(Tr(nc["Q1"]), sympy.Rational(1, 2) * Tr(nc["Q0"], sympy.Symbol(r"\partial(Q^{2})", commutative=False))),
        claims=(
            zero_poly("2 Tr[dQ] = Tr[Q d(Q^2)] given Q^2 = 1, and d(Q^2) = d1 = 0", local_identity,
                      "symbolic: free algebra with Q^2 -> 1 inside cyclic traces"),
            zero_poly("Tr[d~Q] = Tr[dQ] (the commutator is traceless)",
                      lambda: difference(cn.trace(cn.covariant_derivative(cn.letter("Q0"))), cn.trace(cn.letter("Q1"))),
                      "symbolic: canonical cyclic traces"),
            claims.holds("Tr dQ = 0 on exact jets with Q^2 = 1", on_jets, f"exact evaluation on {len(JET_SEEDS)} jets"),
        ),
        note="Tr Q = 2W is an integer (Eq. 9) and a smooth Q has Tr grad Q = 0: W cannot change in the continuum; "
             "it is a global charge, and the thermodynamic limit takes traceless Q.",
    )


def step_soliton_scale() -> Step:
    L, Gamma, gamma_bar = sympy.symbols("L_T Gamma gamma", positive=True)
    D = gamma_bar * a**2 * g_T * delta
    balance = sympy.solve(sympy.Eq(D / L**2, T), L)  # pi nu D/4*Tr(grad Q)^2 ~ pi nu D/L^2 against pi nu Tr(eps-hatQ) ~ pi nu T per element
    scale = a * sympy.sqrt(gamma_bar * Gamma / T)
    isotropic = {name: sympy.sqrt(diffusion_tensor(name)[0, 0] / a**2) for name in NAMED_LATTICES if name != "rectangular"}
    return Step(
        id="soliton-scale", title="The soliton scale L_T ~ a sqrt(Gamma/T)", paper=PAPER, equation="(15)",
        result=sympy.Eq(L, scale),
        claims=(
            claims.equal("balancing D/L^2 against T gives L_T = a sqrt(gamma Gamma/T) with Gamma = g_T delta",
                         lambda: balance[0].subs(g_T, Gamma / delta), scale, method="simplify"),
            claims.holds("the lattice factor sqrt(gamma) is of order one for every named lattice",
                         lambda: None if all(0.1 < float(v) < 1 for v in isotropic.values()) else str(isotropic),
                         "numeric evaluation of sqrt(gamma/a^2)"),
        ),
        note="A scaling argument (Gamma ~ g_T delta up to a lattice factor): gradient term ~ pi nuD/L^2, eps-hat term ~ pi nuT; "
             "sqrt(gamma/a^2) = sqrt(z/(8 pi d)) in [0.24, 0.40] for the named lattices.",
    )
