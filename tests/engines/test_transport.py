"""derive.bosonization: angular integrals against scipy quadrature, and API errors."""
import numpy as np
import pytest
import scipy.integrate
import sympy

from derive.engines.transport import cos_theta, diffusion_constant, scattering_rate, transport_rate

KERNELS = [sympy.Integer(1), 1 + cos_theta**3 - 2 * cos_theta**2, ((1 + cos_theta) / 2) ** 12,
           sympy.exp(2 * cos_theta), cos_theta * sympy.exp(-cos_theta / 3 + 1)]


def _quadrature(w, d: int, weight) -> float:
    f = sympy.lambdify(cos_theta, w, "numpy")
    if d == 2:
        return scipy.integrate.quad(lambda t: f(np.cos(t)) * weight(np.cos(t)), 0, 2 * np.pi)[0]
    return 2 * np.pi * scipy.integrate.quad(lambda c: f(c) * weight(c), -1, 1)[0]


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("index", range(len(KERNELS)))
def test_rates_match_quadrature(index, d):
    w = KERNELS[index]
    assert np.isclose(float(transport_rate(w, d)), _quadrature(w, d, lambda c: 1 - c), rtol=1e-10)
    assert np.isclose(float(scattering_rate(w, d)), _quadrature(w, d, lambda c: 1 + 0 * c), rtol=1e-10)


def test_full_solid_angle_is_not_normalised():
    assert transport_rate(1, 2) == 2 * sympy.pi
    assert transport_rate(1, 3) == 4 * sympy.pi


def test_diffusion_constant_is_v_squared_tau_tr_over_d():
    v, n = sympy.symbols("v_F n_i", positive=True)
    assert sympy.simplify(diffusion_constant(1, 3, v, n) - v**2 / (3 * n * 4 * sympy.pi)) == 0
    assert sympy.simplify(diffusion_constant(cos_theta + 1, 2, v, n) - v**2 / (2 * n * sympy.pi)) == 0


def test_errors():
    with pytest.raises(ValueError, match="d = 2 or d = 3"):
        transport_rate(1, 4)
    with pytest.raises(TypeError, match="SymPy expression"):
        transport_rate("1", 3)
    with pytest.raises(ValueError, match="cannot integrate"):
        transport_rate(sympy.sqrt(2 + cos_theta), 2)
