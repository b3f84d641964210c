"""Beyond Eq. (15): the fourth-order gradient term D^(4) = gamma^(4) g_T delta, and its exported densities."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.densities import density_arguments, fourth_order_density
from derive.derivations.continuum.eq15_contact_counting import lattice_name
from derive.derivations.continuum.notation import FIELD_R, delta, g_T, nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.fermi_surface import PositionDerivative
from derive.engines.lattices import NAMED_LATTICES, contact_vectors, fourth_order_tensor, volume_per_grain
from derive.engines.trln import Tr
from derive.model import Export, Step


def _fourth_matching(name: str):
    """(g_T/16)(-1/12)/V_cell sum_contacts Delta(x)^4 = -(pi nu/4) D^(4), solved for D^(4), against gamma^(4) g_T delta;
    and the statement of its xxxx component."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell, d = volume_per_grain(name) * grains, vectors[0].rows
    density_of_states = grains / (delta * cell)
    coefficient = g_T * cn.gradient_series_coefficient(2) / (16 * cell) / (-sympy.pi * density_of_states / 4)
    expected = fourth_order_tensor(name)

    def component(index):
        return sum(sympy.Mul(*(v[i] for i in index)) for v in vectors)

    def residual():
        for index in sympy.utilities.iterables.product(range(d), repeat=4):
            value = coefficient * component(index) - expected[index] * g_T * delta
            if sympy.simplify(value) != 0:
                return f"component {index}: {value}"
        return None

    xxxx = (0, 0, 0, 0)
    statement = sympy.Eq(sympy.Mul(coefficient, component(xxxx), evaluate=False),
                         sympy.Mul(expected[xxxx], g_T * delta, evaluate=False), evaluate=False)
    return residual, statement


def _fourth_order_claim(name: str) -> claims.Claim:
    residual, statement = _fourth_matching(name)
    return claims.holds(rf"{lattice_name(name)} lattice: $c_{{2}} = -1/12$ per contact gives $D^{{(4)}} = \gamma^{{(4)}} g_T\delta$, "
                        r"every component (shown: $xxxx$)", residual, "symbolic: each component simplifies to zero",
                        formula=statement)


def beyond_eq15_fourth_order() -> Step:
    """The a^4 term of the gradient series on every named lattice."""
    k, l, r, s = sympy.symbols(r"\kappa \lambda \rho \eta", integer=True)
    second = [PositionDerivative(PositionDerivative(FIELD_R, inner), outer) for outer, inner in ((k, l), (r, s))]
    # summed over the repeated indices; Tr[d d R d d R] = Tr[d~ d~ Q d~ d~ Q], the phases cancel in the trace
    shown = -sympy.pi * nu / 4 * sympy.Symbol(r"D^{(4)}_{\kappa\lambda\rho\eta}") * Tr(*second)
    return Step(
        **OUTLINE.header("fourth-order"),
        result=sympy.Eq(sympy.Symbol(r"F^{(4)}_d"), sympy.Integral(shown, sympy.Symbol(r"\mathbf{r}"))),
        claims=tuple(_fourth_order_claim(name) for name in NAMED_LATTICES),
        exports=tuple(
            Export(f"fourth_order_action_density_d{d}", fourth_order_density(d), density_arguments(d, second=True),
                   "The a^4 gradient term per unit volume, -pi nu (D^(4)_{mu nu rho sigma}/4) Tr[d~_mu d~_nu Q d~_rho d~_sigma Q] (gamma^(4) totally "
                   "symmetric); add it to gradient_action_density_d* for the action through fourth order.")
            for d in (1, 2, 3)),
        note=r"From $c_{2} = -1/12$ of the gradient series, with $D^{(4)} = \gamma^{(4)} g_T\delta$, "
             r"$\gamma^{(4)}_{\kappa\lambda\rho\eta} = \frac{1}{48\pi m}\sum_{c}"
             r"\Delta_{c,\kappa}\Delta_{c,\lambda}\Delta_{c,\rho}\Delta_{c,\eta}$, summed over repeated indices; "
             r"$\operatorname{Tr}[\partial_{\kappa}\partial_{\lambda}R\,\partial_{\rho}\partial_{\eta}R] = "
             r"\operatorname{Tr}[\tilde\partial_{\kappa}\tilde\partial_{\lambda}Q\,\tilde\partial_{\rho}\tilde\partial_{\eta}Q]$. For the honeycomb lattice it is the term on "
             r"the ansatz $Q_A = Q_B = Q(\mathbf{r})$; a relaxation of the sublattices (an optical mode) could add to it and is "
             r"not derived.",
    )
