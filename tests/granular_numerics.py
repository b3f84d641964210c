"""Independent numerics for the granular tests: GUE spectra and canonical vs grand-canonical free energies.

Nothing here uses the derivation or the generated code. GUE spectra come from the Dumitriu-Edelman
tridiagonal model at beta = 2 (same eigenvalue law as a dense GUE matrix, O(n^2) to diagonalise),
unfolded with the exact semicircle so the mean level spacing is 1 everywhere. Every level holds two
spin states. The canonical free energy at fixed N is the Legendre transform of the sample's own
Omega(mu) (Newton's method for mu); the grand-canonical reference is Omega at the fixed ensemble mu.
"""
from __future__ import annotations

import numpy as np
from scipy.linalg import eigvalsh_tridiagonal


def gue_spectrum(n_levels: int, rng: np.random.Generator) -> np.ndarray:
    """Eigenvalues of an n x n GUE matrix with E|H_ij|^2 = 1 (semicircle radius 2 sqrt(n))."""
    diagonal = rng.normal(size=n_levels)
    off_diagonal = np.sqrt(rng.chisquare(2 * np.arange(n_levels - 1, 0, -1)) / 2)
    return eigvalsh_tridiagonal(diagonal, off_diagonal)


def unfold_semicircle(eigenvalues: np.ndarray, n_levels: int) -> np.ndarray:
    """Map eigenvalues through the mean counting function: unit mean spacing, centred on zero."""
    u = np.clip(eigenvalues / (2 * np.sqrt(n_levels)), -1.0, 1.0)
    return n_levels * (u * np.sqrt(1 - u * u) + np.arcsin(u)) / np.pi


def unfolded_gue_levels(n_levels: int, samples: int, seed: int) -> np.ndarray:
    """(samples, n_levels) unfolded GUE spectra, mean spacing delta = 1, symmetric about mu = 0."""
    rng = np.random.default_rng(seed)
    return np.array([unfold_semicircle(gue_spectrum(n_levels, rng), n_levels) for _ in range(samples)])


def fermi(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 - np.tanh(x / 2.0))


def grand_potential(levels: np.ndarray, mu: np.ndarray, T: float) -> np.ndarray:
    """Omega(mu) = -2 T sum_i ln(1 + e^{-(e_i - mu)/T}) for each sample (spin-degenerate levels)."""
    return -2.0 * T * np.sum(np.logaddexp(0.0, -(levels - mu[:, None]) / T), axis=1)


def canonical_chemical_potential(levels: np.ndarray, T: float, n_particles: float, sweeps: int = 60) -> np.ndarray:
    """mu_s with 2 sum_i f((e_i - mu_s)/T) = N for each sample (Newton; N(mu) is increasing and smooth)."""
    mu = np.zeros(len(levels))
    for _ in range(sweeps):
        occupation = fermi((levels - mu[:, None]) / T)
        number = 2.0 * occupation.sum(axis=1)
        compressibility = 2.0 * (occupation * (1.0 - occupation)).sum(axis=1) / T
        step = (n_particles - number) / compressibility
        mu += np.clip(step, -2.0, 2.0)
        if np.max(np.abs(step)) < 1e-13:
            break
    return mu


def canonical_minus_grand(levels: np.ndarray, T: float, n_particles: float) -> np.ndarray:
    """Per sample: F_can(N) - [Omega(mu = 0) + 0 * N], F_can the Legendre transform of the sample's Omega."""
    mu = canonical_chemical_potential(levels, T, n_particles)
    zero = np.zeros(len(levels))
    return grand_potential(levels, mu, T) + mu * n_particles - grand_potential(levels, zero, T)


def projected_minus_grand(levels: np.ndarray, T: float, n_particles: int, window: int = 40) -> np.ndarray:
    """Per sample: F_N - Omega(mu = 0), F_N = -T ln Z_N the exact canonical (number-projected) free energy.

    Z_N is counted exactly relative to the filled Fermi sea e < 0: every spin state above zero adds a
    particle (charge +1, weight e^{-e/T}), every one below a hole (charge -1, weight e^{-|e|/T}); a
    recursion over the states builds the weight of each net charge k, |k| <= window. Only differences
    from the sea enter, so nothing overflows at any T.
    """
    samples, count = levels.shape
    weights = np.zeros((samples, 2 * window + 1))
    weights[:, window] = 1.0
    for i in range(count):
        energy = levels[:, i]
        boltzmann = np.exp(-np.abs(energy) / T)[:, None]
        for _ in range(2):  # two spin states per level
            up = np.zeros_like(weights)
            up[:, 1:] = weights[:, :-1]  # a particle: k -> k + 1
            down = np.zeros_like(weights)
            down[:, :-1] = weights[:, 1:]  # a hole: k -> k - 1
            weights = weights + boltzmann * np.where((energy > 0)[:, None], up, down)
    sea = 2 * np.sum(levels < 0, axis=1)
    charge = n_particles - sea
    if np.any(np.abs(charge) > window // 2):
        raise ValueError("the charge window is too small for these spectra")
    projected = weights[np.arange(samples), window + charge]
    return -T * np.log(projected) + 2 * T * np.sum(np.log1p(np.exp(-np.abs(levels) / T)), axis=1)


def number_variance(levels: np.ndarray, T: float, mu: np.ndarray) -> np.ndarray:
    """T dN/dmu = 2 sum_i f(1 - f) at mu, per sample: the grand-canonical variance of N."""
    occupation = fermi((levels - mu[:, None]) / T)
    return 2.0 * np.sum(occupation * (1.0 - occupation), axis=1)
