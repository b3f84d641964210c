"""Trace polynomials of derive.freealgebra as SymPy expressions: matrix expressions to export, symbols to display."""
from __future__ import annotations

import sympy

from derive.engines.freealgebra import TracePoly, n_dim
from derive.engines.trln import Tr
from derive.engines.words import sorted_words


class DiagonalMatrix(sympy.MatrixExpr):
    """diag(v) of an n×1 vector v (∇χ̂ from the vector of its diagonal); numpy: v[..., :, None]·1."""

    def __new__(cls, vector: sympy.MatrixExpr):
        if not (getattr(vector, "is_Matrix", False) and vector.shape[1] == 1):
            raise TypeError(f"DiagonalMatrix needs an n×1 vector, got {vector!r}")
        return super().__new__(cls, vector)

    shape = property(lambda self: (self.args[0].shape[0], self.args[0].shape[0]))

    def _entry(self, i, j, **kwargs):
        return sympy.KroneckerDelta(i, j) * self.args[0][i, 0]

    def _pythoncode(self, printer) -> str:
        vector = printer._print(self.args[0])
        return f"({vector}[..., :, None]*{printer._module_format('numpy.identity')}({vector}.shape[-1]))"

    _numpycode = _pythoncode


def to_matrix_expression(traces: TracePoly, symbols: dict[str, sympy.Basic], dimension: sympy.Expr = n_dim) -> sympy.Expr:
    """Σ coefficient · Trace(product of the letters' matrix symbols), terms in canonical order."""
    total = sympy.Integer(0)
    for word in sorted_words(traces):
        coefficient = traces[word]
        if not word:
            total += coefficient * dimension
            continue
        factors = [symbols[x] for x in word]
        argument = factors[0] if len(factors) == 1 else sympy.MatMul(*factors, evaluate=False)
        total += coefficient * sympy.Trace(argument)
    return total


def to_display(traces: TracePoly, symbols: dict[str, sympy.Symbol], dimension: sympy.Expr = n_dim) -> sympy.Expr:
    """Σ coefficient · Tr(letters as noncommutative symbols): for LaTeX display of a trace polynomial."""
    return sympy.Add(*(traces[w] * (Tr(*(symbols[x] for x in w)) if w else dimension) for w in sorted_words(traces)))
