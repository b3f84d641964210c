"""The continuum limit of the granular sigma-model, Eqs. (15)-(17) of the granular paper, on any lattice of grains.

Steps in the order of the argument (file: step function, step id):
  eq11b_gauge_undone: the tunneling term of Eq. (11b) with the gauge undone (eq11b-gauge-undone);
  eq11b_unit_square: R^2 = 1 turns it into a square of differences (unit-square);
  eq15_gradient_series: its Taylor series in the contact vector, integrated by parts (gradient-series);
  eq15_covariant_derivative: the covariant derivative (covariant-derivative);
  eq11b_direct_expansion: the same series directly from Eq. (11b), on exact matrix jets (direct-expansion);
  eq15_contact_counting: the lattice sum, D = gamma g_T delta, each contact counted once (contact-counting);
  eq15_continuum_action: Eq. (15) (eq15-continuum-action);
  eq15_diffuson_pole: D is the diffusion constant (diffuson-pole);
  eq17_chemical_potential: Eq. (17) (eq17-chemical-potential);
  eq16_coulomb: Eq. (16) (eq16-coulomb);
  beyond_eq15_fourth_order: the fourth-order gradient term (fourth-order);
  eq09_trace_constant: Tr Q constant in space (trace-constant);
  beyond_eq15_soliton_scale: the soliton scale L_T (soliton-scale);
  beyond_eq15_soliton_kink: the kink's width and action from Eqs. (15), (17) (soliton-kink);
  beyond_eq15_soliton_bound: a Bogomolny bound, the kink minimises over spin-resolved rotations (soliton-bound).
Shared symbols: notation.py; the exported gradient densities: densities.py. The --lattice option only
chooses what ``describe`` prints.
"""
from __future__ import annotations

from derive.derivations import Option, papers
from derive.derivations.continuum.outline import OUTLINE
from derive.engines.lattices import NAMED_LATTICES
from derive.model import Constant, Derivation, Table

TITLE = OUTLINE.title

__all__ = ["OUTLINE", "TITLE", "OPTIONS", "build", "describe"]


def _parse_lattice(text: str) -> str:
    from derive.engines.lattices import lattice

    return lattice(text).name  # ValueError listing the names for an unknown one


OPTIONS = {"lattice": Option(flag="--lattice", help=f"lattice whose gamma is printed: {', '.join(NAMED_LATTICES)}", parse=_parse_lattice)}


def build(lattice: str = "square") -> Derivation:
    """The continuum derivation; ``lattice`` only chooses what ``describe`` prints (the output covers all lattices)."""
    # Step modules are imported here, not at module level, so `derive list` reads OUTLINE without SymPy work.
    from derive.derivations.continuum.beyond_eq15_fourth_order import beyond_eq15_fourth_order
    from derive.derivations.continuum.beyond_eq15_soliton_bound import beyond_eq15_soliton_bound
    from derive.derivations.continuum.beyond_eq15_soliton_kink import beyond_eq15_soliton_kink
    from derive.derivations.continuum.beyond_eq15_soliton_scale import beyond_eq15_soliton_scale
    from derive.derivations.continuum.eq09_trace_constant import eq09_trace_constant
    from derive.derivations.continuum.eq11b_direct_expansion import eq11b_direct_expansion
    from derive.derivations.continuum.eq11b_gauge_undone import eq11b_gauge_undone
    from derive.derivations.continuum.eq11b_unit_square import eq11b_unit_square
    from derive.derivations.continuum.eq15_contact_counting import eq15_contact_counting
    from derive.derivations.continuum.eq15_continuum_action import eq15_continuum_action
    from derive.derivations.continuum.eq15_covariant_derivative import eq15_covariant_derivative
    from derive.derivations.continuum.eq15_diffuson_pole import eq15_diffuson_pole
    from derive.derivations.continuum.eq15_gradient_series import eq15_gradient_series
    from derive.derivations.continuum.eq16_coulomb import eq16_coulomb
    from derive.derivations.continuum.eq17_chemical_potential import eq17_chemical_potential
    from derive.engines import gradient_expansion as cn

    _parse_lattice(lattice)
    steps = (eq11b_gauge_undone(), eq11b_unit_square(), eq15_gradient_series(), eq15_covariant_derivative(),
             eq11b_direct_expansion(), eq15_contact_counting(), eq15_continuum_action(), eq15_diffuson_pole(),
             eq17_chemical_potential(), eq16_coulomb(), beyond_eq15_fourth_order(), eq09_trace_constant(),
             beyond_eq15_soliton_scale(), beyond_eq15_soliton_kink(),
             beyond_eq15_soliton_bound())
    OUTLINE.check([step.id for step in steps])
    names = list(NAMED_LATTICES)
    from derive.derivations.continuum.notation import MEANINGS

    return Derivation(
        meanings=MEANINGS,
        name=OUTLINE.name, title=OUTLINE.title, paper=OUTLINE.paper, reference=papers.reference(OUTLINE.paper),
        steps=steps,
        constants=(Constant("INDEX_PAIRS", {d: cn.index_pairs(d) for d in (1, 2, 3)},
                            "INDEX_PAIRS[d][k] = (mu, nu), mu <= nu: the layout of ddQ and ddchi on axis 0"),
                   Constant("LATTICES", names, "the named lattices (a = contact distance)")),
        tables=(
            Table("DIFFUSION_TENSORS", tuple((name, f"diffusion_tensor_{name}") for name in names), "gamma by lattice name"),
            Table("FOURTH_ORDER_TENSORS", tuple((name, f"fourth_order_tensor_{name}") for name in names), "gamma^(4) (d^2, d^2) by lattice name"),
            Table("VOLUMES_PER_GRAIN", tuple((name, f"volume_per_grain_{name}") for name in names), "volume per grain by lattice name"),
        ),
        summary=r"The tunneling term of Eq. (11b) expanded in gradients on any lattice of grains gives Eqs. (15)--(17): the "
                r"diffusion constant is $D = \gamma g_T\delta$ with $\gamma_{\kappa\lambda} = \sum_{c}\Delta_{c,\kappa}\Delta_{c,\lambda}/(4\pi m)$, "
                r"each contact counted once as the Einstein relation requires. Beyond the paper: the fourth-order gradient "
                r"term and the soliton between two minima of equal winding.",
    )


def describe(lattice: str = "square") -> str:
    """The text `derive run continuum --lattice NAME` prints: the lattice, its gamma and D."""
    import sympy

    from derive.engines.lattices import a, diffusion_tensor, volume_per_grain
    from derive.engines.lattices import lattice as named_lattice

    structure = named_lattice(lattice)
    gamma = diffusion_tensor(structure)
    lines = [
        f"lattice {structure.name}: a = contact distance, {structure.grains_per_cell} grain(s) per cell, "
        f"volume per grain v = {sympy.sstr(volume_per_grain(structure))}",
        "neighbour vectors: " + "; ".join(
            f"sublattice {s}: {[tuple(v) for v in structure.neighbours_of(s)]}" for s in range(structure.grains_per_cell)),
        f"gamma (D_kl = gamma_kl g_T delta, hbar = 1) = {sympy.sstr(gamma.tolist())}",
        f"D = {sympy.sstr(gamma[0, 0] / a**2)} * g_T delta a^2" if gamma.is_diagonal() and len(set(gamma.diagonal())) == 1
        else "D is anisotropic: see gamma",
        "nu = 1/(delta v); sigma = 2 e^2 nu D (Einstein relation, each contact counted once)",
    ]
    return "\n".join(lines)
