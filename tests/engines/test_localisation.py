"""The perturbative localisation check of the A-integral (derive.engines.localisation).

The series code multiplies (1|1) supermatrices with its own Grassmann bookkeeping; here the supertraces of
powers are recomputed with the faithful matrix representation of the Grassmann algebra, and the formal
Gaussian moments against numerical quadrature (a) and the analytic continuation b = i b' (b).
"""
import numpy as np
import pytest
import scipy.integrate
import sympy

from derive.engines import localisation as loc
from derive.engines.supermatrix import Grading, GrassmannAlgebra, multiply, supertrace


def _typed_power(n: int, a_value: float, b_value: float) -> list:
    A = [[("even", loc.a, 0), ("odd", 1, 0)], [("odd", 0, 1), ("even", loc.b, 0)]]
    power = A
    for _ in range(n - 1):
        power = loc._matrix_product(power, A, anticommuting=True)
    values = {loc.a: a_value, loc.b: b_value}
    return [[(kind, complex(sympy.sympify(x).subs(values)), complex(sympy.sympify(y).subs(values)))
             for kind, x, y in row] for row in power]


@pytest.mark.parametrize("n", [2, 3, 5])
def test_supertrace_of_powers_matches_the_grassmann_algebra_representation(n):
    algebra, grading = GrassmannAlgebra(2), Grading((0, 1))
    alpha, beta, one = algebra.generator(0), algebra.generator(1), np.eye(algebra.dimension)
    a_value, b_value = 0.7, -1.3
    A = np.array([[a_value * one, alpha], [beta, b_value * one]])
    power = A
    for _ in range(n - 1):
        power = multiply(power, A)
    explicit = supertrace(power, grading)                      # Tr_BB − Tr_FF, an algebra element
    typed = _typed_power(n, a_value, b_value)
    body = typed[0][0][1] - typed[1][1][1]
    soul = typed[0][0][2] - typed[1][1][2]
    expected = body * one + soul * (alpha @ beta)
    assert np.max(np.abs(explicit - expected)) < 1e-12
    assert abs(soul) > 1e-3                                    # the Grassmann part is really there


@pytest.mark.parametrize("k", [1, 2, 3])
def test_formal_gaussian_moments(k):
    # a ~ exp(−a²/4): a true Gaussian of variance 2
    numeric, _ = scipy.integrate.quad(lambda x: x ** (2 * k) * np.exp(-x * x / 4), -np.inf, np.inf)
    norm, _ = scipy.integrate.quad(lambda x: np.exp(-x * x / 4), -np.inf, np.inf)
    assert np.isclose(numeric / norm, float(loc._gaussian_moment(2 * k, 2)), rtol=1e-10)
    # b ~ exp(+b²/4), defined by b = i b' with b' ~ exp(−b'²/4): ⟨b^{2k}⟩ = (−1)^k ⟨b'^{2k}⟩
    assert loc._gaussian_moment(2 * k, -2) == (-1) ** k * loc._gaussian_moment(2 * k, 2)


def test_localisation_series_vanishes_beyond_order_zero_and_controls_do_not():
    assert loc.localisation_series(6) == [1, 0, 0, 0, 0, 0, 0]
    assert loc.localisation_series(2, anticommuting=False)[2] != 0
    assert loc.localisation_series(2, fermion_block=False)[2] != 0
