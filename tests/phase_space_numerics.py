"""Independent numerics for phase-space tests: finite-difference jets and Weyl calculus on a grid.

Nothing here uses derive: the jets come from central finite differences, operators are built from
their Weyl symbols by quadrature, and symbols are read back from kernels by the Weyl transform
A(R, p) = sum over rho of K(R + rho/2, R - rho/2) exp(-i p rho).
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np


def central_weights(derivative: int, half_width: int) -> np.ndarray:
    """Weights w_j (j = -m..m) with sum_j w_j f(j h) / h^k = f^(k)(0) + O(h^2)."""
    offsets = np.arange(-half_width, half_width + 1, dtype=float)
    vandermonde = np.vander(offsets, increasing=True).T
    rhs = np.zeros(len(offsets))
    rhs[derivative] = math.factorial(derivative)
    return np.linalg.solve(vandermonde, rhs)


def finite_difference_jet(
    function: Callable[..., np.ndarray], point: Sequence[float], multi_indices: Sequence[tuple[int, ...]], step: float
) -> np.ndarray:
    """All partial derivatives of ``function`` at ``point`` for the given multi-indices (tensor stencils)."""
    top = max(max(index) for index in multi_indices)
    half_width = (top + 1) // 2
    offsets = np.arange(-half_width, half_width + 1)
    axes = np.meshgrid(*[point_i + step * offsets for point_i in point], indexing="ij")
    values = function(*axes)
    weights = {
        k: np.pad(central_weights(k, (k + 1) // 2), half_width - (k + 1) // 2) / step**k for k in range(top + 1)
    }
    jet = []
    for index in multi_indices:
        reduced = values
        for k in index:
            reduced = np.tensordot(weights[k], reduced, axes=(0, 0))
        jet.append(reduced)
    return np.array(jet)


def loglog_slope(steps: Sequence[float], errors: Sequence[float]) -> float:
    return float(np.polyfit(np.log10(steps), np.log10(errors), 1)[0])


def kernel_from_separable_symbol(
    position_factor: Callable[[np.ndarray], np.ndarray], momentum_fourier: Callable[[np.ndarray], np.ndarray], x: np.ndarray
) -> np.ndarray:
    """Kernel K(x, y) of the operator with Weyl symbol f(r) g(p): f((x+y)/2) * ghat(x-y), ghat = int dp/2pi g e^{ip rho}."""
    X, Y = np.meshgrid(x, x, indexing="ij")
    return position_factor((X + Y) / 2) * momentum_fourier(X - Y)


def weyl_symbol_of_kernel(kernel: np.ndarray, x: np.ndarray, centre_index: int, momenta: np.ndarray) -> np.ndarray:
    """A(R, p) = int d rho K(R + rho/2, R - rho/2) e^{-i p rho} at R = x[centre_index] (rho = 2 j dx on the grid)."""
    dx = x[1] - x[0]
    reach = min(centre_index, len(x) - 1 - centre_index)
    j = np.arange(-reach, reach + 1)
    samples = kernel[centre_index + j, centre_index - j]
    rho = 2 * j * dx
    return (samples[None, :] * np.exp(-1j * momenta[:, None] * rho[None, :])).sum(axis=1) * 2 * dx


def plane_wave_jet(wave: Sequence[float], point: Sequence[float], multi_indices: Sequence[tuple[int, ...]]) -> np.ndarray:
    """Exact jet of exp(i wave . x) at a point: d^gamma -> prod (i wave_k)^gamma_k."""
    value = np.exp(1j * np.dot(wave, point))
    return np.array([value * np.prod([(1j * w) ** k for w, k in zip(wave, index, strict=True)]) for index in multi_indices])


def all_multi_indices(variables: int, order: int) -> list[tuple[int, ...]]:
    return [index for index in itertools.product(range(order + 1), repeat=variables) if sum(index) <= order]
