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
    N, mu, volume = sympy.symbols("N mu v", positive=True)
    tr_eps_q = sympy.Symbol(r"\operatorname{Tr}[\hat\varepsilon Q]")
    j = sympy.Symbol("j", integer=True)
    mu_j = sympy.Indexed(sympy.IndexedBase(r"\mu"), j)
    gradient = sympy.Symbol(r"\frac{D_{\mu\nu}}{4}\operatorname{Tr}[\tilde\partial_{\mu}Q\,\tilde\partial_{\nu}Q]")
    result = sympy.Eq(sympy.Symbol("F_d"), sympy.pi * nu * sympy.Integral(
        sympy.Sum(mu_j**2, (j, 1, sympy.Symbol(r"\alpha"))) / (sympy.pi * T) - tr_eps_q + gradient, sympy.Symbol(r"\mathbf{r}")))
    return Step(
        **OUTLINE.header("eq15-continuum-action"),
        result=result,
        claims=(
            claims.equal("per grain pi/delta = pi nu*v with nu = 1/(delta v): -(pi/delta)sum_l Tr[eps-hatQ_l] -> -pi nuint Tr[eps-hatQ]",
                         sympy.pi / delta, sympy.pi * (1 / (delta * volume)) * volume),
            claims.equal("(delta/4T) N^2 per grain = pi nu v mu^2/(piT) with mu = deltaN/2",
                         delta / (4 * T) * N**2, (sympy.pi / (delta * volume)) * volume * (delta * N / 2) ** 2 / (sympy.pi * T)),
        ),
        exports=tuple(
            Export(f"gradient_action_density_d{d}", gradient_density(d), density_arguments(d, second=False),
                   "Gradient term of Eq. (15) per unit volume: pi nu (D_{mu nu}/4) Tr[d~_mu Q d~_nu Q], d~Q = grad Q + i[grad chi-hat, Q], "
                   "with pi nu D/4 = pi gamma g_T/(4 volume).")
            for d in (1, 2, 3)),
        note="sum_l -> int dr/v. The tunneling term gives the gradient term (previous steps); the constant -(g_T/8)n per contact is dropped.",
    )
