"""Array code for traces of matrix products over stacked arrays of shape (..., n, n).

Plain functions taking the printer (``NumpyCodePrinter``), which calls them from its ``_print_Trace``-style
methods. A trace (or the diagonal) of a word of factors becomes one ``einsum`` whose subscripts walk the
word: a matrix factor advances the running index, a diagonal factor (a phase e^{i s chi-hat} given by its
vector chi of shape (..., n)) does not. Leading axes broadcast through the ellipsis; ``optimize`` is switched
on when three or more full matrices appear, so the contraction goes pairwise instead of over all indices at once.
"""
from __future__ import annotations

import string

import sympy
from sympy.matrices.expressions import MatMul, MatPow, MatrixExpr, Trace
from sympy.matrices.expressions.diagonal import DiagonalOf

from derive.engines.phases import DiagonalPhase

_INDEX_LETTERS = string.ascii_letters


def _word_and_scalar(argument: sympy.Basic) -> tuple[list[sympy.Basic], sympy.Expr]:
    """Factors of a matrix product (integer powers unrolled) and its scalar coefficient."""
    factors = list(argument.args) if isinstance(argument, (MatMul, sympy.Mul)) else [argument]
    scalar, word = sympy.S.One, []
    for factor in factors:
        if not getattr(factor, "is_Matrix", False) and factor.is_commutative is not False:
            scalar *= factor
        elif isinstance(factor, (MatPow, sympy.Pow)) and factor.args[1].is_Integer and factor.args[1] > 0:
            word.extend([factor.args[0]] * int(factor.args[1]))
        else:
            word.append(factor)
    return word, scalar


def _phase_vector(printer, factor: DiagonalPhase) -> str:
    return f"xp.exp({'' if factor.sign > 0 else '-'}1j*{printer._print(factor.chi)})"


def einsum_call(printer, word: list[sympy.Basic], open_diagonal: bool) -> str:
    """einsum over a word: the trace (open_diagonal False) or the diagonal as a (..., n) array."""
    if len(word) > len(_INDEX_LETTERS) - 1:
        raise ValueError(f"trace_numpy: a word of {len(word)} factors has too many indices for einsum")
    start = current = _INDEX_LETTERS[0]
    subscripts, operands, full_matrices = [], [], 0
    for position, factor in enumerate(word, start=1):
        if isinstance(factor, DiagonalPhase):
            subscripts.append("..." + current)
            operands.append(_phase_vector(printer, factor))
            continue
        following = _INDEX_LETTERS[position]
        subscripts.append("..." + current + following)
        operands.append(printer._print(factor))
        current, full_matrices = following, full_matrices + 1
    subscripts = [s.replace(current, start) if current != start else s for s in subscripts]
    output = "..." + (start if open_diagonal else "")
    spec = ",".join(subscripts) + "->" + output
    optimize = ", optimize=True" if full_matrices >= 3 else ""
    return f"{printer.helper('einsum')}(xp, {spec!r}, {', '.join(operands)}{optimize})"


def _with_scalar(printer, scalar: sympy.Expr, code: str, core_ndim: int = 0) -> str:
    if scalar == 1:
        return code
    if core_ndim == 0:
        return f"{printer.parenthesize(scalar, 50)}*{code}"
    return printer.scaled(list(sympy.Mul.make_args(scalar)), code, core_ndim)


def print_trace(printer, expr: sympy.Basic) -> str:
    """Trace(product) or Tr(f1, ..., fk) -> einsum over the last two axes, broadcasting leading ones."""
    word, scalar = _word_and_scalar(expr.arg) if isinstance(expr, Trace) else (list(expr.args), sympy.S.One)
    if len(word) == 1 and not isinstance(word[0], DiagonalPhase):
        code = f"{printer.helper('einsum')}(xp, '...aa->...', {printer._print(word[0])})"
    else:
        code = einsum_call(printer, word, open_diagonal=False)
    return _with_scalar(printer, scalar, code)


def print_diagonal_of(printer, expr: DiagonalOf) -> str:
    """DiagonalOf(product) -> the diagonal as an array of shape (..., n)."""
    word, scalar = _word_and_scalar(expr.arg)
    return _with_scalar(printer, scalar, einsum_call(printer, word, open_diagonal=True), core_ndim=1)


def print_diagonal_phase(printer, expr: MatrixExpr) -> str:
    """A phase matrix on its own: the vector of phases on the diagonal of a (..., n, n) array."""
    return f"{printer.helper('diagonal_matrix')}(xp, {_phase_vector(printer, expr)})"
