"""The continuum action density evaluated numerically from the engine's own polynomials (paper Eq. 15).

Covariant gradients ∂̃_μQ, ∂̃_μ∂̃_νQ are the free-algebra polynomials of derive.freealgebra with numpy
arrays substituted for the letters; tests compare the density with lattice sums.
"""
from __future__ import annotations

import numpy as np

from derive.engines.freealgebra import Poly, covariant_derivative, is_diagonal, letter, power_of


def evaluate_poly_numeric(poly: Poly, values: dict[str, np.ndarray]) -> np.ndarray:
    """Σ coefficient · word with arrays (..., n, n) substituted for the letters (diagonal ones as (..., n))."""
    total = None
    for word, coefficient in sorted(poly.items(), key=lambda item: item[0]):
        product = None
        for name in word:
            factor = values[name]
            factor = factor[..., :, None] * np.eye(factor.shape[-1]) if is_diagonal(name) else factor
            product = factor if product is None else product @ factor
        term = complex(coefficient) * product
        total = term if total is None else total + term
    return total


def _directional_jet(jet: dict[str, np.ndarray], direction: np.ndarray) -> dict[str, np.ndarray]:
    # letters along ∂ = direction·∇ from gradient arrays: dQ[μ], ddQ[μ, ν] (and dchi, ddchi)
    return {
        "Q0": jet["Q"],
        "Q1": np.tensordot(direction, jet["dQ"], axes=1),
        "Q2": np.tensordot(direction, np.tensordot(direction, jet["ddQ"], axes=1), axes=1) if "ddQ" in jet else None,
        "X1": np.tensordot(direction, jet["dchi"], axes=1),
        "X2": np.tensordot(direction, np.tensordot(direction, jet["ddchi"], axes=1), axes=1) if "ddchi" in jet else None,
    }


def covariant_gradients(jet: dict[str, np.ndarray], second: bool = False):
    """∂̃_μQ (and ∂̃_μ∂̃_νQ by polarization of ∂̃_e²Q) from the engine's own polynomials, numerically.

    jet: Q (..., n, n); dQ (d, ..., n, n); dchi (d, ..., n) the diagonal of ∇χ̂; for ``second`` also
    ddQ (d, d, ..., n, n) and ddchi (d, d, ..., n).
    """
    d = jet["dQ"].shape[0]
    axes = np.eye(d)
    first_poly = covariant_derivative(letter("Q0"))
    first = np.stack([evaluate_poly_numeric(first_poly, _directional_jet(jet, axes[m])) for m in range(d)])
    if not second:
        return first, None
    second_poly = power_of(covariant_derivative, letter("Q0"), 2)

    def along(direction):
        return evaluate_poly_numeric(second_poly, _directional_jet(jet, direction))

    mixed = [[0.25 * (along(axes[m] + axes[k]) - along(axes[m] - axes[k])) for k in range(d)] for m in range(d)]
    return first, np.array(mixed)


def continuum_action_density(
    jet: dict[str, np.ndarray], gamma: np.ndarray, g_T: float, volume: float, gamma4: np.ndarray | None = None
) -> np.ndarray:
    """Gradient part of Eq. 15: πν[(D_{μν}/4) Tr ∂̃_μQ ∂̃_νQ − (D⁽⁴⁾_{μνρσ}/4) Tr ∂̃_μ∂̃_νQ ∂̃_ρ∂̃_σQ].

    With ν = 1/(δ·volume per grain) and D = γ g_T δ, δ cancels: πνD/4 = π γ g_T/(4·volume). ``gamma4``
    (from ``fourth_order_tensor``) adds the a⁴ term; without it the density is the a² (Eq. 15) one.
    """
    first, second = covariant_gradients(jet, second=gamma4 is not None)
    density = np.einsum("mn,m...ij,n...ji->...", gamma, first, first)
    if gamma4 is not None:
        density = density - np.einsum("mnrs,mn...ij,rs...ji->...", gamma4, second, second)
    return (np.pi * g_T / (4 * volume)) * density.real
