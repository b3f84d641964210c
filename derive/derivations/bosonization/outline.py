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
        StepOutline("eq5-6-shift", "(5), (6)", r"Integrating out $\psi$ and shifting $A \to A_{sp} + A$"),
        StepOutline("eq8-exact-functional", "(8)", r"$A \to T A \bar{T}$ and $A \to q^{-1/2} A q^{-1/2}$: the exact $F[Q]$"),
        StepOutline("eq8-exact-model", "(8)", r"Eq. (8) on an exactly solvable model: the domain of $Q$ and $\int DA = 1$"),
        StepOutline("eq9-quasiclassical-g", "(9)", r"The $\xi$-integral of $g$"),
        StepOutline("eq10-cyclic-form", "(10)", r"$\operatorname{Str}[H \star Q]$ under the phase-space integral"),
        StepOutline("eq10-liouville", "(10)", "The Liouville operator on the Fermi surface"),
        StepOutline("eq10-quantum-correction", "(10)", r"The $\hbar^2$ quantum correction to Eq. (10)"),
        StepOutline("eq10-star-inverse", "(10)", r"$\bar{T}$ is the star inverse: the $\hbar^2$ term with the pointwise inverse"),
        StepOutline("eq10-no-regularizer", "(10)", r"The $\hbar^2$ term mixes no classical orbits at quadratic order"),
        StepOutline("eq12-averaged-t-matrix", "(12)", "The averaged T-matrix and Green function"),
        StepOutline("eq12-optical-theorem", "(12)", r"The optical theorem and $\tau$"),
        StepOutline("model-scatterers", "(12)", r"$\tau$ and $\tau_{tr}$ of model scatterers beyond the Born approximation"),
        StepOutline("eq11-coarse-grained", "(11)", "Integrating out the fast modes: the coarse-grained functional"),
        StepOutline("eq13-from-eq11", "(13)", r"Eq. (13) from Eq. (11): the impurity average and the collision coefficient"),
        StepOutline("eq13-expansion-in-P", "(13)", r"Eq. (13) expanded in $P$"),
        StepOutline("eq13-boltzmann-normalisation", "(13)", "The quadratic form of Eq. (13) is the Boltzmann operator"),
        StepOutline("eq1-gaussian-integration-d2", "(1)", r"Gaussian integration over $P$ in $d = 2$: Eq. (1)"),
        StepOutline("eq1-gaussian-integration-d3", "(1)", r"Gaussian integration over $P$ in $d = 3$: Eq. (1)"),
        StepOutline("eq1-any-kernel", "(1)", r"Any isotropic kernel: all harmonics, $D = v_F^2 \tau_{tr}/d$ and the diffuson pole"),
    ),
)
