"""The Tr' separation for a finite GUE grain (issue 13, item 4): energies at a finite fraction of the band frozen at
Lambda with their massive modes integrated, the manifold of Eq. (8) left at the low energies only.

Exact side: <prod det(i eps - H)> over the N x N GUE at low Matsubara energies (T ~ delta) together with high ones
eps = y sqrt(N), y = O(1) (Brezin-Hikami). Prediction: the same average over the low energies alone times the
factor of the high energies (step eq7-high-energies): per high energy its Gaussian integral about the stationary
point q of sign y, per pair of high energies 1/(1 + q q'), per high and low energy 1/(1 + q lambda_a) with half of the
lambda_a at +1 and half at -1, whatever U on the low manifold. Both as a ratio to the exact low-energy average and
absolutely (with the low energies' leading order of step massive-modes), the error falls as 1/N. The same energies
put on the manifold instead (the Duistermaat-Heckman sum over all of them) are off by a factor that grows with N.
"""
import itertools

import mpmath as mp
import numpy as np
import pytest
import sympy

from gue_grain_numerics import gue_determinant_average, leading_order, manifold_integral, matsubara

SIZES = [200, 400, 800, 1600, 3200]


def stationary_point(y: mp.mpf) -> mp.mpf:
    """The root of q^2 + y q - 1 = 0 of sign y: the one the dual integral sits at when eps = y sqrt(N) is high."""
    return mp.sign(y) * (mp.sqrt(y * y + 4) - abs(y)) / 2


def high_energy_factor(N: int, ys: list, n_low: int) -> mp.mpc:
    """Gaussian integrals over every mode that touches a high energy, each over the same mode of the dual GUE's
    normalisation: so only the masses remain (1 + q^2 for the eigenvalue, 1 + q_a q_b off the diagonal)."""
    N = mp.mpf(N)
    qs = [stationary_point(mp.mpf(v)) for v in ys]
    out = mp.mpc(1)
    for q, v in zip(qs, ys, strict=True):
        out *= mp.mpc(0, 1) ** int(N) * N ** (N / 2) * (q + v) ** int(N) * mp.exp(-N * q * q / 2) / mp.sqrt(1 + q * q)
        out *= ((1 + q) * (1 - q)) ** (-mp.mpf(n_low) / 2)
    for i in range(len(qs)):
        for j in range(i + 1, len(qs)):
            out /= 1 + qs[i] * qs[j]
    return out


def _energies(N: int, ys: list, n_low: int, T_over_delta: float) -> tuple[list, list]:
    delta = mp.pi / mp.sqrt(N)
    return matsubara(T_over_delta, delta, n_low), [mp.mpf(v) * mp.sqrt(N) for v in ys]


def test_column_scaled_determinant_is_precision_independent():
    """Energies sqrt(N) apart make the Hermite columns differ by e^{O(N)}: the average must not depend on the
    working precision (unscaled, 100 digits gave 0 at N = 400)."""
    low, high = _energies(800, [1.0, -1.0], 2, 0.5)
    values = []
    for digits in (60, 200):
        with mp.workdps(digits):
            values.append(gue_determinant_average(800, low + high))
    assert abs(values[0] / values[1] - 1) < mp.mpf(10) ** -40


CASES = [([0.5, -0.5], 2, 0.5), ([1.0, -1.0], 2, 0.5), ([2.0, -2.0], 4, 0.3), ([0.5, -0.5, 1.5, -1.5], 2, 0.5)]


@pytest.mark.parametrize("ys, n_low, T_over_delta", CASES)
def test_high_energies_factor_out_of_the_low_manifold(ys: list, n_low: int, T_over_delta: float):
    relative, absolute, on_manifold, no_cross_modes = [], [], [], []
    for N in SIZES:
        low, high = _energies(N, ys, n_low, T_over_delta)
        exact = gue_determinant_average(N, low + high)
        factor, exact_low = high_energy_factor(N, ys, n_low), gue_determinant_average(N, low)
        relative.append(abs(complex(exact / (exact_low * factor)) - 1))
        absolute.append(abs(complex(exact / (leading_order(N, low) * factor)) - 1))
        no_cross_modes.append(abs(complex(exact / (exact_low * high_energy_factor(N, ys, 0))) - 1))
        on_manifold.append(float(abs(mp.log(abs(exact / leading_order(N, low + high))))))
    for name, errors in (("relative", relative), ("absolute", absolute)):
        slope = np.polyfit(np.log(SIZES[1:]), np.log(errors[1:]), 1)[0]
        print(f"y = {ys}, n_L = {n_low}, T/delta = {T_over_delta}: {name} errors {np.array(errors)}, slope {slope:.3f}")
        assert errors[-1] < 0.02
        assert slope == pytest.approx(-1.0, abs=0.05)
    print(f"  all energies on the manifold instead: |ln(exact/DH)| = {np.array(on_manifold)}")
    assert all(b > a for a, b in itertools.pairwise(on_manifold)) and on_manifold[0] > 1
    assert min(no_cross_modes) > 0.3   # without the low-high modes' masses it stays off by prod (1 - q^2)^{n_L/2}


def test_the_low_manifold_keeps_its_temperature_dependence():
    """With the high pair frozen, the ratio of averages at two temperatures of the low energies is the low manifold's
    Duistermaat-Heckman ratio: the high energies do not enter the sigma-model."""
    errors = []
    for N in SIZES:
        pair = []
        for T_over_delta in (0.2, 0.4):
            low, high = _energies(N, [1.0, -1.0], 4, T_over_delta)
            pair.append((gue_determinant_average(N, low + high), manifold_integral(mp.sqrt(N), low)))
        (exact1, dh1), (exact2, dh2) = pair
        errors.append(abs(complex((exact2 / exact1) / (dh2 / dh1)) - 1))
    slope = np.polyfit(np.log(SIZES[1:]), np.log(errors[1:]), 1)[0]
    print(f"temperature ratio with a frozen pair: errors {np.array(errors)}, slope {slope:.3f}")
    assert errors[-1] < 0.02
    assert slope == pytest.approx(-1.0, abs=0.1)


def test_the_displayed_factor_is_the_one_checked():
    """The step's display F(N_H, Y, n_L) (derive/derivations/granular/eq07_high_energies.py) equals the factor above
    for a pair +-Y."""
    from derive.derivations.granular import eq07_high_energies as step

    closed = step.high_pair_closed_form()
    for Y in (0.5, 1.0, 2.0):
        qY = stationary_point(mp.mpf(Y))
        for n_low in (0, 2, 4):
            for N in (7, 200):
                value = closed.subs({step.lam_Y: sympy.Float(str(qY), 60), step.N_H: N, step.n_L: n_low})
                expected = high_energy_factor(N, [Y, -Y], n_low)
                assert abs(mp.mpf(str(sympy.N(value, 60))) / expected - 1) < mp.mpf(10) ** -40
