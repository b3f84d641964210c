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
    explicit_a = sympy.Matrix(size, size, lambda i, j: sympy.Function(f"A{i}{j}")(r, p))
    explicit_b = sympy.Matrix(size, size, lambda i, j: sympy.Function(f"B{i}{j}")(r, p))

    def entrywise() -> sympy.Matrix:
        return sympy.Matrix(
            size, size,
            lambda i, j: sum(star(explicit_a[i, k], explicit_b[k, j], r, p, 2, hbar) for k in range(size)),
        )

    A, B = undefined("A", 1, commutative=False), undefined("B", 1, commutative=False)
    return Step(
        **OUTLINE.header("matrix-valued"),
        result=sympy.Eq(
            StarProduct(f * M, g * N), sympy.MatMul(star(f, g, r, p, 1, hbar) + sympy.O(hbar**2), M, N), evaluate=False
        ),
        claims=(
            claims.equal(
                "for $2\\times2$ matrices of functions, $(A\\star B)_{ij} = \\sum_k A_{ik}\\star B_{kj}$ through $\\hbar^2$",
                partial(star, explicit_a, explicit_b, r, p, 2, hbar),
                entrywise,
            ),
            claims.equal(
                "$(fM)\\star(gN) = (f\\star g)MN$ for constant matrices $M$, $N$ through $\\hbar^2$",
                partial(lambda: star(f * M, g * N, r, p, 2, hbar).doit()),
                partial(lambda: (star(f, g, r, p, 2, hbar) * M * N).doit()),
            ),
            claims.equal(
                "for noncommutative $A$, $B$ the order-zero term is the operator product $AB$, not $BA$",
                partial(lambda: star(A, B, r, p, 0, hbar) - star(B, A, r, p, 0, hbar)),
                A * B - B * A,
                formula=sympy.Eq(StarProduct(A, B) - StarProduct(B, A), A * B - B * A + sympy.O(hbar), evaluate=False),
            ),
        ),
        note="The derivatives of $A$ always stand left of those of $B$, so noncommutative and matrix symbols keep their order.",
    )
