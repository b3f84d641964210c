"""Eq. (16): the Coulomb term F_C in the continuum."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import delta
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def eq16_coulomb() -> Step:
    """Eq. (16) from Eq. (11c) with sum_l -> int dr/v."""
    N1, N2 = sympy.symbols(r"N_{j\mathbf{r}} N_{j\mathbf{r}'}")
    mu1, mu2 = sympy.symbols(r"\mu_{j\mathbf{r}} \mu_{j\mathbf{r}'}")
    charge = {mu1: delta * N1 / 2, mu2: delta * N2 / 2}
    return Step(
        **OUTLINE.header("eq16-coulomb"),
        result=sympy.Eq(sympy.Symbol("F_C"), sympy.Symbol(
            r"\int\frac{d\mathbf{r}\,d\mathbf{r}'}{v^{2}}\int_0^\beta d\tau\,\frac{C_{\mathbf{r}\mathbf{r}'}}{2e^{2}}"
            r"\sum_j\left(\dot\chi_{j\mathbf{r}}\dot\chi_{j\mathbf{r}'}-\mu_{j\mathbf{r}}\mu_{j\mathbf{r}'}\right)")),
        claims=(claims.equal(r"With $\mu_{j\mathbf{r}} = \delta N_{j\mathbf{r}}/2$ of Eq. (17)",
                             delta**2 / 4 * N1 * N2, (mu1 * mu2).subs(charge),
                             formula=sympy.Eq(delta**2 / 4 * N1 * N2, mu1 * mu2, evaluate=False)),),
        note=r"Eq. (11c) with $\sum_{l} \to \int d\mathbf{r}/v$. The paper's $a^{2d}$ is $v^{2}$ for $v = a^{d}$ (simple cubic "
             r"lattice); in general $v$ is the volume per grain.",
    )
