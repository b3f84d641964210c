"""Eq. (15): the continuum action F_d per unit volume, and the exported gradient densities."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.densities import density_arguments, gradient_density
from derive.derivations.continuum.notation import FIELD_Q, FIELD_R, REPLICAS, T, delta, nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines.fermi_surface import PositionDerivative
from derive.engines.trln import Tr
from derive.model import Export, Step


def eq15_continuum_action() -> Step:
    """Eq. (15): sum_l -> int dr/v for the eps-hat and charge terms."""
    N, volume = sympy.symbols("N v", positive=True)
    tr_eps_q = Tr(sympy.Symbol(r"\hat\varepsilon", commutative=False), FIELD_Q)
    j = sympy.Symbol("j", integer=True)
    # the chemical potential and charge of Eqs. (16), (17) at the point r (Symbols: an IndexedBase's label would be a second \mu)
    mu_j, N_j = sympy.symbols(r"\mu_{j\mathbf{r}} N_{j\mathbf{r}}")
    # D_{kl} Tr[d_k R d_l R] = D_{kl} Tr[d~_k Q d~_l Q], summed over the repeated indices
    kappa, lam = sympy.symbols(r"\kappa \lambda", integer=True)
    gradient = sympy.Symbol(r"D_{\kappa\lambda}") / 4 * Tr(PositionDerivative(FIELD_R, kappa), PositionDerivative(FIELD_R, lam))
    position = sympy.Symbol(r"\mathbf{r}")
    # one integral per term (Eq. (15) prints one over the bracket): the display then breaks between them
    result = sympy.Eq(sympy.Symbol("F_d"), sympy.pi * nu * sympy.Integral(gradient, position) - sympy.pi * nu * sympy.Integral(tr_eps_q, position)
                      + nu / T * sympy.Integral(sympy.Sum(mu_j**2, (j, 1, REPLICAS)), position))
    per_grain = {nu: 1 / (delta * volume)}
    charge_grain, charge_volume = delta / (4 * T) * N_j**2, sympy.pi * nu * volume * mu_j**2 / (sympy.pi * T)
    charge_substitution = {**per_grain, mu_j: delta * N_j / 2}
    return Step(
        **OUTLINE.header("eq15-continuum-action"),
        result=result,
        claims=(
            claims.equal(r"The $\hat\varepsilon$ term, "
                         r"$-\frac{\pi}{\delta}\sum_{l}\operatorname{Tr}[\hat\varepsilon Q_{l}] \to "
                         r"-\pi\nu\int d\mathbf{r}\,\operatorname{Tr}[\hat\varepsilon Q]$, since per grain, with $\nu = 1/(\delta v)$",
                         sympy.pi / delta, (sympy.pi * nu * volume).subs(per_grain),
                         formula=sympy.Eq(sympy.pi / delta, sympy.pi * nu * volume, evaluate=False)),
            claims.equal(r"The charge term per grain, with $\mu_{j\mathbf{r}} = \delta N_{j\mathbf{r}}/2$ and $\nu = 1/(\delta v)$",
                         charge_grain, charge_volume.subs(charge_substitution),
                         formula=sympy.Eq(charge_grain, charge_volume, evaluate=False)),
        ),
        exports=tuple(
            Export(f"gradient_action_density_d{d}", gradient_density(d), density_arguments(d, second=False),
                   "Gradient term of Eq. (15) per unit volume: pi nu (D_{mu nu}/4) Tr[d~_mu Q d~_nu Q], d~Q = grad Q + i[grad chi-hat, Q], "
                   "with pi nu D/4 = pi gamma g_T/(4 volume).")
            for d in (1, 2, 3)),
        note=r"Repeated indices $\kappa$, $\lambda$ are summed over the $d$ directions; "
             r"$\operatorname{Tr}[\partial_{\kappa}R\,\partial_{\lambda}R] = \operatorname{Tr}[\tilde\partial_{\kappa}Q\,\tilde\partial_{\lambda}Q]$ "
             r"with $R = e^{i\hat\chi}Qe^{-i\hat\chi}$, and $\alpha$ is the number of replicas. The lattice sum becomes an integral, $\sum_{l} \to \int d\mathbf{r}/v$ with $v$ the volume per grain. The "
             r"tunneling term gives the gradient term (previous steps); its constant $-(g_T/8)\,n$ per contact is dropped.",
    )
