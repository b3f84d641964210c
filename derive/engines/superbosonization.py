"""Superbosonization of N flavours of (p|q) supervectors (unitary class), evaluated on its true domain.

For N complex supervectors ψ_n = (S_n | χ_n) with p bosonic and q fermionic components, a function of
Q = Σ_n ψ_n ψ̄_n (a (p|q) supermatrix with nilpotent fermion–fermion block) is integrated as

    ∫ Dψ F(Σ_n ψ_n ψ̄_n) = ∫_D DQ Sdet(Q)^{N − (p − q)} F(Q)          (N ≥ p)

(Littelmann, Sommers, Zirnbauer, Commun. Math. Phys. 283, 343 (2008); Bunder, Efetov, Kravtsov,
Yevtushenko, Zirnbauer, J. Stat. Phys. 129, 809 (2007)). The domain D: the boson–boson block X is a
positive Hermitian p × p matrix, the fermion–fermion block Y a unitary q × q matrix (its nilpotent
origin is replaced by a cycle around Y = 0, which is why Y is compact), the odd blocks α (p × q) and
β (q × p) are Grassmann variables. Here only p = q is used, where the power is N.

Normalisation of DQ used throughout (Berezin convention Str = Σ_B − Σ_F, ∫dθ θ = 1):
  dX = Π_i dX_ii Π_{i<j} d²X_ij / π (Lebesgue, d²z = d Re z d Im z),
  dY = det(Y)^q dμ(Y), μ the Haar probability measure on U(q) (det(Y)^q turns the holomorphic volume
       form Π dY_ij restricted to U(q) into the Haar form, up to a constant),
  DαDβ = (−1)^p Π_{ij} ∂_{α_ij} ∂_{β_ji} (the top coefficient in the ordering α_11 β_11 α_12 β_21 …).
With it ∫_D DQ Sdet(Q)^N e^{−Str Q} = 1 for every N ≥ p (checked for p = q = 1, 2): the constant
that the paper calls ∫DA = 1.

The Grassmann integral is done exactly in the faithful matrix representation of
``derive.engines.supermatrix.GrassmannAlgebra``; the bosonic integrals by quadrature in eigenvalue
coordinates: X = U diag(x) U†, dX = π^{-p(p−1)/2} (π^{p(p−1)/2}/Π_j j!) Δ(x)² d^p x dμ(U) and
Y = V diag(e^{iφ}) V†, dμ(Y) = |Δ(e^{iφ})|² d^q φ / (q! (2π)^q) dμ(V) (Weyl), for p, q ≤ 2 with the
U(2)/T coset as the unit sphere (X = a + r n·σ).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations
from math import factorial

import numpy as np

from derive.engines.supermatrix import Grading, GrassmannAlgebra

__all__ = [
    "OddBlocks",
    "algebra_exp",
    "algebra_power",
    "berezin_integral",
    "charge_conjugation_double",
    "eigenvalue_nodes_positive",
    "eigenvalue_nodes_unitary",
    "gaussian_superbosonized",
    "odd_blocks",
    "odd_constant",
    "odd_density",
    "superbosonized_11",
    "supertranspose",
]


@dataclass(frozen=True)
class OddBlocks:
    """A Grassmann algebra whose first 2pq generators are the odd blocks α (p × q), β (q × p) of Q."""

    algebra: GrassmannAlgebra
    alpha: np.ndarray          # (p, q, D, D)
    beta: np.ndarray           # (q, p, D, D)

    @property
    def count(self) -> int:
        """Number of generators that belong to Q (the rest are sources)."""
        return self.alpha.shape[0] * self.alpha.shape[1] * 2


def odd_blocks(p: int, q: int, sources: int = 0) -> OddBlocks:
    """α_ij = θ_{2k}, β_ji = θ_{2k+1} for the k-th pair (i, j) in row order; ``sources`` more generators."""
    if p < 0 or q < 0 or sources < 0:
        raise ValueError(f"p, q and sources must be non-negative, got {p}, {q}, {sources}")
    algebra = GrassmannAlgebra(2 * p * q + sources)
    dim = algebra.dimension
    alpha, beta = np.zeros((p, q, dim, dim)), np.zeros((q, p, dim, dim))
    for k, (i, j) in enumerate((i, j) for i in range(p) for j in range(q)):
        alpha[i, j], beta[j, i] = algebra.generator(2 * k), algebra.generator(2 * k + 1)
    return OddBlocks(algebra, alpha, beta)


def berezin_integral(algebra: GrassmannAlgebra, element: np.ndarray, over: int) -> dict[tuple, complex]:
    """∫dθ_{over−1} … dθ_0 of an element: {word in the remaining generators: coefficient}.

    The coefficient of θ_0 … θ_{over−1} θ_w is read off on the vacuum (the representation sends a
    monomial to ± one basis vector of the vacuum's orbit).
    """
    if not 0 <= over <= algebra.generators:
        raise ValueError(f"over must be between 0 and {algebra.generators}, got {over}")
    vacuum = np.zeros(algebra.dimension)
    vacuum[0] = 1.0
    column = element @ vacuum
    generators = [algebra.generator(index) for index in range(algebra.generators)]
    result = {}
    for size in range(algebra.generators - over + 1):
        for tail in combinations(range(over, algebra.generators), size):
            monomial = vacuum
            for index in reversed(tuple(range(over)) + tail):   # θ_0 … θ_{over−1} θ_tail |0⟩, right to left
                monomial = generators[index] @ monomial
            result[tail] = complex(monomial @ column)
    return result


def _body_and_nilpotent(element: np.ndarray) -> tuple[complex, np.ndarray]:
    body = complex(element[0, 0])
    if body == 0:
        raise ValueError("the element has zero body; its power or logarithm is not defined")
    return body, (element - body * np.eye(element.shape[0])) / body


def algebra_power(element: np.ndarray, exponent: float) -> np.ndarray:
    """b^s (1 + N/b)^s = b^s Σ_k binom(s, k) (N/b)^k, a finite sum (principal branch of b^s)."""
    body, nilpotent = _body_and_nilpotent(element)
    dim = element.shape[0]
    result, power, coefficient = np.eye(dim, dtype=complex), np.eye(dim, dtype=complex), 1.0
    for k in range(1, dim.bit_length()):
        power = power @ nilpotent
        coefficient *= (exponent - k + 1) / k
        result = result + coefficient * power
    return body**exponent * result


def algebra_exp(element: np.ndarray) -> np.ndarray:
    """e^b Σ_k N^k / k! for an even element b + N (finite sum)."""
    dim = element.shape[0]
    body = complex(element[0, 0])
    nilpotent = element - body * np.eye(dim)
    result, term = np.eye(dim, dtype=complex), np.eye(dim, dtype=complex)
    for k in range(1, dim.bit_length()):
        term = term @ nilpotent / k
        result = result + term
    return np.exp(body) * result


def _sdet_with_odd_blocks(x: np.ndarray, y: np.ndarray, blocks: OddBlocks) -> np.ndarray:
    """Sdet Q = det(X − α Y^{-1} β) / det Y for numeric X, Y and the Grassmann blocks α, β."""
    dim = blocks.algebra.dimension
    y_inverse = np.linalg.inv(y)
    schur = np.einsum("ij,ab->ijab", x, np.eye(dim)).astype(complex)
    for i, j, k, m in np.ndindex(x.shape[0], x.shape[0], y.shape[0], y.shape[0]):
        schur[i, j] -= y_inverse[k, m] * (blocks.alpha[i, k] @ blocks.beta[m, j])
    if x.shape[0] == 1:
        det = schur[0, 0]
    elif x.shape[0] == 2:        # entries of the Schur complement are even, hence commute
        det = schur[0, 0] @ schur[1, 1] - schur[0, 1] @ schur[1, 0]
    else:
        raise ValueError("only p = 1, 2 boson-boson blocks are implemented")
    return det / np.linalg.det(y)


def odd_density(x: np.ndarray, y: np.ndarray, power: float) -> complex:
    """(−1)^p ∫ Π ∂_α ∂_β Sdet(Q)^power for numeric blocks X (p × p), Y (q × q): exact Grassmann algebra."""
    x, y = np.atleast_2d(np.asarray(x, dtype=complex)), np.atleast_2d(np.asarray(y, dtype=complex))
    blocks = odd_blocks(x.shape[0], y.shape[0])
    element = algebra_power(_sdet_with_odd_blocks(x, y, blocks), power)
    return (-1) ** x.shape[0] * berezin_integral(blocks.algebra, element, blocks.count)[()]


@cache
def odd_constant(p: int, q: int, power: float) -> complex:
    """c = (−1)^p ∫DαDβ det(1 − αβ)^power, so that the odd density is c det(X)^{N−q} det(Y)^{−N−p}."""
    return odd_density(np.eye(p), np.eye(q), power)


def supertranspose(matrix: np.ndarray, grading: Grading) -> np.ndarray:
    """(M^{st})_ij = (−1)^{|i|(|i| + |j|)} M_ji: [[A, B], [C, D]] ↦ [[Aᵀ, Cᵀ], [−Bᵀ, Dᵀ]] (algebra-valued)."""
    n = grading.size
    if matrix.shape[:2] != (n, n):
        raise ValueError(f"matrix of shape {matrix.shape[:2]} does not fit a grading of size {n}")
    parity = grading.parities
    result = np.empty_like(matrix)
    for i, j in np.ndindex(n, n):
        result[i, j] = (-1) ** (parity[i] * (parity[i] + parity[j])) * matrix[j, i]
    return result


def charge_conjugation_double(matrix: np.ndarray, grading: Grading) -> tuple[np.ndarray, Grading]:
    """Q₈ = diag(Q, Q^{st}): the unitary-class form of the paper's (4|4) Q (commuting with τ₃ of the doubling)."""
    n, dim = grading.size, matrix.shape[2]
    doubled = np.zeros((2 * n, 2 * n, dim, dim), dtype=matrix.dtype)
    doubled[:n, :n], doubled[n:, n:] = matrix, supertranspose(matrix, grading)
    return doubled, Grading(grading.parities * 2)


# --- eigenvalue quadratures ----------------------------------------------------------------------

def _sphere_nodes(order: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors and weights of dΩ/4π: Gauss–Legendre in cos θ times a trapezoid in φ."""
    cosines, cos_weights = np.polynomial.legendre.leggauss(order)
    azimuths = 2 * np.pi * np.arange(2 * order) / (2 * order)
    c, a = np.meshgrid(cosines, azimuths, indexing="ij")
    s = np.sqrt(1 - c**2)
    vectors = np.stack([s * np.cos(a), s * np.sin(a), c], axis=-1).reshape(-1, 3)
    weights = np.repeat(cos_weights / 2, 2 * order) / (2 * order)
    return vectors, weights


_PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def eigenvalue_nodes_positive(p: int, power: float, rate: float, order: int,
                              sphere_order: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Matrices X > 0 and weights for ∫dX det(X)^power f(X) (dX of the module docstring).

    X = U diag(x) U†: Gauss–Laguerre in ``rate``·x_i (the integrand should decay like e^{−rate tr X});
    for p = 2 the coset U(2)/T is the unit sphere, X = (x₁ + x₂)/2 + (x₁ − x₂)/2 n·σ, and the Weyl weight is
    (1/2) (x₁ − x₂)² (the π of the off-diagonal d²X₁₂ is divided out).
    """
    if rate <= 0 or order < 1:
        raise ValueError(f"rate must be positive and order ≥ 1, got {rate}, {order}")
    nodes, weights = np.polynomial.laguerre.laggauss(order)
    x, w = nodes / rate, weights * np.exp(nodes) / rate          # plain ∫_0^∞ dx weights
    if p == 1:
        return x.reshape(-1, 1, 1).astype(complex), w * x**power
    if p != 2:
        raise ValueError(f"p must be 1 or 2, got {p}")
    x1, x2 = np.meshgrid(x, x, indexing="ij")
    w12 = np.outer(w, w) * 0.5 * (x1 - x2) ** 2 * (x1 * x2) ** power
    vectors, sphere_weights = _sphere_nodes(sphere_order)
    mean, half = ((x1 + x2) / 2).ravel(), ((x1 - x2) / 2).ravel()
    directions = np.einsum("sk,kab->sab", vectors, _PAULI)
    matrices = mean[:, None, None, None] * np.eye(2) + half[:, None, None, None] * directions[None]
    return matrices.reshape(-1, 2, 2), np.outer(w12.ravel(), sphere_weights).ravel()


def eigenvalue_nodes_unitary(q: int, power: int, order: int, radius: float = 1.0,
                             sphere_order: int = 10, center: complex = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Matrices Y and weights for ∫dY det(Y)^power f(Y), dY = det(Y)^q dμ_Haar, over U(q) scaled by ``radius``.

    For a holomorphic integrand the result does not depend on the radius (Cauchy); eigenphases on a
    trapezoid of ``order`` points each, Weyl weight |Δ(e^{iφ})|²/q!, for q = 2 the coset as the sphere.
    ``center`` ≠ 0 (q = 1 only) moves the circle: a cycle that does not wind around Y = 0 is a wrong domain.
    """
    if order < 1 or radius <= 0:
        raise ValueError(f"order must be ≥ 1 and radius positive, got {order}, {radius}")
    phases = 2 * np.pi * np.arange(order) / order
    circle = radius * np.exp(1j * phases)
    z, w = center + circle, np.full(order, 1.0 / order)
    if q == 1:            # dμ = dz/(2πi z) on the unit circle; on a moved circle dz/(2πi) = circle dφ/2π
        return z.reshape(-1, 1, 1), w * circle * z**power
    if center != 0:
        raise ValueError("a moved circle is implemented for q = 1 only")
    if q != 2:
        raise ValueError(f"q must be 1 or 2, got {q}")
    z1, z2 = np.meshgrid(z, z, indexing="ij")
    # |Δ|² = (z1 − z2)(1/z1 − 1/z2) on the unit circle, continued holomorphically off it
    vandermonde = -(z1 - z2) ** 2 / (z1 * z2)
    w12 = np.outer(w, w) * vandermonde / 2 * (z1 * z2) ** (power + 2)
    vectors, sphere_weights = _sphere_nodes(sphere_order)
    mean, half = ((z1 + z2) / 2).ravel(), ((z1 - z2) / 2).ravel()
    directions = np.einsum("sk,kab->sab", vectors, _PAULI)
    matrices = mean[:, None, None, None] * np.eye(2) + half[:, None, None, None] * directions[None]
    return matrices.reshape(-1, 2, 2), np.outer(w12.ravel(), sphere_weights).ravel()


def _trace_products(m: np.ndarray, matrices: np.ndarray) -> np.ndarray:
    return np.einsum("ij,kji->k", m, matrices)


def gaussian_superbosonized(m_boson: np.ndarray, m_fermion: np.ndarray, flavours: int, order: int = 40,
                            sphere_order: int = 10, observable=None, radius: float = 1.0) -> complex:
    """∫_D DQ Sdet(Q)^N e^{−Str(MQ)} O(X) for block-diagonal numeric M = diag(M_B, M_F), p = q ≤ 2.

    The odd integral of Sdet(Q)^N is c_N det(X)^{N−q} det(Y)^{−N−p} (``odd_density``; the factorisation is
    a change of variables α → X^{-1} α Y^{-1}, checked against the Grassmann algebra in the tests), so the
    bosonic integral factorises into a positive-Hermitian and a unitary eigenvalue quadrature. ``observable``
    is an optional function of the boson–boson block X (array (K, p, p) → (K,)).
    """
    m_boson, m_fermion = np.atleast_2d(m_boson), np.atleast_2d(m_fermion)
    p, q = m_boson.shape[0], m_fermion.shape[0]
    if p != q:
        raise ValueError(f"only p = q is implemented, got p = {p}, q = {q}")
    if flavours < p:
        raise ValueError(f"superbosonization needs N ≥ p flavours, got N = {flavours}, p = {p}")
    rate = float(np.min(np.linalg.eigvalsh((m_boson + m_boson.conj().T) / 2)))
    if rate <= 0:
        raise ValueError("m_boson must have a positive definite Hermitian part (a convergent Gaussian)")
    xs, wx = eigenvalue_nodes_positive(p, flavours - q, rate, order, sphere_order)
    ys, wy = eigenvalue_nodes_unitary(q, -flavours - p, max(order, 4 * flavours + 8), radius, sphere_order)
    boson_values = np.exp(-_trace_products(m_boson, xs))
    if observable is not None:
        boson_values = boson_values * observable(xs)
    boson = np.sum(wx * boson_values)
    fermion = np.sum(wy * np.exp(_trace_products(m_fermion, ys)))
    return complex(odd_constant(p, q, flavours) * boson * fermion)


def superbosonized_11(m: np.ndarray, flavours: int, algebra_sources: GrassmannAlgebra | None = None,
                      order: int = 40, fermion_order: int | None = None, radius: float = 1.0,
                      center: complex = 0.0) -> dict[tuple, complex]:
    """(1|1): ∫_D DQ Sdet(Q)^N e^{−Str(MQ)} with every node's Grassmann integral in the explicit algebra.

    ``m`` is (2, 2, D, D): an even supermatrix over an algebra whose first two generators are free for
    α, β (``odd_blocks(1, 1, sources)``), so M may carry Grassmann sources in its odd entries. Returns
    the result as {source word: coefficient}. ``radius`` and ``center`` move the fermion–fermion cycle.
    """
    blocks = odd_blocks(1, 1, sources=algebra_sources.generators - 2 if algebra_sources is not None else 0)
    dim = blocks.algebra.dimension
    if m.shape != (2, 2, dim, dim):
        raise ValueError(f"m must have shape (2, 2, {dim}, {dim}), got {m.shape}")
    rate = float(np.real(m[0, 0, 0, 0]))
    xs, wx = eigenvalue_nodes_positive(1, 0, rate, order)
    xs = xs[:, 0, 0]
    ys, wy = eigenvalue_nodes_unitary(1, 0, fermion_order or 4 * flavours + 12, radius, center=center)
    ys = ys[:, 0, 0]
    one = np.eye(dim)
    alpha, beta = blocks.alpha[0, 0], blocks.beta[0, 0]
    total = np.zeros((dim, dim), dtype=complex)
    for x, weight_x in zip(xs, wx, strict=True):
        for y, weight_y in zip(ys, wy, strict=True):
            sdet = (x * one - alpha @ beta / y) / y
            supertrace = m[0, 0] * x + m[0, 1] @ beta - m[1, 0] @ alpha - m[1, 1] * y
            integrand = algebra_power(sdet, flavours) @ algebra_exp(-supertrace)
            total += weight_x * weight_y * integrand
    return {word: -value for word, value in berezin_integral(blocks.algebra, total, 2).items()}


def unitary_class_constants(p: int, flavours: int) -> dict[str, float]:
    """The closed forms the normalisation rests on (p = q): Siegel's Γ_p and the U(p) integral.

    ∫_{X>0} dX det(X)^{N−p} e^{−tr X} = Π_{j<p} Γ(N − j) (with d²X_ij/π), and
    ∫_{U(p)} dμ(Y) det(Y)^{−N} e^{tr Y} = Π_{j<p} j!/(N + j)!.
    """
    siegel = float(np.prod([factorial(flavours - 1 - j) for j in range(p)]))
    unitary = float(np.prod([factorial(j) / factorial(flavours + j) for j in range(p)]))
    return {"siegel": siegel, "unitary": unitary, "odd": float(np.real(odd_constant(p, p, flavours)))}
