"""Claims of the granular steps whose verification is read off their formula (a limit, evaluated by SymPy)."""
from __future__ import annotations

import sympy

from derive.engines import claims
from derive.model import Claim


def limit_claim(statement: str, limit: sympy.Limit, value: sympy.Expr, method: str = "expand") -> Claim:
    """lim = value, evaluated by SymPy's limit from the very Limit the formula shows."""
    if not isinstance(limit, sympy.Limit):
        raise TypeError(f"limit must be a sympy.Limit, got {type(limit).__name__}")
    return claims.equal(statement, limit.doit, value, method=method, formula=sympy.Eq(limit, value, evaluate=False))
