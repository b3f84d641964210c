"""The generated star-product functions against independent numerics.

- finite-difference jets: error against the symbolic truncation falls as h^2;
- plane waves, whose star product is known in closed form: the error at order n is exactly the tail
  of the exponential series, so it falls factorially with the order;
- Gaussians (closed-form Moyal product of Gaussians): error falls with the order;
- operators on a position grid: the Weyl symbol of the matrix product approaches the truncated star
  product of the symbols as the order grows.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from derive.engines.moyal import star
from derive.generated import moyal as generated
from phase_space_numerics import (
    finite_difference_jet,
    kernel_from_separable_symbol,
    loglog_slope,
    plane_wave_jet,
    weyl_symbol_of_kernel,
)


def phase_space(d: int) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    return sympy.symbols(f"r1:{d + 1}", real=True), sympy.symbols(f"p1:{d + 1}", real=True)


def smooth_symbols(d: int) -> tuple[sympy.Expr, sympy.Expr]:
    rs, ps = phase_space(d)
    A = sympy.exp(sympy.sin(rs[0]) + ps[0] ** 2 / 3 + sum(r * p for r, p in zip(rs[1:], ps[1:], strict=True)) / 4)
    B = sympy.cos(rs[-1] * ps[0] / 2 + ps[-1]) + sympy.Rational(1, 3) * sympy.exp(-sum(x**2 for x in rs + ps) / 5)
    return A, B


def symbolic_jet(expr: sympy.Expr, d: int, order: int, point: np.ndarray) -> np.ndarray:
    rs, ps = phase_space(d)
    variables = rs + ps
    layout = generated.JET_MULTI_INDICES[d][: math.comb(2 * d + order, 2 * d)]
    derivatives = [sympy.diff(expr, *[(v, k) for v, k in zip(variables, index, strict=True)]) for index in layout]
    values = sympy.lambdify(variables, derivatives, "numpy")(*point)
    return np.array([np.broadcast_to(v, np.shape(point)[1:]) for v in values], dtype=complex)


@pytest.mark.parametrize("d, order", [(1, 4), (2, 3), (3, 2)])
def test_finite_difference_jets_converge_at_second_order(d: int, order: int) -> None:
    A, B = smooth_symbols(d)
    rs, ps = phase_space(d)
    point = np.array([0.3, -0.4, 0.5, 0.2, -0.1, 0.6][: 2 * d])
    reference = complex(sympy.lambdify(rs + ps, star(A, B, rs, ps, order))(*point))
    layout = generated.JET_MULTI_INDICES[d][: math.comb(2 * d + order, 2 * d)]
    numeric_a = sympy.lambdify(rs + ps, A, "numpy")
    numeric_b = sympy.lambdify(rs + ps, B, "numpy")
    steps = [0.16, 0.08, 0.04, 0.02]
    errors = []
    for step in steps:
        jet_a = finite_difference_jet(numeric_a, point, layout, step)
        jet_b = finite_difference_jet(numeric_b, point, layout, step)
        errors.append(abs(generated.STAR_PRODUCTS[(d, order)](jet_a, jet_b) - reference))
    assert 1.8 < loglog_slope(steps, errors) < 2.2, errors
    assert errors[-1] < 1e-3 * abs(reference)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_plane_waves_error_is_the_tail_of_the_exponential(d: int) -> None:
    rng = np.random.default_rng(d)
    wave_a, wave_b = rng.uniform(-1.2, 1.2, 2 * d), rng.uniform(-1.2, 1.2, 2 * d)
    hbar = 0.9
    points = rng.uniform(-2, 2, (2 * d, 5, 3))  # broadcasting: a 5 x 3 array of phase-space points
    symplectic = np.dot(wave_a[:d], wave_b[d:]) - np.dot(wave_a[d:], wave_b[:d])
    phase = -0.5j * hbar * symplectic
    product = np.exp(1j * np.tensordot(wave_a + wave_b, points, axes=(0, 0)))
    exact = product * np.exp(phase)
    layout = generated.JET_MULTI_INDICES[d]
    jet_a = np.stack([plane_wave_jet(wave_a, points[:, i, j], layout) for i in range(5) for j in range(3)], axis=1)
    jet_b = np.stack([plane_wave_jet(wave_b, points[:, i, j], layout) for i in range(5) for j in range(3)], axis=1)
    jet_a, jet_b = jet_a.reshape(len(layout), 5, 3), jet_b.reshape(len(layout), 5, 3)
    errors = []
    for order in range(generated.MAX_ORDERS[d] + 1):
        result = generated.STAR_PRODUCTS[(d, order)](jet_a, jet_b, hbar=hbar)
        assert result.shape == (5, 3)
        tail = np.exp(phase) - sum(phase**n / math.factorial(n) for n in range(order + 1))
        np.testing.assert_allclose(result, product * (np.exp(phase) - tail), rtol=0, atol=1e-12)
        errors.append(np.max(np.abs(result - exact)))
    assert all(later < earlier for earlier, later in zip(errors, errors[1:], strict=False)), errors


def test_gaussians_match_the_taylor_polynomials_of_their_closed_form_product() -> None:
    """exp(-a z) * exp(-b z) = exp(-(a+b) z / (1 + a b hbar^2)) / (1 + a b hbar^2), z = r^2 + p^2.

    The truncation after hbar^n must equal the closed form's Taylor polynomial in hbar of degree n,
    and the distance to the closed form shrinks towards a factor a*b per two orders (the nearest
    singularity of the closed form is at hbar^2 = -1/(a b)).
    """
    r, p = sympy.symbols("r1 p1", real=True)
    hbar = sympy.Symbol("hbar")
    a, b = sympy.Rational(7, 20), sympy.Rational(1, 2)
    A, B = sympy.exp(-a * (r**2 + p**2)), sympy.exp(-b * (r**2 + p**2))
    point = np.array([0.7, -0.4])
    z = sympy.nsimplify(point @ point)
    closed_form = sympy.exp(-(a + b) * z / (1 + a * b * hbar**2)) / (1 + a * b * hbar**2)
    taylor = sympy.series(closed_form, hbar, 0, 9).removeO()
    jet_a, jet_b = symbolic_jet(A, 1, 8, point), symbolic_jet(B, 1, 8, point)
    exact = float(closed_form.subs(hbar, 1))
    errors = []
    for order in range(9):
        value = generated.STAR_PRODUCTS[(1, order)](jet_a, jet_b)
        polynomial = float(sum(taylor.coeff(hbar, k) for k in range(order + 1)))
        assert abs(value - polynomial) < 1e-13, (order, value, polynomial)
        errors.append(abs(value - exact))
    ratios = [errors[n + 2] / errors[n] for n in range(2, 7, 2)]
    assert all(ratio < 0.5 for ratio in ratios), ratios
    assert ratios[-1] < ratios[0]


def _grid_operator_symbol(points: int) -> tuple[np.ndarray, float, np.ndarray]:
    """Weyl symbol of the product of two operators built on a grid, at R = 0.6 and a few momenta."""
    x = np.linspace(-16, 16, points)
    dx = x[1] - x[0]
    sigma_a, sigma_b, shift_b = 0.8, 0.6, 0.4
    kernel_a = kernel_from_separable_symbol(
        lambda r: np.exp(-((r - 0.5) ** 2) / 8) * (1 + 0.2 * r),
        lambda rho: np.exp(-(rho**2) / (2 * sigma_a**2)) / (sigma_a * np.sqrt(2 * np.pi)),
        x,
    )
    kernel_b = kernel_from_separable_symbol(
        lambda r: np.exp(-(r**2) / 10) * np.cos(r / 3),
        lambda rho: np.exp(1j * shift_b * rho - rho**2 / (2 * sigma_b**2)) / (sigma_b * np.sqrt(2 * np.pi)),
        x,
    )
    centre = int(np.argmin(np.abs(x - 0.6)))
    momenta = np.array([-0.5, 0.3, 1.0])
    return weyl_symbol_of_kernel(kernel_a @ kernel_b * dx, x, centre, momenta), float(x[centre]), momenta


def test_operator_product_on_a_grid_matches_the_truncated_star_product() -> None:
    r, p = sympy.symbols("r1 p1", real=True)
    A = sympy.exp(-((r - sympy.Rational(1, 2)) ** 2) / 8) * (1 + r / 5) * sympy.exp(-sympy.Rational(32, 100) * p**2)
    B = sympy.exp(-(r**2) / 10) * sympy.cos(r / 3) * sympy.exp(-sympy.Rational(18, 100) * (p - sympy.Rational(2, 5)) ** 2)
    grid_symbol, centre, momenta = _grid_operator_symbol(641)
    finer_symbol, _, _ = _grid_operator_symbol(961)
    grid_error = np.max(np.abs(grid_symbol - finer_symbol))
    # a lower order's jet layout is a prefix of the order-8 one, so the jets are computed once
    points = np.array([np.full_like(momenta, centre), momenta])
    jets_a, jets_b = symbolic_jet(A, 1, 8, points), symbolic_jet(B, 1, 8, points)
    errors = [np.max(np.abs(generated.STAR_PRODUCTS[(1, n)](jets_a, jets_b) - grid_symbol)) for n in range(9)]
    assert grid_error < 1e-9
    assert errors[0] > 1e-2
    assert all(errors[n + 2] < errors[n] for n in range(7)), errors
    assert errors[8] < 1e-4 * errors[0], errors


def test_matrix_jets_keep_the_order_of_the_factors() -> None:
    r, p = sympy.symbols("r1 p1", real=True)
    A = sympy.Matrix([[sympy.sin(r + p), r * sympy.exp(p / 2)], [sympy.cos(r * p), 1 + p**2 * r]])
    B = sympy.Matrix([[sympy.exp(-r * p / 3), sympy.sin(p)], [r**2 - p, sympy.cos(r + 2 * p)]])
    order = 3
    points = np.array([[0.2, 0.5], [-0.3, 0.1], [0.7, -0.6], [0.0, 0.4]])
    layout_size = math.comb(2 + order, 2)

    def matrix_jet(matrix: sympy.Matrix, point: np.ndarray) -> np.ndarray:
        entries = [symbolic_jet(matrix[i, j], 1, order, point) for i in range(2) for j in range(2)]
        return np.array(entries).T.reshape(layout_size, 2, 2)

    jet_a = np.stack([matrix_jet(A, point) for point in points], axis=1)  # (M, 4, 2, 2)
    jet_b = np.stack([matrix_jet(B, point) for point in points], axis=1)
    result = generated.MATRIX_STAR_PRODUCTS[(1, order)](jet_a, jet_b)
    reference = sympy.lambdify((r, p), star(A, B, r, p, order), "numpy")
    expected = np.array([np.array(reference(*point), dtype=complex) for point in points])
    assert result.shape == (4, 2, 2)
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)
    swapped = generated.MATRIX_STAR_PRODUCTS[(1, order)](jet_b, jet_a)
    assert np.max(np.abs(swapped - result)) > 0.1
