"""The array printer: SymPy's NumPyPrinter, strict, writing Array API calls on the namespace ``xp``.

Generated functions start with ``xp = namespace(...)`` (array-api-compat), so each ``numpy.f`` SymPy would
print becomes ``xp.<standard name>``: only functions of the Array API standard are allowed, anything else
is an ``UnsupportedNode`` error naming the printer and the node, never half-printed code. The operations
the standard lacks (einsum, special functions, matrices from entries, complex from real parts) are calls
of ``derive.numeric_support`` helpers taking ``xp``; ``helpers`` collects the ones a printed expression uses.
Noncommutative products (operator- or matrix-valued symbols) print as ``@`` so stacked arrays of shape
(..., n, n) multiply as matrices and broadcast.
"""
from __future__ import annotations

import sympy
from sympy.matrices.expressions.diagonal import DiagonalOf
from sympy.printing.numpy import NumPyPrinter

from derive.emit.numpy import traces
from derive.engines.phases import DiagonalPhase
from derive.engines.trace_expressions import DiagonalMatrix

NAMESPACE = "xp"

# numpy name SymPy prints -> Array API standard name (functions and constants of the 2023.12 standard).
ARRAY_API_NAMES = {
    "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh", "arctan": "atan",
    "arctan2": "atan2", "arctanh": "atanh", "ceil": "ceil", "cos": "cos", "cosh": "cosh", "exp": "exp",
    "expm1": "expm1", "floor": "floor", "hypot": "hypot", "isinf": "isinf", "isnan": "isnan", "log": "log",
    "log10": "log10", "log1p": "log1p", "log2": "log2", "sin": "sin", "sinh": "sinh", "sqrt": "sqrt", "tan": "tan",
    "tanh": "tanh", "sign": "sign", "logaddexp": "logaddexp", "e": "e", "pi": "pi", "nan": "nan", "inf": "inf",
    "conjugate": "conj", "real": "real", "imag": "imag", "abs": "abs", "absolute": "abs", "maximum": "maximum",
    "minimum": "minimum", "where": "where",
}


class UnsupportedNode(TypeError):
    """The numpy printer met a SymPy node it has no rule for."""


class NumpyCodePrinter(NumPyPrinter):
    """Prints SymPy expressions as Array API code on ``xp`` that broadcasts over leading array axes."""

    # order="none": terms in SymPy's own canonical argument order (deterministic, no hashing), not re-sorted
    # for display: sorting the terms of a star product of order 12 took minutes and changes nothing computed.
    _default_settings = {**NumPyPrinter._default_settings, "strict": True, "order": "none"}

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        # No node's own _numpycode hook (NumPyPrinter sets it per instance): every rule is a _print_<Class> here.
        self.printmethod = "_array_api_code"
        self.helpers: set[str] = set()

    def helper(self, name: str) -> str:
        """The name of a derive.numeric_support helper, recorded so the module imports it."""
        self.helpers.add(name)
        return name

    def _module_format(self, fqn: str, register: bool = True) -> str:
        module, _, name = fqn.rpartition(".")
        if module != "numpy" or name not in ARRAY_API_NAMES:
            raise UnsupportedNode(f"NumpyCodePrinter: {fqn} is not in the Array API standard")
        return f"{NAMESPACE}.{ARRAY_API_NAMES[name]}"

    def _print(self, expr: object, **kwargs: object) -> str:
        # A numeric function value (sqrt(3), log(2)) is a Python float: array functions of a Python number give
        # float64 scalars, which would promote float32 arrays.
        if isinstance(expr, (sympy.Pow, sympy.Function)) and expr.is_number and not expr.is_Rational:
            value = complex(expr.evalf(20))
            return repr(value.real) if value.imag == 0 else f"({value!r})"
        return super()._print(expr, **kwargs)

    def emptyPrinter(self, expr: object) -> str:
        raise UnsupportedNode(f"NumpyCodePrinter has no rule for {type(expr).__name__}: {expr}")

    def _print_not_supported(self, expr: sympy.Basic) -> str:
        raise UnsupportedNode(f"NumpyCodePrinter has no rule for {type(expr).__name__}: {expr}")

    def scaled(self, scalars: list[sympy.Basic], code: str, core_ndim: int) -> str:
        """scalars * code for a value with core_ndim trailing axes: symbolic scalars get trailing unit axes."""
        numbers = [factor for factor in scalars if factor.is_number]
        symbolic = [factor for factor in scalars if not factor.is_number]
        parts = [self._print(sympy.Mul(*numbers))] if numbers and sympy.Mul(*numbers) != 1 else []
        if symbolic:
            parts.append(f"{self.helper('lift')}({self._print(sympy.Mul(*symbolic))}, {core_ndim})")
        return "*".join([*parts, f"({code})"]) if parts else f"({code})"

    def _print_Mul(self, expr: sympy.Mul) -> str:
        if expr.is_commutative:
            return super()._print_Mul(expr)
        scalars, operators = expr.args_cnc()
        product = " @ ".join(self.parenthesize(factor, 100) for factor in operators)
        return self.scaled(scalars, product, 2)

    def _print_MatMul(self, expr: sympy.MatMul) -> str:
        scalars = [a for a in expr.args if not isinstance(a, sympy.MatrixExpr)]
        matrices = [a for a in expr.args if isinstance(a, sympy.MatrixExpr)]
        product = " @ ".join(self.parenthesize(factor, 100) for factor in matrices)
        core = 1 if all(m.shape[1] == 1 for m in matrices) and matrices[-1].shape[1] == 1 else 2
        return self.scaled(scalars, product, core)

    def _print_MatPow(self, expr: sympy.MatPow) -> str:
        base, exponent = expr.args
        if not (exponent.is_Integer and exponent > 0):
            raise UnsupportedNode(f"NumpyCodePrinter has no rule for a matrix power {exponent}: {expr}")
        # Unrolled: the Array API has no matrix_power outside its optional linalg extension.
        return "(" + " @ ".join([self.parenthesize(base, 100)] * int(exponent)) + ")"

    def _print_MatAdd(self, expr: sympy.MatAdd) -> str:
        return "(" + " + ".join(self._print(term) for term in expr.args) + ")"

    def _print_MatrixElement(self, expr: sympy.Basic) -> str:
        # Leading axes broadcast: a stacked (..., r, c) matrix argument gives one entry per point.
        return f"{self._print(expr.parent)}[..., {self._print(expr.i)}, {self._print(expr.j)}]"

    def _print_MatrixBase(self, expr: sympy.MatrixBase) -> str:
        rows = ", ".join("(" + ", ".join(self._print(entry) for entry in row) + ",)" for row in expr.tolist())
        return f"{self.helper('matrix_from_entries')}({NAMESPACE}, ({rows},))"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase

    def _print_ComplexFromParts(self, expr: sympy.Basic) -> str:
        real, imaginary = (self._print(argument) for argument in expr.args)
        return f"{self.helper('complex_from_parts')}({real}, {imaginary}, {NAMESPACE})"

    def _print_MatrixSymbol(self, expr: sympy.MatrixSymbol) -> str:
        return self._print(sympy.Symbol(expr.name))

    def _print_Trace(self, expr: sympy.Basic) -> str:
        return traces.print_trace(self, expr)

    def _print_Tr(self, expr: sympy.Basic) -> str:
        return traces.print_trace(self, expr)

    def _print_DiagonalOf(self, expr: DiagonalOf) -> str:
        return traces.print_diagonal_of(self, expr)

    def _print_DiagonalPhase(self, expr: DiagonalPhase) -> str:
        return traces.print_diagonal_phase(self, expr)

    def _print_DiagonalMatrix(self, expr: DiagonalMatrix) -> str:
        return f"{self.helper('diagonal_matrix')}({NAMESPACE}, {self._print(expr.args[0])})"

    # Bessel functions (bosonization: exact partial waves of hard disks and spheres) are scipy.special's
    # for numpy, mapped over the blocks for dask; a library without them raises a TypeError naming it.
    def _print_special(self, name: str, expr: sympy.Basic) -> str:
        arguments = ", ".join(self._print(argument) for argument in expr.args)
        return f"{self.helper('special_function')}({NAMESPACE}, {name!r})({arguments})"

    def _print_besselj(self, expr: sympy.Basic) -> str:
        return self._print_special("jv", expr)

    def _print_bessely(self, expr: sympy.Basic) -> str:
        return self._print_special("yv", expr)

    def _print_jn(self, expr: sympy.Basic) -> str:
        return self._print_special("spherical_jn", expr)

    def _print_yn(self, expr: sympy.Basic) -> str:
        return self._print_special("spherical_yn", expr)
