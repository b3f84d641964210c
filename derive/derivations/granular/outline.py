"""The granular derivation's outline: its steps (id, paper equation, title) in order, as data.

Step modules take their headers from it; the package __init__ re-exports it for `derive list`.
"""
from __future__ import annotations

from derive.model.outline import Outline, StepOutline

OUTLINE = Outline(
    name="granular",
    title=r"The $\sigma$-model for granular metals (granular paper, Eqs. (3)--(14))",
    paper="granular",
    steps=(
        StepOutline("eq3b-coulomb-decoupling", "(3b)", "Decoupling the charging energy"),
        StepOutline("eq4-5-gauge", "(5)", "The gauge transformation", builds_on=("eq3b-coulomb-decoupling",)),
        StepOutline("eq6-saddle-point", "(6)", r"The saddle point $\Lambda = \operatorname{sign}\varepsilon_n$"),
        StepOutline("massive-modes", "(6)-(8)",
                    r"The massive modes of a random-matrix grain: the Gaussian integral that leaves $Q = U \Lambda U^\dagger$",
                    builds_on=("eq6-saddle-point",)),
        StepOutline("eq7-high-energies", "(7)",
                    r"High energies frozen at $\Lambda$: the trace $\operatorname{Tr}'$ over the low ones",
                    builds_on=("massive-modes",)),
        StepOutline("eq7-tunneling", "(7)", "The tunneling term to second order in $t$"),
        StepOutline("eq7-many-channels", "(7)",
                    "A contact of many channels: a sum over transmission eigenvalues", builds_on=("eq7-tunneling",)),
        StepOutline("eq10-linear-expansion", "(10)", r"Linear order in $\hat\varepsilon$ and $V^0$"),
        StepOutline("eq11-12-v0-integral", "(11)-(12)", r"The Gaussian integral over $V^0$ and the charge $N_{jl}$", builds_on=("eq10-linear-expansion",)),
        StepOutline("winding-minima", "(9), (11b)",
                    r"Winding-number minima $Q = \operatorname{sign}(\varepsilon_n - 2\pi T w)$"),
        StepOutline("eq11a-charge-states", "(11a)",
                    "The winding sum as a sum over charge states", builds_on=("winding-minima",)),
        StepOutline("aes-limit", "(11b)",
                    r"The limit $T \gg \Gamma$, $\delta \to 0$: the AES action and its instantons"),
        StepOutline("eq13-eq14-canonical", "(13)-(14)",
                    "Perturbation theory in the charge-neutrality term"),
        StepOutline("eq13-sigma-model", "(13)",
                    r"Eq. (13) in the $\sigma$-model: Gaussian fluctuations about $\Lambda$ and the replica limit", builds_on=("eq13-eq14-canonical",)),
        StepOutline("eq14-delta-F-regularised", "(14)",
                    r"$\Delta F$ of a zero-dimensional grain, regularised", builds_on=("eq13-sigma-model",)),
        StepOutline("eq13-14-winding-sectors", "(11a), (13)-(14)",
                    r"$T \le \delta$: the winding sectors of an isolated grain and the number projection",
                    builds_on=("winding-minima",)),
    ),
)
