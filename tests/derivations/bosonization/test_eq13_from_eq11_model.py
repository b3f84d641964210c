"""Eq. (13) from Eq. (11) on a finite model: one strong impurity, the terms of Eq. (11) evaluated with the exact
Green function, against the derived collision term (πν/4) n_i ⟨⟨w Str(P_n − P_n')²⟩⟩, w = 2πν|f|².

The model: states |ξ_j, n⟩ with M directions θ_n on a circle and N energies ξ_j on a midpoint grid of [−W, W]
(spacing h, so ν·Vol = M/h and ⟨·⟩_n = Σ_n/M); H̄ = ξ + iηΛ; one impurity U_{(j n),(j' n')} = v(θ_n − θ_n')
(short range: independent of ξ), strong enough that the Born approximation is off by tens of per cent. P_n is
off-diagonal in retarded/advanced blocks, P = [[0, b_n], [c_n, 0]], smooth in θ. Nothing here uses the
T-matrix identity or the ξ-integration rules of the derivation: g = i(H̄ + U)⁻¹ is a dense inverse and the
traces are over all N·M states. The prediction uses the on-shell amplitude f = t = v(1 − iπv/h)⁻¹ (the
W → ∞ limit of the model's T-matrix) and the derived coefficient. The model converges to it as W/η → ∞
(the band edges cost O(η/W)), and excludes the printed coefficient and the Born kernel.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from derive.derivations.bosonization.eq13_from_eq11 import COLLISION_COEFFICIENT

DIRECTIONS = 8
SPACING_OVER_WIDTH = 0.5                       # h/η: the midpoint sum of a Lorentzian is then exact to e^{−2πη/h}


def _model(rng_seed: int = 7):
    """The impurity's angular potential v(θ) (real, even: time-reversal symmetric) and the fields b_n, c_n."""
    rng = np.random.default_rng(rng_seed)
    theta = 2 * np.pi * np.arange(DIRECTIONS) / DIRECTIONS
    difference = theta[:, None] - theta[None, :]
    potential = 0.55 + 0.35 * np.cos(difference) + 0.2 * np.cos(2 * difference)
    harmonics = lambda: sum(complex(*rng.normal(size=2)) * np.exp(1j * k * theta) for k in (-1, 1, 2))
    return theta, potential, harmonics(), harmonics()


def _eq11_quadratic_terms(potential: np.ndarray, b: np.ndarray, c: np.ndarray, cutoff: float, eta: float,
                          strength: float) -> complex:
    """(i/2) Str(g K₂) − ¼ Str(g K₁ g K₁), the O(P²) part of Eq. (11)'s V-dependent terms."""
    return sum(_eq11_terms(potential, b, c, cutoff, eta, strength))


def _eq11_terms(potential: np.ndarray, b: np.ndarray, c: np.ndarray, cutoff: float, eta: float,
                strength: float) -> tuple[complex, complex]:
    """(i/2) Str(g K₂) and − ¼ Str(g K₁ g K₁) with K₁ = i[P, U], K₂ = PUP − ½{P², U} (the O(P²) part of
    K = W̄UW − U), g = i(ξ + iηΛ + U)⁻¹ dense, Str over retarded/advanced blocks (one boson: Str = Tr)."""
    h = SPACING_OVER_WIDTH * eta
    count = int(round(2 * cutoff / h))
    xi = -cutoff + h * (np.arange(count) + 0.5)
    u = strength * h * np.tile(potential, (count, count))               # U_{(j n),(j' n')} = v_{n n'}
    energies = np.repeat(xi, DIRECTIONS)
    bb, cc = np.tile(b, count), np.tile(c, count)                        # P_n on every energy shell
    g_ret = 1j * np.linalg.inv(np.diag(energies + 1j * eta) + u)
    g_adv = 1j * np.linalg.inv(np.diag(energies - 1j * eta) + u)
    k_ra = 1j * (bb[:, None] * u - u * bb[None, :])                    # i[P, U], retarded→advanced block
    k_ar = 1j * (cc[:, None] * u - u * cc[None, :])
    bc = bb * cc
    k2_ret = bb[:, None] * u * cc[None, :] - (bc[:, None] * u + u * bc[None, :]) / 2
    k2_adv = cc[:, None] * u * bb[None, :] - (bc[:, None] * u + u * bc[None, :]) / 2
    trace_of_product = lambda x, y: np.sum(x * y.T)                    # Tr(XY) without forming XY
    first = trace_of_product(g_ret, k2_ret) + trace_of_product(g_adv, k2_adv)
    second = 2 * trace_of_product(g_ret @ k_ra, g_adv @ k_ar)
    return complex(0.5j * first), complex(-0.25 * second)


def _collision_term(potential: np.ndarray, b: np.ndarray, c: np.ndarray, eta: float, strength: float,
                    coefficient=COLLISION_COEFFICIENT, born: bool = False) -> complex:
    """c (πν/2) ⟨⟨w Str(P_n − P_n')²⟩⟩ for one impurity, w = 2πν|t|², ν = M/h, t the on-shell T-matrix."""
    h = SPACING_OVER_WIDTH * eta
    v = strength * h * potential
    t = v if born else v @ np.linalg.inv(np.eye(DIRECTIONS) - 1j * np.pi / h * v)
    nu = DIRECTIONS / h
    w = 2 * np.pi * nu * np.abs(t) ** 2
    str_squared = 2 * (b[:, None] - b[None, :]) * (c[:, None] - c[None, :])
    return complex(float(coefficient) * np.pi * nu / 2 * np.mean(w * str_squared))


STRENGTH = 0.25                                 # v·h per state: πv/h-type strength of order one


def test_the_model_is_beyond_the_born_approximation_and_obeys_the_optical_theorem():
    _, potential, b, c = _model()
    eta = 1.0
    h = SPACING_OVER_WIDTH * eta
    v = STRENGTH * h * potential
    t = v @ np.linalg.inv(np.eye(DIRECTIONS) - 1j * np.pi / h * v)
    # Im t(n, n) = πν⟨|t(n, n')|²⟩ with ν⟨·⟩ = (1/h)Σ_n'
    np.testing.assert_allclose(np.diag(t).imag, np.pi / h * np.sum(np.abs(t) ** 2, axis=1), rtol=1e-12)
    exact, born = _collision_term(potential, b, c, eta, STRENGTH), _collision_term(potential, b, c, eta, STRENGTH, born=True)
    assert abs(born - exact) > 0.2 * abs(exact)


def test_eq11_on_the_model_converges_to_the_derived_collision_term():
    _, potential, b, c = _model()
    eta = 1.0
    predicted = _collision_term(potential, b, c, eta, STRENGTH)
    ratios = (4.0, 8.0, 16.0, 32.0)
    values = [_eq11_quadratic_terms(potential, b, c, r * eta, eta, STRENGTH) for r in ratios]
    errors = [abs(value - predicted) / abs(predicted) for value in values]
    slope = float(np.polyfit(np.log(ratios), np.log(errors), 1)[0])
    # the band edges cost O(η/W): Richardson's 2F(2W) − F(W) removes it, leaving ~1e-4 (the h/η = 1/2 grid)
    extrapolated = [abs(2 * fine - coarse - predicted) / abs(predicted) for coarse, fine in zip(values[:-1], values[1:], strict=True)]
    print("relative errors for W/η =", ratios, ":", [f"{e:.2e}" for e in errors], "slope", round(slope, 3),
          "; Richardson:", [f"{e:.1e}" for e in extrapolated])
    assert errors[-1] < 0.03
    assert slope == pytest.approx(-1.0, abs=0.15)
    assert max(extrapolated) < 3e-4
    # the printed coefficient (c = 1) and the Born kernel are excluded by far more than the residual error
    printed = _collision_term(potential, b, c, eta, STRENGTH, coefficient=1)
    born = _collision_term(potential, b, c, eta, STRENGTH, born=True)
    model = _eq11_quadratic_terms(potential, b, c, ratios[-1] * eta, eta, STRENGTH)
    assert abs(model - printed) > 10 * errors[-1] * abs(predicted)
    assert abs(model - born) > 5 * errors[-1] * abs(predicted)


def test_the_derived_step_claims_verify():
    from derive.derivations.bosonization.eq13_from_eq11 import _two_dimensional_defect, eq13_from_eq11

    step = eq13_from_eq11()
    assert all(claim.verify() is None for claim in step.claims)
    # controls: the printed coefficient and a forward amplitude that breaks the optical theorem both fail
    assert any(e != 0 for e in _two_dimensional_defect(coefficient=1))
    assert any(e != 0 for e in _two_dimensional_defect(forward_scale=2))


def test_in_the_born_limit_the_two_terms_of_eq11_contribute_half_each():
    """With bare U both terms are O(U²): (i/2)Str(gK₂) and −¼Str(gK₁gK₁) each → (πν/8)n_i⟨⟨w Str(P_n − P_n')²⟩⟩."""
    _, potential, b, c = _model()
    eta, cutoff = 1.0, 32.0
    strengths = (0.04, 0.02, 0.01)
    shares = []
    for strength in strengths:
        predicted = _collision_term(potential, b, c, eta, strength)
        first, second = _eq11_terms(potential, b, c, cutoff, eta, strength)
        shares.append((first / predicted, second / predicted))
    imbalance = [abs(first - second) for first, second in shares]
    slope = float(np.polyfit(np.log(strengths), np.log(imbalance), 1)[0])
    print("shares (first, second):", [(f"{a.real:.4f}", f"{b.real:.4f}") for a, b in shares], "imbalance slope", round(slope, 2))
    assert slope == pytest.approx(2.0, abs=0.3)
    # the sum is short by the band edge, 2·(2η/πW) ≈ 4 % in Born (both ξ-sums of Ḡ), less for the strong impurity
    assert all(abs(first + second - 1) < 0.05 for first, second in shares)
    assert abs(shares[-1][0] - 0.5) < 0.03 and abs(shares[-1][1] - 0.5) < 0.03


def _rotations(b: np.ndarray, c: np.ndarray, epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    """W_n = e^{−iεP_n} and W̄_n = e^{iεP_n} per direction, (M, 2, 2) arrays in retarded/advanced blocks."""
    generators = np.zeros((DIRECTIONS, 2, 2), dtype=complex)
    generators[:, 0, 1], generators[:, 1, 0] = b, c
    return (np.array([expm(-1j * epsilon * p) for p in generators]), np.array([expm(1j * epsilon * p) for p in generators]))


def _exact_gaussian_functional(potential, b, c, cutoff: float, eta: float, strength: float, epsilon: float) -> complex:
    """−½ ln det(H̄ + W̄UW) + ½ ln det(H̄ + U): the impurity's Gaussian-level functional to all orders in P (dense)."""
    h = SPACING_OVER_WIDTH * eta
    count = int(round(2 * cutoff / h))
    xi = np.repeat(-cutoff + h * (np.arange(count) + 0.5), DIRECTIONS)
    u = strength * h * np.tile(potential, (count, count))
    w, wbar = _rotations(b, c, epsilon)
    block = lambda m, r, s: np.diag(np.tile(m[:, r, s], count))        # a 2×2 RA entry, diagonal in the states
    rotate = lambda m: np.block([[block(m, 0, 0), block(m, 0, 1)], [block(m, 1, 0), block(m, 1, 1)]])
    medium = np.diag(np.concatenate([xi + 1j * eta, xi - 1j * eta]))
    potential_ra = np.kron(np.eye(2), u)
    rotated = rotate(wbar) @ potential_ra @ rotate(w)
    (sign_rotated, log_rotated), (sign_plain, log_plain) = (np.linalg.slogdet(medium + rotated),
                                                            np.linalg.slogdet(medium + potential_ra))
    return complex(-0.5 * (log_rotated - log_plain + 1j * np.angle(sign_rotated / sign_plain)))


def _fermi_surface_functional(potential, b, c, eta: float, strength: float, epsilon: float) -> complex:
    """−½ ln det[1 − iπν(Q_n − Λ)t̂] on the Fermi surface, t̂ the on-shell T-matrix (ν⟨·⟩ = Σ_n/h)."""
    h = SPACING_OVER_WIDTH * eta
    v = strength * h * potential
    t_ret = v @ np.linalg.inv(np.eye(DIRECTIONS) - 1j * np.pi / h * v)
    t_adv = v @ np.linalg.inv(np.eye(DIRECTIONS) + 1j * np.pi / h * v)
    w, wbar = _rotations(b, c, epsilon)
    lam = np.diag([1.0, -1.0])
    q_minus_lambda = np.einsum("nab,bc,ncd->nad", w, lam, wbar) - lam
    shift = np.block([[np.diag(q_minus_lambda[:, r, s]) for s in (0, 1)] for r in (0, 1)])
    t = np.block([[t_ret, np.zeros_like(t_ret)], [np.zeros_like(t_adv), t_adv]])
    sign, log = np.linalg.slogdet(np.eye(2 * DIRECTIONS) - 1j * np.pi / h * shift @ t)
    return complex(-0.5 * (log + 1j * np.angle(sign)))


def test_to_all_orders_in_p_the_collision_functional_is_the_fermi_surface_log():
    """The by-product −(n_i/2) Str Tr ln[1 − iπν(Q_n − Λ)t̂] against the model's exact Gaussian-level functional
    at P of order one, where the quadratic collision term is far off."""
    _, potential, b, c = _model()
    eta, epsilon = 1.0, 0.6
    predicted = _fermi_surface_functional(potential, b, c, eta, STRENGTH, epsilon)
    quadratic = epsilon**2 * _collision_term(potential, b, c, eta, STRENGTH)
    ratios = (8.0, 16.0, 32.0)
    errors = [abs(_exact_gaussian_functional(potential, b, c, r * eta, eta, STRENGTH, epsilon) - predicted) / abs(predicted)
              for r in ratios]
    slope = float(np.polyfit(np.log(ratios), np.log(errors), 1)[0])
    print("all orders: relative errors", [f"{e:.2e}" for e in errors], "slope", round(slope, 3),
          "; quadratic term off by", f"{abs(quadratic - predicted) / abs(predicted):.2f}")
    assert slope == pytest.approx(-1.0, abs=0.2)
    assert errors[-1] < 0.03
    assert abs(quadratic - predicted) > 10 * errors[-1] * abs(predicted)
