"""The numpy printer: SymPy's NumPyPrinter, strict, with the project's own nodes.

Strict means an expression the printer does not know is an ``UnsupportedNode`` error naming the
printer and the node, never half-printed code. Noncommutative products (operator- or matrix-valued
symbols) print as ``@`` so stacked arrays of shape (..., n, n) multiply as matrices and broadcast.
"""
from __future__ import annotations

import sympy
from sympy.printing.numpy import NumPyPrinter


class UnsupportedNode(TypeError):
    """The numpy printer met a SymPy node it has no rule for."""


class NumpyCodePrinter(NumPyPrinter):
    """Prints SymPy expressions as numpy code that broadcasts over leading array axes."""

    _default_settings = {**NumPyPrinter._default_settings, "strict": True}

    def emptyPrinter(self, expr: object) -> str:
        raise UnsupportedNode(f"NumpyCodePrinter has no rule for {type(expr).__name__}: {expr}")

    def _print_not_supported(self, expr: sympy.Basic) -> str:
        raise UnsupportedNode(f"NumpyCodePrinter has no rule for {type(expr).__name__}: {expr}")

    def _print_Mul(self, expr: sympy.Mul) -> str:
        if expr.is_commutative:
            return super()._print_Mul(expr)
        scalars, operators = expr.args_cnc()
        product = " @ ".join(self.parenthesize(factor, 100) for factor in operators)
        if not scalars:
            return f"({product})"
        return f"{self._print(sympy.Mul(*scalars))}*({product})"

    def _print_MatMul(self, expr: sympy.MatMul) -> str:
        scalars = [a for a in expr.args if not isinstance(a, sympy.MatrixExpr)]
        matrices = [a for a in expr.args if isinstance(a, sympy.MatrixExpr)]
        product = " @ ".join(self.parenthesize(factor, 100) for factor in matrices)
        if not scalars:
            return f"({product})"
        return f"{self._print(sympy.Mul(*scalars))}*({product})"

    def _print_MatAdd(self, expr: sympy.MatAdd) -> str:
        return "(" + " + ".join(self._print(term) for term in expr.args) + ")"

    def _print_ComplexFromParts(self, expr: sympy.Basic) -> str:
        real, imaginary = (self._print(argument) for argument in expr.args)
        return f"complex_from_parts({real}, {imaginary})"

    def _print_MatrixSymbol(self, expr: sympy.MatrixSymbol) -> str:
        return self._print(sympy.Symbol(expr.name))

    def _print_Trace(self, expr: sympy.Basic) -> str:
        from derive.emit.numpy.traces import print_trace

        return print_trace(self, expr)

    def _print_DiagonalOf(self, expr: sympy.Basic) -> str:
        from derive.emit.numpy.traces import print_diagonal_of

        return print_diagonal_of(self, expr)

    def _print_Tr(self, expr: sympy.Basic) -> str:
        from derive.emit.numpy.traces import print_trace

        return print_trace(self, expr)

    def _print_DiagonalPhase(self, expr: sympy.Basic) -> str:
        from derive.emit.numpy.traces import print_diagonal_phase

        return print_diagonal_phase(self, expr)

    # Bessel functions (bosonization: exact partial waves of hard disks and spheres) come from
    # scipy.special, imported where used so that modules without them need numpy only.
    def _print_scipy_special(self, name: str, expr: sympy.Basic) -> str:
        arguments = ", ".join(self._print(argument) for argument in expr.args)
        return f'__import__("scipy.special").special.{name}({arguments})'

    def _print_besselj(self, expr: sympy.Basic) -> str:
        return self._print_scipy_special("jv", expr)

    def _print_bessely(self, expr: sympy.Basic) -> str:
        return self._print_scipy_special("yv", expr)

    def _print_jn(self, expr: sympy.Basic) -> str:
        return self._print_scipy_special("spherical_jn", expr)

    def _print_yn(self, expr: sympy.Basic) -> str:
        return self._print_scipy_special("spherical_yn", expr)
