"""Eq. (15): the lattice sum, D = gamma g_T delta with each contact counted once (Einstein relation)."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import delta, e_charge, g_T
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines.lattices import NAMED_LATTICES, a, b, contact_vectors, diffusion_tensor, fourth_order_tensor, volume_per_grain
from derive.model import Argument, Export, Step


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


def eq15_contact_counting() -> Step:
    """D = gamma g_T delta for every named lattice, and the exported lattice tensors."""
    checks = []
    for name in NAMED_LATTICES:
        lhs, rhs = _matching_residual(name)
        checks.append(claims.equal(f"{name}: matching the lattice sum to pi nu D/4 gives D = gamma g_T delta", lhs, rhs, method="simplify"))
        lhs, rhs = _einstein_sides(name)
        checks.append(claims.equal(f"{name}: 2 e^2 nu D = network conductivity with G_T = g_T e^2/(2pi)", lhs, rhs, method="simplify"))
    return Step(
        **OUTLINE.header("contact-counting"),
        result=sympy.Eq(sympy.Symbol(r"\gamma_{\mu\nu}"), sympy.Symbol(r"\frac{1}{4\pi m}\sum_{c} \Delta^{c}_{\mu}\Delta^{c}_{\nu}")),
        claims=tuple(checks),
        exports=tuple(e for name in NAMED_LATTICES for e in _tensor_exports(name)),
        note="sum_{ll'} of Eq. (11b) counts each contact once; ordered pairs would double D and break sigma = 2 e^2 nu D "
             "(Kirchhoff solves in tests/derivations/continuum/test_continuum_lattices.py, incl. random anisotropic and relaxing lattices).",
    )
