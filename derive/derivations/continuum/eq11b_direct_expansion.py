"""Eq. (11b) expanded directly in grad Q and grad chi-hat, checked on exact matrix jets with Q^2 = 1."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import CONTACT, JET_SEEDS, n, nc
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def _series_by_order(series: sympy.Expr, jet: dict) -> dict[int, sympy.Expr]:
    """{order in e: value on the jet} of n + sum c Tr[d^i R d^j R] + O(e^5): each trace is evaluated as
    Tr[d~^i Q d~^j Q] (the phases cancel in the trace) from the jet of Q and chi-hat."""
    values: dict[int, sympy.Expr] = {}
    for term in sympy.Add.make_args(series):
        if isinstance(term, sympy.Order):
            continue
        if term == n:
            values[0] = values.get(0, 0) + jet["Q0"].shape[0]
            continue
        coefficient, trace = term.as_coeff_Mul()
        if not isinstance(trace, Tr):
            raise ValueError(f"series: the term {term} is not a number times a trace")
        orders = [factor.derivative_count for factor in trace.args]
        covariant = cn.trace(cn.mul(*(cn.power_of(cn.covariant_derivative, cn.letter("Q0"), k) for k in orders)))
        values[sum(orders)] = values.get(sum(orders), 0) + coefficient * cn.evaluate_on_jet(covariant, jet)
    return values


def eq11b_direct_expansion() -> Step:
    """Orders e^0..e^4 of Eq. (11b)'s trace against the displayed series on exact jets."""
    series = (n - sympy.Rational(1, 2) * Tr(nc["R1"], nc["R1"]) - sympy.Rational(1, 2) * Tr(nc["R1"], nc["R2"])
              - sympy.Rational(1, 8) * Tr(nc["R2"], nc["R2"]) - sympy.Rational(1, 6) * Tr(nc["R1"], nc["R3"])
              + sympy.Order(CONTACT**5))
    statement = sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]), series)

    def check():
        direct = cn.tunneling_trace_series(4)
        for seed in JET_SEEDS:
            jet = cn.exact_jet(seed, size=4, order=4)
            expected = _series_by_order(statement.rhs, jet)
            for k in range(5):
                value = sympy.expand(cn.evaluate_on_jet(direct[k], jet) - expected.get(k, 0))
                if value != 0:
                    return f"jet {seed}, order e^{k}: residual {value}"
        return None

    return Step(
        **OUTLINE.header("direct-expansion"),
        result=statement,
        claims=(claims.holds(r"Each order $\mathbf{e}^{k}$, $k = 0, \ldots, 4$, of the trace of Eq. (11b), expanded directly in "
                             r"$Q_{l'} = Q + \partial_{\mathbf{e}}Q + \ldots$ and $\hat\chi_{l'}$, equals that of the series",
                             check, f"exact evaluation on {len(JET_SEEDS)} seeded $4\\times 4$ jets of "
                             r"$Q = U\Lambda U^{\dagger}$, for which $Q^{2} = 1$ to all orders", formula=statement),),
        note=r"Each trace is one of covariant derivatives, "
             r"$\operatorname{Tr}[\partial_{\mathbf{e}}^{i}R\,\partial_{\mathbf{e}}^{j}R] = \operatorname{Tr}[\tilde\partial^{i}Q\,\tilde\partial^{j}Q]$, "
             r"and is evaluated as such from $Q$ and $\hat\chi$. Pointwise, before integration by parts: the direct expansion in $Q_{l}$, $Q_{l+\mathbf{e}}$ and $\hat\chi$ needs $Q^{2} = 1$ "
             r"(for instance $\operatorname{Tr}[Q\,\partial_{\mathbf{e}}^{2}Q] = -\operatorname{Tr}[(\partial_{\mathbf{e}}Q)^{2}]$).",
    )
