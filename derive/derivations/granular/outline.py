"""The granular derivation's outline: its steps (id, paper equation, title) in order, as data.

Step modules take their headers from it; the package __init__ re-exports it for `derive list`.
"""
from __future__ import annotations

from derive.model.outline import Outline, StepOutline

OUTLINE = Outline(
    name="granular",
    title="The sigma-model for granular metals (granular paper, Eqs. 3-14)",
    paper="granular",
    steps=(
        StepOutline("eq3b-coulomb-decoupling", "(3b)", "Decoupling the charging energy, Eq. (1) -> Eq. (3b)"),
        StepOutline("eq4-5-gauge", "(5)", "The gauge transformation, Eqs. (4)-(5)"),
        StepOutline("eq6-saddle-point", "(6)", "The saddle point Lambda = sign(eps_n), Eq. (6)"),
        StepOutline("eq7-tunneling", "(7)", "The tunneling term to second order in t, Eq. (7)"),
        StepOutline("eq7-many-channels", "(7)",
                    "Many channels: -Tr ln of a contact is a sum over transmission eigenvalues; Eq. (7) is its first order"),
        StepOutline("eq10-linear-expansion", "(10)", "Linear order in eps-hat and V0, Eq. (10)"),
        StepOutline("eq11-12-v0-integral", "(11)-(12)", "The Gaussian integral over V0: Eqs. (11b), (11c) and N_jl of Eq. (12)"),
        StepOutline("winding-minima", "(9), (11b)",
                    "Winding-number minima Q = sign(eps_n - 2 pi T w): the w-dependence cancels; Tr Q and W, Eq. (9)"),
        StepOutline("eq11a-charge-states", "(11a)",
                    "The winding sum at the minima is the sum over charge states: E_C (n - q)^2 + delta n^2/4"),
        StepOutline("aes-limit", "(11b)",
                    "T >> Gamma, delta -> 0: the AES phase action, and instantons of winding k cost g_T |k|/2"),
        StepOutline("eq13-eq14-canonical", "(13)-(14)",
                    "Perturbation theory in the charge-neutrality term: Eq. (13) and Eq. (14)"),
        StepOutline("eq13-sigma-model", "(13)",
                    "Eq. (13) evaluated in the sigma-model: Gaussian fluctuations about Lambda and the replica limit"),
        StepOutline("eq14-delta-F-regularised", "(14)",
                    "Delta F for a zero-dimensional grain, regularised: double pole and Thouless-energy cutoff"),
    ),
)
