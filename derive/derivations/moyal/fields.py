"""Undefined phase-space functions and the displayed (unevaluated) Moyal bracket the moyal steps share."""
from __future__ import annotations

import sympy

from derive.derivations.moyal.references import hbar, phase_space_symbols
from derive.engines.moyal import StarProduct, star

__all__ = ["displayed_bracket", "stars_evaluated", "undefined"]


def undefined(name: str, d: int, commutative: bool = True) -> sympy.Expr:
    """An undefined function ``name(r_1..r_d, p_1..p_d)``."""
    rs, ps = phase_space_symbols(d)
    return sympy.Function(name, commutative=commutative)(*rs, *ps)


def displayed_bracket(A: sympy.Expr, B: sympy.Expr) -> sympy.Expr:
    """{{A, B}} written out as (A*B - B*A)/(i hbar) with unevaluated star products, for display."""
    return (StarProduct(A, B) - StarProduct(B, A)) / (sympy.I * hbar)


def stars_evaluated(expr: sympy.Basic, d: int, order: int) -> sympy.Basic:
    """``expr`` with every (innermost first) StarProduct evaluated through hbar^order and the O(...) terms dropped."""
    rs, ps = phase_space_symbols(d)
    evaluated = expr.replace(lambda node: isinstance(node, StarProduct), lambda node: star(*node.args, rs, ps, order, hbar))
    return evaluated.removeO() if isinstance(evaluated, sympy.Expr) else evaluated
