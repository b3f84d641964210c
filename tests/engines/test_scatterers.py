"""Hard disk / hard sphere: partial-wave cross sections against quadrature of |f|², optical theorem."""
import numpy as np
import pytest
import scipy.integrate
import sympy

from derive.engines import scatterers
from derive.engines.scatterers import (
    cross_sections,
    cross_sections_symbolic,
    density_of_states,
    paper_amplitude,
    phase_shifts,
)

X_VALUES = [0.05, 0.7, 2.0, 6.5]


def _angular_average(d: int, function) -> float:
    """⟨F⟩ over n' (normalised): (1/2π)∫dθ in d=2, (1/2)∫d(cos θ) in d=3."""
    if d == 2:
        return scipy.integrate.quad(lambda t: function(np.cos(t)), 0, 2 * np.pi, limit=400)[0] / (2 * np.pi)
    return scipy.integrate.quad(function, -1, 1, limit=400)[0] / 2


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("x", X_VALUES)
def test_optical_theorem_in_the_papers_normalisation(d, x):
    """Im f(n, n) = π ν ⟨|f(n, n')|²⟩ (Eq. 12 text), by quadrature of the exact amplitude."""
    forward = paper_amplitude(d, x, np.array(1.0))
    average = _angular_average(d, lambda c: abs(paper_amplitude(d, x, np.array(c))) ** 2)
    assert np.isclose(forward.imag, np.pi * density_of_states(d, x) * average, rtol=1e-8)


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("x", X_VALUES)
def test_partial_wave_sums_match_quadrature_of_the_rate(d, x):
    """1/(n_i τ) = 2πν⟨|f|²⟩ = v_F σ and 1/(n_i τ_tr) = 2πν⟨|f|²(1 − cos)⟩ = v_F σ_tr (v_F = x)."""
    sigma, sigma_tr = cross_sections(d, np.array(x))
    nu = density_of_states(d, x)
    rate = 2 * np.pi * nu * _angular_average(d, lambda c: abs(paper_amplitude(d, x, np.array(c))) ** 2)
    rate_tr = 2 * np.pi * nu * _angular_average(
        d, lambda c: (1 - c) * abs(paper_amplitude(d, x, np.array(c))) ** 2)
    assert np.isclose(rate, x * sigma, rtol=1e-8)
    assert np.isclose(rate_tr, x * sigma_tr, rtol=1e-8)


def test_known_limits():
    # hard sphere: σ → 4π a² (s-wave) for ka → 0; s-wave only, so τ_tr = τ
    small, small_tr = cross_sections(3, np.array(1e-3))
    assert np.isclose(small, 4 * np.pi, rtol=1e-5) and np.isclose(small, small_tr, rtol=1e-5)
    # hard disk, ka → 0: s-wave with tan δ_0 = π / (2 (ln(ka/2) + γ)), σ = (4/k) sin²δ_0
    x = 1e-3
    tan_delta = np.pi / (2 * (np.log(x / 2) + np.euler_gamma))
    assert np.isclose(cross_sections(2, np.array(x))[0], 4 / x * tan_delta**2 / (1 + tan_delta**2), rtol=1e-5)


@pytest.mark.parametrize("d, geometric", [(2, 4.0), (3, 2 * np.pi)])
def test_large_ka_approaches_twice_the_geometric_cross_section_as_ka_to_the_minus_two_thirds(d, geometric):
    """Extinction paradox: σ → 2 × geometric (4a, 2πa²), with the diffraction correction ∝ (ka)^(−2/3)."""
    xs = np.array([100.0, 200.0, 400.0])
    excess = [cross_sections(d, np.array(x), count=int(x) + 60)[0] / geometric - 1 for x in xs]
    slope = np.polyfit(np.log(xs), np.log(excess), 1)[0]
    assert abs(slope + 2 / 3) < 0.02, slope


@pytest.mark.parametrize("d", [2, 3])
def test_symbolic_sums_agree_with_numeric_ones(d):
    x = sympy.Symbol("x", positive=True)
    sigma, sigma_tr = cross_sections_symbolic(d, x, 12)
    value = lambda e: float(sympy.N(e.subs(x, sympy.Rational(13, 10)), 20))
    numeric = cross_sections(d, np.array(1.3), count=12)
    assert np.isclose(value(sigma), numeric[0], rtol=1e-12)
    assert np.isclose(value(sigma_tr), numeric[1], rtol=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="d = 2"):
        phase_shifts(4, np.array(1.0), 3)


@pytest.mark.parametrize("d", [2, 3])
def test_cross_sections_for_arrays_equal_the_plain_sums_and_stay_finite_in_float32(d: int) -> None:
    """The hypot/cross-product form is the same function as the phase-shift sums, in float64 to rounding and
    in float32 to single precision, down to k a = 0.05, where the plain form is inf/inf (NaN) in float32."""
    from scipy import special

    x = sympy.Symbol("x", positive=True)
    bessel = {"besselj": special.jv, "bessely": special.yv, "jn": special.spherical_jn, "yn": special.spherical_yn,
              "hypot": np.hypot}
    stable = sympy.lambdify(x, scatterers.cross_sections_for_arrays(d, x, 40)[1], modules=[bessel, "numpy"])
    plain = sympy.lambdify(x, scatterers.cross_sections_symbolic(d, x, 40)[1], modules=[bessel, "numpy"])
    points = np.array([0.05, 0.3, 1.0, 3.0, 7.0, 15.0])
    reference = scatterers.cross_sections(d, points, 60)[1]
    np.testing.assert_allclose(stable(points), reference, rtol=1e-13)
    with np.errstate(all="ignore"):
        single = stable(points.astype(np.float32))
        assert np.isnan(plain(points.astype(np.float32))).any()  # the control: the plain form fails here
    np.testing.assert_allclose(single, reference, rtol=1e-5)


@pytest.mark.parametrize("d", [2, 3])
def test_the_cross_product_of_consecutive_orders_does_not_depend_on_the_order(d: int) -> None:
    x = sympy.Symbol("x", positive=True)
    residual, constant = scatterers.cross_product_base_case(d, x)
    assert residual == 0 and scatterers.cross_product_recurrence_step(d) == 0
    assert sympy.simplify(constant - (x**2 if d == 3 else x) * scatterers.consecutive_cross_product(d, x)) == 0
    from scipy import special
    points = np.linspace(0.2, 30, 7)
    for order in (0, 5, 17, 38):
        if d == 3:
            cross = special.spherical_jn(order, points) * special.spherical_yn(order + 1, points) - \
                special.spherical_yn(order, points) * special.spherical_jn(order + 1, points)
            np.testing.assert_allclose(cross * points**2, -1, rtol=1e-9)
        else:
            cross = special.jv(order, points) * special.yv(order + 1, points) - special.yv(order, points) * special.jv(order + 1, points)
            np.testing.assert_allclose(cross * points, -2 / np.pi, rtol=1e-9)
