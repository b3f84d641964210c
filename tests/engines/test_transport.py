"""derive.bosonization: angular integrals against scipy quadrature, and API errors."""
import numpy as np
import pytest
import scipy.integrate
import scipy.special
import sympy

from derive.engines.transport import (
    cos_theta,
    diffusion_constant,
    scattering_rate,
    transport_rate,
)

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
    with pytest.raises(ValueError, match="integer d >= 2"):
        transport_rate(1, 1)
    with pytest.raises(TypeError, match="SymPy expression"):
        transport_rate("1", 3)
    with pytest.raises(ValueError, match="cannot integrate"):
        transport_rate(sympy.sqrt(2 + cos_theta), 2)


def test_any_symbol_named_cos_theta_is_the_cosine():
    foreign = sympy.Symbol("cos_theta")                      # no assumptions: a different SymPy symbol
    assert foreign != cos_theta
    assert transport_rate(1 + foreign, 3) == sympy.Rational(8, 3) * sympy.pi
    assert scattering_rate(1 + foreign, 2) == 2 * sympy.pi


def test_the_cosine_can_be_named():
    c, v, n = sympy.Symbol("c"), sympy.Symbol("v", positive=True), sympy.Symbol("n", positive=True)
    for d in (2, 3):
        assert sympy.simplify(transport_rate(1 + c**2, d, cosine=c) - transport_rate(1 + cos_theta**2, d)) == 0
        assert sympy.simplify(diffusion_constant(1 + c, d, v, n, cosine=c)
                              - diffusion_constant(1 + cos_theta, d, v, n)) == 0
    # with cosine=c, a symbol c' named otherwise is a parameter of the kernel
    a = sympy.Symbol("a", positive=True)
    assert sympy.simplify(transport_rate(a * (1 + c), 3, cosine=c) - a * sympy.Rational(8, 3) * sympy.pi) == 0


def test_uninterpretable_kernels_are_refused():
    c = sympy.Symbol("c")
    with pytest.raises(ValueError, match="which one"):
        transport_rate(1 + c + cos_theta, 3, cosine=c)
    with pytest.raises(ValueError, match="undefined function"):
        transport_rate(sympy.Function("w")(cos_theta), 3)
    with pytest.raises(ValueError, match="scalar"):
        transport_rate(sympy.Symbol("W", commutative=False), 3)
    with pytest.raises(ValueError, match="diverges"):
        scattering_rate(1 / (1 - cos_theta), 3)


@pytest.mark.parametrize("d, w", [(4, (1 + cos_theta) ** 2 + cos_theta**4), (5, sympy.exp(cos_theta) * (1 + cos_theta) ** 2)])
def test_higher_dimensions_against_monte_carlo_on_the_sphere(d, w):
    """∫ w dn' in d = 4, 5 against the mean over random unit vectors times |S^{d-1}| = 2π^{d/2}/Γ(d/2)."""
    rng = np.random.default_rng(5 + d)
    x = rng.normal(size=(2_000_000, d))
    c = x[:, 0] / np.linalg.norm(x, axis=1)
    values = sympy.lambdify(cos_theta, w * (1 - cos_theta), "numpy")(c)
    area = 2 * np.pi ** (d / 2) / scipy.special.gamma(d / 2)
    estimate, error = area * values.mean(), area * values.std() / np.sqrt(len(c))
    exact = float(transport_rate(w, d))
    assert abs(exact - estimate) < 5 * error and error < 2e-3 * exact
    assert np.isclose(float(transport_rate(1, d)), area, rtol=1e-12)
