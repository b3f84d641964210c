"""Shared notation of the granular steps: symbols, matrix symbols, and g_T in terms of the tunneling amplitude."""
from __future__ import annotations

import sympy
from sympy import MatrixSymbol, Symbol, pi

SPIN = 2

T, delta, g_T, t, e = sympy.symbols("T delta g_T t e", positive=True)
E_T = Symbol("E_T", positive=True)
tau = Symbol("tau", positive=True)  # imaginary time, 0 < tau < 1/T
size = Symbol("n", integer=True, positive=True)
Q1, Q2 = MatrixSymbol("Q_1", size, size), MatrixSymbol("Q_2", size, size)
chi = MatrixSymbol("chi", size, 1)


def g_T_of_t() -> sympy.Expr:
    """g_T = 8 pi^2 |t|^2 / delta^2 (delta: level spacing per spin; each contact counted once)."""
    return 8 * pi**2 * t**2 / delta**2
