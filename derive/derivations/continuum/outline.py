"""The continuum derivation's outline: its steps (id, paper equation, title) in order, as data.

Step modules take their headers from it; the package __init__ re-exports it for `derive list`.
"""
from __future__ import annotations

from derive.model.outline import Outline, StepOutline

OUTLINE = Outline(
    name="continuum",
    title="Continuum limit of the granular sigma-model on any lattice (granular paper, Eqs. 15-17)",
    paper="granular",
    steps=(
        StepOutline("eq11b-gauge-undone", "(11b)", "The tunneling term in terms of R = e^{i chi-hat} Q e^{-i chi-hat}"),
        StepOutline("unit-square", "(11b)", "R^2 = 1 turns the term into a square of differences"),
        StepOutline("gradient-series", "(15)", "Taylor series in the contact vector, integrated by parts"),
        StepOutline("covariant-derivative", "(15)", "dR = e^{i chi-hat}(d~Q)e^{-i chi-hat}: the covariant derivative"),
        StepOutline("direct-expansion", "(11b)", "The same series directly in grad Q and grad chi-hat, using Q^2 = 1"),
        StepOutline("contact-counting", "(15)", "The lattice sum: D = gamma g_T delta, each contact counted once"),
        StepOutline("eq15-continuum-action", "(15)", "The continuum action F_d"),
        StepOutline("diffuson-pole", "(15)", "D in Eq. (15) is the diffusion constant: the diffuson pole"),
        StepOutline("eq17-chemical-potential", "(17)", "The local chemical-potential shift mu_jr"),
        StepOutline("eq16-coulomb", "(16)", "The Coulomb term F_C in the continuum"),
        StepOutline("fourth-order", "(15)", "The next term: fourth order in gradients"),
        StepOutline("trace-constant", "(9)", "Tr Q is constant in space"),
        StepOutline("soliton-scale", "(15)", "The soliton scale L_T ~ a sqrt(Gamma/T)"),
        StepOutline("soliton-kink", "(15), (17)",
                    "The kink between minima of equal W: width sqrt(D/(2 pi T)) and action 4 pi nu sqrt(2 pi T D)"),
    ),
)
