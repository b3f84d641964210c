"""Weyl symbols (Wigner representation) of operators, symbolically and on a grid.

Convention (bosonization paper below Eq. 6; DESIGN.md): for an operator with kernel A(r, r'),

    A(R, p) = ∫ dρ A(R + ρ/2, R − ρ/2) e^{−i p·ρ / ħ},

so the symbol of r̂ is r, of p̂ is p, of f(r̂) is f(r), of g(p̂) is g(p), and the symbol of a product
is the star product of Eq. (7) (``derive.moyal.star``). Operators given as functions of r̂, p̂ are
noncommutative SymPy expressions in position and momentum operator symbols; their symbol is the star
product of the symbols of their factors, left to right.
"""
from __future__ import annotations

import numpy as np
import sympy

from derive.engines.moyal import phase_space, star


def _as_tuple(symbols) -> tuple[sympy.Symbol, ...]:
    return tuple(symbols) if isinstance(symbols, (tuple, list)) else (symbols,)


def weyl_symbol_of_kernel(kernel: sympy.Expr, r, r_prime, R, p, hbar: sympy.Expr = 1) -> sympy.Expr:
    """A(R, p) = ∫dρ A(R+ρ/2, R−ρ/2) e^{−ipρ/ħ}, by symbolic integration over each component of ρ."""
    rs, primes, Rs, ps = (_as_tuple(v) for v in (r, r_prime, R, p))
    if not len(rs) == len(primes) == len(Rs) == len(ps):
        raise ValueError("r, r_prime, R and p must have the same number of components")
    rhos = [sympy.Dummy(f"rho{i}", real=True) for i in range(len(rs))]
    shifted = kernel.subs({**{x: X + rho / 2 for x, X, rho in zip(rs, Rs, rhos, strict=True)},
                           **{y: X - rho / 2 for y, X, rho in zip(primes, Rs, rhos, strict=True)}}, simultaneous=True)
    integrand = shifted * sympy.exp(-sympy.I * sum(k * rho for k, rho in zip(ps, rhos, strict=True)) / hbar)
    for rho in rhos:
        integrand = sympy.integrate(integrand, (rho, -sympy.oo, sympy.oo), conds="none")
    if integrand.has(sympy.Integral):
        raise ValueError(f"could not integrate the kernel {kernel} in closed form")
    return sympy.simplify(integrand)


def _factor_symbol(factor: sympy.Basic, to_phase_space: dict) -> sympy.Expr:
    """Symbol of one factor: a function of position operators only, or of momentum operators only."""
    operators = {s for s in factor.free_symbols if s in to_phase_space}
    positions = {s for s in operators if to_phase_space[s][1] == "r"}
    if operators and positions and positions != operators:
        raise ValueError(f"factor {factor} mixes r̂ and p̂: write it as a product of simpler factors")
    return factor.subs({s: to_phase_space[s][0] for s in operators}, simultaneous=True)


def _ordered_factors(expr: sympy.Basic) -> list[sympy.Basic]:
    """Factors of a noncommutative product, left to right (powers of one operator are one factor)."""
    commutative, noncommutative = expr.args_cnc() if isinstance(expr, sympy.Mul) else ([], [expr])
    return ([sympy.Mul(*commutative)] if commutative else []) + noncommutative


def weyl_symbol_of_operator(operator: sympy.Expr, position_operators, momentum_operators, r, p,
                            order: int, hbar: sympy.Expr = 1) -> sympy.Expr:
    """Symbol of a sum of products of functions of r̂ and of p̂, with star products truncated at ``order``.

    For polynomial operators the star series terminates and any order ≥ the total degree is exact.
    """
    rs, ps = phase_space(r, p)
    hats_r, hats_p = _as_tuple(position_operators), _as_tuple(momentum_operators)
    if len(hats_r) != len(rs) or len(hats_p) != len(ps):
        raise ValueError("one position and one momentum operator per phase-space dimension")
    if any(h.is_commutative for h in hats_r + hats_p):
        raise TypeError("r̂ and p̂ must be noncommutative symbols (Symbol(..., commutative=False))")
    table = {**{h: (x, "r") for h, x in zip(hats_r, rs, strict=True)}, **{h: (k, "p") for h, k in zip(hats_p, ps, strict=True)}}
    total = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(operator)):
        product = sympy.Integer(1)
        for factor in _ordered_factors(term):
            product = star(product, _factor_symbol(factor, table), rs, ps, order, hbar)
        total += product
    return sympy.expand(total)


def weyl_symbol_on_grid(kernel: np.ndarray, x: np.ndarray, p: np.ndarray, hbar: float = 1.0) -> np.ndarray:
    """Discrete A(x_n, p) = Σ_k 2h K(x_{n+k}, x_{n−k}) e^{−i p 2kh/ħ} for a kernel on a uniform 1D grid.

    ρ = x_{n+k} − x_{n−k} = 2kh, so the result is periodic in p with period πħ/h; entries of the kernel
    beyond the grid count as zero (the kernel must decay inside it). Shape (len(x), len(p)).
    """
    size = len(x)
    if kernel.shape != (size, size):
        raise ValueError(f"kernel shape {kernel.shape} does not match a grid of {size} points")
    spacing = x[1] - x[0]
    if not np.allclose(np.diff(x), spacing):
        raise ValueError("weyl_symbol_on_grid needs a uniform grid")
    n, k = np.arange(size)[:, None], np.arange(-(size - 1), size)[None, :]
    rows, cols = n + k, n - k
    inside = (rows >= 0) & (rows < size) & (cols >= 0) & (cols < size)
    samples = np.where(inside, kernel[np.clip(rows, 0, size - 1), np.clip(cols, 0, size - 1)], 0)
    phases = np.exp(-1j * np.outer(2 * spacing * k[0], np.asarray(p)) / hbar)
    return 2 * spacing * samples @ phases


def kernel_product_on_grid(left: np.ndarray, right: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Kernel of the operator product: (AB)(x, x'') = ∫dx' A(x, x') B(x', x'') (a plain Riemann sum, spectrally accurate for smooth decaying kernels)."""
    return (x[1] - x[0]) * left @ right


def operator_kernel_on_grid(position_factor, momentum_factor, x: np.ndarray, hbar: float = 1.0) -> np.ndarray:
    """Kernel of f(r̂) g(p̂) on a uniform periodic grid: f diagonal, g(p̂) through the discrete Fourier basis.

    ``position_factor`` and ``momentum_factor`` are numpy callables; the kernel is normalised like a
    continuum kernel, (AB) = h·A@B (see ``kernel_product_on_grid``). Entries farther apart than half the
    box are periodic images and are set to zero: the kernel of g(p̂) must decay within half the box.
    """
    size, spacing = len(x), x[1] - x[0]
    momenta = 2 * np.pi * hbar * np.fft.fftfreq(size, d=spacing)
    fourier = np.fft.fft(np.eye(size), axis=0)                 # F[k, j] = e^{−2πi kj/N}
    momentum_operator = np.fft.ifft(momentum_factor(momenta)[:, None] * fourier, axis=0)
    images = np.abs(x[:, None] - x[None, :]) > size * spacing / 2
    return np.where(images, 0, position_factor(x)[:, None] * momentum_operator / spacing)
