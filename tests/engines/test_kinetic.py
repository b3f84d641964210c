"""The Boltzmann operator of an isotropic kernel on angular grids, against derive.engines.kinetic / transport.

Independent of harmonics: Ĉ is assembled on a grid of directions (trapezoid in d = 2, Gauss–Legendre ×
trapezoid in d = 3) for kernels with no closed form; D comes from solving Ĉ g = n (Kubo form
D = v²⟨n_x Ĉ⁻¹ n_x⟩) and from the slow eigenvalue of i v q n_x + Ĉ, τ_tr from scipy quadrature.
"""
import numpy as np
import pytest
import scipy.integrate
import sympy

from derive.engines.kinetic import harmonic_rate
from derive.engines.transport import cos_theta

V, N_I = 1.3, 0.7


def hard_kernel(c):
    """Not polynomial, not exponential: no closed-form route covers it."""
    return 1 / (1.6 - c) + 0.5 * np.exp(2 * c) * c**2


def _grid(d: int, size: int):
    """Unit vectors and normalised weights: trapezoid on the circle, Gauss–Legendre × trapezoid on S²."""
    if d == 2:
        theta = 2 * np.pi * np.arange(size) / size
        return np.stack([np.cos(theta), np.sin(theta)], axis=1), np.full(size, 1 / size)
    c, wc = np.polynomial.legendre.leggauss(size)
    azimuth = 2 * np.pi * np.arange(2 * size) / (2 * size)
    cc, aa = np.meshgrid(c, azimuth, indexing="ij")
    s = np.sqrt(1 - cc**2)
    vectors = np.stack([cc.ravel(), (s * np.cos(aa)).ravel(), (s * np.sin(aa)).ravel()], axis=1)
    weights = (np.outer(wc / 2, np.full(2 * size, 1 / (2 * size)))).ravel()
    return vectors, weights


def _collision_matrix(kernel, vectors, weights):
    """(Ĉf)_j = n_i Σ_k weights_k w(n_j·n_k)(f_j − f_k)."""
    w = kernel(np.clip(vectors @ vectors.T, -1, 1)) * weights[None, :]
    return N_I * (np.diag(w.sum(axis=1)) - w)


def _tau_tr(kernel, d: int) -> float:
    if d == 2:
        rate = scipy.integrate.quad(lambda t: kernel(np.cos(t)) * (1 - np.cos(t)), 0, 2 * np.pi, epsabs=1e-14)[0] / (2 * np.pi)
    else:
        rate = scipy.integrate.quad(lambda c: kernel(c) * (1 - c), -1, 1, epsabs=1e-14)[0] / 2
    return 1 / (N_I * rate)


def _kubo_diffusion(C, vectors, weights) -> float:
    """D = v²⟨n_x g⟩ with Ĉg = n_x, g ⊥ constants (Ĉ is symmetric in the weighted inner product)."""
    sqrt_w = np.sqrt(weights)
    symmetric = sqrt_w[:, None] * C / sqrt_w[None, :]
    source = sqrt_w * vectors[:, 0]
    g = np.linalg.lstsq(symmetric, source, rcond=1e-12)[0]
    return V**2 * float(source @ g)


@pytest.mark.parametrize("d, sizes", [(2, (16, 32, 64)), (3, (8, 12, 16))])
def test_kubo_diffusion_constant_is_v_squared_tau_tr_over_d_for_a_hard_kernel(d, sizes):
    expected = V**2 * _tau_tr(hard_kernel, d) / d
    errors = []
    for size in sizes:
        vectors, weights = _grid(d, size)
        errors.append(abs(_kubo_diffusion(_collision_matrix(hard_kernel, vectors, weights), vectors, weights) / expected - 1))
    print(f"d = {d}: relative errors of D on grids {sizes}: {errors}")
    assert errors[-1] < 1e-9 and errors[0] > errors[-1]


def _slow_eigenvalue(C, vectors, weights, q: float) -> complex:
    sqrt_w = np.sqrt(weights)
    operator = sqrt_w[:, None] * C / sqrt_w[None, :] + 1j * V * q * np.diag(vectors[:, 0])
    eigenvalues = np.linalg.eigvals(operator)
    return eigenvalues[np.argmin(np.abs(eigenvalues))]


@pytest.mark.parametrize("d, size", [(2, 64), (3, 12)])
def test_diffusion_pole_from_the_spectrum(d, size):
    """λ_slow(q) = Dq² + O(q⁴): the log-log slope of λ is 2 and that of λ/q² − D is 2 as well."""
    vectors, weights = _grid(d, size)
    C = _collision_matrix(hard_kernel, vectors, weights)
    D = V**2 * _tau_tr(hard_kernel, d) / d
    qs = np.array([0.01, 0.02, 0.04, 0.08])
    lam = np.array([_slow_eigenvalue(C, vectors, weights, q) for q in qs])
    assert np.max(np.abs(lam.imag)) < 1e-8 * np.max(lam.real)            # a pure decay: the diffuson pole
    slope = np.polyfit(np.log(qs), np.log(lam.real), 1)[0]
    deviation = np.abs(lam.real / qs**2 - D)
    correction_slope = np.polyfit(np.log(qs), np.log(deviation), 1)[0]
    print(f"d = {d}: λ/q² = {lam.real / qs**2}, D = {D}, slope {slope:.4f}, correction slope {correction_slope:.3f}")
    assert abs(slope - 2) < 0.02 and abs(correction_slope - 2) < 0.1
    assert deviation[0] < 1e-3 * D


def test_density_propagator_has_the_pole_minus_i_omega_plus_D_q_squared():
    """⟨1|(−iω + i v q n_x + Ĉ)⁻¹|1⟩ → 1/(−iω + Dq²) as q, ω → 0 with ω/q² fixed; error falls as q²."""
    vectors, weights = _grid(2, 64)
    C = _collision_matrix(hard_kernel, vectors, weights)
    D = V**2 * _tau_tr(hard_kernel, 2) / 2
    sqrt_w = np.sqrt(weights)
    symmetric = sqrt_w[:, None] * C / sqrt_w[None, :]
    errors, qs = [], np.array([0.02, 0.04, 0.08])
    for q in qs:
        omega = 0.7 * D * q**2
        operator = -1j * omega * np.eye(len(weights)) + symmetric + 1j * V * q * np.diag(vectors[:, 0])
        density = sqrt_w @ np.linalg.solve(operator, sqrt_w)
        errors.append(abs(density * (-1j * omega + D * q**2) - 1))
    slope = np.polyfit(np.log(qs), np.log(errors), 1)[0]
    print("density propagator relative errors", errors, "slope", slope)
    assert abs(slope - 2) < 0.05 and errors[0] < 2e-3


@pytest.mark.parametrize("d", [2, 3])
def test_harmonic_rates_are_the_spectrum_of_the_collision_matrix(d):
    """γ_l of derive.engines.kinetic (closed form, e^{κc}(1 + c)²) against the grid eigenvalues of Ĉ."""
    kappa = 1.5
    w = sympy.exp(kappa * cos_theta) * (1 + cos_theta) ** 2
    kernel = sympy.lambdify(cos_theta, w, "numpy")
    vectors, weights = _grid(d, 64 if d == 2 else 16)
    sqrt_w = np.sqrt(weights)
    spectrum = np.sort(np.linalg.eigvalsh(sqrt_w[:, None] * _collision_matrix(kernel, vectors, weights) / sqrt_w[None, :]))
    for l in range(5):
        gamma = float(harmonic_rate(w, d, l, N_I))
        multiplicity = (1 if l == 0 else 2) if d == 2 else 2 * l + 1
        close = np.sum(np.isclose(spectrum, gamma, rtol=1e-9, atol=1e-12))
        assert close >= multiplicity, (l, gamma, spectrum[:12])
