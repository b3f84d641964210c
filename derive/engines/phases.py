"""Diagonal phase matrices e^{i s chi-hat} inside traces, and derivatives of traces with respect to chi.

``chi`` is a column vector (an n x 1 ``MatrixSymbol``); chi-hat = diag(chi). In generated numpy code the
vector is an array of shape (..., n) and the phase matrix is never formed: ``derive.emit.trace_numpy``
contracts it as a diagonal inside ``einsum``.
"""
from __future__ import annotations

import sympy
from sympy.matrices.expressions import MatMul, MatrixExpr, Trace
from sympy.matrices.expressions.diagonal import DiagonalOf

from derive.engines.trln import canonical_trace
from derive.engines.words import WordRules


class DiagonalPhase(MatrixExpr):
    """e^{i sign diag(chi)} for a column vector chi; sign is +1 or -1."""

    def __new__(cls, chi: sympy.Basic, sign: int = 1):
        if not (getattr(chi, "is_Matrix", False) and chi.shape[1] == 1):
            raise TypeError(f"DiagonalPhase: chi must be an n x 1 column vector, got {chi!r}")
        if sign not in (1, -1):
            raise ValueError(f"DiagonalPhase: sign must be +1 or -1, got {sign!r}")
        return super().__new__(cls, chi, sympy.Integer(sign))

    chi = property(lambda self: self.args[0])
    sign = property(lambda self: int(self.args[1]))
    shape = property(lambda self: (self.args[0].shape[0], self.args[0].shape[0]))

    def _entry(self, i, j, **kwargs):
        return sympy.KroneckerDelta(i, j) * sympy.exp(sympy.I * self.sign * self.chi[i, 0])

    def inverse(self) -> DiagonalPhase:
        return DiagonalPhase(self.chi, -self.sign)

    def doit(self, **hints):
        chi = self.chi.doit(**hints) if hints.get("deep", True) else self.chi
        if isinstance(chi, sympy.MatrixBase):
            return sympy.ImmutableMatrix(sympy.diag(*[sympy.exp(sympy.I * self.sign * c) for c in chi]))
        return DiagonalPhase(chi, self.sign)



def _trace_word(trace: Trace) -> tuple[sympy.Basic, ...]:
    argument = trace.arg
    return tuple(argument.args) if isinstance(argument, MatMul) else (argument,)


def phase_gradient(expr: sympy.Expr, chi: sympy.Basic) -> sympy.Expr:
    """d/d chi_c of a linear combination of traces: an n x 1 sum of DiagonalOf(words).

    d e^{i s chi-hat}/d chi_c = i s e^{i s chi-hat} P_c, and Tr[A E P_c B] = (B A E)_cc, so each phase
    factor contributes the diagonal of the word rotated to end at that factor.
    """
    gradient = []
    for summand in sympy.Add.make_args(canonical_trace(expr)):
        traces = [f for f in sympy.Mul.make_args(summand) if isinstance(f, Trace)]
        if len(traces) != 1:
            continue  # chi-independent (no trace): contributes nothing
        coeff = summand / traces[0]
        word = _trace_word(traces[0])
        for position, factor in enumerate(word):
            if isinstance(factor, DiagonalPhase) and factor.chi == chi:
                rotated = word[position + 1:] + word[: position + 1]
                gradient.append(sympy.I * factor.sign * coeff * DiagonalOf(MatMul(*rotated, evaluate=False)))
    if not gradient:
        return sympy.ZeroMatrix(chi.shape[0], 1)
    return sympy.MatAdd(*gradient)


def _inverse_phases(left: sympy.Basic, right: sympy.Basic) -> bool:
    return (isinstance(left, DiagonalPhase) and isinstance(right, DiagonalPhase) and left.chi == right.chi
            and left.sign == -right.sign)


PHASES = WordRules(cancels=_inverse_phases)  # e^{i s chi-hat} e^{-i s chi-hat} = 1, also across the trace's boundary


def cancel_phases(expr: sympy.Expr) -> sympy.Expr:
    """Canonical traces with inverse phase pairs cancelled (e^{i chi-hat} e^{-i chi-hat} = 1)."""
    return canonical_trace(expr, PHASES)
