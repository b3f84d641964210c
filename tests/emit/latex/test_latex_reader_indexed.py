"""Indexed objects with several indices read back in index order; an IndexedBase is one symbol of a section."""
from __future__ import annotations

import sympy

from derive.emit.latex.printer import latex
from derive.emit.latex.reader import parse, symbol_leaves
from derive.emit.latex.roundtrip import comparison
from derive.emit.latex.symbols import names_with_two_meanings
from derive.model import Derivation, Step

c, kappa, lam = sympy.symbols(r"c \kappa \lambda", integer=True)
DELTA = sympy.IndexedBase(r"\Delta")


def test_two_indices_read_back_in_order():
    expr = sympy.Sum(DELTA[c, kappa] * DELTA[c, lam], (c, 1, 3))
    text = latex(expr)
    assert "{\\Delta}_{c,\\kappa}" in text
    parsed = parse(text, [expr])
    assert parsed == expr
    swapped = sympy.Sum(DELTA[kappa, c] * DELTA[c, lam], (c, 1, 3))
    assert comparison(parse(latex(swapped), [swapped]), expr) is None


def test_an_indexed_base_is_not_listed_with_its_label_as_a_second_symbol():
    assert sympy.Symbol(r"\Delta") not in symbol_leaves(DELTA[c, kappa])
    step = Step(id="s", title="t", paper="granular", equation="(1)", result=sympy.Eq(DELTA[c, kappa], 1))
    assert names_with_two_meanings(Derivation("toy", "Toy", "granular", (step,))) == {}
    # a Symbol of the label's name standing alone is still a leaf (and then a second object)
    alone = sympy.Eq(DELTA[c, kappa], sympy.Symbol(r"\Delta"))
    assert sympy.Symbol(r"\Delta") in symbol_leaves(alone)
