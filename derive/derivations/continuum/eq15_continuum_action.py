"""Eq. (15): the continuum action F_d per unit volume, and the exported gradient densities."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.densities import density_arguments, gradient_density
from derive.derivations.continuum.notation import T, delta, nu
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.model import Export, Step


def eq15_continuum_action() -> Step:
    """Eq. (15): sum_l -> int dr/v for the eps-hat and charge terms."""
    N, volume = sympy.symbols("N v", positive=True)
    tr_eps_q = sympy.Symbol(r"\operatorname{Tr}[\hat\varepsilon Q]")
    j = sympy.Symbol("j", integer=True)
    mu_j = sympy.Indexed(sympy.IndexedBase(r"\mu"), j)
    N_j = sympy.Symbol("N_{j}")  # a Symbol, not an Indexed: the read-back lists an IndexedBase's label as a second object
    gradient = sympy.Symbol(r"\frac{D_{\mu\nu}}{4}\operatorname{Tr}[\tilde\partial_{\mu}Q\,\tilde\partial_{\nu}Q]")
    result = sympy.Eq(sympy.Symbol("F_d"), sympy.pi * nu * sympy.Integral(
        sympy.Sum(mu_j**2, (j, 1, sympy.Symbol(r"\alpha"))) / (sympy.pi * T) - tr_eps_q + gradient, sympy.Symbol(r"\mathbf{r}")))
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
            claims.equal(r"The charge term per grain, with $\mu_{j} = \delta N_{j}/2$ and $\nu = 1/(\delta v)$",
                         charge_grain, charge_volume.subs(charge_substitution),
                         formula=sympy.Eq(charge_grain, charge_volume, evaluate=False)),
        ),
        exports=tuple(
            Export(f"gradient_action_density_d{d}", gradient_density(d), density_arguments(d, second=False),
                   "Gradient term of Eq. (15) per unit volume: pi nu (D_{mu nu}/4) Tr[d~_mu Q d~_nu Q], d~Q = grad Q + i[grad chi-hat, Q], "
                   "with pi nu D/4 = pi gamma g_T/(4 volume).")
            for d in (1, 2, 3)),
        note=r"The lattice sum becomes an integral, $\sum_{l} \to \int d\mathbf{r}/v$ with $v$ the volume per grain. The "
             r"tunneling term gives the gradient term (previous steps); its constant $-(g_T/8)\,n$ per contact is dropped.",
    )
