"""Tr ln(1 + G V) as a series of traces in one canonical cyclic form.

Operator-valued expressions (``MatrixSymbol`` products and sums, ``BlockMatrix``, noncommutative
symbols) are expanded into *terms* of derive.engines.words: a dict from a tuple of noncommutative
factors (the word, order kept) to its commutative coefficient. A trace of a word is brought to the
canonical cyclic form of its ``WordRules`` (by default the free algebra's: the least rotation under
``sympy.default_sort_key`` on the factors), so traces equal by cyclicity become the same key and
combine; non-cyclic permutations keep different keys. SymPy's ``Trace`` is not cyclically
canonicalised (sympy issue 20025), and ``cse``/``simplify`` mishandle noncommutative products, so
nothing here calls them.
"""
from __future__ import annotations

from collections.abc import Iterable

import sympy
from sympy.matrices.expressions import (
    BlockDiagMatrix,
    BlockMatrix,
    MatMul,
    MatrixSymbol,
    Trace,
    ZeroMatrix,
)

from derive.engines.words import (
    FREE,
    Terms,
    Word,
    WordRules,
    canonical_rotation,
    expand_terms,
    is_operator,
    sorted_words,
)

__all__ = [
    "Tr", "Word", "Terms", "WordRules", "expand_terms", "canonical_rotation", "trace_of_word", "traces_to_expr", "canonical_trace", "BlockTerms", "block_terms",
    "multiply_block_terms", "trln_series_terms", "trln_series", "trln_order", "GrainStructure",
    "grain_first_order_residual", "grain_second_order_residual",
]


class Tr(sympy.Function):
    """Trace of a word of noncommutative symbols, ``Tr(a, b, c)`` = Tr[a b c] (order kept).

    SymPy's ``Trace`` accepts only matrices, and a ``Mul`` would be re-evaluated as scalar
    multiplication once matrices are substituted, so the factors are separate arguments:
    substituting matrices for the symbols and calling ``.doit()`` gives the number.
    """

    is_commutative = True

    def doit(self, **hints):
        factors = [factor.doit(**hints) if hints.get("deep", True) else factor for factor in self.args]
        if factors and all(isinstance(factor, sympy.MatrixBase) for factor in factors):
            product = factors[0]
            for factor in factors[1:]:
                product = product * factor
            return product.trace()
        return self.func(*factors)

    def _sympystr(self, printer) -> str:
        return "Tr(" + "*".join(printer._print(factor) for factor in self.args) + ")"



def trace_of_word(word: Word, dimension: sympy.Expr | None = None) -> sympy.Expr:
    """SymPy object for Tr of one word: ``Trace`` for matrices, ``Tr`` for noncommutative symbols."""
    if not word:
        if dimension is None:
            return Tr(sympy.S.One)
        return dimension
    if all(getattr(factor, "is_Matrix", False) for factor in word):
        return Trace(word[0] if len(word) == 1 else MatMul(*word, evaluate=False))
    if any(getattr(factor, "is_Matrix", False) for factor in word):
        raise TypeError(f"cannot trace a word mixing matrices and noncommutative symbols: {word}")
    return Tr(*word)


def traces_to_expr(traced: Terms, dimension: sympy.Expr | None = None) -> sympy.Expr:
    """Sum of coefficient * trace, terms in deterministic order (sorted words)."""
    words = sorted_words(traced)
    return sympy.Add(*(traced[word] * trace_of_word(word, dimension) for word in words))


def _split_trace_factor(summand: sympy.Expr) -> tuple[sympy.Expr, sympy.Basic | None]:
    """(coefficient, trace) of a summand holding exactly one trace factor, else (summand, None)."""
    factors = sympy.Mul.make_args(summand)
    traces = [factor for factor in factors if isinstance(factor, (Trace, Tr))]
    if len(traces) != 1:
        return summand, None
    return sympy.Mul(*(factor for factor in factors if factor is not traces[0])), traces[0]


def canonical_trace(expr: sympy.Basic, rules: WordRules = FREE) -> sympy.Expr:
    """Rewrite every Trace/Tr in ``expr`` (linear in traces) as a sum of traces in the canonical form of ``rules``."""
    collected: list[Terms] = []
    rest, dimension = sympy.S.Zero, None
    for summand in sympy.Add.make_args(sympy.expand(expr)):
        coeff, trace = _split_trace_factor(summand)
        if trace is None:
            rest += summand
            continue
        if isinstance(trace, Trace):
            dimension = trace.arg.shape[0]
            inner = expand_terms(trace.arg)
        else:
            inner = expand_terms(sympy.Mul(*trace.args))
        collected.append({word: coeff * c for word, c in inner.items()})
    combined = rules.trace(FREE.add(*collected))
    return traces_to_expr(combined, dimension) + rest


BlockTerms = list[list[Terms]]


def block_terms(matrix: sympy.Basic) -> BlockTerms:
    """Expand every block of a BlockMatrix/BlockDiagMatrix into terms (zero blocks become {})."""
    blocks = matrix.blocks
    return [[expand_terms(blocks[i, j]) for j in range(blocks.cols)] for i in range(blocks.rows)]


def multiply_block_terms(left: BlockTerms, right: BlockTerms) -> BlockTerms:
    """Block-matrix product of expanded blocks."""
    inner = range(len(right))
    return [
        [FREE.add(*(FREE.multiply(left[i][j], right[j][k]) for j in inner)) for k in range(len(right[0]))]
        for i in range(len(left))
    ]


def _check_block_structure(G: sympy.Basic, V: sympy.Basic) -> None:
    if list(G.colblocksizes) != list(V.rowblocksizes) or list(V.colblocksizes) != list(G.rowblocksizes):
        raise ValueError(
            "trln_series: block structures of G and V do not match: G blocks "
            f"{list(G.rowblocksizes)}x{list(G.colblocksizes)}, V blocks {list(V.rowblocksizes)}x{list(V.colblocksizes)}"
        )


def _power_traces(G: sympy.Basic, V: sympy.Basic, order: int) -> list[Terms]:
    """[Tr (GV)^1, ..., Tr (GV)^order] as canonical traced terms."""
    is_block = [isinstance(m, (BlockMatrix, BlockDiagMatrix)) for m in (G, V)]
    if any(is_block) and not all(is_block):
        raise ValueError("trln_series: G and V must both be block matrices or neither")
    traces = []
    if all(is_block):
        _check_block_structure(G, V)
        step = multiply_block_terms(block_terms(G), block_terms(V))
        power = step
        for _ in range(order):
            traces.append(FREE.trace(FREE.add(*(power[i][i] for i in range(len(power))))))
            power = multiply_block_terms(power, step)
        return traces
    step = FREE.multiply(expand_terms(G), expand_terms(V))
    power = step
    for _ in range(order):
        traces.append(FREE.trace(power))
        power = FREE.multiply(power, step)
    return traces


def _dimension(G: sympy.Basic) -> sympy.Expr | None:
    return G.shape[0] if getattr(G, "is_Matrix", False) else None


def trln_series_terms(G: sympy.Basic, V: sympy.Basic, order: int) -> list[Terms]:
    """The n-th order terms (-1)^(n+1)/n Tr[(G V)^n], n = 1..order, each as canonical traced terms."""
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"trln_series: order must be a positive integer, got {order!r}")
    for name, operand in (("G", G), ("V", V)):
        if not (isinstance(operand, sympy.Basic) and is_operator(operand)):
            raise TypeError(f"trln_series: {name} must be a matrix expression or a noncommutative SymPy expression, "
                            f"got {type(operand).__name__}")
    powers = _power_traces(G, V, order)
    return [
        {word: sympy.Rational((-1) ** (n + 1), n) * coeff for word, coeff in traced.items()}
        for n, traced in enumerate(powers, start=1)
    ]


def trln_series(G: sympy.Basic, V: sympy.Basic, order: int) -> sympy.Expr:
    """Tr ln(1 + G V) through ``order``: sum_n (-1)^(n+1)/n Tr[(G V)^n] with canonical cyclic traces."""
    total = FREE.trace(FREE.add(*trln_series_terms(G, V, order)))
    return traces_to_expr(total, _dimension(G))


def trln_order(G: sympy.Basic, V: sympy.Basic, n: int) -> sympy.Expr:
    """Only the n-th order term (-1)^(n+1)/n Tr[(G V)^n] of the series."""
    return traces_to_expr(trln_series_terms(G, V, n)[-1], _dimension(G))


GRAIN_SIZE = sympy.Symbol("n")  # the default size of a grain's matrices


class GrainStructure:
    """G block-diagonal over grains (blocks G_l), V = -t connecting neighbouring grains (blocks t_ll')."""

    def __init__(self, n_grains: int, contacts: Iterable[tuple[int, int]], size: sympy.Expr = GRAIN_SIZE):
        contacts = sorted({tuple(sorted(pair)) for pair in contacts})
        if any(l == m or not (0 <= l < n_grains and 0 <= m < n_grains) for l, m in contacts):
            raise ValueError(f"GrainStructure: contacts must join two different grains of 0..{n_grains - 1}: {contacts}")
        self.n_grains, self.contacts, self.size = n_grains, contacts, size
        self.G_blocks = [MatrixSymbol(f"G_{l}", size, size) for l in range(n_grains)]
        self.t = {}
        for l, m in contacts:
            self.t[(l, m)] = MatrixSymbol(f"t_{l}{m}", size, size)
            self.t[(m, l)] = MatrixSymbol(f"t_{m}{l}", size, size)

    @property
    def G(self) -> BlockDiagMatrix:
        return BlockDiagMatrix(*self.G_blocks)

    @property
    def V(self) -> BlockMatrix:
        zero = ZeroMatrix(self.size, self.size)
        rows = range(self.n_grains)
        return BlockMatrix([[-self.t[(l, m)] if (l, m) in self.t else zero for m in rows] for l in rows])

    def ordered_pair_sum(self) -> sympy.Expr:
        """sum over ordered pairs (l, l') of neighbours of Tr[G_l t_ll' G_l' t_l'l] (each contact twice)."""
        return sympy.Add(*(
            Trace(MatMul(self.G_blocks[l], self.t[(l, m)], self.G_blocks[m], self.t[(m, l)]))
            for (l, m) in sorted(self.t)
        ))

    def contact_sum(self) -> sympy.Expr:
        """sum over contacts (unordered pairs, each once) of Tr[G_l t_ll' G_l' t_l'l]."""
        return sympy.Add(*(
            Trace(MatMul(self.G_blocks[l], self.t[(l, m)], self.G_blocks[m], self.t[(m, l)]))
            for (l, m) in self.contacts
        ))


def grain_first_order_residual(grains: GrainStructure) -> sympy.Expr:
    """Tr[G V] for the grain structure (zero: V has no blocks inside a grain)."""
    return trln_order(grains.G, grains.V, 1)


def grain_second_order_residual(grains: GrainStructure) -> sympy.Expr:
    """-(1/2) Tr[(G V)^2] minus -(1/2) sum_ll' Tr[G_l t_ll' G_l' t_l'l] (zero when the engine agrees)."""
    expected = -sympy.Rational(1, 2) * grains.ordered_pair_sum()
    return canonical_trace(trln_order(grains.G, grains.V, 2) - expected)
