"""Eq. (11b) expanded directly in grad Q and grad chi-hat, checked on exact matrix jets with Q^2 = 1."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import JET_SEEDS, n, nc
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq11b_direct_expansion() -> Step:
    """Orders e^0..e^4 of Eq. (11b)'s trace against the covariant series on exact jets."""
    def check():
        direct, covariant = cn.tunneling_trace_series(4), cn.covariant_trace_series(4)
        for seed in JET_SEEDS:
            jet = cn.exact_jet(seed, size=4, order=4)
            for k in range(5):
                expected = 4 if k == 0 else cn.evaluate_on_jet(covariant[k], jet)
                value = sympy.expand(cn.evaluate_on_jet(direct[k], jet) - expected)
                if value != 0:
                    return f"jet {seed}, order e^{k}: residual {value}"
        return None

    return Step(
        **OUTLINE.header("direct-expansion"),
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]),
                        n - sympy.Rational(1, 2) * Tr(nc["C1"], nc["C1"]) - sympy.Rational(1, 2) * Tr(nc["C1"], nc["C2"])
                        - sympy.Rational(1, 8) * Tr(nc["C2"], nc["C2"]) - sympy.Rational(1, 6) * Tr(nc["C1"], nc["C3"])
                        + sympy.Order(sympy.Symbol("e") ** 5)),
        claims=(claims.holds("each order e^0..e^4 of Eq. (11b)'s trace equals n - 1/2 sum_{i+j=k} Tr[d~^iQ d~^jQ]/(i!j!)", check,
                             f"exact evaluation on {len(JET_SEEDS)} seeded 4x4 jets of Q = U Lambda U^dag (Q^2 = 1 to all orders)"),),
        note="Pointwise, before integration by parts: the direct expansion in Q_l, Q_{l+e}, chi-hat needs Q^2 = 1 (e.g. Tr[Q d^2 Q] = -Tr[(dQ)^2]).",
    )
