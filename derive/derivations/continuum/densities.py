"""The gradient terms of the continuum action as exportable SymPy matrix expressions (second and fourth order)."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import g_T, n
from derive.engines import gradient_expansion as cn
from derive.model import Argument


def _symbols_for(d: int, second: bool) -> dict[str, sympy.Basic]:
    symbols: dict[str, sympy.Basic] = {"Q0": sympy.MatrixSymbol("Q", n, n)}
    for m in range(d):
        symbols[f"Q1_{m}"] = sympy.MatrixSymbol(f"dQ_{m}", n, n)
        symbols[f"X1_{m}"] = cn.DiagonalMatrix(sympy.MatrixSymbol(f"dchi_{m}", n, 1))
    if second:
        for m, k in cn.index_pairs(d):
            symbols[f"Q2_{m}{k}"] = sympy.MatrixSymbol(f"ddQ_{m}{k}", n, n)
            symbols[f"X2_{m}{k}"] = cn.DiagonalMatrix(sympy.MatrixSymbol(f"ddchi_{m}{k}", n, 1))
    return symbols


def _poly_matrix(poly: cn.Poly, symbols: dict[str, sympy.Basic]) -> sympy.MatrixExpr:
    terms = []
    for w, c in sorted(poly.items()):
        factors = [symbols[x] for x in w]
        terms.append(c * (factors[0] if len(factors) == 1 else sympy.MatMul(*factors, evaluate=False)))
    return sympy.MatAdd(*terms, evaluate=False)


def gradient_density(d: int) -> sympy.Expr:
    """pi g_T/(4v) sum_{mu nu} gamma_{mu nu} Tr[d~_mu Q d~_nu Q]: the gradient term of Eq. (15) as canonical traces."""
    first, symbols = cn.covariant_components(1, d), _symbols_for(d, second=False)
    gamma, volume = sympy.MatrixSymbol("gamma", d, d), sympy.Symbol("volume", positive=True)
    total = sympy.Integer(0)
    for m, k in cn.index_pairs(d):
        weight = 1 if m == k else 2
        traces = cn.reduce_involutions(cn.trace(cn.mul(first[(m,)], first[(k,)])), ("Q0",))  # Q^2 = 1
        total += weight * gamma[m, k] * cn.to_matrix_expression(traces, symbols)
    return sympy.pi * g_T / (4 * volume) * total


def fourth_order_density(d: int) -> sympy.Expr:
    """-pi g_T/(4v) sum gamma^(4)_{mu nu rho sigma} Tr[d~_mu d~_nu Q d~_rho d~_sigma Q], gamma^(4) totally symmetric, passed as (d^2, d^2)."""
    second, symbols = cn.covariant_components(2, d), _symbols_for(d, second=True)
    gamma4, volume = sympy.MatrixSymbol("gamma4", d * d, d * d), sympy.Symbol("volume", positive=True)
    pairs = cn.index_pairs(d)
    total = sympy.Integer(0)
    for i, (m, k) in enumerate(pairs):
        for j, (r, s) in enumerate(pairs[i:], start=i):
            weight = (1 if m == k else 2) * (1 if r == s else 2) * (1 if i == j else 2)
            product = sympy.MatMul(_poly_matrix(second[(m, k)], symbols), _poly_matrix(second[(r, s)], symbols), evaluate=False)
            total += weight * gamma4[m * d + k, r * d + s] * sympy.Trace(product)
    return -sympy.pi * g_T / (4 * volume) * total


def density_arguments(d: int, second: bool) -> tuple[Argument, ...]:
    """The arguments of the exported density in d dimensions (``second``: the fourth-order one)."""
    symbols = _symbols_for(d, second)
    arguments = [
        Argument("Q", symbols["Q0"], description="Q, shape (..., n, n)"),
        Argument("dQ", tuple(symbols[f"Q1_{m}"] for m in range(d)), description=f"d_mu Q stacked on axis 0: ({d}, ..., n, n)"),
    ]
    if second:
        arguments.append(Argument("ddQ", tuple(symbols[f"Q2_{m}{k}"] for m, k in cn.index_pairs(d)),
                                  description=f"d_mu d_nu Q for (mu,nu) in INDEX_PAIRS[{d}], axis 0"))
    arguments.append(Argument("dchi", tuple(symbols[f"X1_{m}"].args[0] for m in range(d)),
                              description=f"d_mu chi (the diagonal of grad chi-hat), ({d}, ..., n)"))
    if second:
        arguments.append(Argument("ddchi", tuple(symbols[f"X2_{m}{k}"].args[0] for m, k in cn.index_pairs(d)),
                                  description=f"d_mu d_nu chi for (mu,nu) in INDEX_PAIRS[{d}], axis 0"))
    tensor = ("gamma4", sympy.MatrixSymbol("gamma4", d * d, d * d), "gamma^(4) as (d^2, d^2)") if second else (
        "gamma", sympy.MatrixSymbol("gamma", d, d), "gamma as (d, d)")
    arguments.append(Argument(tensor[0], tensor[1], description=tensor[2]))
    arguments.append(Argument("g_T", g_T))
    arguments.append(Argument("volume", sympy.Symbol("volume", positive=True), description="volume per grain"))
    return tuple(arguments)
