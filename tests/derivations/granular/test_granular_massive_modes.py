"""Massive modes of a finite GUE grain (issue 13, item 4), at leading order in 1/N: the exact GUE average of the
fermion determinants prod_n det(i eps_n - H) at n Matsubara energies (Brezin-Hikami: a determinant of monic Hermite
polynomials) against the integral of exp(c Tr[eps Q]) over the sigma-model manifold Q = U Lambda U^dagger alone
(Duistermaat-Heckman: a sum over the diagonal sign matrices Q_S), c = pi/delta. The massive modes (the eigenvalues of
the Hubbard-Stratonovich Q) enter at this order only as a T-independent constant, so ratios at two temperatures agree,
with an error falling as 1/N. The O(1/N) correction itself is not derived here (notes/granular.md)."""
import itertools

import mpmath as mp
import numpy as np
import pytest
import scipy.stats

mp.mp.dps = 100  # det/Vandermonde cancels about n(n-1)/2 * log10(N/T) digits


def gue_determinant_average(N: int, energies: list) -> mp.mpc:
    """<prod_j det(i eps_j - H)> over GUE with weight exp(-Tr H^2/2): det[He_{N+i}(x_j)]_{ij} / Vandermonde(x)."""
    points = [mp.mpc(0, e) for e in energies]
    n = len(points)
    assert N >= 2
    matrix = mp.matrix(n, n)
    for j, x in enumerate(points):
        previous, current = mp.mpf(1), x  # He_0, He_1
        for k in range(1, N + n - 1):
            previous, current = current, x * current - k * previous
            if k + 1 >= N:
                matrix[k + 1 - N, j] = current
    vandermonde = mp.mpf(1)
    for i, j in itertools.combinations(range(n), 2):
        vandermonde *= points[j] - points[i]
    return mp.det(matrix) / vandermonde


def test_determinant_formula_against_gue_sampling():
    """Small N: the Hermite-determinant formula against a direct GUE average of the determinants."""
    rng = np.random.default_rng(7)
    N, samples = 3, 200000
    real = rng.normal(size=(samples, N, N)) + 1j * rng.normal(size=(samples, N, N))
    H = (real + np.conj(np.swapaxes(real, 1, 2))) / 2  # diagonal variance 1, off-diagonal Re, Im variance 1/2
    for energies in ([0.3, -0.7], [0.2, -0.4, 0.9, -1.1]):
        dets = np.prod([np.linalg.det(1j * e * np.eye(N) - H) for e in energies], axis=0)
        estimate, error = dets.mean(), dets.std() / np.sqrt(samples)
        exact = complex(gue_determinant_average(N, energies))
        assert abs(estimate - exact) < 4 * error
        assert abs(exact) > 20 * error


def manifold_integral(c: mp.mpf, energies: list) -> mp.mpf:
    """Duistermaat-Heckman sum for the integral of exp(c Tr[eps Q]) over Q = U Lambda U^dagger, Tr Lambda = 0 (up to a constant)."""
    n = len(energies)
    total = mp.mpf(0)
    for plus in itertools.combinations(range(n), n // 2):
        minus = [j for j in range(n) if j not in plus]
        weights = mp.mpf(1)
        for i in plus:
            for j in minus:
                weights *= energies[i] - energies[j]
        total += mp.exp(c * (sum(energies[i] for i in plus) - sum(energies[j] for j in minus))) / weights
    return total


def matsubara(T_over_delta: float, delta: mp.mpf, n: int) -> list:
    """eps_k = pi T (2k + 1), k = -n/2 .. n/2 - 1, in the units of H."""
    return [mp.pi * T_over_delta * delta * (2 * k + 1) for k in range(-(n // 2), n // 2)]


def test_duistermaat_heckman_sum_is_the_manifold_integral():
    """Haar Monte Carlo over U(4): the ratio of manifold integrals at two temperatures equals the fixed-point sum's."""
    rng = np.random.default_rng(13)
    unitaries = scipy.stats.unitary_group.rvs(4, size=40000, random_state=rng)
    Lambda = np.diag([1.0, 1.0, -1.0, -1.0])
    c = 1.0
    ratios = {}
    for T in (0.05, 0.1):
        eps = np.pi * T * (2 * np.arange(-2, 2) + 1)
        # Tr[eps U Lambda U^dagger] = sum_{a,b} eps_a |U_ab|^2 Lambda_b
        exponent = np.einsum("a,sab,b->s", eps, np.abs(unitaries) ** 2, np.diag(Lambda))
        samples = np.exp(c * exponent)
        ratios[T] = (samples.mean(), samples.std() / np.sqrt(len(samples)),
                     float(manifold_integral(mp.mpf(c), [mp.mpf(e) for e in eps])))
    (mc1, err1, dh1), (mc2, err2, dh2) = ratios[0.05], ratios[0.1]
    mc_ratio = mc2 / mc1
    mc_error = mc_ratio * np.hypot(err1 / mc1, err2 / mc2)
    assert abs(mc_ratio - dh2 / dh1) < 4 * mc_error
    assert abs(dh2 / dh1 - 1) > 20 * mc_error  # the test resolves the temperature dependence


SIZES = [200, 400, 800, 1600, 3200]


@pytest.mark.parametrize("n, T_over_delta", [(2, 0.5), (4, 0.3), (4, 0.5), (6, 0.2), (6, 0.3)])
def test_exact_grain_average_reduces_to_the_manifold(n: int, T_over_delta: float):
    reference = 0.1
    errors = []
    for N in SIZES:
        delta = mp.pi / mp.sqrt(N)  # level spacing at the band centre: semicircle radius 2 sqrt(N)
        c = mp.pi / delta
        exact = gue_determinant_average(N, matsubara(T_over_delta, delta, n)) / gue_determinant_average(N, matsubara(reference, delta, n))
        manifold = manifold_integral(c, matsubara(T_over_delta, delta, n)) / manifold_integral(c, matsubara(reference, delta, n))
        errors.append(abs(complex(exact / manifold) - 1))
    slope = np.polyfit(np.log(SIZES[1:]), np.log(errors[1:]), 1)[0]
    print(f"n = {n}, T/delta = {T_over_delta}: relative errors {np.array(errors)}, slope {slope:.3f}")
    assert errors[-1] < 0.05
    assert slope == pytest.approx(-1.0, abs=0.1)
