"""Eq. (11b) expanded directly in grad Q and grad chi-hat, checked on exact matrix jets with Q^2 = 1."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import CONTACT, JET_SEEDS, n, nc
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
                        + sympy.Order(CONTACT**5)),
        claims=(claims.holds(r"Each order $\mathbf{e}^{k}$, $k = 0, \ldots, 4$, of the trace of Eq. (11b) equals that of "
                             r"$n - \frac{1}{2}\sum_{i+j=k}\operatorname{Tr}[\tilde\partial^{i}Q\,\tilde\partial^{j}Q]/(i!\,j!)$",
                             check, f"exact evaluation on {len(JET_SEEDS)} seeded $4\\times 4$ jets of "
                             r"$Q = U\Lambda U^{\dagger}$, for which $Q^{2} = 1$ to all orders"),),
        note=r"Pointwise, before integration by parts: the direct expansion in $Q_{l}$, $Q_{l+\mathbf{e}}$ and $\hat\chi$ needs $Q^{2} = 1$ "
             r"(for instance $\operatorname{Tr}[Q\,\partial^{2}Q] = -\operatorname{Tr}[(\partial Q)^{2}]$).",
    )
