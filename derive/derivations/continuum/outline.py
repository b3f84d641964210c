"""The continuum derivation's outline: its steps (id, paper equation, title) in order, as data.

Step modules take their headers from it; the package __init__ re-exports it for `derive list`.
"""
from __future__ import annotations

from derive.model.outline import Outline, StepOutline

OUTLINE = Outline(
    name="continuum",
    title=r"Continuum limit of the granular $\sigma$-model on any lattice (granular paper, Eqs. 15--17)",
    paper="granular",
    steps=(
        StepOutline("eq11b-gauge-undone", "(11b)", r"The tunneling term in terms of $R = e^{i\hat\chi}Qe^{-i\hat\chi}$"),
        StepOutline("unit-square", "(11b)", r"$R^{2} = 1$ turns the term into a square of differences", builds_on=("eq11b-gauge-undone",)),
        StepOutline("gradient-series", "(15)", "Taylor series in the contact vector, integrated by parts", builds_on=("unit-square",)),
        StepOutline("covariant-derivative", "(15)", r"The covariant derivative: $\partial R = e^{i\hat\chi}(\tilde\partial Q)e^{-i\hat\chi}$", builds_on=("gradient-series",)),
        StepOutline("direct-expansion", "(11b)", r"The same series directly in $\nabla Q$ and $\nabla\hat\chi$, using $Q^{2} = 1$", builds_on=("gradient-series",)),
        StepOutline("contact-counting", "(15)", r"The lattice sum: $D = \gamma g_T\delta$, each contact counted once", builds_on=("gradient-series",)),
        StepOutline("eq15-continuum-action", "(15)", r"The continuum action $F_d$", builds_on=("covariant-derivative", "contact-counting")),
        StepOutline("diffuson-pole", "(15)", r"$D$ in Eq. (15) is the diffusion constant: the diffuson pole", builds_on=("eq15-continuum-action",)),
        StepOutline("eq17-chemical-potential", "(17)", r"The local chemical-potential shift $\mu_{j\mathbf{r}}$"),
        StepOutline("eq16-coulomb", "(16)", r"The Coulomb term $F_C$ in the continuum", builds_on=("eq17-chemical-potential",)),
        StepOutline("fourth-order", "(15)", "The next term: fourth order in gradients", builds_on=("gradient-series",)),
        StepOutline("trace-constant", "(9)", r"$\operatorname{Tr} Q$ is constant in space"),
        StepOutline("soliton-scale", "(15)", r"The soliton scale $L_T \sim a\sqrt{\Gamma/T}$", builds_on=("eq15-continuum-action",)),
        StepOutline("soliton-kink", "(15), (17)",
                    r"The kink between minima of equal $W$: its width and action", builds_on=("eq15-continuum-action", "soliton-scale")),
    ),
)
