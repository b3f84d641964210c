"""Towards Eq. (15): the Taylor series of Tr[(R(r+e) - R(r))^2] in the contact vector, integrated by parts."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import SERIES_ORDER, difference, nc, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def _series_claims() -> tuple[claims.Claim, ...]:
    series = cn.difference_square_series(SERIES_ORDER)
    result = []
    for order in range(2, SERIES_ORDER + 1):
        def residual(order=order):
            reduced, certificate = cn.integrate_by_parts(series[order])
            exact = difference(series[order], cn.add(reduced, cn.trace_derivative(certificate)))
            m = order // 2
            expected = {} if order % 2 else {(f"R{m}", f"R{m}"): cn.gradient_series_coefficient(m)}
            return cn.add(exact, difference(reduced, expected))
        parity = "a total derivative" if order % 2 else f"~= c_{order // 2} Tr[(d^{order // 2}R)^2]"
        result.append(zero_poly(f"order e^{order} of Tr[(R(r+e) - R(r))^2] is {parity}", residual,
                                "symbolic: the order equals reduced + d(certificate), checked by the Leibniz rule"))
    return tuple(result)


def eq15_gradient_series() -> Step:
    """Each order of the series, reduced by integration by parts with a checked certificate."""
    shown = sympy.Eq(sympy.Symbol(r"\operatorname{Tr}\left[(R(r+e)-R(r))^{2}\right]"),
                     sum(cn.gradient_series_coefficient(k) * Tr(nc[f"R{k}"], nc[f"R{k}"]) for k in range(1, 5))
                     + sympy.Order(sympy.Symbol("e") ** 10))
    return Step(
        **OUTLINE.header("gradient-series"),
        result=shown, claims=_series_claims(),
        note=f"d = e.grad; odd orders are total derivatives, even ones reduce to c_m Tr[(d^m R)^2], c_m = 2(-1)^(m+1)/(2m)! (checked through e^{SERIES_ORDER}).",
    )
