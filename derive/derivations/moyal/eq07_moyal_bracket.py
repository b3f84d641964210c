"""Eq. (7): the Moyal bracket (A*B - B*A)/(i hbar) and its Poisson limit."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.moyal.fields import displayed_bracket, undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, p, phase_space_symbols, r
from derive.engines import claims
from derive.engines.moyal import moyal_bracket, poisson_bracket
from derive.model import Step

__all__ = ["eq07_moyal_bracket"]


def eq07_moyal_bracket() -> Step:
    """The Moyal bracket: Poisson at lowest order, no hbar^1 term, antisymmetric."""
    A, B = undefined("A", 1), undefined("B", 1)

    def poisson_limit(d: int) -> list[sympy.Expr]:
        rs, ps = phase_space_symbols(d)
        a, b = undefined("A", d), undefined("B", d)
        return [moyal_bracket(a, b, rs, ps, 0, hbar) - poisson_bracket(a, b, rs, ps)]

    def poisson_statement(d: int, error_order: int) -> sympy.Eq:
        """{{A, B}} = {A, B} + O(hbar^error_order) for undefined A, B in d dimensions."""
        a, b = undefined("A", d), undefined("B", d)
        return sympy.Eq(displayed_bracket(a, b), poisson_bracket(a, b, *phase_space_symbols(d)) + sympy.O(hbar**error_order),
                        evaluate=False)

    return Step(
        **OUTLINE.header("moyal-bracket"),
        result=sympy.Eq(
            displayed_bracket(A, B),
            poisson_bracket(A, B, r, p) + sympy.O(hbar**2),
            evaluate=False,
        ),
        claims=(
            *(claims.all_zero(f"$\\{{\\{{A, B\\}}\\}} = \\{{A, B\\}}$ at lowest order in $d = {d}$", partial(poisson_limit, d),
                              formula=poisson_statement(d, 1))
              for d in (1, 2, 3)),
            claims.all_zero(
                "the $\\hbar^1$ term of $\\{\\{A, B\\}\\}$ vanishes for scalar $A$, $B$ ($d = 2$): through $\\hbar^1$ it is "
                "the Poisson bracket",
                lambda: [moyal_bracket(undefined("A", 2), undefined("B", 2), *phase_space_symbols(2), 1, hbar)
                         - poisson_bracket(undefined("A", 2), undefined("B", 2), *phase_space_symbols(2))],
                formula=poisson_statement(2, 2),
            ),
            claims.all_zero(
                "$\\{\\{A, B\\}\\} = -\\{\\{B, A\\}\\}$ through $\\hbar^2$ ($d = 1$)",
                lambda: [moyal_bracket(A, B, r, p, 2, hbar) + moyal_bracket(B, A, r, p, 2, hbar)],
                formula=sympy.Eq(displayed_bracket(A, B) + displayed_bracket(B, A), sympy.O(hbar**3), evaluate=False),
            ),
        ),
        note="$\\{\\{A, B\\}\\} = (A\\star B - B\\star A)/(i\\hbar)$; its $\\hbar^0$ term is the Poisson bracket and odd orders vanish.",
    )
