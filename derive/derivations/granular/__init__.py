"""The sigma-model for granular metals, Eqs. (3)-(14) of the granular paper, in paper order.

Steps: the Coulomb decoupling of Eq. (3b); the gauge transformation of Eqs. (4)-(5); the saddle point
of Eq. (6) from the xi integral (granular_action); the tunneling term of Eq. (7) from the Tr ln engine, with
g_T in terms of t and the level spacing (granular_tunneling); the linear expansion of Eq. (10) and the
Gaussian V0 integral giving Eqs. (11b), (11c), (12) (granular_sigma_model); the winding-number minima and
Eq. (9) (granular_winding); Eq. (13) -> Eq. (14) (granular_canonical), Eq. (13) in the replica sigma-model
(granular_replica_limit) and a finite, regularised Delta F (granular_canonical). Conventions and every
difference from print: notes/granular.md.
"""
from __future__ import annotations

from derive.derivations import papers
from derive.derivations.granular.action import (
    step_coulomb,
    step_gauge,
    step_saddle_point,
)
from derive.derivations.granular.canonical import step_delta_F, step_eq13_eq14
from derive.derivations.granular.notation import PAPER, delta, g_T, t
from derive.derivations.granular.replica_limit import step_eq13_sigma_model
from derive.derivations.granular.sigma_model import (
    step_linear_expansion,
    step_v0_integral,
)
from derive.derivations.granular.tunneling import (
    _engine_tunneling_term,
    step_tunneling,
    tunneling_action_expr,
)
from derive.derivations.granular.winding import step_winding_minima
from derive.model import Derivation

TITLE = "The sigma-model for granular metals (granular paper, Eqs. 3-14)"
OPTIONS: dict = {}

# Also reached through this module (tests/test_granular.py checks the engine claim against a wrong g_T).
__all__ = ["TITLE", "OPTIONS", "build", "delta", "g_T", "t", "tunneling_action_expr", "_engine_tunneling_term"]


def build() -> Derivation:
    """The granular derivation, steps in paper order."""
    return Derivation(
        name="granular",
        title=TITLE,
        paper=PAPER, reference=papers.reference(PAPER),
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
