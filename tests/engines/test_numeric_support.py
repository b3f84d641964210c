"""The run-time helper behind ComplexFromParts: same values as re + 1j*im, for real and complex parts."""
from __future__ import annotations

import numpy as np
import sympy

from derive.engines.codegen_nodes import ComplexFromParts
from derive.numeric_support import complex_from_parts


def test_real_parts_broadcast_into_one_complex_array() -> None:
    real, imaginary = np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0, 0.5])
    out = complex_from_parts(real, imaginary)
    assert out.dtype == np.complex128 and out.shape == (2, 3)
    np.testing.assert_array_equal(out, real + 1j * imaginary)


def test_complex_parts_are_combined_arithmetically() -> None:
    real, imaginary = np.array([1 + 2j, 3j]), np.array([0.5 - 1j, 2.0])
    np.testing.assert_array_equal(complex_from_parts(real, imaginary), real + 1j * imaginary)


def test_scalars_give_a_scalar() -> None:
    assert complex_from_parts(8.5, 6.0) == 8.5 + 6j and np.ndim(complex_from_parts(8.5, 6.0)) == 0


def test_the_node_is_re_plus_i_im_symbolically() -> None:
    x, y = sympy.symbols("x y")
    assert sympy.expand(ComplexFromParts(x**2, y).doit() - (x**2 + sympy.I * y)) == 0
