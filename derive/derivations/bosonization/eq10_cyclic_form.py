"""Eq. (10): Str[H*Q] under the phase-space integral (∫A*B = ∫AB) and the Moyal commutator [H,T]_*."""
from __future__ import annotations

from collections import defaultdict
from functools import partial

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    H_phase,
    T,
    Tbar,
    hbar,
    nc,
    phase_point,
    poisson,
    u_phase,
    v_phase,
)
from derive.engines import claims
from derive.engines.fermi_surface import (
    phase_space_2d,
)
from derive.engines.moyal import StarProduct, poisson_bracket, star, star_coefficients
from derive.engines.supermatrix import (
    Str,
)
from derive.model import Step

__all__ = ["eq10_cyclic_form"]


def _integrated_orders_cancel(d: int, order: int) -> str | None:
    """∫ ∂_r^α∂_p^β A ∂_p^α∂_r^β B = (−1)^n ∫ A ∂_r^γ ∂_p^γ B (γ = α+β): the coefficients per γ must sum to 0."""
    sums: dict[tuple, sympy.Rational] = defaultdict(lambda: sympy.Integer(0))
    for n, alpha, beta, coefficient in star_coefficients(d, order):
        if n > 0:
            sums[tuple(a + b for a, b in zip(alpha, beta, strict=True))] += coefficient
    bad = {gamma: total for gamma, total in sums.items() if total != 0}
    return None if not bad else f"nonzero coefficient sums {bad}"


def _moyal_commutator_defect(order: int, quadratic_potential: bool = False) -> sympy.Expr:
    """[H,T]_* − iħ{H,T} through ħ^order in d = 2, T a noncommutative function of (x, y, p_x, p_y)."""
    space = phase_space_2d()
    T = sympy.Function("T", commutative=False)(*space.r, *space.p)
    hamiltonian = space.hamiltonian()
    if quadratic_potential:
        x, y = space.r
        a = sympy.symbols("a0:6")
        hamiltonian = hamiltonian.subs(space.potential(), a[0] + a[1] * x + a[2] * y + a[3] * x**2 + a[4] * x * y + a[5] * y**2)
    commutator = star(hamiltonian, T, space.r, space.p, order, hbar) - star(T, hamiltonian, space.r, space.p, order, hbar)
    return sympy.expand(commutator - sympy.I * hbar * poisson_bracket(hamiltonian, T, space.r, space.p))


def eq10_cyclic_form() -> Step:
    H, Lam = H_phase, nc("Lambda")
    x = phase_point
    left, right = u_phase, v_phase
    cyclic = sympy.Eq(sympy.Integral(StarProduct(left, right) - left * right, x), sympy.O(hbar**5), evaluate=False)
    commutator = lambda order: sympy.Eq(StarProduct(H, T) - StarProduct(T, H),
                                        sympy.I * hbar * poisson(H, T) + sympy.O(hbar**order), evaluate=False)
    return Step(
        **OUTLINE.header("eq10-cyclic-form"),
        result=sympy.Eq(sympy.Integral(Str(StarProduct(H, StarProduct(T, StarProduct(Lam, Tbar)))), x),
                        sympy.Integral(Str(Lam, StarProduct(Tbar, StarProduct(H, T) - StarProduct(T, H))), x)),
        claims=(
            *(claims.holds(rf"for any $\mathcal{{A}}$, $\mathcal{{B}}$, order by order through $\hbar^4$ in $d = {d}$ (integration by parts)",
                           partial(_integrated_orders_cancel, d, 4), "coefficient sums per multi-index", formula=cyclic)
              for d in (1, 2, 3)),
            claims.equal(r"this is $H$, since $\bar{T} \star T = 1$, and "
                         r"$\operatorname{Str} \Lambda H = H \operatorname{Str} \Lambda = 0$",
                         sympy.expand(Tbar * H * T - Tbar * (H * T - T * H)), Tbar * T * H,
                         formula=sympy.Eq(Tbar * H * T - Tbar * (H * T - T * H), Tbar * T * H, evaluate=False)),
            claims.all_zero(r"$[H, T]_\star$ has no $\hbar^2$ term, with $\{H, T\}$ the Poisson bracket, for "
                            r"$H = p^2/2m - \varepsilon_F + U(r)$ and any $T$, $d = 2$",
                            lambda: [_moyal_commutator_defect(2)], formula=commutator(3)),
            claims.all_zero(r"for a quadratic $U$ the $\hbar^3$ term vanishes too: beyond $\hbar$ only $U'''$ enters",
                            lambda: [_moyal_commutator_defect(3, quadratic_potential=True)], formula=commutator(4)),
        ),
        note=r"Cyclicity of $\int \operatorname{Str}[A \star B]$ for even supermatrices follows from "
             r"$\int A \star B = \int A B$; the $\hbar$-expansion of $[H, T]_\star$ is odd in $\hbar$.",
    )
