"""Eq. (9) in the continuum: Tr Q is constant in space, so the winding W is a global charge."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import CONTACT, JET_SEEDS, difference, nc, shown, word, zero_poly
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr
from derive.model import Step


def eq09_trace_constant() -> Step:
    """Tr grad Q = 0 given Q^2 = 1, symbolically and on exact jets."""
    def local_identity():
        twice = cn.reduce_involutions(cn.trace(cn.mul(cn.letter("Q0"), cn.differentiate(word("Q0", "Q0")))))
        return difference(twice, cn.trace(cn.letter("Q1", 2)))

    def on_jets():
        for seed in JET_SEEDS:
            value = cn.evaluate_on_jet(cn.trace(cn.letter("Q1")), cn.exact_jet(seed, size=4, order=1))
            if value != 0:
                return f"jet {seed}: Tr dQ = {value}"
        return None

    derivative_of_square = cn.differentiate(word("Q0", "Q0"))
    covariant = cn.covariant_derivative(cn.letter("Q0"))
    return Step(
        **OUTLINE.header("trace-constant"),
        result=sympy.Eq(Tr(nc["Q1"]), sympy.Rational(1, 2) * Tr(nc["Q0"], sympy.Derivative(nc["Q0"] ** 2, CONTACT))),
        claims=(
            zero_poly(r"Given $Q^{2} = 1$, the left side is $\operatorname{Tr}[Q\,\partial_{\mathbf{e}}(Q^{2})] = 0$", local_identity,
                      r"symbolic: free algebra with $Q^{2} = 1$ inside cyclic traces",
                      formula=sympy.Eq(Tr(nc["Q0"], shown(derivative_of_square)), 2 * Tr(nc["Q1"]), evaluate=False)),
            zero_poly(r"The commutator in $\tilde\partial Q = \partial_{\mathbf{e}}Q + i[\partial_{\mathbf{e}}\hat\chi, Q]$ is traceless",
                      lambda: difference(cn.trace(covariant), cn.trace(cn.letter("Q1"))),
                      "symbolic: canonical cyclic traces", formula=sympy.Eq(Tr(shown(covariant)), Tr(nc["Q1"]), evaluate=False)),
            claims.holds(r"On exact jets of $Q$ with $Q^{2} = 1$", on_jets,
                         f"exact evaluation on {len(JET_SEEDS)} seeded $4\\times 4$ jets", formula=sympy.Eq(Tr(nc["Q1"]), 0, evaluate=False)),
        ),
        note=r"$\operatorname{Tr} Q = 2W$ is an integer (Eq. 9) and a smooth $Q$ has $\operatorname{Tr}\nabla Q = 0$: $W$ cannot "
             r"change in the continuum. It is a global charge, and the thermodynamic limit takes a traceless $Q$.",
    )
