"""Weyl symbols: grid transform against symbolic ones, and operator products against the star product."""
from functools import cache
from itertools import pairwise

import numpy as np
import pytest
import sympy

from derive.engines.moyal import star
from derive.engines.wigner import (
    kernel_product_on_grid,
    weyl_symbol_of_kernel,
    weyl_symbol_of_operator,
    weyl_symbol_on_grid,
)

x, y, R, p = sympy.symbols("x y R p", real=True)
SCALE = sympy.Symbol("s", positive=True)


def gaussian_kernel(scale: float, centre: float, drift: float, shear: float, aspect: float) -> sympy.Expr:
    """Kernel of a phase-space Gaussian of widths (scale, aspect·scale), sheared: symbol ∝ e^{−(p−drift−shear R)²/...}."""
    mid, rho = (x + y) / 2, x - y
    width_p = aspect * scale
    return sympy.exp(-(mid - centre) ** 2 / (2 * scale**2) - width_p**2 * rho**2 / 2
                     + sympy.I * (drift + shear * mid) * rho)


def _nsym(value) -> sympy.Expr:
    return sympy.nsimplify(value, rational=True)


@cache
def _kernels_and_symbols():
    """Two sheared phase-space Gaussians of width ∝ SCALE (kept symbolic), and their Weyl symbols."""
    kernels = (gaussian_kernel(SCALE, _nsym(0.3), _nsym(0.2), _nsym(0.3), _nsym(1.3)),
               gaussian_kernel(SCALE, _nsym(-0.4), _nsym(-0.5), _nsym(-0.2), _nsym(1.1)))
    return kernels, tuple(weyl_symbol_of_kernel(k, x, y, R, p) for k in kernels)


@cache
def _truncated_star(order: int):
    _, (a, b) = _kernels_and_symbols()
    return sympy.lambdify((R, p, SCALE), star(a, b, R, p, order), "numpy")


def _grid(scale: float):
    half_width = 7 * scale + 2.0
    spacing = 0.35 / (1.3 * scale + 1.0)
    return np.arange(-half_width, half_width + spacing / 2, spacing)


def _on_grid(kernel: sympy.Expr, grid: np.ndarray, scale: float) -> np.ndarray:
    function = sympy.lambdify((x, y, SCALE), kernel, "numpy")
    return function(grid[:, None], grid[None, :], scale) * np.ones((len(grid), len(grid)))


def _product_errors(scale: float, orders) -> list[float]:
    """max |grid symbol of A·B − (a ⋆ b truncated)| / max |symbol|, on the bulk of phase space."""
    kernels, _ = _kernels_and_symbols()
    grid = _grid(scale)
    momenta = np.linspace(-2.5 * 1.3 * scale, 2.5 * 1.3 * scale, 41)
    product = kernel_product_on_grid(_on_grid(kernels[0], grid, scale), _on_grid(kernels[1], grid, scale), grid)
    reference = weyl_symbol_on_grid(product, grid, momenta)
    bulk = np.abs(grid) < 2.5 * scale
    reference = reference[bulk]
    errors = []
    for order in orders:
        values = _truncated_star(order)(grid[bulk][:, None], momenta[None, :], scale)
        errors.append(np.max(np.abs(values - reference)) / np.max(np.abs(reference)))
    return errors


def test_grid_transform_reproduces_the_symbolic_weyl_symbol():
    kernels, symbols = _kernels_and_symbols()
    grid = _grid(1.0)
    momenta = np.linspace(-4, 4, 17)
    numeric = weyl_symbol_on_grid(_on_grid(kernels[0], grid, 1.0), grid, momenta)
    exact = sympy.lambdify((R, p, SCALE), symbols[0], "numpy")(grid[:, None], momenta[None, :], 1.0)
    assert np.max(np.abs(numeric - exact)) < 1e-10 * np.max(np.abs(exact))


def test_product_symbol_error_falls_with_the_order_of_the_star_product():
    orders = list(range(0, 7))
    errors = _product_errors(1.2, orders)
    assert all(later < earlier for earlier, later in pairwise(errors)), errors
    slope = np.polyfit(orders, np.log(errors), 1)[0]
    assert slope < -0.8, (slope, errors)          # at least a factor e^0.8 ≈ 2.2 per order
    assert errors[-1] < 1e-3


@pytest.mark.parametrize("order", [1, 2])
def test_truncation_error_scales_as_hbar_effective_to_the_order_plus_one(order):
    """ħ_eff = 1/(Δx Δp) ∝ scale⁻²: the error of the order-n truncation ∝ ħ_eff^{n+1}."""
    scales = np.array([1.5, 2.0, 2.7, 3.6])
    errors = [_product_errors(s, [order])[0] for s in scales]
    slope = np.polyfit(np.log(1 / scales**2), np.log(errors), 1)[0]
    assert abs(slope - (order + 1)) < 0.35, (slope, errors)


def test_symbols_of_operator_polynomials_are_exact():
    rhat, phat = sympy.symbols("rhat phat", commutative=False)
    assert weyl_symbol_of_operator(rhat * phat - phat * rhat, rhat, phat, x, p, 2) == sympy.I
    assert weyl_symbol_of_operator(rhat * phat, rhat, phat, x, p, 2) == x * p + sympy.I / 2
    # p̂² x̂² = Weyl-ordered part minus 2iħ x p − ħ²/2 (known result)
    assert weyl_symbol_of_operator(phat**2 * rhat**2, rhat, phat, x, p, 4) == (
        p**2 * x**2 - 2 * sympy.I * p * x - sympy.Rational(1, 2))
    # e^{x̂} p̂: the series terminates at first order
    assert sympy.simplify(weyl_symbol_of_operator(sympy.exp(rhat) * phat, rhat, phat, x, p, 3)
                          - (sympy.exp(x) * p + sympy.I * sympy.exp(x) / 2)) == 0


def test_operator_symbol_of_a_product_matches_its_kernel_route():
    """x̂ e^{−x̂²} has kernel x e^{−x²} δ(x − y); its symbol from the kernel equals the operator route."""
    rhat, phat = sympy.symbols("rhat phat", commutative=False)
    from_operator = weyl_symbol_of_operator(rhat * sympy.exp(-rhat**2), rhat, phat, x, p, 0)
    assert sympy.simplify(from_operator - x * sympy.exp(-x**2)) == 0


def test_errors():
    rhat, phat = sympy.symbols("rhat phat", commutative=False)
    with pytest.raises(ValueError, match="mixes"):
        weyl_symbol_of_operator(sympy.Function("f")(rhat + phat), rhat, phat, x, p, 1)
    with pytest.raises(TypeError, match="noncommutative"):
        weyl_symbol_of_operator(x, x, p, R, y, 1)
    with pytest.raises(ValueError, match="does not match"):
        weyl_symbol_on_grid(np.eye(3), np.arange(4.0), np.zeros(2))


def test_operator_function_of_r_and_p_on_a_grid_matches_its_symbolic_symbol():
    """x̂² e^{−p̂²/2}: symbol x² e^{−p²/2} ⋆-corrected (exact at second order) vs the grid kernel's transform."""
    from derive.engines.wigner import operator_kernel_on_grid

    rhat, phat = sympy.symbols("rhat phat", commutative=False)
    symbol = weyl_symbol_of_operator(rhat**2 * sympy.exp(-phat**2 / 2), rhat, phat, x, p, 2)
    exact = sympy.lambdify((x, p), symbol, "numpy")
    grid = np.linspace(-12, 12, 481)[:-1]
    kernel = operator_kernel_on_grid(lambda r: r**2, lambda k: np.exp(-k**2 / 2), grid)
    momenta = np.linspace(-3, 3, 13)
    numeric = weyl_symbol_on_grid(kernel, grid, momenta)
    centre = np.abs(grid) < 4
    reference = exact(grid[centre][:, None], momenta[None, :])
    assert np.max(np.abs(numeric[centre] - reference)) < 1e-8 * np.max(np.abs(reference))
    # the product is not Weyl-ordered: dropping the ħ terms (i x g' − g''/4) is visibly wrong
    classical = (grid[centre] ** 2)[:, None] * np.exp(-momenta**2 / 2)[None, :]
    assert np.max(np.abs(numeric[centre] - classical)) > 0.1
