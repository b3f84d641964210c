"""Beyond Eq. (15): the soliton scale L_T ~ a sqrt(Gamma/T) from balancing the gradient and eps-hat terms."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import T, delta, g_T
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines.lattices import NAMED_LATTICES, a, diffusion_tensor
from derive.model import Step


def beyond_eq15_soliton_scale() -> Step:
    """The scaling balance D/L^2 ~ T."""
    L, Gamma, gamma_bar = sympy.symbols("L_T Gamma gamma", positive=True)
    D = gamma_bar * a**2 * g_T * delta
    balance = sympy.solve(sympy.Eq(D / L**2, T), L)  # pi nu D/4*Tr(grad Q)^2 ~ pi nu D/L^2 against pi nu Tr(eps-hatQ) ~ pi nu T per element
    scale = a * sympy.sqrt(gamma_bar * Gamma / T)
    isotropic = {name: sympy.sqrt(diffusion_tensor(name)[0, 0] / a**2) for name in NAMED_LATTICES if name != "rectangular"}
    solved = balance[0].subs(g_T, Gamma / delta)
    return Step(
        **OUTLINE.header("soliton-scale"),
        result=sympy.Eq(L, scale),
        claims=(
            claims.equal(r"Balancing $D/L_T^{2}$ against $T$, with $D = \gamma a^{2}\Gamma$ and $\Gamma = g_T\delta$",
                         lambda: solved, scale, method="simplify", formula=sympy.Eq(L, solved, evaluate=False)),
            claims.holds(r"The lattice factor $\sqrt{\gamma}$ is of order one: $0.1 < \sqrt{\gamma_{xx}}/a < 1$ for every named "
                         r"lattice", lambda: None if all(0.1 < float(v) < 1 for v in isotropic.values()) else str(isotropic),
                         r"numeric evaluation of $\sqrt{\gamma_{xx}}/a$"),
        ),
        note=r"A scaling argument, with $\Gamma \sim g_T\delta$ up to a lattice factor: the gradient term is "
             r"$\sim \pi\nu D/L^{2}$, the $\hat\varepsilon$ term $\sim \pi\nu T$. For the named lattices "
             r"$\sqrt{\gamma_{xx}}/a = \sqrt{z/(8\pi d)}$ lies between 0.24 and 0.40 ($z$ neighbours in $d$ dimensions).",
        printed=sympy.Eq(L, a * sympy.sqrt(Gamma / T)),
        erratum=r"the notes on the continuum limit, difference 4, the lattice factor $\sqrt{\gamma}$",
    )
