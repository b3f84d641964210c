"""Eq. (7) for matrix-valued and noncommutative symbols: the derivatives of A stay left of those of B."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.moyal.fields import undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, p, r
from derive.engines import claims
from derive.engines.moyal import StarProduct, star
from derive.model import Step

__all__ = ["eq07_matrix_valued"]


def eq07_matrix_valued() -> Step:
    """Matrix-valued symbols keep their order: entrywise sums, constant matrices factor out, AB not BA."""
    size = 2
    M, N = sympy.MatrixSymbol("M", size, size), sympy.MatrixSymbol("N", size, size)
    f, g = undefined("f", 1), undefined("g", 1)
    # (A * B)_ij is row i of A times column j of B: one row and one column of undefined functions.
    row = sympy.ImmutableMatrix(1, size, lambda _, k: sympy.Function(f"A_{{1{k + 1}}}")(r, p))
    column = sympy.ImmutableMatrix(size, 1, lambda k, _: sympy.Function(f"B_{{{k + 1}1}}")(r, p))
    entrywise = sympy.Eq(StarProduct(row, column),
                         sympy.Add(*(StarProduct(row[0, k], column[k, 0]) for k in range(size))) + sympy.O(hbar**3), evaluate=False)

    def product_evaluated() -> sympy.Expr:
        (entry,) = star(row, column, r, p, 2, hbar)
        return entry

    def entries_evaluated() -> sympy.Expr:
        return entrywise.rhs.removeO().replace(lambda node: isinstance(node, StarProduct), lambda node: star(*node.args, r, p, 2, hbar))

    factored = sympy.Eq(StarProduct(f * M, g * N), sympy.MatMul(star(f, g, r, p, 2, hbar) + sympy.O(hbar**3), M, N), evaluate=False)
    X, Y = undefined("X", 1, commutative=False), undefined("Y", 1, commutative=False)
    return Step(
        **OUTLINE.header("matrix-valued"),
        result=sympy.Eq(
            StarProduct(f * M, g * N), sympy.MatMul(star(f, g, r, p, 1, hbar) + sympy.O(hbar**2), M, N), evaluate=False
        ),
        claims=(
            claims.equal(
                "for matrices of functions the star product is taken entrywise, "
                "$(A\\star B)_{ij} = \\sum_k A_{ik}\\star B_{kj}$: a row times a column of $2$ functions, through $\\hbar^2$",
                product_evaluated,
                entries_evaluated,
                formula=entrywise,
            ),
            claims.equal(
                "$(fM)\\star(gN) = (f\\star g)MN$ for constant matrices $M$, $N$ through $\\hbar^2$",
                partial(lambda: star(f * M, g * N, r, p, 2, hbar).doit()),
                partial(lambda: (factored.rhs.args[0].removeO() * M * N).doit()),
                formula=factored,
            ),
            claims.equal(
                "for noncommutative $X$, $Y$ the order-zero term is the operator product $XY$, not $YX$",
                partial(lambda: star(X, Y, r, p, 0, hbar) - star(Y, X, r, p, 0, hbar)),
                X * Y - Y * X,
                formula=sympy.Eq(StarProduct(X, Y) - StarProduct(Y, X), X * Y - Y * X + sympy.O(hbar), evaluate=False),
            ),
        ),
        note="The derivatives of the left factor always stand left of those of the right one, so noncommutative and "
             "matrix symbols keep their order.",
    )
