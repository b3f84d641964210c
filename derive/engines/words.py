"""Noncommutative words: their polynomials, products and the one cyclic canonical form of their traces.

A *word* is a tuple of letters, order kept (SymPy operators: ``MatrixSymbol``, noncommutative symbols; or
plain strings such as the contact letters of ``freealgebra``). A polynomial (``Terms``) maps words to
commuting coefficients. A ``WordRules`` holds the relations of one algebra: a normal form of a linear word
(commuting letters sorted, Λ moved right with a sign, ...), pairs of neighbours whose product is 1, the
letters a canonical rotation may start at, the trace words that vanish, and the coefficient simplification
of its sums. Every engine (Tr ln, phases, supertraces, the gradient expansion) brings its trace words to
canonical form through ``WordRules.trace_word``: the least rotation, under ``sort_key`` on the letters, of
the cyclically reduced word, with a sign, and 0 when two rotations show the trace equals minus itself.
No SymPy ``cse``/``simplify``/``Trace`` canonicalisation is used: SymPy does not bring traces to a cyclic
normal form (sympy issue 20025) and mishandles noncommutative products.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import sympy
from sympy.matrices.expressions import (
    BlockDiagMatrix,
    BlockMatrix,
    Identity,
    MatAdd,
    MatMul,
    MatPow,
    ZeroMatrix,
)

Letter = Hashable
Word = tuple[Letter, ...]
Terms = dict[Word, sympy.Expr]


class _SortKeys:
    """Memoised ``default_sort_key`` (strings order as strings): the one order of letters."""

    def __init__(self) -> None:
        self._keys: dict[Letter, tuple] = {}

    def __call__(self, letter: Letter) -> tuple:
        key = self._keys.get(letter)
        if key is None:
            key = self._keys[letter] = sympy.default_sort_key(letter)
        return key


sort_key = _SortKeys()


def word_key(word: Sequence[Letter]) -> list[tuple]:
    """The order of words: lexicographic in ``sort_key`` of their letters."""
    return [sort_key(letter) for letter in word]


def sorted_words(words: Iterable[Word]) -> list[Word]:
    """Words in their deterministic order (the order terms are printed in)."""
    return sorted(words, key=word_key)


def cancel_adjacent_pairs(word: Sequence[Letter], cancels: Callable[[Letter, Letter], bool], cyclic: bool = True) -> Word:
    """Remove neighbours a b with ``cancels(a, b)`` (a b = 1) until none is left; ``cyclic`` also joins last and first."""
    word = tuple(word)
    changed = True
    while changed and len(word) > 1:
        changed = False
        pairs = len(word) if cyclic else len(word) - 1
        for i in range(pairs):
            j = (i + 1) % len(word)
            if cancels(word[i], word[j]):
                word = tuple(letter for k, letter in enumerate(word) if k not in (i, j))
                changed = True
                break
    return word


def _unchanged(word: Word) -> tuple[int, Word]:
    return 1, word


def _never(*_: object) -> bool:
    return False


def _always(_: Letter) -> bool:
    return True


def _identity(coefficient: sympy.Expr) -> sympy.Expr:
    return coefficient


@dataclass(frozen=True)
class WordRules:
    """The relations of one algebra of words, and through them its products and canonical traces.

    ``normal_form(word) -> (sign, word)`` applies the relations of neighbouring letters to a linear word
    (it must be idempotent); ``cancels(a, b)`` says a b = 1 (applied inside traces, across the cyclic
    boundary too); ``may_start`` marks the letters a canonical rotation may begin with (letters that
    commute with their neighbours are not rotation points: ``normal_form`` moves them); ``vanishes``
    marks trace words that are zero by a rule of the algebra (Str 1 = 0); ``simplify`` is applied to the
    coefficients of every sum and product (traces always expand theirs).
    """

    normal_form: Callable[[Word], tuple[int, Word]] = _unchanged
    cancels: Callable[[Letter, Letter], bool] = _never
    may_start: Callable[[Letter], bool] = _always
    vanishes: Callable[[Word], bool] = _never
    simplify: Callable[[sympy.Expr], sympy.Expr] = _identity

    # --- polynomials ----------------------------------------------------------------------------------

    def add(self, *summands: Terms) -> Terms:
        """Sum of polynomials (zero coefficients dropped)."""
        total: Terms = {}
        for terms in summands:
            for word, coefficient in terms.items():
                previous = total.get(word)
                total[word] = coefficient if previous is None else previous + coefficient
        return self._nonzero(total)

    def _nonzero(self, terms: Terms) -> Terms:
        simplified = ((word, self.simplify(coefficient)) for word, coefficient in terms.items())
        return {word: coefficient for word, coefficient in simplified if coefficient != 0}

    def scale(self, terms: Terms, factor: sympy.Expr) -> Terms:
        """factor · terms, for a commuting factor."""
        return self.add({word: factor * coefficient for word, coefficient in terms.items()})

    def multiply(self, *factors: Terms) -> Terms:
        """Ordered product: words concatenate (then take their normal form), coefficients multiply."""
        product: Terms = {(): sympy.S.One}
        for factor in factors:
            terms: Terms = {}
            for left, left_coefficient in product.items():
                for right, right_coefficient in factor.items():
                    sign, word = self.normal_form(left + right)
                    if not sign:
                        continue
                    coefficient = left_coefficient * right_coefficient if sign == 1 else -left_coefficient * right_coefficient
                    previous = terms.get(word)
                    terms[word] = coefficient if previous is None else previous + coefficient
            product = self._nonzero(terms)
        return product

    # --- traces ---------------------------------------------------------------------------------------

    def trace_word(self, word: Sequence[Letter]) -> tuple[int, Word]:
        """(sign, canonical word) with Tr(word) = sign · Tr(canonical word); sign 0 when the trace vanishes.

        The canonical word is the least, under ``word_key`` and then the sign, of the normal forms of the
        word's rotations at its ``may_start`` letters, pairs that cancel removed (to a fixed point). Two
        rotations with equal words and opposite signs prove the trace is minus itself, hence zero.
        """
        word = self._cancelled(tuple(word))
        if self.vanishes(word):
            return 0, ()
        starts = [i for i, letter in enumerate(word) if self.may_start(letter)]
        if not starts:
            return self._reduced(*self.normal_form(word))
        if self.normal_form is _unchanged and self.cancels is _never:
            # No relations: the rotations are the candidates as they stand; compare them on keys computed once.
            keys = word_key(word)
            best = min(starts, key=lambda start: keys[start:] + keys[:start])
            form = word[best:] + word[:best]
            return (0, ()) if self.vanishes(form) else (1, form)
        forms = {self._reduced(*self.normal_form(word[i:] + word[:i])) for i in starts}
        if any(sign == 0 or (-sign, form) in forms for sign, form in forms):
            return 0, ()
        sign, form = min(forms, key=lambda item: (word_key(item[1]), item[0]))
        return (0, ()) if self.vanishes(form) else (sign, form)

    def _cancelled(self, word: Word) -> Word:
        return word if self.cancels is _never else cancel_adjacent_pairs(word, self.cancels)

    def _reduced(self, sign: int, form: Word) -> tuple[int, Word]:
        # A relation may bring a cancelling pair together (Q E F Q → Q Q → 1): start again on the shorter word.
        shorter = self._cancelled(form)
        if shorter == form:
            return (0, ()) if sign == 0 or self.vanishes(form) else (sign, form)
        inner_sign, inner = self.trace_word(shorter)
        return sign * inner_sign, inner

    def trace(self, terms: Terms) -> Terms:
        """Tr of a polynomial: every word in canonical cyclic form, equal traces combined, coefficients expanded."""
        traced: Terms = {}
        for word, coefficient in terms.items():
            sign, form = self.trace_word(word)
            if sign:
                signed = coefficient if sign == 1 else -coefficient
                previous = traced.get(form)
                traced[form] = signed if previous is None else previous + signed
        expanded = ((word, sympy.expand(coefficient)) for word, coefficient in traced.items())
        return {word: coefficient for word, coefficient in expanded if coefficient != 0}


FREE = WordRules()  # no relations: operator products as SymPy writes them (Tr ln, Fermi-surface jets)


def canonical_rotation(word: Sequence[Letter]) -> Word:
    """The least cyclic rotation of a word under ``sort_key`` on its letters (the free algebra's trace form)."""
    return FREE.trace_word(word)[1]


# --- SymPy operator expressions as polynomials of words -----------------------------------------------

def is_operator(expr: sympy.Basic) -> bool:
    """A matrix expression or a noncommutative expression (something that has a place in a word)."""
    return bool(getattr(expr, "is_Matrix", False)) or expr.is_commutative is False


def _power_terms(base: sympy.Basic, exponent: sympy.Basic) -> Terms:
    if not (exponent.is_Integer and exponent > 0):
        atom = MatPow(base, exponent) if base.is_Matrix else sympy.Pow(base, exponent, evaluate=False)
        return {(atom,): sympy.S.One}
    base_terms = expand_terms(base)
    result: Terms = {(): sympy.S.One}
    for _ in range(int(exponent)):
        result = FREE.multiply(result, base_terms)
    return result


def expand_terms(expr: sympy.Basic) -> Terms:
    """Expand an operator expression into {word: coefficient}; unknown operator nodes are letters."""
    if isinstance(expr, (BlockMatrix, BlockDiagMatrix)):
        raise TypeError("expand_terms: a BlockMatrix has no single word expansion; use block_terms")
    if isinstance(expr, ZeroMatrix) or expr == 0:
        return {}
    if isinstance(expr, Identity):
        return {(): sympy.S.One}
    if not is_operator(expr):
        return {(): sympy.sympify(expr)}
    if isinstance(expr, (MatAdd, sympy.Add)):
        return FREE.add(*(expand_terms(arg) for arg in expr.args))
    if isinstance(expr, (MatMul, sympy.Mul)):
        return FREE.multiply(*(expand_terms(factor) for factor in expr.args))
    if isinstance(expr, (MatPow, sympy.Pow)):
        return _power_terms(*expr.args)
    return {(expr,): sympy.S.One}


__all__ = [
    "Letter", "Word", "Terms", "sort_key", "word_key", "sorted_words", "cancel_adjacent_pairs", "WordRules", "FREE",
    "canonical_rotation", "is_operator", "expand_terms",
]
