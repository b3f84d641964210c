"""Beyond Eq. (15): the soliton scale L_T ~ a sqrt(Gamma/T) from balancing the gradient and eps-hat terms."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.eq15_contact_counting import lattice_name
from derive.derivations.continuum.notation import T, delta, g_T
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines.lattices import NAMED_LATTICES, a, diffusion_tensor
from derive.model import Step


def _bound(statement: str, inequality: sympy.Basic) -> claims.Claim:
    """An inequality between exact numbers, decided by SymPy's comparison of the two sides."""
    return claims.holds(statement, lambda: None if type(inequality)(*inequality.args) == sympy.true else f"{inequality} is false",
                        "exact comparison of the two algebraic numbers", formula=inequality)


def beyond_eq15_soliton_scale() -> Step:
    """The scaling balance D/L^2 ~ T."""
    L, Gamma, gamma_bar = sympy.symbols("L_T Gamma gamma", positive=True)
    D = gamma_bar * a**2 * g_T * delta
    balance = sympy.solve(sympy.Eq(D / L**2, T), L)  # pi nu D/4*Tr(grad Q)^2 ~ pi nu D/L^2 against pi nu Tr(eps-hatQ) ~ pi nu T per element
    scale = a * sympy.sqrt(gamma_bar * Gamma / T)
    isotropic = {name: sympy.sqrt(diffusion_tensor(name)[0, 0] / a**2) for name in NAMED_LATTICES if name != "rectangular"}
    solved = balance[0].subs(g_T, Gamma / delta)
    smallest, largest = min(isotropic, key=isotropic.get), max(isotropic, key=isotropic.get)
    return Step(
        **OUTLINE.header("soliton-scale"),
        result=sympy.Eq(L, scale),
        claims=(
            claims.equal(r"Balancing $D/L_T^{2}$ against $T$, with $D = \gamma a^{2}\Gamma$ and $\Gamma = g_T\delta$",
                         lambda: solved, scale, method="simplify", formula=sympy.Eq(L, solved, evaluate=False)),
            _bound(r"The lattice factor $\sqrt{\gamma_{xx}}/a$ is of order one: at its smallest, on the "
                   rf"{lattice_name(smallest).lower()} lattice,", sympy.Gt(isotropic[smallest], sympy.Rational(1, 10), evaluate=False)),
            _bound(rf"and at its largest, on the {lattice_name(largest).lower()} lattice,",
                   sympy.Lt(isotropic[largest], 1, evaluate=False)),
        ),
        note=r"A scaling argument, with $\Gamma \sim g_T\delta$ up to a lattice factor: the gradient term is "
             r"$\sim \pi\nu D/L^{2}$, the $\hat\varepsilon$ term $\sim \pi\nu T$. For the named lattices "
             r"$\sqrt{\gamma_{xx}}/a = \sqrt{z/(8\pi d)}$ lies between 0.24 and 0.40 ($z$ neighbours in $d$ dimensions).",
        printed=sympy.Eq(L, a * sympy.sqrt(Gamma / T)),
        erratum=r"the notes on the continuum limit, difference 4, the lattice factor $\sqrt{\gamma}$",
    )
