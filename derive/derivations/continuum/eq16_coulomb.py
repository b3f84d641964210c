"""Eq. (16): the Coulomb term F_C in the continuum."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import REPLICAS, delta, e_charge
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Step


def eq16_coulomb() -> Step:
    """Eq. (16) from Eq. (11c) with sum_l -> int dr/v."""
    N1, N2 = sympy.symbols(r"N_{j\mathbf{r}} N_{j\mathbf{r}'}")
    mu1, mu2 = sympy.symbols(r"\mu_{j\mathbf{r}} \mu_{j\mathbf{r}'}")
    charge = {mu1: delta * N1 / 2, mu2: delta * N2 / 2}
    chi_dot1, chi_dot2 = sympy.symbols(r"\dot\chi_{j\mathbf{r}} \dot\chi_{j\mathbf{r}'}")
    r, r_prime, capacitance = sympy.symbols(r"\mathbf{r} \mathbf{r}' C_{\mathbf{r}\mathbf{r}'}")
    tau, beta, volume = sympy.Symbol("tau", real=True), sympy.Symbol("beta", positive=True), sympy.Symbol("v", positive=True)
    j = sympy.Symbol("j", integer=True)

    def over_time(pair: sympy.Expr) -> sympy.Expr:
        # one integral per term: an integral that ends the integrand of another would not read back unambiguously
        return sympy.Integral(pair, (tau, 0, beta))
    return Step(
        **OUTLINE.header("eq16-coulomb"),
        result=sympy.Eq(sympy.Symbol("F_C"), sympy.Integral(capacitance * sympy.Sum(
            over_time(chi_dot1 * chi_dot2) - over_time(mu1 * mu2), (j, 1, REPLICAS)), r, r_prime) / (2 * e_charge**2 * volume**2)),
        claims=(claims.equal(r"With $\mu_{j\mathbf{r}} = \delta N_{j\mathbf{r}}/2$ of Eq. (17)",
                             delta**2 / 4 * N1 * N2, (mu1 * mu2).subs(charge),
                             formula=sympy.Eq(delta**2 / 4 * N1 * N2, mu1 * mu2, evaluate=False)),),
        note=r"Here $\beta = 1/T$, $\alpha$ is the number of replicas and $\dot\chi = \partial_{\tau}\chi$. Eq. (11c) with $\sum_{l} \to \int d\mathbf{r}/v$. The paper's $a^{2d}$ is $v^{2}$ for $v = a^{d}$ (simple cubic "
             r"lattice); in general $v$ is the volume per grain.",
    )
