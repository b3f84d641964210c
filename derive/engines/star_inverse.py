"""The star inverse of a matrix-valued phase-space symbol through O(ħ), and what it adds to K₂ on the Fermi surface.

T̄ with T̄*T = T*T̄ = 1 is not the pointwise inverse T⁻¹: through O(ħ)

    T̄ = T⁻¹ − (iħ/2){T⁻¹, T} T⁻¹ + O(ħ²),

so the ħ² term of T̄*(iħ{H,T}) written with the pointwise inverse is

    K₂ = −½{T⁻¹, {H, T}} + ½{T⁻¹, T} T⁻¹ {H, T},

the second term coming from iħ T̄₁{H,T}. On the Fermi surface ∂T⁻¹ = −T⁻¹ ∂T T⁻¹ turns it into jets
of t and the value of t⁻¹ only. Brackets keep the order of matrix factors (A's derivative left).
"""
from __future__ import annotations

import sympy

from derive.engines.fermi_surface import FermiSurfaceChart, p_F, rho

__all__ = ["matrix_poisson_bracket", "pointwise_inverse_correction", "star_inverse_first_order"]


def matrix_poisson_bracket(A: sympy.Basic, B: sympy.Basic, r: tuple, p: tuple) -> sympy.Basic:
    """{A, B} = Σ_j ∂_{r_j}A ∂_{p_j}B − ∂_{p_j}A ∂_{r_j}B for scalar or matrix A, B (A's factor left)."""
    return sum((sympy.diff(A, x) * sympy.diff(B, k) - sympy.diff(A, k) * sympy.diff(B, x) for x, k in zip(r, p, strict=True)),
               sympy.zeros(*A.shape) if isinstance(A, sympy.MatrixBase) else sympy.Integer(0))


def star_inverse_first_order(T: sympy.Matrix, r: tuple, p: tuple, hbar: sympy.Symbol) -> sympy.Matrix:
    """T⁻¹ − (iħ/2){T⁻¹, T}T⁻¹: the star inverse of a square matrix symbol T(r, p) through O(ħ)."""
    inverse = T.inv()
    return inverse - sympy.I * hbar / 2 * matrix_poisson_bracket(inverse, T, r, p) * inverse


def pointwise_inverse_correction(chart: FermiSurfaceChart) -> tuple[sympy.Expr, sympy.Symbol]:
    """½{T⁻¹, T} T⁻¹ {H, T} at p = p_F n for T = t(r, n), in jets of t and the value ``tinv`` = t⁻¹.

    Returns the expression (derivatives of t as Derivative nodes, for ``grouped_jets``) and the
    noncommutative symbol that stands for t⁻¹. Only first derivatives occur, so ∂t⁻¹ = −t⁻¹ ∂t t⁻¹
    removes every derivative of t⁻¹.
    """
    t, inverse = chart.field("t"), chart.field("tinv")
    density = chart.bracket(inverse, t) * inverse * chart.bracket(chart.hamiltonian(), t) / 2
    tinv = sympy.Symbol("tinv", commutative=False)
    variables = (*chart.r, *chart.direction)
    derivatives = {sympy.Derivative(inverse, v): -tinv * sympy.Derivative(t, v) * tinv for v in variables}
    return sympy.expand(density.subs(rho, p_F).doit().xreplace(derivatives).xreplace({inverse: tinv})), tinv
