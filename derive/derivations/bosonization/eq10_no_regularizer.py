"""Eq. (10) at ħ²: no orbit-mixing ("regularizer") term at quadratic order, on the Fermi surface either.

For T = 1 + W + O(W²) the quadratic part of the ħ² density −½{T⁻¹,{H,T}} + ½{T⁻¹,T}T⁻¹{H,T} is
½{W,{H,W}} (the second term is cubic). On the Fermi surface, with L the Liouville operator of Eq. (10),

    ½{W,{H,W}} = −(1/m)(n·∂W)² + (1/2p_F)[(n·∂W)(LW) − ∂_iW ∇⊥_i(LW) + ∇⊥_iW ∂_i(LW)].

For the physical fluctuations (W anticommuting with Λ) Str Λ(n·∂W)² = 0, so what is left is linear in LW:
it vanishes on every classical invariant (LW = 0) and is removable at this order by a redefinition of W,
whereas a regularizer ∝ Str(∇_nQ)² is positive on invariants that vary with n.
"""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.eq10_liouville import L
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import Lam, nc
from derive.engines import claims
from derive.engines.expression_nodes import PoissonBracket
from derive.engines.fermi_surface import (
    AlongDirection,
    FermiSurfaceChart,
    PositionDerivative,
    SphereGradient,
    chart_2d,
    dimension,
    m,
    p_F,
)
from derive.engines.supermatrix import Str, SupertraceRules, supertrace_of
from derive.model import Step

__all__ = ["eq10_no_regularizer", "quadratic_density_residual"]

X, Y = nc("X"), nc("Y")                 # fluctuations anticommuting with Λ


def quadratic_density_residual(chart: FermiSurfaceChart) -> dict[tuple, sympy.Expr]:
    """½{W,{H,W}} minus the right-hand side above, word by word on the Fermi surface (empty when it holds)."""
    W, U = chart.field("W"), chart.potential()
    along = lambda f: sum(nk * sympy.diff(f, x) for nk, x in zip(chart.unit, chart.r, strict=True))
    perp = chart.tangential_gradient
    liouville = p_F / m * along(W) - sum(sympy.diff(U, x) * g for x, g in zip(chart.r, perp(W), strict=True)) / p_F
    lhs = chart.bracket(W, chart.bracket(chart.hamiltonian(), W)) / 2
    rhs = (-along(W) * along(W) / m + along(W) * liouville / (2 * p_F)
           - sum(sympy.diff(W, x) * g for x, g in zip(chart.r, perp(liouville), strict=True)) / (2 * p_F)
           + sum(g * sympy.diff(liouville, x) for x, g in zip(chart.r, perp(W), strict=True)) / (2 * p_F))
    return chart.on_sphere(lhs - rhs)


def _hbar2_density_expansion() -> sympy.Eq:
    """{T⁻¹, {H, T}} = −ε² {W, {H, W}} + O(ε³) for T = 1 + εW, T⁻¹ = 1 − εW + ε²W² + O(ε³) (d = 1, generic W, H).

    W and H are phase-space functions 𝒲(r, p), ℋ(r, p) here, apart from the section's operators W and H."""
    r, p, eps = sympy.symbols(r"r p \varepsilon")
    W = sympy.Function(r"\mathcal{W}", commutative=False)(r, p)
    H = sympy.Function(r"\mathcal{H}")(r, p)
    T, Tinv = 1 + eps * W, 1 - eps * W + eps**2 * W * W + sympy.Order(eps**3)
    return sympy.Eq(PoissonBracket(Tinv, PoissonBracket(H, T)),
                    -eps**2 * PoissonBracket(W, PoissonBracket(H, W)) + sympy.Order(eps**3), evaluate=False)


def _quadratic_part_of_the_hbar2_density() -> list[sympy.Expr]:
    """The ε⁰, ε¹, ε² coefficients of the two sides of ``_hbar2_density_expansion``, subtracted, brackets written out."""
    expansion = _hbar2_density_expansion()
    (eps,) = expansion.rhs.getO().variables
    # T⁻¹ is exact through ε²: its O(ε³) only feeds the O(ε³) of the bracket
    sides = [sympy.expand(side.replace(lambda node: isinstance(node, sympy.Order), lambda node: 0).doit())
             for side in expansion.args]
    return [sympy.expand(sides[0].coeff(eps, k) - sides[1].coeff(eps, k)) for k in range(3)]


def _antisymmetry_for_fluctuations() -> list[sympy.Expr]:
    """Str ΛXX = 0 and Str ΛXY + Str ΛYX = 0 for X, Y anticommuting with Λ."""
    rules = SupertraceRules(Lam, frozenset({X, Y}))
    return [supertrace_of(Lam * X * X, rules), supertrace_of(Lam * X * Y + Lam * Y * X, rules)]


def eq10_no_regularizer() -> Step:
    """The quadratic ħ² density on the Fermi surface is −(1/m)(n·∂W)² plus terms linear in LW."""
    W = sympy.Symbol("W", commutative=False)
    quadratic = sympy.Symbol("K_2^{(2)}", commutative=False)      # ½{W,{H,W}}, the quadratic part of K₂
    i = sympy.Symbol("i", integer=True, positive=True)
    along, LW = AlongDirection(W), L(W)
    over = lambda term: sympy.Sum(term, (i, 1, dimension))
    # one top-level term each, so that the display breaks between them
    rest = sympy.Add(along * LW / (2 * p_F), -over(PositionDerivative(W, i) * SphereGradient(LW, i)) / (2 * p_F),
                     over(SphereGradient(W, i) * PositionDerivative(LW, i)) / (2 * p_F))
    on_the_fermi_surface = sympy.Eq(quadratic, sympy.Add(sympy.Mul(-1 / m, along, along, evaluate=False), *rest.args,
                                                         evaluate=False))  # (n·∂W)² as a product
    return Step(
        **OUTLINE.header("eq10-no-regularizer"),
        result=on_the_fermi_surface,
        claims=(
            claims.all_zero(r"the quadratic part of $-\tfrac{1}{2} \{T^{-1}, \{H, T\}\}$ for $T = 1 + \varepsilon W$ is "
                            r"$\tfrac{1}{2} \{W, \{H, W\}\}$; in $d = 1$, for a generic noncommutative $\mathcal{W}(r, p)$ "
                            r"and a Hamiltonian $\mathcal{H}(r, p)$, with $\{\cdot, \cdot\}_{\mathrm{PB}}$ the Poisson bracket",
                            _quadratic_part_of_the_hbar2_density, formula=_hbar2_density_expansion()),
            claims.all_zero(r"on the Fermi surface $\tfrac{1}{2} \{W, \{H, W\}\} = -\tfrac{1}{m} (n \cdot \partial W)^2 + "
                            r"\tfrac{1}{2 p_F} [(n \cdot \partial W)(L W) - \partial_i W \nabla^{\perp}_i (L W) + "
                            r"\nabla^{\perp}_i W \partial_i (L W)]$, word by word ($d = 2$ here, $d = 3$ in the tests)",
                            lambda: list(quadratic_density_residual(chart_2d()).values()), formula=on_the_fermi_surface),
            claims.all_zero(r"for $X$, $Y$ anticommuting with $\Lambda$, $\operatorname{Str} \Lambda X^2 = 0$ and the "
                            r"supertrace is antisymmetric, so the $(n \cdot \partial W)^2$ term drops for the physical "
                            r"fluctuations", _antisymmetry_for_fluctuations,
                            formula=sympy.Eq(Str(Lam * X * Y) + Str(Lam * Y * X), 0, evaluate=False)),
        ),
        note=r"$K_2^{(2)} = \tfrac{1}{2} \{W, \{H, W\}\}$ is the part of $K_2$ quadratic in $W$. So at quadratic order the $\hbar^2$ term vanishes on every classical invariant ($L W = 0$) and is an "
             r"equation-of-motion term otherwise: it does not mix classical orbits, on the Fermi surface as over "
             r"the whole phase space (where, by the previous step, the $\hbar^2$ term is cubic). The regularizer of "
             r"Refs. [8, 9] of the bosonization paper is not produced at this order; the cubic term at one loop is "
             r"not examined.",
    )
