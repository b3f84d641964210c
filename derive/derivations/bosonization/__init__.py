"""Superbosonization (bosonization paper): from the exact F[Q] of Eq. (8) to the σ-models (10) and (1).

Steps in paper order (file: step function):
  eq4-identity                   eq04_identity.py              eq04_identity: the δ-function identity (4)
  eq5-6-shift                    eq05_06_shift.py              eq05_06_shift: Gaussian integral over ψ, A → A_sp + A
  eq8-exact-functional           eq08_exact_functional.py      eq08_exact_functional: the changes of variables to F[Q]
  eq8-exact-model                eq08_exact_model.py           eq08_exact_model: superbosonization on its domain, (1|1) exactly
  eq9-quasiclassical-g           eq09_quasiclassical_g.py      eq09_quasiclassical_g: the ξ-integral of g
  eq10-cyclic-form               eq10_cyclic_form.py           eq10_cyclic_form: Str[H*Q] under ∫, [H,T]_*
  eq10-liouville                 eq10_liouville.py             eq10_liouville: the Liouville operator on the Fermi surface
  eq10-quantum-correction        eq10_quantum_correction.py    eq10_quantum_correction: the ħ² term K₂
  eq10-star-inverse              eq10_star_inverse.py          eq10_star_inverse: T̄ = T⁻¹ − (iħ/2){T⁻¹,T}T⁻¹
  eq10-no-regularizer            eq10_no_regularizer.py        eq10_no_regularizer: the quadratic ħ² term
  eq12-averaged-t-matrix         eq12_t_matrix.py              eq12_averaged_t_matrix: ⟨X⟩ and ⟨g⟩
  eq12-optical-theorem           eq12_optical_theorem.py       eq12_optical_theorem: Im f = πν⟨|f|²⟩, τ, τ_tr
  model-scatterers               eq12_model_scatterers.py      eq12_model_scatterers: s-wave, hard disk, hard sphere
  eq11-coarse-grained            eq11_coarse_grained.py        eq11_coarse_grained: integrating out the fast modes
  eq13-from-eq11                 eq13_from_eq11.py             eq13_from_eq11: the impurity average, c = 1/2
  eq13-expansion-in-P            eq13_expansion_in_p.py        eq13_expansion_in_p: Eq. (13) to second order in P
  eq13-boltzmann-normalisation   eq13_boltzmann.py             eq13_boltzmann_normalisation: the Boltzmann operator
  eq1-gaussian-integration-d2/3  eq01_gaussian_integration.py  eq01_gaussian_integration(d): Eq. (1), D = v_F²τ_tr/d
  eq1-any-kernel                 eq01_any_kernel.py            eq01_any_kernel: any w(n·n'), the pole −iω + Dq²
(Eq. (12) precedes Eq. (11) because the coarse-grained functional uses the impurity-averaged g.) Shared
symbols are in symbols.py, the collision operator in collision.py, the generated functions' arguments in
jet_arguments.py.

Supertraces are written in the paper's (Efetov's) sign, Str = Tr_FF − Tr_BB; ``derive.supermatrix``
computes Berezin's Str = Tr_BB − Tr_FF = −Str_paper. Every claim is linear in Str except the sign of
Str(ψψ̄A), where the convention is stated.
"""
from __future__ import annotations

from derive.derivations import papers
from derive.derivations.bosonization.outline import OUTLINE, PAPER, TITLE
from derive.model import Derivation

OPTIONS: dict = {}

__all__ = ["OPTIONS", "OUTLINE", "PAPER", "TITLE", "build"]


def build() -> Derivation:
    """The bosonization derivation, in paper order."""
    from derive.derivations.bosonization.eq01_any_kernel import eq01_any_kernel
    from derive.derivations.bosonization.eq01_gaussian_integration import (
        eq01_gaussian_integration,
    )
    from derive.derivations.bosonization.eq04_identity import eq04_identity
    from derive.derivations.bosonization.eq05_06_shift import eq05_06_shift
    from derive.derivations.bosonization.eq08_exact_functional import (
        eq08_exact_functional,
    )
    from derive.derivations.bosonization.eq08_exact_model import eq08_exact_model
    from derive.derivations.bosonization.eq09_quasiclassical_g import (
        eq09_quasiclassical_g,
    )
    from derive.derivations.bosonization.eq10_cyclic_form import eq10_cyclic_form
    from derive.derivations.bosonization.eq10_liouville import eq10_liouville
    from derive.derivations.bosonization.eq10_no_regularizer import eq10_no_regularizer
    from derive.derivations.bosonization.eq10_quantum_correction import (
        eq10_quantum_correction,
    )
    from derive.derivations.bosonization.eq10_star_inverse import eq10_star_inverse
    from derive.derivations.bosonization.eq11_coarse_grained import eq11_coarse_grained
    from derive.derivations.bosonization.eq12_model_scatterers import (
        eq12_model_scatterers,
    )
    from derive.derivations.bosonization.eq12_optical_theorem import (
        eq12_optical_theorem,
    )
    from derive.derivations.bosonization.eq12_t_matrix import eq12_averaged_t_matrix
    from derive.derivations.bosonization.eq13_boltzmann import (
        eq13_boltzmann_normalisation,
    )
    from derive.derivations.bosonization.eq13_expansion_in_p import eq13_expansion_in_p
    from derive.derivations.bosonization.eq13_from_eq11 import eq13_from_eq11

    steps = (
        eq04_identity(), eq05_06_shift(), eq08_exact_functional(), eq08_exact_model(), eq09_quasiclassical_g(),
        eq10_cyclic_form(), eq10_liouville(), eq10_quantum_correction(), eq10_star_inverse(),
        eq10_no_regularizer(),
        eq12_averaged_t_matrix(), eq12_optical_theorem(), eq12_model_scatterers(),
        eq11_coarse_grained(), eq13_from_eq11(), eq13_expansion_in_p(), eq13_boltzmann_normalisation(),
        eq01_gaussian_integration(2), eq01_gaussian_integration(3), eq01_any_kernel(),
    )
    OUTLINE.check([step.id for step in steps])
    from derive.derivations.bosonization.symbols import MEANINGS

    return Derivation(meanings=MEANINGS, name="bosonization", title=TITLE, paper=PAPER, reference=papers.reference(PAPER), steps=steps,
                      summary=r"Eqs. (4)--(13) and (1) of Efetov, Schwiete and Takahashi: from the exact functional $F[Q]$ "
                              r"to the diffusive $\sigma$-model with $D = v_F^2 \tau_{tr}/d$.")
