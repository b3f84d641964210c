"""The sigma-model for granular metals, Eqs. (3)-(14) of the granular paper, in paper order.

Steps (file: step function, step id):
  eq03b_coulomb_decoupling: the Coulomb decoupling of Eq. (3b) (eq3b-coulomb-decoupling);
  eq05_gauge: the gauge transformation of Eqs. (4)-(5) (eq4-5-gauge);
  eq06_saddle_point: the saddle point Lambda = sign(eps_n) of Eq. (6) from the xi integral (eq6-saddle-point);
  eq07_tunneling: the tunneling term of Eq. (7) from the Tr ln engine, g_T in terms of t (eq7-tunneling);
  eq07_many_channels: a contact of N channels to all orders, Nazarov's form; g_T = 2 sum T_c (eq7-many-channels);
  eq10_linear_expansion: the linear expansion of Eq. (10) (eq10-linear-expansion);
  eq11_12_v0_integral: the Gaussian V0 integral giving Eqs. (11b), (11c), (12) (eq11-12-v0-integral);
  eq09_winding_minima: the winding-number minima and Tr Q = 2W of Eq. (9) (winding-minima);
  eq11a_charge_states: the winding sum Poisson-resummed into charge states (eq11a-charge-states);
  eq11_aes_limit: T >> Gamma, delta -> 0, the AES action and its instantons (aes-limit);
  eq13_14_canonical: Eq. (13) -> Eq. (14) (eq13-eq14-canonical);
  eq13_replica_limit: Eq. (13) in the replica sigma-model (eq13-sigma-model);
  eq14_delta_f_regularised: a finite, regularised Delta F (eq14-delta-F-regularised);
  eq13_14_winding_sectors: T <~ delta, the winding sectors and the exact number projection (eq13-14-winding-sectors).
Shared symbols: notation.py. Conventions and every difference from print: notes/granular.md.
"""
from __future__ import annotations

from derive.derivations import papers
from derive.derivations.granular.outline import OUTLINE
from derive.model import Derivation

TITLE = OUTLINE.title
OPTIONS: dict = {}

__all__ = ["OUTLINE", "TITLE", "OPTIONS", "build"]


def build() -> Derivation:
    """The granular derivation, steps in paper order."""
    # Step modules are imported here, not at module level, so `derive list` reads OUTLINE without SymPy work.
    from derive.derivations.granular.eq03b_coulomb_decoupling import eq03b_coulomb_decoupling
    from derive.derivations.granular.eq05_gauge import eq05_gauge
    from derive.derivations.granular.eq06_08_massive_modes import eq06_08_massive_modes
    from derive.derivations.granular.eq06_saddle_point import eq06_saddle_point
    from derive.derivations.granular.eq07_high_energies import eq07_high_energies
    from derive.derivations.granular.eq07_many_channels import eq07_many_channels
    from derive.derivations.granular.eq07_tunneling import eq07_tunneling
    from derive.derivations.granular.eq09_winding_minima import eq09_winding_minima
    from derive.derivations.granular.eq10_linear_expansion import eq10_linear_expansion
    from derive.derivations.granular.eq11_12_v0_integral import eq11_12_v0_integral
    from derive.derivations.granular.eq11_aes_limit import eq11_aes_limit
    from derive.derivations.granular.eq11a_charge_states import eq11a_charge_states
    from derive.derivations.granular.eq13_14_canonical import eq13_14_canonical
    from derive.derivations.granular.eq13_14_winding_sectors import eq13_14_winding_sectors
    from derive.derivations.granular.eq13_replica_limit import eq13_replica_limit
    from derive.derivations.granular.eq14_delta_f_regularised import eq14_delta_f_regularised

    steps = (
        eq03b_coulomb_decoupling(),
        eq05_gauge(),
        eq06_saddle_point(),
        eq06_08_massive_modes(),
        eq07_high_energies(),
        eq07_tunneling(),
        eq07_many_channels(),
        eq10_linear_expansion(),
        eq11_12_v0_integral(),
        eq09_winding_minima(),
        eq11a_charge_states(),
        eq11_aes_limit(),
        eq13_14_canonical(),
        eq13_replica_limit(),
        eq14_delta_f_regularised(),
        eq13_14_winding_sectors(),
    )
    OUTLINE.check([step.id for step in steps])
    from derive.derivations.granular.notation import MEANINGS

    return Derivation(
        meanings=MEANINGS,
        name=OUTLINE.name,
        title=OUTLINE.title,
        paper=OUTLINE.paper, reference=papers.reference(OUTLINE.paper),
        steps=steps,
        summary=(
            r"The tunneling action of one contact and its gradient in the phases $\hat\chi$, the charge $N_{jl}$ "
            r"of Eq. (12), the action of an isolated grain at the winding-number minima, the charging energy of a "
            r"charge state, and the regularised canonical-ensemble correction $\Delta F$."
        ),
    )
