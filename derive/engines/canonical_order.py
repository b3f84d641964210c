"""SymPy's canonical argument order as a sort key, so large Adds and Muls can be assembled without re-sorting.

``Add`` and ``Mul`` sort their arguments with ``cmp_to_key(Basic.compare)``: a Python-level comparison
per pair, thousands of them for a sum of thousands of terms. ``compare_key`` turns the same rules into a
nested tuple (class rank, class name, length of the hashable content, the keys of its entries), which
Python compares in C; keys of shared subexpressions are memoised. Objects built with ``canonical_add`` and
``canonical_mul`` are equal (``==``, same hash) to what ``Add(*terms)`` and ``Mul(*factors)`` return, as
long as the caller guarantees what those constructors would otherwise do: no two terms with the same
non-numeric part, no two factors with the same base, no numbers among the non-coefficient factors.
"""
from __future__ import annotations

from collections.abc import Iterable

import sympy
from sympy.core import basic as _basic

CompareKey = tuple


class CompareKeys:
    """Memoised ``compare_key`` for one assembly (the memo lives as long as this object)."""

    def __init__(self) -> None:
        # by id, not by value: 2 == 2.0 in SymPy, but Integer(2) and Float(2.0) have different keys
        self._memo: dict[int, tuple[sympy.Basic, CompareKey]] = {}
        self._unknown_rank = len(_basic.ordering_of_classes) + 1
        self._ranks: dict[type, tuple[int, str]] = {}
        self._mul_rank = self._class_rank(sympy.Mul)

    @property
    def mul_rank(self) -> tuple[int, str]:
        return self._mul_rank

    def record(self, expression: sympy.Basic, rank: tuple[int, str], entry_keys: list[CompareKey]) -> None:
        """Memoise the key of an object built here from entries whose keys are known."""
        self._memo[id(expression)] = (expression, (0, *rank, len(entry_keys), tuple(entry_keys)))

    def _class_rank(self, cls: type) -> tuple[int, str]:
        rank = self._ranks.get(cls)
        if rank is None:
            name = cls.__name__
            index = _basic.ordering_of_classes.index(name) if name in _basic.ordering_of_classes else self._unknown_rank
            rank = self._ranks[cls] = (index, name)
        return rank

    def __call__(self, expression: sympy.Basic) -> CompareKey:
        """The key: ``a.compare(b) < 0`` exactly when ``key(a) < key(b)`` (Basic sorts before non-Basic)."""
        known = self._memo.get(id(expression))
        if known is not None:
            return known[1]
        content = expression._hashable_content()
        entries = []
        for item in content:  # inlined: this loop runs for every argument of every new object
            if isinstance(item, sympy.Basic):
                entries.append(self(item))
            elif isinstance(item, frozenset):
                entries.append(self(sympy.Basic(*item)))  # what Basic.compare does with a frozenset entry
            else:
                entries.append((1, item))
        key = (0, *self._class_rank(type(expression)), len(content), tuple(entries))
        self._memo[id(expression)] = (expression, key)  # holding the object keeps its id from being reused
        return key


def canonical_mul(coefficient: sympy.Number, factors: Iterable[sympy.Basic], keys: CompareKeys,
                  noncommutative: Iterable[sympy.Basic] = ()) -> sympy.Expr:
    """``Mul(coefficient, *factors, *noncommutative)`` for distinct, non-numeric bases, without flattening."""
    ordered = sorted(factors, key=keys)
    tail = list(noncommutative)
    args = ([] if coefficient == 1 else [coefficient]) + ordered + tail
    if not args:
        return sympy.S.One
    if len(args) == 1:
        return args[0]
    product = sympy.Mul._from_args(args, not tail)
    keys.record(product, keys.mul_rank, [keys(arg) for arg in args])  # the factors' keys are memoised already
    return product


def canonical_add(terms: Iterable[sympy.Expr], keys: CompareKeys) -> sympy.Expr:
    """``Add(*terms)`` for terms with pairwise different non-numeric parts, none of them a number."""
    ordered = sorted(terms, key=keys)
    if not ordered:
        return sympy.S.Zero
    if len(ordered) == 1:
        return ordered[0]
    return sympy.Add._from_args(ordered, all(term.is_commutative for term in ordered))
