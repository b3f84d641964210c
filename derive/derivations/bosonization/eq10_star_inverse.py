"""Eq. (10) at ħ²: T̄ is the star inverse of T, T̄ = T⁻¹ − (iħ/2){T⁻¹,T}T⁻¹ + O(ħ²), and what that adds to K₂.

K₂ = −½{T̄,{H,T}} (step eq10-quantum-correction) is the ħ² term of T̄*(iħ{H,T}) only if T̄'s own O(ħ)
part is kept. Written with the pointwise inverse, the ħ² term is −½{T⁻¹,{H,T}} + ½{T⁻¹,T}T⁻¹{H,T}; the
second term is exported on the Fermi surface (``star_inverse_correction_2d``/``_3d``).
"""
from __future__ import annotations

from functools import lru_cache

import sympy

from derive.derivations.bosonization.jet_arguments import direction_argument, jet_arguments
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import H_phase, T, Tinv, hbar, poisson
from derive.engines import claims
from derive.engines.fermi_surface import chart_2d, chart_3d, grouped_jets, m, p_F
from derive.engines.moyal import StarProduct, star
from derive.engines.star_inverse import matrix_poisson_bracket, pointwise_inverse_correction, star_inverse_first_order
from derive.model import Argument, Export, Step

__all__ = ["eq10_star_inverse"]

x, y, px, py = sympy.symbols("x y p_x p_y", real=True)
R, P = (x, y), (px, py)
mass = sympy.Rational(3, 2)


def _test_symbol(eps: sympy.Expr = 1) -> sympy.Matrix:
    """T = [[1, 0], [b, 1]]·[[1, a], [0, 1]]·det T = 1, so T⁻¹ is a polynomial too and
    every identity below is checked as a polynomial identity in (x, y, p_x, p_y); a, b make the
    derivatives of T noncommuting."""
    a = x * py + y - px / 2
    b = px * py + x
    return sympy.Matrix([[1, 0], [eps * b, 1]]) * sympy.Matrix([[1, eps * a], [0, 1]])


def _hamiltonian() -> sympy.Expr:
    return (px**2 + py**2) / (2 * mass) + x**3 / 3 + x * y**2 - y / 5


def _hbar_coefficients(matrix: sympy.Matrix, top: int) -> list[sympy.Expr]:
    """The coefficients of ħ^0 … ħ^top of a matrix polynomial in ħ (and in the phase-space variables)."""
    return [sympy.expand(entry).coeff(hbar, k) for k in range(top + 1) for entry in matrix]


@lru_cache(maxsize=1)    # shared by the two claims T̄*T = 1 and T*T̄ = 1
def _star_inverse_residuals() -> list[sympy.Expr]:
    """T̄*T − 1 and T*T̄ − 1 through ħ¹ (both must vanish identically)."""
    T = _test_symbol()
    Tbar = star_inverse_first_order(T, R, P, hbar)
    residuals = []
    for product in (star(Tbar, T, R, P, 1, hbar), star(T, Tbar, R, P, 1, hbar)):
        residuals += _hbar_coefficients(product - sympy.eye(2), 1)
    return residuals


def _pointwise_inverse_misses_a_term() -> str | None:
    """T⁻¹*T − 1 has the ħ¹ term (i/2){T⁻¹, T} ≠ 0: the pointwise inverse is not the star inverse."""
    T = _test_symbol()
    inverse = T.inv()
    first = _hbar_coefficients(star(inverse, T, R, P, 1, hbar) - sympy.eye(2), 1)[4:]
    expected = _hbar_coefficients(sympy.I / 2 * matrix_poisson_bracket(inverse, T, R, P), 0)
    if any(sympy.expand(a - b) != 0 for a, b in zip(first, expected, strict=True)):
        return f"ħ¹ term {first}, expected (i/2){{T⁻¹,T}} = {expected}"
    return None if any(e != 0 for e in expected) else "{T⁻¹, T} vanishes at the test point"


def _second_order_with_pointwise_inverse() -> list[sympy.Expr]:
    """ħ² term of T̄*[H,T]_* (T̄ the star inverse) − [−½{T⁻¹,{H,T}} + ½{T⁻¹,T}T⁻¹{H,T}], identically."""
    T, H = _test_symbol(), _hamiltonian()
    inverse, Tbar = T.inv(), star_inverse_first_order(T, R, P, hbar)
    commutator = star(H * sympy.eye(2), T, R, P, 2, hbar) - star(T, H * sympy.eye(2), R, P, 2, hbar)
    product = star(Tbar, commutator, R, P, 1, hbar)      # T̄'s ħ² part times [H,T]_* = O(ħ) is O(ħ³)
    flow = matrix_poisson_bracket(H * sympy.eye(2), T, R, P)
    expected = (-matrix_poisson_bracket(inverse, flow, R, P) / 2
                + matrix_poisson_bracket(inverse, T, R, P) * inverse * flow / 2)
    coefficients = _hbar_coefficients(product, 2)
    first = sympy.I * inverse * flow                      # the ħ¹ term i T⁻¹{H,T}; there is no ħ⁰ term
    return [*coefficients[:4], *(sympy.expand(g - w) for g, w in zip(coefficients[4:8], first, strict=True)),
            *(sympy.expand(g - w) for g, w in zip(coefficients[8:], expected, strict=True))]


def _correction_is_cubic_in_the_deviation() -> list[sympy.Expr]:
    """For T = 1 + O(ε) (a, b → εa, εb), ½{T⁻¹,T}T⁻¹{H,T} has no ε⁰, ε¹, ε² terms but an ε³ term."""
    eps = sympy.Symbol(r"\epsilon")
    T = _test_symbol(eps)
    inverse = T.inv()
    flow = matrix_poisson_bracket(_hamiltonian() * sympy.eye(2), T, R, P)
    density = matrix_poisson_bracket(inverse, T, R, P) * inverse * flow / 2
    expanded = density.applyfunc(sympy.expand)
    lowest = [entry.coeff(eps, k) for entry in expanded for k in range(3)]
    cubic = [entry.coeff(eps, 3) for entry in expanded]
    return lowest if any(c != 0 for c in cubic) else [sympy.Symbol("no_cubic_term")]


def star_inverse_exports() -> tuple[Export, ...]:
    """star_inverse_correction_{2,3}d: ½{T⁻¹,T}T⁻¹{H,T} on the Fermi surface from jets of t and t⁻¹."""
    exports = []
    for chart, label in ((chart_2d(), "phi"), (chart_3d(), "n")):
        density, tinv = pointwise_inverse_correction(chart)
        jet_expr, groups = grouped_jets(density, chart.r, chart.direction, label)
        args = (*jet_arguments(groups), Argument("tinv", tinv, description="matrices (..., N, N); t⁻¹ at the point"),
                direction_argument(chart.direction), Argument("m", m), Argument("p_F", p_F))
        exports.append(Export(f"star_inverse_correction_{chart.d}d", jet_expr, args, doc=(
            f"½{{T⁻¹,T}}T⁻¹{{H,T}} at p = p_F n in d = {chart.d} (ħ = 1): add it to quantum_correction_{chart.d}d "
            "evaluated with t̄ = t⁻¹ (pointwise) to get the ħ² term of T̄*(iħ{H,T}) with T̄ the star inverse."
            + (" Derivatives in n are Cartesian derivatives of any extension of t off the unit sphere."
               if chart.d == 3 else ""))))
    return tuple(exports)


def eq10_star_inverse() -> Step:
    """T̄ = T⁻¹ − (iħ/2){T⁻¹,T}T⁻¹ and the ħ² term written with the pointwise inverse."""
    H, bracket = H_phase, poisson
    star_inverse = Tinv - sympy.I * hbar / 2 * bracket(Tinv, T) * Tinv
    correction = bracket(Tinv, T) * Tinv * bracket(H, T) / 2
    density = sympy.expand(-bracket(Tinv, bracket(H, T)) / 2) + correction
    eps = sympy.Symbol(r"\epsilon")
    one_plus = 1 + sympy.O(hbar**2)
    left_inverse = sympy.Eq(StarProduct(star_inverse, T), one_plus, evaluate=False)
    right_inverse = sympy.Eq(StarProduct(T, star_inverse), one_plus, evaluate=False)
    pointwise = sympy.Eq(StarProduct(Tinv, T), 1 + sympy.I * hbar / 2 * bracket(Tinv, T) + sympy.O(hbar**2), evaluate=False)
    second = sympy.Eq(StarProduct(star_inverse, StarProduct(H, T) - StarProduct(T, H)),
                      sympy.I * hbar * Tinv * bracket(H, T) + hbar**2 * sympy.Symbol("K_2") + sympy.O(hbar**3),
                      evaluate=False)      # K_2 as displayed above
    cubic = sympy.Eq(correction, sympy.O(eps**3), evaluate=False)
    model = r"$2 \times 2$ polynomial $T(x, y, p_x, p_y)$ with $\det T = 1$, a polynomial identity"
    return Step(
        **OUTLINE.header("eq10-star-inverse"),
        result=sympy.Eq(sympy.Symbol("K_2"), density),
        claims=(
            claims.all_zero(r"$\bar{T} = T^{-1} - \tfrac{i \hbar}{2} \{T^{-1}, T\} T^{-1}$ is a left star inverse ($"
                            + model[1:] + ")", lambda: _star_inverse_residuals()[:8], formula=left_inverse),
            claims.all_zero(r"$\dots$ and a right star inverse", lambda: _star_inverse_residuals()[8:], formula=right_inverse),
            claims.holds(r"the pointwise inverse is not one: $\{T^{-1}, T\} \ne 0$",
                         _pointwise_inverse_misses_a_term, "the same $T$, as polynomials", formula=pointwise),
            claims.all_zero(r"with $\bar{T}$ the star inverse and $H = p^2/2m$ plus a cubic $U$, $d = 2$ (a polynomial "
                            r"identity)", _second_order_with_pointwise_inverse, formula=second),
            claims.all_zero(r"for $T = 1 + O(\epsilon)$ the added term starts at $\epsilon^3$ (it has a nonzero $\epsilon^3$ "
                            r"term)", _correction_is_cubic_in_the_deviation, formula=cubic),
        ),
        exports=star_inverse_exports(),
        note=r"Brackets keep the order of matrix factors. Over the whole phase space "
             r"$-\tfrac{1}{2} \{T^{-1}, \{H, T\}\}$ is a divergence (previous step), so there the $\hbar^2$ term of "
             r"$\int \operatorname{Str} \Lambda \bar{T} \star [H, T]_\star$ is "
             r"$\tfrac{1}{2} \int \operatorname{Str} \Lambda \{T^{-1}, T\} T^{-1} \{H, T\}$, cubic in the deviation of "
             r"$T$ from a constant.",
    )
