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
    return Step(
        **OUTLINE.header("soliton-scale"),
        result=sympy.Eq(L, scale),
        claims=(
            claims.equal("balancing D/L^2 against T gives L_T = a sqrt(gamma Gamma/T) with Gamma = g_T delta",
                         lambda: balance[0].subs(g_T, Gamma / delta), scale, method="simplify"),
            claims.holds("the lattice factor sqrt(gamma) is of order one for every named lattice",
                         lambda: None if all(0.1 < float(v) < 1 for v in isotropic.values()) else str(isotropic),
                         "numeric evaluation of sqrt(gamma/a^2)"),
        ),
        note="A scaling argument (Gamma ~ g_T delta up to a lattice factor): gradient term ~ pi nuD/L^2, eps-hat term ~ pi nuT; "
             "sqrt(gamma/a^2) = sqrt(z/(8 pi d)) in [0.24, 0.40] for the named lattices.",
    )
