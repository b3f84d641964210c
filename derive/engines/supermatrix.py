"""Graded (boson/fermion) supermatrices: supertrace, superdeterminant, Λ, and a Grassmann algebra.

A supermatrix acts on a graded space whose basis vectors are bosonic (parity 0) or fermionic
(parity 1); the ``Grading`` records the parity of every row/column. Entries of an *even* supermatrix
are even elements of a Grassmann algebra in the boson-boson and fermion-fermion blocks and odd
elements in the mixed blocks.

Convention (Berezin): Str M = Σ_boson M_ii − Σ_fermion M_ii and
Sdet M = det(A − B D⁻¹ C) / det D for M = [[A, B], [C, D]] in (boson | fermion) blocks, so that
ln Sdet = Str ln. Efetov's book (and the bosonization paper) write the supertrace with the opposite
overall sign (Grassmann block first); every identity used here is linear in Str, so only the
notes differ.

For numerical checks a Grassmann algebra with k generators is represented faithfully by 2^k × 2^k
matrices (Jordan–Wigner: θ_i = σ_z ⊗ … ⊗ σ_z ⊗ σ₋ ⊗ 1 ⊗ … ⊗ 1), so odd entries really anticommute. A
supermatrix with algebra-valued entries is stored as an array of shape (n, n, 2^k, 2^k); ``to_operator``
embeds it as an (n·2^k)-square matrix, an algebra homomorphism, so matrix functions (inverse, log) of the
embedding are the embeddings of the supermatrix functions.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, reduce

import numpy as np
import sympy

from derive.engines.words import WordRules, expand_terms, sorted_words


@dataclass(frozen=True)
class Grading:
    """Parity (0 boson, 1 fermion) of every row/column index of a supermatrix."""

    parities: tuple[int, ...]

    def __post_init__(self) -> None:
        if any(p not in (0, 1) for p in self.parities):
            raise ValueError(f"parities must be 0 (boson) or 1 (fermion), got {self.parities}")

    @classmethod
    def retarded_advanced(cls, bosons: int = 1, fermions: int = 1) -> Grading:
        """Retarded/advanced blocks, each with ``bosons`` bosonic then ``fermions`` fermionic indices."""
        one_block = (0,) * bosons + (1,) * fermions
        return cls(one_block + one_block)

    @property
    def size(self) -> int:
        return len(self.parities)

    def entry_parity(self, i: int, j: int) -> int:
        """Parity of entry (i, j) of an even supermatrix: odd in the boson-fermion blocks."""
        return self.parities[i] ^ self.parities[j]

    def signs(self) -> np.ndarray:
        """+1 on bosonic, −1 on fermionic indices (the supertrace weights)."""
        return np.array([1 - 2 * p for p in self.parities])


def lambda_matrix(grading: Grading) -> sympy.Matrix:
    """Λ = diag(1, −1) in retarded/advanced blocks (first half retarded, second half advanced)."""
    half, rest = divmod(grading.size, 2)
    if rest or grading.parities[:half] != grading.parities[half:]:
        raise ValueError("Λ needs a retarded/advanced grading (two identical halves)")
    return sympy.diag(*([1] * half + [-1] * half))


def supertrace(matrix, grading: Grading):
    """Str M = Σ_boson M_ii − Σ_fermion M_ii, for a SymPy matrix or an algebra-valued array."""
    _check_shape(matrix, grading)
    return sum((sign * matrix[i, i] for i, sign in enumerate(grading.signs())), start=0 * matrix[0, 0])


def superdeterminant(matrix, grading: Grading):
    """Sdet M = det(A − B D⁻¹ C) / det D with A the boson-boson and D the fermion-fermion block."""
    _check_shape(matrix, grading)
    bosons = [i for i, p in enumerate(grading.parities) if p == 0]
    fermions = [i for i, p in enumerate(grading.parities) if p == 1]
    if isinstance(matrix, sympy.MatrixBase):
        a, b = matrix.extract(bosons, bosons), matrix.extract(bosons, fermions)
        c, d = matrix.extract(fermions, bosons), matrix.extract(fermions, fermions)
        return sympy.cancel((a - b * d.inv() * c).det() / d.det()) if fermions else a.det()
    a, b = matrix[np.ix_(bosons, bosons)], matrix[np.ix_(bosons, fermions)]
    c, d = matrix[np.ix_(fermions, bosons)], matrix[np.ix_(fermions, fermions)]
    schur = a - multiply(multiply(b, invert(d)), c) if fermions else a
    return algebra_determinant(schur) @ np.linalg.inv(algebra_determinant(d)) if fermions else (
        algebra_determinant(schur))


def _check_shape(matrix, grading: Grading) -> None:
    if matrix.shape[0] != grading.size or matrix.shape[1] != grading.size:
        raise ValueError(f"supermatrix of shape {matrix.shape[:2]} does not fit a grading of size {grading.size}")


# --- algebra-valued supermatrices: arrays of shape (n, n, D, D) --------------------------------------

class GrassmannAlgebra:
    """The Grassmann algebra with k generators, represented by 2^k × 2^k real matrices."""

    def __init__(self, generators: int):
        if generators < 0:
            raise ValueError("the number of generators must be non-negative")
        self.generators = generators
        self.dimension = 2**generators

    @cached_property
    def basis(self) -> list[tuple[tuple[int, ...], np.ndarray]]:
        """All monomials with their index words (built on first use: 2^k dense matrices are costly for k ≳ 8)."""
        return self._monomials()

    def generator(self, index: int) -> np.ndarray:
        """θ_index, Jordan–Wigner style: σ_z strings make distinct generators anticommute."""
        if not 0 <= index < self.generators:
            raise ValueError(f"generator index {index} out of range 0..{self.generators - 1}")
        lowering, z, one = np.array([[0.0, 0.0], [1.0, 0.0]]), np.diag([1.0, -1.0]), np.eye(2)
        factors = [z] * index + [lowering] + [one] * (self.generators - index - 1)
        return reduce(np.kron, factors, np.eye(1))

    def _monomials(self) -> list[tuple[tuple[int, ...], np.ndarray]]:
        """All products θ_{i1}…θ_{im} (i1 < … < im) with their degree's index tuple."""
        monomials = [((), np.eye(self.dimension))]
        for index in range(self.generators):
            theta = self.generator(index)
            monomials += [(word + (index,), matrix @ theta) for word, matrix in monomials]
        return monomials

    def random_element(self, rng: np.random.Generator, parity: int, body: float | None = None) -> np.ndarray:
        """A random element of the given parity; ``body`` fixes the number part of an even element."""
        element = np.zeros((self.dimension, self.dimension))
        for word, matrix in self.basis:
            if len(word) % 2 == parity:
                element += rng.normal() * matrix
        if parity == 0 and body is not None:
            element += (body - element[0, 0]) * np.eye(self.dimension)
        return element


def random_even_supermatrix(rng: np.random.Generator, algebra: GrassmannAlgebra, grading: Grading,
                            body: np.ndarray | None = None) -> np.ndarray:
    """Even supermatrix with random Grassmann entries (odd in mixed blocks); optional number part."""
    n, dim = grading.size, algebra.dimension
    result = np.zeros((n, n, dim, dim))
    for i in range(n):
        for j in range(n):
            value = None if body is None else float(body[i, j])
            result[i, j] = algebra.random_element(rng, grading.entry_parity(i, j), value)
    return result


def random_rational_even_supermatrix(seed: int, grading: Grading) -> sympy.Matrix:
    """An invertible even supermatrix with exact rational entries and zero odd blocks (no Grassmann part)."""
    import random

    rng = random.Random(seed)
    return sympy.Matrix(grading.size, grading.size, lambda i, j: (
        sympy.Rational(rng.randint(-6, 6), rng.randint(1, 4)) + (3 if i == j else 0)
        if grading.entry_parity(i, j) == 0 else 0))


def to_operator(matrix: np.ndarray) -> np.ndarray:
    """Embed an (n, n, D, D) algebra-valued matrix as an (nD, nD) matrix (a homomorphism)."""
    n, _, dim, _ = matrix.shape
    return matrix.transpose(0, 2, 1, 3).reshape(n * dim, n * dim)


def from_operator(operator: np.ndarray, n: int) -> np.ndarray:
    """Inverse of ``to_operator``."""
    dim = operator.shape[0] // n
    return operator.reshape(n, dim, n, dim).transpose(0, 2, 1, 3)


def multiply(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Product of algebra-valued matrices: entries multiply in the algebra, in order."""
    return np.einsum("ikab,kjbc->ijac", left, right)


def invert(matrix: np.ndarray) -> np.ndarray:
    """Inverse of an algebra-valued matrix (via its faithful embedding)."""
    return from_operator(np.linalg.inv(to_operator(matrix)), matrix.shape[0])


def algebra_determinant(matrix: np.ndarray) -> np.ndarray:
    """Determinant of a square matrix of mutually commuting (even) algebra elements, by elimination."""
    n, dim = matrix.shape[0], matrix.shape[2]
    if n == 0:
        return np.eye(dim)
    pivot = matrix[0, 0]
    pivot_inverse = np.linalg.inv(pivot)
    rest = matrix[1:, 1:] - np.einsum("iab,bc,jcd->ijad", matrix[1:, 0], pivot_inverse, matrix[0, 1:])
    return pivot @ algebra_determinant(rest)


def algebra_log(element: np.ndarray) -> np.ndarray:
    """ln of an even algebra element b·1 + N (N nilpotent): ln b + Σ_k (−1)^{k+1} (N/b)^k / k, a finite sum."""
    dim = element.shape[0]
    body = element[0, 0]                          # only the unit monomial has diagonal entries
    nilpotent = (element - body * np.eye(dim)) / body
    result, power = np.log(complex(body)) * np.eye(dim, dtype=complex), np.eye(dim)
    for k in range(1, dim.bit_length()):          # N^(generators + 1) = 0, dim = 2^generators
        power = power @ nilpotent
        result = result + (-1) ** (k + 1) * power / k
    return result


# --- symbolic supertraces of words of even supermatrices ---------------------------------------------

class Str(sympy.Function):
    """Supertrace of a word of noncommutative symbols, ``Str(a, b, c)`` = Str[a b c] (order kept)."""

    is_commutative = True

    def _sympystr(self, printer) -> str:
        return "Str(" + "*".join(printer._print(factor) for factor in self.args) + ")"


@dataclass(frozen=True)
class SupertraceRules:
    """Algebraic relations used to bring Str of words to a canonical form.

    ``lam`` squares to one; ``anticommuting`` symbols X satisfy Λ X = −X Λ (e.g. P with PΛ + ΛP = 0);
    ``inverses`` are pairs (X, X̄) with X X̄ = X̄ X = 1. Every symbol stands for an even supermatrix, so
    Str is cyclic without signs, and Str 1 = 0 for equal numbers of bosons and fermions.
    """

    lam: sympy.Symbol
    anticommuting: frozenset = frozenset()
    inverses: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()

    def cancels(self, left: sympy.Basic, right: sympy.Basic) -> bool:
        """X X̄ = X̄ X = 1 and Λ Λ = 1."""
        pairs = {(a, b) for a, b in self.inverses} | {(b, a) for a, b in self.inverses}
        return (left, right) in pairs or (left == right == self.lam)

    def push_lambdas_right(self, word: tuple) -> tuple[int, tuple]:
        """Linear normal form: every Λ moved right past anticommuting symbols (sign −1 each), ΛΛ cancelled."""
        sign, result = 1, []
        pending = 0                                   # Λ's waiting to be placed
        for factor in word:
            if factor == self.lam:
                pending ^= 1
            elif factor in self.anticommuting:
                sign *= -1 if pending else 1
                result.append(factor)
            else:
                result.extend([self.lam] * pending + [factor])
                pending = 0
        return sign, tuple(result + [self.lam] * pending)

    def vanishes(self, word: tuple) -> bool:
        """Str 1 = Str Λ = 0, and Str w = Str ΛwΛ = −Str w for a word of Λ and an odd number of anticommuting symbols."""
        if word in ((), (self.lam,)):
            return True
        return all(f == self.lam or f in self.anticommuting for f in word) and (
            sum(f in self.anticommuting for f in word) % 2 == 1)

    @property
    def words(self) -> WordRules:
        """These relations as the rules of derive.engines.words (Str is cyclic without signs for even supermatrices)."""
        return WordRules(normal_form=self.push_lambdas_right, cancels=self.cancels, vanishes=self.vanishes)


def canonical_word(word: tuple, rules: SupertraceRules) -> tuple[int, tuple]:
    """(sign, word) with Str(word) = sign · Str(canonical word); sign 0 when the supertrace vanishes."""
    return rules.words.trace_word(word)


def supertrace_of(expr: sympy.Basic, rules: SupertraceRules) -> sympy.Expr:
    """Str of a noncommutative expression as a canonical sum of coefficient × Str(word)."""
    traced = rules.words.trace(expand_terms(sympy.expand(expr)))
    return sympy.Add(*(traced[w] * Str(*w) for w in sorted_words(traced)))


def berezinian_of_linear_map(linear_map, grading: Grading) -> sympy.Expr:
    """Ber of a parity-preserving linear map M ↦ linear_map(M) on the supermatrices of a grading.

    Coordinates are the entries M_ij, even when p_i = p_j and odd otherwise; for a map that does not
    mix them, Ber = det(even block) / det(odd block). The map must accept and return SymPy matrices.
    """
    n = grading.size
    cells = [(i, j) for i in range(n) for j in range(n)]
    even = [c for c in cells if grading.entry_parity(*c) == 0]
    odd = [c for c in cells if grading.entry_parity(*c) == 1]
    columns = {}
    for cell in cells:
        unit = sympy.zeros(n, n)
        unit[cell] = 1
        columns[cell] = linear_map(unit)
    block = lambda rows, cols: sympy.Matrix(len(rows), len(cols), lambda a, b: columns[cols[b]][rows[a]])
    if any(x != 0 for x in block(even, odd)) or any(x != 0 for x in block(odd, even)):
        raise ValueError("the map mixes even and odd entries; its Berezinian needs the general formula")
    return sympy.cancel(block(even, even).det() / block(odd, odd).det())
