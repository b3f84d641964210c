"""The collision operator (ĈP)_n = n_i⟨w(n·n')(P_n − P_n')⟩ and word-by-word angular averages."""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.symbols import (
    n_i,
)
from derive.engines.transport import (
    sphere_average,
)
from derive.engines.trln import expand_terms

__all__ = ["average_words", "collision_operator"]


def average_words(expr: sympy.Expr, vectors) -> sympy.Expr:
    """Average a noncommutative polynomial over unit vectors, word by word (coefficients commutative)."""
    total = sympy.Integer(0)
    # expand_terms distributes over the noncommutative words itself; expanding the whole expression first
    # would also multiply out every commutative coefficient in every term (each is expanded once below)
    for word, coeff in expand_terms(expr).items():
        for vector in vectors:
            coeff = sphere_average(coeff, vector)
        total += sympy.expand(coeff) * sympy.Mul(*word)
    return total


def collision_operator(field, w: sympy.Expr, n, n2) -> sympy.Expr:
    """(ĈP)_n = n_i ⟨w(n·n')(P_n − P_n')⟩_{n'}, harmonic by harmonic."""
    return n_i * average_words(w * (field(n) - field(n2)), [n2])
