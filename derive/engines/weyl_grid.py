"""Exact Weyl quantisation in d = 2 on a torus, in a window of momentum space, and Weyl symbols back.

Symbols a(r, p) are 2π-periodic trigonometric polynomials in r = (x, y) with any smooth dependence on
p (scalar or n × n matrices). They are quantised on the torus of side 4π, twice their period, in the
plane-wave basis |k⟩ = e^{ik·r/2}/4π, momentum ħk/2 (k ∈ Z²). Weyl quantisation there is exact:

    ⟨k|Op(a)|k'⟩ = â_μ(ħ(k + k')/4)   if k − k' = 2μ,   0 otherwise,

with â_μ(p) = (2π)⁻² ∫ a(r, p) e^{−iμ·r} d²r (check: f(r)p ↦ ½(f p̂ + p̂ f), f(r)e^{iβ·p} ↦
e^{iβ·p̂/2} f e^{iβ·p̂/2}). Read backwards, an operator's symbol at p₀ = ħc/2 (c ∈ Z²) has the Fourier
coefficient ŝ_μ(p₀) = ⟨c + μ|Ŝ|c − μ⟩, for every μ: the doubled torus is what makes every mode visible
at one p₀ (on the torus of side 2π the modes of one parity are defined only at p₀ ± ħ/2).

Only the window k ∈ c + [−K, K]² is kept. The operators here are banded in k and their inverses
decay exponentially away from the diagonal, so the truncation changes matrix elements near the
centre of the window by an amount that falls exponentially with K, whatever ħ is.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse
import scipy.sparse.linalg
import sympy

__all__ = ["MomentumWindow", "centred_coefficients", "fourier_coefficients", "momentum_window", "numeric_symbol",
           "position_grid", "symbol_coefficients", "symbol_of_inverse_commutator", "symbol_of_inverse_times",
           "weyl_operator"]

SymbolFunction = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class MomentumWindow:
    """Plane waves k ∈ center + [−half_width, half_width]² (momentum ħk/2) on the torus of side 4π."""

    hbar: float
    center: tuple[int, int]
    half_width: int

    @property
    def p0(self) -> np.ndarray:
        """The momentum at the centre of the window, where symbols are read off."""
        return self.hbar * np.asarray(self.center, dtype=float) / 2

    @property
    def wavevectors(self) -> np.ndarray:
        """(side², 2) integer k of the basis, row-major in (k_x, k_y)."""
        offsets = np.arange(-self.half_width, self.half_width + 1)
        kx, ky = np.meshgrid(self.center[0] + offsets, self.center[1] + offsets, indexing="ij")
        return np.stack([kx.ravel(), ky.ravel()], axis=1)

    @property
    def side(self) -> int:
        return 2 * self.half_width + 1

    def index(self, k: np.ndarray) -> np.ndarray:
        """Basis index of wavevectors k (..., 2); −1 outside the window."""
        offset = np.asarray(k) - np.asarray(self.center) + self.half_width
        inside = np.all((offset >= 0) & (offset < self.side), axis=-1)
        return np.where(inside, offset[..., 0] * self.side + offset[..., 1], -1)


def momentum_window(hbar: float, p0: tuple[float, float], half_width: int) -> MomentumWindow:
    """The window centred on p₀; 2p₀/ħ must be an integer vector (p₀ on the lattice where symbols are read)."""
    if not hbar > 0:
        raise ValueError(f"hbar must be positive, got {hbar}")
    if half_width < 1:
        raise ValueError(f"half_width must be at least 1, got {half_width}")
    c = 2 * np.asarray(p0, dtype=float) / hbar
    if c.shape != (2,) or not np.allclose(c, np.round(c), rtol=0, atol=1e-9):
        raise ValueError(f"p0 = {p0} is not on the lattice (ħ/2)Z² for hbar = {hbar}")
    return MomentumWindow(float(hbar), (int(round(c[0])), int(round(c[1]))), int(half_width))


def numeric_symbol(expr: sympy.Basic, variables: tuple) -> SymbolFunction:
    """A numpy callable (x, y, p_x, p_y) → (..., n, n) (or (...)) of a SymPy scalar or matrix symbol."""
    if len(variables) != 4:
        raise ValueError("variables must be (x, y, p_x, p_y)")
    matrix = expr if isinstance(expr, sympy.MatrixBase) else None
    entries = [sympy.lambdify(variables, e, "numpy", cse=True) for e in (matrix if matrix is not None else [expr])]

    def evaluate(x, y, px, py):
        shape = np.broadcast_shapes(np.shape(x), np.shape(y), np.shape(px), np.shape(py))
        values = [np.broadcast_to(np.asarray(f(x, y, px, py), dtype=complex), shape) for f in entries]
        if matrix is None:
            return values[0]
        return np.stack(values, axis=-1).reshape(*shape, *matrix.shape)
    return evaluate


def position_grid(grid: int) -> tuple[np.ndarray, np.ndarray]:
    """x, y (grid, grid) of the uniform sample of r ∈ [0, 2π)² the Fourier coefficients are taken on."""
    r = 2 * np.pi * np.arange(grid) / grid
    return tuple(np.meshgrid(r, r, indexing="ij"))


def centred_coefficients(values: np.ndarray, max_mode: int) -> np.ndarray:
    """ĉ_μ, |μ_i| ≤ max_mode, of samples (grid, grid, ...) on ``position_grid(grid)``: (2M+1, 2M+1, ...), μ from −M.

    Exact for trigonometric polynomials of degree < grid/2; for smooth symbols the aliasing error falls
    exponentially with grid."""
    grid = values.shape[0]
    if values.shape[1] != grid or grid <= 2 * max_mode:
        raise ValueError(f"values must be sampled on a square grid finer than 2·max_mode = {2 * max_mode}")
    coefficients = np.fft.fft2(values, axes=(0, 1)) / grid**2
    modes = np.arange(-max_mode, max_mode + 1) % grid
    return coefficients[np.ix_(modes, modes)]


def symbol_coefficients(symbol: SymbolFunction, p0: tuple[float, float], max_mode: int, grid: int = 32) -> np.ndarray:
    """â_μ(p₀), |μ_i| ≤ max_mode, of a symbol, in the layout ``symbol_of_inverse_times`` returns."""
    x, y = position_grid(grid)
    return centred_coefficients(symbol(x, y, *(np.full_like(x, float(k)) for k in p0)), max_mode)


def fourier_coefficients(symbol: SymbolFunction, momenta: np.ndarray, grid: int) -> np.ndarray:
    """â_μ(p) for μ ∈ [−grid/2, grid/2)² by the FFT over a grid × grid sample of r ∈ [0, 2π)².

    ``momenta`` is (P, 2); the result is (P, grid, grid, ...) with μ in FFT order (exact for trigonometric
    polynomials of degree < grid/2 in each component of r)."""
    x, y = position_grid(grid)
    px, py = (np.asarray(momenta, dtype=float)[:, i][:, None, None] for i in range(2))
    values = symbol(x[None], y[None], px, py)
    return np.fft.fft2(values, axes=(1, 2)) / grid**2


def _mode_range(max_mode: int) -> np.ndarray:
    axis = np.arange(-max_mode, max_mode + 1)
    mx, my = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([mx.ravel(), my.ravel()], axis=1)


def weyl_operator(symbol: SymbolFunction, window: MomentumWindow, max_mode: int,
                  components: int = 1, tolerance: float = 1e-12) -> scipy.sparse.csc_matrix:
    """Op(a) restricted to the window, a sparse matrix on (basis index, component), component fastest.

    The symbol must be a trigonometric polynomial of degree ≤ max_mode in each of x, y: a ValueError
    says so when a higher Fourier mode is present (beyond ``tolerance`` relative to the largest one)."""
    if max_mode < 0:
        raise ValueError(f"max_mode must be non-negative, got {max_mode}")
    grid = 4 * max_mode + 4
    k_prime = window.wavevectors
    # every momentum ħ(k + k')/4 = ħ(k' + μ)/2 that occurs: one FFT per point of the enlarged window
    wide = momentum_window(window.hbar, window.p0, window.half_width + max_mode)
    coefficients = fourier_coefficients(symbol, window.hbar * wide.wavevectors / 2, grid)
    if coefficients[0, 0, 0].size != components**2:
        raise ValueError(f"components = {components} does not match a symbol of shape {coefficients.shape[3:]}")
    coefficients = coefficients.reshape(*coefficients.shape[:3], components, components)
    modes = np.fft.fftfreq(grid, 1 / grid).astype(int)
    beyond = (np.abs(modes)[:, None] > max_mode) | (np.abs(modes)[None, :] > max_mode)
    scale = np.max(np.abs(coefficients))
    if np.max(np.abs(coefficients[:, beyond]), initial=0) > tolerance * max(scale, 1e-300):
        raise ValueError(f"symbol has Fourier modes in r beyond max_mode = {max_mode}")
    rows, cols, values = [], [], []
    for mu in _mode_range(max_mode):
        row = window.index(k_prime + 2 * mu)
        keep = row >= 0
        block = coefficients[wide.index(k_prime[keep] + mu), mu[0] % grid, mu[1] % grid]
        if not np.any(np.abs(block) > tolerance * scale):
            continue
        a, b = np.meshgrid(np.arange(components), np.arange(components), indexing="ij")
        rows.append((row[keep][:, None, None] * components + a).ravel())
        cols.append((np.flatnonzero(keep)[:, None, None] * components + b).ravel())
        values.append(block.ravel())
    size = window.side**2 * components
    return scipy.sparse.csc_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
                                   shape=(size, size))


def symbol_of_inverse_times(left: scipy.sparse.spmatrix, right: scipy.sparse.spmatrix, window: MomentumWindow,
                            max_mode: int, components: int = 1) -> np.ndarray:
    """Fourier coefficients ŝ_μ(p₀), |μ_i| ≤ max_mode, of the symbol of Ŝ = left⁻¹ right at the window's p₀.

    Shape (2·max_mode + 1, 2·max_mode + 1, components, components), μ_x, μ_y from −max_mode. Only the
    columns c − μ of Ŝ are solved for (one sparse LU of ``left``)."""
    if 2 * max_mode >= window.half_width:
        raise ValueError(f"max_mode = {max_mode} reaches the edge of a window of half-width {window.half_width}")
    modes = _mode_range(max_mode)
    centre = np.asarray(window.center)
    columns = (window.index(centre - modes)[:, None] * components + np.arange(components)).ravel()
    rows = (window.index(centre + modes)[:, None] * components + np.arange(components)).ravel()
    solved = scipy.sparse.linalg.splu(left.tocsc().astype(complex)).solve(right[:, columns].toarray().astype(complex))
    side = 2 * max_mode + 1
    blocks = solved.reshape(-1, len(modes), components)                # [row, mode, b]
    picked = blocks[rows.reshape(len(modes), components), np.arange(len(modes))[:, None], :]
    return picked.reshape(side, side, components, components)


def symbol_of_inverse_commutator(T: SymbolFunction, H: SymbolFunction, window: MomentumWindow, max_modes: tuple[int, int],
                                 read_modes: int, components: int = 1) -> np.ndarray:
    """Fourier coefficients at p₀ of the exact symbol of T̂⁻¹[Ĥ, T̂] (= −iħ T̂⁻¹ dT̂/dt under T̂(t) = e^{iĤt/ħ}T̂e^{−iĤt/ħ}).

    ``T`` is (..., n, n) with n = components, ``H`` scalar; ``max_modes`` are their degrees in r."""
    T_operator = weyl_operator(T, window, max_modes[0], components)
    H_operator = scipy.sparse.kron(weyl_operator(H, window, max_modes[1]), scipy.sparse.identity(components),
                                   format="csc")
    commutator = H_operator @ T_operator - T_operator @ H_operator
    return symbol_of_inverse_times(T_operator, commutator.tocsc(), window, read_modes, components)
