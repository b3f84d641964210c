"""Independent numerics for a GUE grain (weight exp(-Tr H^2/2), N levels): the exact average of the fermion
determinants prod_j det(i eps_j - H) (Brezin-Hikami: a determinant of monic Hermite polynomials), the integral over
the sigma-model manifold Q = U Lambda U^dagger (Duistermaat-Heckman: a sum over sign patterns), and the leading order
in 1/N with the massive modes integrated out. Nothing here uses the derivation or the generated code.
"""
from __future__ import annotations

import itertools

import mpmath as mp

mp.mp.dps = 100  # det/Vandermonde cancels about n(n-1)/2 * log10(N/T) digits


def gue_determinant_average(N: int, energies: list) -> mp.mpc:
    """<prod_j det(i eps_j - H)> over GUE with weight exp(-Tr H^2/2): det[He_{N+i}(x_j)]_{ij} / Vandermonde(x)."""
    points = [mp.mpc(0, e) for e in energies]
    n = len(points)
    assert N >= 2
    matrix = mp.matrix(n, n)
    log_scale = mp.mpf(0)
    for j, x in enumerate(points):
        previous, current = mp.mpf(1), x  # He_0, He_1
        column = []
        for k in range(1, N + n - 1):
            previous, current = current, x * current - k * previous
            if k + 1 >= N:
                column.append(current)
        # Each column scaled to O(1): at energies ~ sqrt(N) apart the columns differ by e^{O(N)} and the
        # elimination would lose that many digits.
        scale = max(abs(entry) for entry in column)
        for i, entry in enumerate(column):
            matrix[i, j] = entry / scale
        log_scale += mp.log(scale)
    vandermonde = mp.mpf(1)
    for i, j in itertools.combinations(range(n), 2):
        vandermonde *= points[j] - points[i]
    return mp.det(matrix) * mp.exp(log_scale) / vandermonde



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



def _superfactorial(m: int) -> mp.mpf:
    """prod_{j=1}^{m} j!"""
    out = mp.mpf(1)
    for j in range(1, m + 1):
        out *= mp.factorial(j)
    return out


def massive_mode_factor(N: int, n: int, hessian: int = 2) -> mp.mpf:
    """The Gaussian integral over the massive modes at Q = U Lambda U^dagger with its normalisation: the flat measure
    dq = C_n Delta(lambda)^2 d^n lambda dmu(U) (C_n = pi^{n(n-1)/2}/prod_{j<=n} j!), binom(n, n/2) ways to put the
    eigenvalues into the clusters at +1 and -1, the clusters' distance Delta^2 -> 2^{2 m^2}, and in each cluster a
    Hermitian m x m fluctuation with weight exp(-(hessian/2) N Tr du^2): the Mehta integral (hessian N)^{-m^2/2}
    (2 pi)^{m/2} prod_{j<=m} j!; divided by the normalisation of the dual GUE, (2 pi/N)^{n/2} (pi/N)^{n(n-1)/2}."""
    m, N = n // 2, mp.mpf(N)
    measure = mp.pi ** (n * (n - 1) / mp.mpf(2)) / _superfactorial(n)
    cluster = (mp.mpf(hessian) * N) ** (-m * m / mp.mpf(2)) * (2 * mp.pi) ** (m / mp.mpf(2)) * _superfactorial(m)
    normalisation = (2 * mp.pi / N) ** (n / mp.mpf(2)) * (mp.pi / N) ** (n * (n - 1) / mp.mpf(2))
    return measure * mp.binomial(n, m) * 2 ** (2 * m * m) * cluster**2 / normalisation


def haar_orbit_constant(N: int, n: int) -> mp.mpf:
    """<exp(N Tr[U Lambda U^dagger y])>_{U(n)} = K N^{-m^2} DH(N, y), K = prod_{j<n} j! / ((prod_{j<m} j!)^2 2^{m^2})
    (Harish-Chandra-Itzykson-Zuber at a degenerate Lambda); with y = eps/sqrt(N) the Duistermaat-Heckman sum is
    N^{m^2/2} manifold_integral(sqrt(N), eps)."""
    m = n // 2
    return _superfactorial(n - 1) / (_superfactorial(m - 1) ** 2 * 2 ** (m * m)) * mp.mpf(N) ** (-m * m / mp.mpf(2))


def leading_order(N: int, energies: list, hessian: int = 2) -> mp.mpc:
    """The saddle value i^{nN} (-1)^{Nm} N^{nN/2} e^{-Nn/2}, times the massive-mode integral, times the manifold's."""
    n = len(energies)
    saddle = mp.mpc(0, 1) ** (n * N) * (-1) ** (N * (n // 2)) * mp.mpf(N) ** (n * N / mp.mpf(2)) * mp.exp(-mp.mpf(N) * n / 2)
    manifold = haar_orbit_constant(N, n) * manifold_integral(mp.sqrt(N), energies)
    return saddle * massive_mode_factor(N, n, hessian) * manifold
