"""The bosonization derivation's outline: its steps (id, paper equation, title) in order, as data.

Step modules take their headers from it; the package __init__ re-exports it for `derive list`.
"""
from __future__ import annotations

from derive.model.outline import Outline, StepOutline

TITLE = r"Superbosonization: the exact $F[Q]$ and the ballistic and diffusive $\sigma$-models"
PAPER = "bosonization"

OUTLINE = Outline(
    name="bosonization",
    title=TITLE,
    paper=PAPER,
    steps=(
        StepOutline("eq4-identity", "(4)", r"The identity (4): a $\delta$-function of $Q/2 - \psi \bar{\psi}$"),
        StepOutline("eq5-6-shift", "(5), (6)", r"Integrating out $\psi$ and shifting $A \to A_{sp} + A$", builds_on=("eq4-identity",)),
        StepOutline("eq8-exact-functional", "(8)", r"$A \to T A \bar{T}$ and $A \to q^{-1/2} A q^{-1/2}$: the exact $F[Q]$", builds_on=("eq5-6-shift",)),
        StepOutline("eq8-exact-model", "(8)", r"Eq. (8) on an exactly solvable model: the domain of $Q$ and $\int DA = 1$",
                    builds_on=("eq8-exact-functional",)),
        StepOutline("eq9-quasiclassical-g", "(9)", r"The $\xi$-integral of $g$", builds_on=("eq8-exact-functional",)),
        StepOutline("eq10-cyclic-form", "(10)", r"$\operatorname{Str}[H \star Q]$ under the phase-space integral", builds_on=("eq8-exact-functional",)),
        StepOutline("eq10-liouville", "(10)", "The Liouville operator on the Fermi surface", builds_on=("eq10-cyclic-form",)),
        StepOutline("eq10-quantum-correction", "(10)", r"The $\hbar^2$ quantum correction to Eq. (10)", builds_on=("eq10-liouville",)),
        StepOutline("eq10-star-inverse", "(10)", r"$\bar{T}$ is the star inverse: the $\hbar^2$ term with the pointwise inverse", builds_on=("eq10-quantum-correction",)),
        StepOutline("eq10-no-regularizer", "(10)", r"The $\hbar^2$ term mixes no classical orbits at quadratic order", builds_on=("eq10-star-inverse",)),
        StepOutline("eq12-averaged-t-matrix", "(12)", "The averaged T-matrix and Green function"),
        StepOutline("eq12-optical-theorem", "(12)", r"The optical theorem and $\tau$", builds_on=("eq12-averaged-t-matrix",)),
        StepOutline("model-scatterers", "(12)", r"$\tau$ and $\tau_{tr}$ of model scatterers beyond the Born approximation", builds_on=("eq12-optical-theorem",)),
        StepOutline("eq11-coarse-grained", "(11)", "Integrating out the fast modes: the coarse-grained functional", builds_on=("eq8-exact-functional",)),
        StepOutline("eq13-from-eq11", "(13)", r"Eq. (13) from Eq. (11): the impurity average and the collision coefficient",
                    builds_on=("eq11-coarse-grained",)),
        StepOutline("eq13-expansion-in-P", "(13)", r"Eq. (13) expanded in $P$", builds_on=("eq11-coarse-grained",)),
        StepOutline("eq13-boltzmann-normalisation", "(13)", "The quadratic form of Eq. (13) is the Boltzmann operator", builds_on=("eq13-expansion-in-P", "eq12-optical-theorem")),
        StepOutline("eq1-gaussian-integration-d2", "(1)", r"Gaussian integration over $P$ in $d = 2$: Eq. (1)", builds_on=("eq13-boltzmann-normalisation",)),
        StepOutline("eq1-gaussian-integration-d3", "(1)", r"Gaussian integration over $P$ in $d = 3$: Eq. (1)", builds_on=("eq13-boltzmann-normalisation",)),
        StepOutline("eq1-any-kernel", "(1)", r"Any isotropic kernel: all harmonics, $D = v_F^2 \tau_{tr}/d$ and the diffuson pole", builds_on=("eq1-gaussian-integration-d2", "eq1-gaussian-integration-d3")),
    ),
)
