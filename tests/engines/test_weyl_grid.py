"""derive.engines.weyl_grid: exact Weyl quantisation on the doubled torus, against the Moyal star product."""
import numpy as np
import pytest
import scipy.sparse
import sympy

from derive.engines.moyal import star
from derive.engines.weyl_grid import (
    momentum_window,
    numeric_symbol,
    symbol_coefficients,
    symbol_of_inverse_times,
    weyl_operator,
)

x, y, px, py = sympy.symbols("x y p_x p_y", real=True)
VARIABLES = (x, y, px, py)
# polynomial in p: the star product terminates (order 4 is exact), so the grid must agree to rounding
A = sympy.cos(x + 2 * y) * px**2 + sympy.sin(y) * py - 0.3 * sympy.cos(x)
B = sympy.exp(sympy.I * x) * px * py + sympy.cos(y) * py + 0.5 * sympy.sin(x - y) * px


@pytest.mark.parametrize("hbar, p0", [(0.2, (0.6, -0.4)), (0.05, (-0.75, 0.3))])
def test_operator_product_has_the_moyal_star_product_as_symbol(hbar, p0):
    window = momentum_window(hbar, p0, 10)
    left, right = (weyl_operator(numeric_symbol(s, VARIABLES), window, 2) for s in (A, B))
    identity = scipy.sparse.identity(window.side**2, format="csc")
    got = symbol_of_inverse_times(identity, left @ right, window, 3)[..., 0, 0]
    exact = sympy.expand(star(A, B, (x, y), (px, py), 4, sympy.Float(hbar)))
    expected = symbol_coefficients(numeric_symbol(exact, VARIABLES), p0, 3)
    assert np.max(np.abs(got - expected)) < 1e-12
    # the ordering is seen: the product the other way round has another symbol
    other = symbol_coefficients(numeric_symbol(sympy.expand(star(B, A, (x, y), (px, py), 4, sympy.Float(hbar))),
                                               VARIABLES), p0, 3)
    assert np.max(np.abs(other - expected)) > 1e-2 * hbar


def test_inverse_of_a_matrix_operator_is_its_inverse():
    T = sympy.Matrix([[2 + sympy.cos(x) * sympy.sin(py), 0.5 * sympy.sin(y)], [0.3 * px * sympy.cos(x + y), 1.5]])
    window = momentum_window(0.1, (0.3, 0.5), 12)
    operator = weyl_operator(numeric_symbol(T, VARIABLES), window, 1, 2)
    got = symbol_of_inverse_times(operator, operator, window, 3, 2)
    expected = np.zeros_like(got)
    expected[3, 3] = np.eye(2)
    assert np.max(np.abs(got - expected)) < 1e-12


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="p0"):
        momentum_window(0.3, (0.1, 0.0), 8)
    with pytest.raises(ValueError, match="hbar"):
        momentum_window(0.0, (0.0, 0.0), 8)
    window = momentum_window(0.1, (0.3, 0.5), 8)
    with pytest.raises(ValueError, match="max_mode"):
        weyl_operator(numeric_symbol(sympy.cos(2 * x) + px, VARIABLES), window, 1)
    with pytest.raises(ValueError, match="components"):
        weyl_operator(numeric_symbol(sympy.eye(2) * px, VARIABLES), window, 0)
    operator = weyl_operator(numeric_symbol(1 + sympy.cos(x) * px, VARIABLES), window, 1)
    with pytest.raises(ValueError, match="max_mode"):
        symbol_of_inverse_times(operator, operator, window, 4)
