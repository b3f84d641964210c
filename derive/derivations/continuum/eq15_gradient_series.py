"""Towards Eq. (15): the Taylor series of Tr[(R(r+e) - R(r))^2] in the contact vector, integrated by parts."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import CONTACT, SERIES_ORDER, difference, nc, shown_traces, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def _series_claims() -> tuple[claims.Claim, ...]:
    series = cn.difference_square_series(SERIES_ORDER)
    result = []
    for order in range(2, SERIES_ORDER + 1):
        reduced, certificate = cn.integrate_by_parts(series[order])
        m = order // 2
        expected = {} if order % 2 else {(f"R{m}", f"R{m}"): cn.gradient_series_coefficient(m)}

        def residual(order=order, reduced=reduced, certificate=certificate, expected=expected):
            exact = difference(series[order], cn.add(reduced, cn.trace_derivative(certificate)))
            return cn.add(exact, difference(reduced, expected))
        # the reduced form on the left: the printer breaks the right-hand side over lines, not the left
        total_derivative = [c * sympy.Derivative(shown_traces({w: 1}), CONTACT) for w, c in sorted(certificate.items())]
        statement = sympy.Eq(shown_traces(expected), shown_traces(series[order]) - sympy.Add(*total_derivative), evaluate=False)
        prose = (rf"The order $\mathbf{{e}}^{{{order}}}$ is a total derivative" if order % 2 else
                 rf"The order $\mathbf{{e}}^{{{order}}}$ is $c_{{{m}}}\operatorname{{Tr}}[(\partial_{{\mathbf{{e}}}}^{{{m}}}R)^{{2}}]$ plus a total derivative")
        result.append(zero_poly(prose, residual, "symbolic: the certificate's derivative is taken by the Leibniz rule",
                                formula=statement))
    return tuple(result)


def eq15_gradient_series() -> Step:
    """Each order of the series, reduced by integration by parts with a checked certificate."""
    jump = nc["Rp"] - nc["R0"]
    shown = sympy.Eq(Tr(jump**2),
                     sum(cn.gradient_series_coefficient(k) * Tr(nc[f"R{k}"], nc[f"R{k}"]) for k in range(1, 5))
                     + sympy.Order(CONTACT ** 10))
    return Step(
        **OUTLINE.header("gradient-series"),
        result=shown, claims=_series_claims(),
        note=r"Here $R_{l} = R(\mathbf{r})$, $R_{l'} = R(\mathbf{r} + \mathbf{e})$ and $\partial_{\mathbf{e}} = \mathbf{e}\cdot\nabla$ "
             r"is the derivative along the contact vector. Odd orders are total "
             r"derivatives; even ones reduce to $c_{m}\operatorname{Tr}[(\partial_{\mathbf{e}}^{m}R)^{2}]$ with "
             rf"$c_{{m}} = 2(-1)^{{m+1}}/(2m)!$, checked through $\mathbf{{e}}^{{{SERIES_ORDER}}}$. Each claim states the order, its "
             r"reduced form and the total derivative of the certificate found by integration by parts.",
    )
