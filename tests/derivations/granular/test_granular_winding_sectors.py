"""Issue 13, item 5 at T <~ delta: the winding sectors of an isolated grain against the exact number projection.

Equidistant spin-degenerate levels: the exact canonical free energy (counted state by state, independent of the
derivation) equals the m = 0 sector plus the exported winding_sector_free_energy to rounding; the m = 0 sector
alone misses by a term that falls as e^{-pi^2 T/delta}. GUE levels: how much of the exact projection's departure
from the thermodynamic (Legendre) result the same sectors account for.
"""
import mpmath
import numpy as np
import pytest

from derive.generated import granular as generated


def picket_fence(half_levels: int) -> np.ndarray:
    """Levels +-delta/2, +-3delta/2, ... (delta = 1), symmetric about mu = 0, shape (1, 2 half_levels)."""
    j = np.arange(-half_levels, half_levels)
    return (j + 0.5)[None, :]


def zero_sector(N: int, T: float) -> float:
    """F_N - E_sea of the m = 0 sector: -2T ln C - (T/2) ln(pi T) + N^2/4, C = prod_j (1 - e^{-j/T})^{-1} (delta = 1)."""
    j = np.arange(1, 4000)
    return 2 * T * np.sum(np.log1p(-np.exp(-j / T))) - 0.5 * T * np.log(np.pi * T) + N**2 / 4


def exact_minus_sea(levels: np.ndarray, T: float, N: int) -> float:
    """Exact F_N - E_sea by counting (granular_numerics), N electrons added to the half-filled fence."""
    from granular_numerics import projected_minus_grand

    filled = levels.shape[1]  # half filling: 2 spins x half of the levels
    omega_minus_sea = -2 * T * np.sum(np.log1p(np.exp(-np.abs(levels) / T)))
    return float(projected_minus_grand(levels, T, filled + N)[0] + omega_minus_sea)


TEMPERATURES = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0]


def test_sector_sum_is_the_exact_projection_for_equidistant_levels():
    levels = picket_fence(60)
    worst, zero_only = 0.0, {}
    for T in TEMPERATURES:
        for N in range(4):
            exact = exact_minus_sea(levels, T, N)
            with_sectors = zero_sector(N, T) + float(generated.winding_sector_free_energy(N, T, 1.0))
            worst = max(worst, abs(exact - with_sectors))
            zero_only[(T, N)] = exact - zero_sector(N, T)
    print(f"max |exact - (m = 0 sector + winding sectors)| = {worst:.2e} delta")
    assert worst < 1e-11
    # the m = 0 sector alone: its error is -T ln theta, about -+2T e^{-pi^2 T/delta} for even/odd N at T > delta/4
    high = [T for T in TEMPERATURES if T >= 0.25]
    for N in (0, 1):
        errors = np.array([abs(zero_only[(T, N)]) for T in high])
        rate = np.polyfit(high, np.log(errors / high), 1)[0]
        print(f"N = {N}: |exact - m = 0 sector| at T/delta = {high}: {errors}; decay rate {rate:.3f} (-pi^2 = -9.870)")
        assert rate == pytest.approx(-np.pi**2, rel=0.03)
    assert np.sign(zero_only[(0.5, 0)]) == -1 and np.sign(zero_only[(0.5, 1)]) == 1  # even-odd: the sign (-1)^{mN}


def test_parity_gap_and_sector_weights_at_low_temperature():
    # F_{N+1} - F_N - delta(2N + 1)/4 for even N -> delta/4 - T ln 2 (one unpaired electron and its spin)
    for T in (0.01, 0.02, 0.05):
        gap = generated.winding_sector_free_energy(1, T, 1.0) - generated.winding_sector_free_energy(0, T, 1.0)
        assert gap == pytest.approx(0.25 - T * np.log(2), abs=3 * np.exp(-1 / T) + 1e-14)
    # which sectors matter: the partial sums over |m| <= K reach the full sector sum only for K ~ sqrt(delta/T)/pi
    for T in (1.0, 0.1, 0.01, 0.001):
        m = np.arange(1, 400)
        weights = np.exp(-np.pi**2 * m**2 * T)
        full = 1 + 2 * weights.sum()
        partial = 1 + 2 * np.cumsum(weights)
        first = int(np.argmax(np.abs(partial / full - 1) < 1e-6)) + 1
        print(f"T/delta = {T}: weight of m = 1 is {weights[0]:.3g}; |m| <= {first} give the sum to 1e-6")
        assert 2.5 < first * np.pi * np.sqrt(T) < np.sqrt(np.log(1e6))  # |m| up to ~ sqrt(delta ln 10^6/T)/pi


def test_winding_sector_free_energy_at_extreme_ratios_and_against_theta_functions():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        ratio = np.logspace(-300, 300, 241)
        for N in (0, 1, 2, 7):
            values = generated.winding_sector_free_energy(N, ratio, 1.0)
            assert np.all(np.isfinite(values))
            values = generated.winding_sector_free_energy(N, 1.0, 1.0 / ratio)
            assert np.all(np.isfinite(values))
    # against mpmath's theta functions: theta_3 (N even) and theta_4 (N odd) at nome e^{-pi^2 T/delta}
    ratios = np.logspace(np.log10(0.02), np.log10(30.0), 61)
    worst = 0.0
    with mpmath.workdps(400):  # log(theta) of 1 + e^{-296} at T = 30 delta
        for N in (0, 1):
            for x in ratios:
                nome = mpmath.exp(-mpmath.pi**2 * mpmath.mpf(float(x)))
                theta = mpmath.jtheta(3 if N == 0 else 4, 0, nome)
                reference = float(-mpmath.mpf(float(x)) * mpmath.log(theta))
                value = float(generated.winding_sector_free_energy(N, x, 1.0))
                worst = max(worst, abs(value - reference) / max(abs(reference), 1e-300))
    print(f"max relative error against mpmath jtheta for T/delta in [0.02, 30]: {worst:.1e}")
    assert worst < 1e-12



def test_gue_grain_sectors_account_for_the_even_odd_difference_only_near_T_of_delta():
    """Exact projection minus the thermodynamic (Legendre + Gaussian) free energy, averaged over GUE grains.

    The sectors, with the ensemble weights e^{-pi^2 T/delta}, predict -T ln theta_{3,4}; measured: at T = delta/2
    they give most of the even-odd difference (0.014 of 0.0185 +- 0.001), at T = delta/4 they overshoot tenfold (the
    fluctuations about the minima are not small there and the level statistics enter), at T = delta both are below
    the resolution of 300 samples.
    """
    from granular_numerics import (
        canonical_chemical_potential,
        canonical_minus_grand,
        number_variance,
        projected_minus_grand,
        unfolded_gue_levels,
    )

    levels, half = unfolded_gue_levels(200, 300, seed=5), 200
    rows = {}
    for T in (0.25, 0.5, 1.0):
        measured = []
        for N in (half, half + 1):
            mu = canonical_chemical_potential(levels, T, float(N))
            projected = projected_minus_grand(levels, T, N) - 0.5 * T * np.log(2 * np.pi * number_variance(levels, T, mu))
            difference = projected - canonical_minus_grand(levels, T, float(N))
            measured.append((np.mean(difference), np.std(difference, ddof=1) / np.sqrt(len(difference))))
        (even, even_error), (odd, odd_error) = measured
        predicted = float(generated.winding_sector_free_energy(1, T, 1.0) - generated.winding_sector_free_energy(0, T, 1.0))
        rows[T] = (odd - even, np.hypot(even_error, odd_error), predicted)
        print(f"T/delta = {T}: even-odd difference of (exact - thermodynamic) {odd - even:.5f} +- {rows[T][1]:.5f}, "
              f"winding sectors predict {predicted:.5f}")
    difference, error, predicted = rows[0.5]
    assert abs(difference - predicted) < 0.5 * abs(difference) and abs(difference) > 5 * error
    difference, error, predicted = rows[0.25]
    assert predicted > 2 * difference  # the sectors alone overshoot at T = delta/4
    difference, error, predicted = rows[1.0]
    assert abs(difference - predicted) < 3 * error  # at T = delta both are below the statistical resolution
