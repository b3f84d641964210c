"""Eq. (7): the Moyal bracket (A*B - B*A)/(i hbar) and its Poisson limit."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.moyal.fields import displayed_bracket, stars_evaluated, undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, p, phase_space_symbols, r, truncate
from derive.engines import claims
from derive.engines.moyal import StarProduct, moyal_bracket, poisson_bracket
from derive.model import Step

__all__ = ["eq07_moyal_bracket"]


def _commutator_statement(d: int, error_order: int) -> sympy.Eq:
    """A*B = B*A + i hbar {A, B} + O(hbar^error_order): {{A, B}} = {A, B} + O(hbar^(error_order - 1))."""
    a, b = undefined("A", d), undefined("B", d)
    return sympy.Eq(StarProduct(a, b), StarProduct(b, a) + sympy.I * hbar * poisson_bracket(a, b, *phase_space_symbols(d))
                    + sympy.O(hbar**error_order), evaluate=False)


def _through(statement: sympy.Eq, d: int) -> list[sympy.Expr]:
    """Both sides of the statement evaluated and truncated below its O(hbar^n) term, subtracted."""
    (order,) = [int(term.expr.as_base_exp()[1]) for term in sympy.Add.make_args(statement.rhs) if isinstance(term, sympy.Order)]
    left, right = stars_evaluated(statement.lhs, d, order - 1), stars_evaluated(statement.rhs, d, order - 1)
    return [truncate(left - right, order - 1)]


def eq07_moyal_bracket() -> Step:
    """The Moyal bracket: Poisson at lowest order, no hbar^1 term, antisymmetric."""
    A, B = undefined("A", 1), undefined("B", 1)
    lowest = {d: _commutator_statement(d, 2) for d in (1, 2, 3)}
    no_first_order = _commutator_statement(2, 3)
    antisymmetry = sympy.Eq(displayed_bracket(A, B), -displayed_bracket(B, A) + sympy.O(hbar**3), evaluate=False)
    return Step(
        **OUTLINE.header("moyal-bracket"),
        result=sympy.Eq(
            displayed_bracket(A, B),
            poisson_bracket(A, B, r, p) + sympy.O(hbar**2),
            evaluate=False,
        ),
        claims=(
            *(claims.all_zero(f"$\\{{\\{{A, B\\}}\\}} = \\{{A, B\\}}$ at lowest order in $d = {d}$, that is",
                              partial(_through, lowest[d], d), formula=lowest[d])
              for d in (1, 2, 3)),
            claims.all_zero(
                "the $\\hbar^1$ term of $\\{\\{A, B\\}\\}$ vanishes for scalar $A$, $B$ ($d = 2$): through $\\hbar^2$",
                partial(_through, no_first_order, 2),
                formula=no_first_order,
            ),
            claims.all_zero(
                "$\\{\\{A, B\\}\\} = -\\{\\{B, A\\}\\}$ through $\\hbar^2$ ($d = 1$)",
                lambda: [moyal_bracket(A, B, r, p, 2, hbar) + moyal_bracket(B, A, r, p, 2, hbar)],
                formula=antisymmetry,
            ),
        ),
        note="$\\{\\{A, B\\}\\} = (A\\star B - B\\star A)/(i\\hbar)$; its $\\hbar^0$ term is the Poisson bracket and odd orders vanish.",
    )
