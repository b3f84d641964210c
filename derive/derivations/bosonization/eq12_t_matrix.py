"""Eq. (12): the averaged T-matrix of independent impurities (small n_i) and the averaged Green function."""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    n_i,
)
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.model import Step

__all__ = ["eq12_averaged_t_matrix"]

tau = sympy.Symbol("tau", positive=True)


def eq12_averaged_t_matrix() -> Step:
    g0, f_real = sympy.symbols("g_0 f'")
    f = sympy.Symbol(r"f_{\mathbf{n}\mathbf{n}}")        # the forward amplitude f(n, n) (a symbol: it enters powers)
    T_average = sympy.Symbol("X", commutative=False)  # the T-matrix X of Eq. (12), averaged over impurities
    lam = sympy.Symbol("eta")                     # η = ±1, the eigenvalue of Λ in this block
    xi = sympy.Symbol("xi", real=True)                  # the energy ξ of Eq. (9)
    order = sympy.Symbol("j", integer=True, nonnegative=True)
    X = n_i * f / (1 - sympy.I * g0 * n_i * f)
    z = sympy.I * g0 * n_i * f
    averaged_g = g0 * (1 + sympy.I * X * g0)
    on_shell = {g0: sympy.I / xi, f: f_real + sympy.I * lam / (2 * n_i * tau)}
    return Step(
        **OUTLINE.header("eq12-averaged-t-matrix"),
        result=sympy.Eq(Average(T_average), X),
        claims=(
            claims.equal(r"the single-impurity ladder sums to Eq. (12)",
                         sum(n_i * f * z**k for k in range(5)), X * (1 - z**5), "simplify",
                         formula=sympy.Eq(sympy.Sum(n_i * f * z**order, (order, 0, 4)), X * (1 - z**5), evaluate=False)),
            claims.equal(r"the averaged Green function $\langle g \rangle = g_0 [1 + i \langle X \rangle g_0]$", averaged_g,
                         1 / (1 / g0 - sympy.I * n_i * f), "simplify",
                         formula=sympy.Eq(averaged_g, 1 / (1 / g0 - sympy.I * n_i * f), evaluate=False)),
            claims.equal(r"with $g_0 = i/\xi$ and $f_{\mathbf{n}\mathbf{n}} = f' + i \eta/(2 n_i \tau)$, $\eta = \pm 1$ the eigenvalue of $\Lambda$, "
                         r"that is $\operatorname{Im} f(\mathbf{n}, \mathbf{n}) = \eta/(2 n_i \tau)$",
                         averaged_g.subs(on_shell), sympy.I / (xi + n_i * f_real + sympy.I * lam / (2 * tau)),
                         "simplify",
                         formula=sympy.Eq(averaged_g.subs(on_shell),
                                          sympy.I / (xi + n_i * f_real + sympy.I * lam / (2 * tau)), evaluate=False)),
        ),
        note=r"Both $f$'s in Eq. (12) are the forward amplitude $f(p, p)$: $\langle X \rangle$ is diagonal, "
             r"$\propto \delta(p - p')$. $\operatorname{Re} f$ shifts $\varepsilon_F$; the $\xi$-integral of "
             r"$\langle g \rangle$ is again $\Lambda$, by Eq. (9) with width $1/2\tau$.",
    )
