"""SymPy nodes that exist to steer the generated numpy code; mathematically they are ordinary expressions."""
from __future__ import annotations

import sympy


class ComplexFromParts(sympy.Function):
    """re + i*im, emitted as one complex array filled from its parts (no complex arithmetic on real arrays).

    ``doit`` gives the plain expression, so claims can compare it with anything else.
    """

    nargs = 2

    def doit(self, **hints: object) -> sympy.Expr:
        real, imaginary = (argument.doit(**hints) if hints.get("deep", True) else argument for argument in self.args)
        return real + sympy.I * imaginary
