"""Eq. (10): −{H, T} on the Fermi surface is the Liouville operator (d = 2, 3), exported to numpy."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.bosonization.jet_arguments import (
    direction_argument,
    jet_arguments,
)
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    H_phase,
    Lam,
    T,
    Tbar,
    nu,
    poisson,
    v_F,
)
from derive.engines import claims
from derive.engines.fermi_surface import (
    VECTOR_FIELDS,
    AlongDirection,
    PositionDerivative,
    SphereGradient,
    bracket_with_hamiltonian,
    chart_2d,
    chart_3d,
    dimension,
    fermi_surface_terms,
    grouped_jets,
    liouville_2d,
    liouville_3d,
    m,
    on_chart,
    p_F,
    phase_space_2d,
    phase_space_3d,
)
from derive.engines.supermatrix import Str
from derive.model import Argument, Export, Step

__all__ = ["eq10_liouville", "liouville_vector_form"]

L = sympy.Function("L", commutative=False)      # the Liouville operator of Eq. (10), acting on matrix fields


def liouville_vector_form() -> sympy.Expr:
    """L t = v_F (n·∂) t − p_F⁻¹ Σ_k ∂_k U ∇⊥_k t on the Fermi surface, any d (the fields of the K₂ vector form)."""
    t, U = VECTOR_FIELDS["t"], VECTOR_FIELDS["U"]
    k = sympy.Symbol("k", integer=True, positive=True)
    return v_F * AlongDirection(t) - sympy.Sum(PositionDerivative(U, k) * SphereGradient(t, k), (k, 1, dimension)) / p_F


def _vector_form_defect(chart) -> list[sympy.Expr]:
    """The vector form on ``chart`` minus (p_F/m)(n·∂)t − p_F⁻¹ ∂_kU ∇⊥_k t computed on the chart, word by word."""
    t, U = chart.field("t"), chart.potential()
    along = sum(nk * sympy.diff(t, x) for nk, x in zip(chart.unit, chart.r, strict=True))
    direct = p_F / m * along - sum(sympy.diff(U, x) * g for x, g in zip(chart.r, chart.tangential_gradient(t), strict=True)) / p_F
    residual = chart.on_sphere((on_chart(liouville_vector_form(), chart) - direct).subs(m, p_F / v_F))
    return [sympy.simplify(value.subs(m, p_F / v_F)) for value in residual.values()]


def eq10_liouville() -> Step:
    s2, s3 = phase_space_2d(), phase_space_3d()

    def defect(space, liouville) -> list[sympy.Expr]:
        got = fermi_surface_terms(bracket_with_hamiltonian(space, space.supermatrix_field("t")), space)
        want = fermi_surface_terms(-liouville(space.on_fermi_surface("t"), space), space)
        return [sympy.simplify(got.get(w, 0) - want.get(w, 0)) for w in sorted(set(got) | set(want), key=str)]

    t2 = s2.on_fermi_surface("t", commutative=True)
    t3 = s3.on_fermi_surface("t", commutative=True)
    exports = []
    for name, expr, space, label in (("liouville_2d", liouville_2d(t2, s2), s2, "phi"),
                                     ("liouville_3d", liouville_3d(t3, s3), s3, "n")):
        jet_expr, groups = grouped_jets(expr.subs(m, p_F / v_F), space.r, space.direction, label)
        args = (*jet_arguments(groups), direction_argument(space.direction), Argument("v_F", v_F), Argument("p_F", p_F))
        exports.append(Export(name, jet_expr, args, doc=(
            "(v_F n·∇_r − p_F⁻¹ ∇_rU·∇_n) t on the Fermi surface, from the jets of t and U "
            + ("(∇_n = e_φ ∂_φ)" if name.endswith("2d") else "(∇_n = (1 − n n)·∂_n, any extension of t off the sphere)"))))
    coefficient_check = sympy.I / 2 * sympy.pi * nu * sympy.I * (-1)
    liouville = sympy.Eq(sympy.expand(-poisson(H_phase, T)), L(T))          # at p = p_F n
    vector_form = sympy.Eq(L(VECTOR_FIELDS["t"]), liouville_vector_form())
    prefactor = sympy.Eq(sympy.I / 2 * sympy.pi * nu * Str(Lam * Tbar * (sympy.I * poisson(H_phase, T))),
                         sympy.pi * nu / 2 * Str(Lam * Tbar * L(T)))
    return Step(
        **OUTLINE.header("eq10-liouville"),
        result=sympy.Eq(L(VECTOR_FIELDS["t"]), liouville_vector_form()),
        claims=(
            claims.all_zero(r"$-\{H, T\}$ at $p = p_F n$ equals $(v_F n \cdot \nabla_r - p_F^{-1} \nabla U \cdot \nabla_n) T$ "
                            r"in $d = 2$, with $\varphi$ the polar angle of $p$",
                            lambda: defect(s2, liouville_2d), formula=liouville),
            claims.all_zero(r"$\dots$ and in $d = 3$ ($T$ a function of $p/|p|$, tangential $\nabla_n$)",
                            lambda: defect(s3, liouville_3d), formula=liouville),
            *(claims.all_zero(f"the vector form above is the chart's Liouville operator, word by word ($d = {chart.d}$)",
                              partial(_vector_form_defect, chart), formula=vector_form) for chart in (chart_2d(), chart_3d())),
            claims.equal(r"at $\hbar = 1$, with $L T = -\{H, T\}$: the prefactor of Eq. (10)",
                         coefficient_check, sympy.pi * nu / 2, formula=prefactor),
        ),
        exports=tuple(exports),
        note=r"The $\xi$-integral of $g$, Eq. (9), gives $\pi \Lambda \nu$, and the momentum in $T$ is pinned to "
             r"$p_F n$; the signs agree with Eq. (10) as printed.",
    )
