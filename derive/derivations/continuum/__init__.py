"""The continuum limit of the granular sigma-model, Eqs. (15)-(17) of the granular paper, on any lattice of grains.

Steps in the order of the argument: the tunneling term of Eq. (11b) with the gauge undone; R^2 = 1 turns it
into a square of differences; its Taylor series in the contact vector with integration by parts; the
covariant derivative; the same series obtained directly from Eq. (11b) (checked on exact matrix jets)
(continuum_gradient_series); the lattice sum and the counting of contacts (D = gamma g_T delta, Einstein
relation; here, with the --lattice option); Eq. (15), (17), (16) (continuum_action); the fourth-order term,
Tr Q constant in space, the soliton scale L_T (continuum_beyond_eq15).
"""
from __future__ import annotations

import sympy

from derive.derivations import Option, papers
from derive.derivations.continuum.action import (
    step_diffuson,
    step_eq15,
    step_eq16,
    step_eq17,
)
from derive.derivations.continuum.beyond_eq15 import (
    step_fourth_order,
    step_soliton_scale,
    step_trace_constant,
)
from derive.derivations.continuum.gradient_series import (
    step_covariant,
    step_direct,
    step_gauge,
    step_series,
    step_square,
)
from derive.derivations.continuum.notation import PAPER, delta, e_charge, g_T
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.lattices import (
    NAMED_LATTICES,
    a,
    b,
    contact_vectors,
    diffusion_tensor,
    fourth_order_tensor,
    volume_per_grain,
)
from derive.engines.lattices import lattice as named_lattice
from derive.model import Argument, Constant, Derivation, Export, Step, Table

TITLE = "Continuum limit of the granular sigma-model on any lattice (granular paper, Eqs. 15-17)"


def _parse_lattice(text: str) -> str:
    return named_lattice(text).name  # ValueError listing the names for an unknown one


OPTIONS = {"lattice": Option(flag="--lattice", help=f"lattice whose gamma is printed: {', '.join(NAMED_LATTICES)}", parse=_parse_lattice)}


# --- the lattice sum: D = gamma g_T delta, and the Einstein relation fixes the counting of contacts --------


def _matching_residual(name: str):
    """(g_T/16)/V_cell * sum_contacts Delta Delta^T = pi nu D/4 with nu = m/(delta V_cell), solved for D, against gamma g_T delta."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell = volume_per_grain(name) * grains
    per_volume = sum((v * v.T for v in vectors), sympy.zeros(vectors[0].rows)) * g_T / (16 * cell)
    density_of_states = grains / (delta * cell)
    D = per_volume * 4 / (sympy.pi * density_of_states)
    return lambda: D, lambda: diffusion_tensor(name) * g_T * delta


def _einstein_sides(name: str):
    """2 e^2 nu D against the network's sigma = G_T sum_contacts Delta Delta^T / V_cell, G_T = g_T e^2/(2pi) (no sublattice relaxation)."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell = volume_per_grain(name) * grains
    network = sum((v * v.T for v in vectors), sympy.zeros(vectors[0].rows)) * g_T * e_charge**2 / (2 * sympy.pi * cell)
    einstein = 2 * e_charge**2 * (1 / (delta * volume_per_grain(name))) * diffusion_tensor(name) * g_T * delta
    return lambda: einstein, lambda: network


def _tensor_exports(name: str) -> tuple[Export, ...]:
    arguments = (Argument("a", a, description="contact (nearest-neighbour) distance"),)
    if diffusion_tensor(name).has(b):
        arguments += (Argument("b", b, description="second side of the rectangle"),)
    d = NAMED_LATTICES[name].dimension
    gamma4 = fourth_order_tensor(name)
    flat = sympy.ImmutableMatrix(d * d, d * d, lambda i, j: gamma4[i // d, i % d, j // d, j % d])
    return (
        Export(f"diffusion_tensor_{name}", sympy.ImmutableMatrix(diffusion_tensor(name)), arguments,
               f"gamma of the {name} lattice: D_{{mu nu}} = gamma_{{mu nu}} g_T delta (hbar = 1, each contact counted once)."),
        Export(f"fourth_order_tensor_{name}", flat, arguments,
               f"gamma^(4) of the {name} lattice as a (d^2, d^2) array; reshape to (d, d, d, d)."),
        Export(f"volume_per_grain_{name}", volume_per_grain(name), arguments,
               f"Volume per grain of the {name} lattice: nu = 1/(delta * this)."),
    )


def step_counting() -> Step:
    checks = []
    for name in NAMED_LATTICES:
        lhs, rhs = _matching_residual(name)
        checks.append(claims.equal(f"{name}: matching the lattice sum to pi nu D/4 gives D = gamma g_T delta", lhs, rhs, method="simplify"))
        lhs, rhs = _einstein_sides(name)
        checks.append(claims.equal(f"{name}: 2 e^2 nu D = network conductivity with G_T = g_T e^2/(2pi)", lhs, rhs, method="simplify"))
    return Step(
        id="contact-counting", title="The lattice sum: D = gamma g_T delta, each contact counted once", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"\gamma_{\mu\nu}"), sympy.Symbol(r"\frac{1}{4\pi m}\sum_{c} \Delta^{c}_{\mu}\Delta^{c}_{\nu}")),
        claims=tuple(checks),
        exports=tuple(e for name in NAMED_LATTICES for e in _tensor_exports(name)),
        note="sum_{ll'} of Eq. (11b) counts each contact once; ordered pairs would double D and break sigma = 2 e^2 nu D "
             "(Kirchhoff solves in tests/test_continuum.py, incl. random anisotropic and relaxing lattices).",
    )


# --- the derivation ----------------------------------------------------------------------------------


def build(lattice: str = "square") -> Derivation:
    """The continuum derivation; ``lattice`` only chooses what ``describe`` prints (the output covers all lattices)."""
    _parse_lattice(lattice)
    steps = (step_gauge(), step_square(), step_series(), step_covariant(), step_direct(), step_counting(),
             step_eq15(), step_diffuson(), step_eq17(), step_eq16(), step_fourth_order(), step_trace_constant(), step_soliton_scale())
    names = list(NAMED_LATTICES)
    return Derivation(
        name="continuum", title=TITLE, paper=PAPER, reference=papers.reference(PAPER), steps=steps,
        constants=(Constant("INDEX_PAIRS", {d: cn.index_pairs(d) for d in (1, 2, 3)},
                            "INDEX_PAIRS[d][k] = (mu, nu), mu <= nu: the layout of ddQ and ddchi on axis 0"),
                   Constant("LATTICES", names, "the named lattices (a = contact distance)")),
        tables=(
            Table("DIFFUSION_TENSORS", tuple((name, f"diffusion_tensor_{name}") for name in names), "gamma by lattice name"),
            Table("FOURTH_ORDER_TENSORS", tuple((name, f"fourth_order_tensor_{name}") for name in names), "gamma^(4) (d^2, d^2) by lattice name"),
            Table("VOLUMES_PER_GRAIN", tuple((name, f"volume_per_grain_{name}") for name in names), "volume per grain by lattice name"),
        ),
        summary="The tunneling term of Eq. (11b) expanded in gradients: D = gamma g_T delta with gamma = sum_contacts DeltaDelta^T/(4pi m), "
                "each contact counted once (Einstein relation); the fourth-order term; Eqs. (15)-(17).",
    )


def describe(lattice: str = "square") -> str:
    """The text `derive run continuum --lattice NAME` prints: the lattice, its gamma and D."""
    structure = named_lattice(lattice)
    gamma = diffusion_tensor(structure)
    lines = [
        f"lattice {structure.name}: a = contact distance, {structure.grains_per_cell} grain(s) per cell, "
        f"volume per grain v = {sympy.sstr(volume_per_grain(structure))}",
        "neighbour vectors: " + "; ".join(
            f"sublattice {s}: {[tuple(v) for v in structure.neighbours_of(s)]}" for s in range(structure.grains_per_cell)),
        f"gamma (D_mu_nu = gamma_mu_nu g_T delta, hbar = 1) = {sympy.sstr(gamma.tolist())}",
        f"D = {sympy.sstr(gamma[0, 0] / a**2)} * g_T delta a^2" if gamma.is_diagonal() and len(set(gamma.diagonal())) == 1
        else "D is anisotropic: see gamma",
        "nu = 1/(delta v); sigma = 2 e^2 nu D (Einstein relation, each contact counted once)",
    ]
    return "\n".join(lines)
