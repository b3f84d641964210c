"""From Eq. (11b) to the gradient series: the gauge undone, R^2 = 1, the Taylor series in the contact vector
with integration by parts, the covariant derivative, and the same series directly on exact matrix jets."""
from __future__ import annotations

import sympy

from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.derivations.continuum.notation import JET_SEEDS, PAPER, SERIES_ORDER, difference, n, nc, word, zero_poly
from derive.model import Step
from derive.engines.trln import Tr


# --- Eq. (11b): the tunneling term with the gauge undone -------------------------------------------


def step_gauge() -> Step:
    lattice_term = cn.trace(word("El", "Fp", "Ql", "Fl", "Ep", "Qp"))  # e^{i chi-hat_{ll'}} = e^{i chi-hat_l} e^{-i chi-hat_{l'}}
    undone = cn.trace(word("El", "Ql", "Fl", "Ep", "Qp", "Fp"))  # Tr[R_l R_{l'}], R = e^{i chi-hat} Q e^{-i chi-hat}
    return Step(
        id="eq11b-gauge-undone",
        title="The tunneling term in terms of R = e^{i chi-hat} Q e^{-i chi-hat}",
        paper=PAPER, equation="(11b)",
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]), Tr(nc["R0"], nc["Rp"])),
        claims=(zero_poly("Tr[e^{i chi-hat_{ll'}} Q_l e^{-i chi-hat_{ll'}} Q_l'] = Tr[R_l R_l'] (chi-hat diagonal, trace cyclic)",
                          lambda: difference(lattice_term, undone), "symbolic: free algebra, canonical cyclic traces"),),
        note="chi-hat_{ll'} = chi-hat_l - chi-hat_{l'} is diagonal, so e^{i chi-hat_{ll'}} = e^{i chi-hat_l}e^{-i chi-hat_{l'}}: the term only sees R = e^{i chi-hat}Qe^{-i chi-hat} (Eq. 5a undone).",
    )


def step_square() -> Step:
    def residual():
        diff = cn.add(cn.letter("Rp"), cn.letter("R0", -1))
        rhs = cn.add({(): sympy.Integer(1)}, cn.scale(cn.trace(cn.mul(diff, diff)), sympy.Rational(-1, 2)))
        return difference(cn.reduce_involutions(cn.trace(word("R0", "Rp"))), cn.reduce_involutions(rhs))

    jump = sympy.Symbol(r"\left(R_{l'} - R_{l}\right)", commutative=False)
    shown = sympy.Eq(Tr(nc["R0"], nc["Rp"]), n - sympy.Rational(1, 2) * Tr(jump, jump))
    return Step(
        id="unit-square", title="R^2 = 1 turns the term into a square of differences", paper=PAPER, equation="(11b)",
        result=shown,
        claims=(zero_poly("Tr[R_l R_l'] = n - 1/2 Tr[(R_l' - R_l)^2] given R_l^2 = R_l'^2 = 1", residual,
                          "symbolic: free algebra with R^2 -> 1 inside cyclic traces"),),
        note="Exact, no expansion yet: -(g_T/8)Tr[R_l R_l'] = -(g_T/8)n + (g_T/16)Tr[(R_l' - R_l)^2]; the constant is dropped.",
    )


# --- Taylor series in the contact vector, integration by parts, covariant derivative ---------------


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


def step_series() -> Step:
    shown = sympy.Eq(sympy.Symbol(r"\operatorname{Tr}\left[(R(r+e)-R(r))^{2}\right]"),
                     sum(cn.gradient_series_coefficient(k) * Tr(nc[f"R{k}"], nc[f"R{k}"]) for k in range(1, 5))
                     + sympy.Order(sympy.Symbol("e") ** 10))
    return Step(
        id="gradient-series", title="Taylor series in the contact vector, integrated by parts", paper=PAPER, equation="(15)",
        result=shown, claims=_series_claims(),
        note=f"d = e.grad; odd orders are total derivatives, even ones reduce to c_m Tr[(d^m R)^2], c_m = 2(-1)^(m+1)/(2m)! (checked through e^{SERIES_ORDER}).",
    )


def step_covariant() -> Step:
    def residual(m):
        lhs = cn.power_of(cn.differentiate, word("E", "Q0", "F"), m)
        return cn.add(lhs, cn.scale(cn.mul(cn.letter("E"), cn.power_of(cn.covariant_derivative, cn.letter("Q0"), m), cn.letter("F")), -1))

    def traces_residual():
        first = cn.mul(cn.letter("E"), cn.covariant_derivative(cn.letter("Q0")), cn.letter("F"))
        return difference(cn.trace(cn.mul(first, first)), cn.trace(cn.mul(*[cn.covariant_derivative(cn.letter("Q0"))] * 2)))

    covariant = nc["Q1"] + sympy.I * (nc["X1"] * nc["Q0"] - nc["Q0"] * nc["X1"])
    return Step(
        id="covariant-derivative", title="dR = e^{i chi-hat}(d~Q)e^{-i chi-hat}: the covariant derivative", paper=PAPER, equation="(15)",
        result=sympy.Eq(sympy.Symbol(r"\tilde\partial Q", commutative=False), covariant),
        claims=tuple(zero_poly(f"d^{m}(e^{{i chi-hat}} Q e^{{-i chi-hat}}) = e^{{i chi-hat}} d~^{m}Q e^{{-i chi-hat}}", lambda m=m: residual(m),
                               "symbolic: Leibniz rule with de^{i chi-hat} = idchi-hat e^{i chi-hat}") for m in range(1, 5))
        + (zero_poly("Tr[(dR)^2] = Tr[(d~Q)^2]", traces_residual, "symbolic: free algebra, e^{-i chi-hat}e^{i chi-hat} = 1"),),
        note="From Eq. (11b) as printed d~Q = grad Q + i[grad chi-hat, Q]; Eq. (15) prints grad Q - i[grad chi-hat, Q], which is chi-hat -> -chi-hat (see notes/continuum.md).",
    )


def step_direct() -> Step:
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
        id="direct-expansion", title="The same series directly in grad Q and grad chi-hat, using Q^2 = 1", paper=PAPER, equation="(11b)",
        result=sympy.Eq(Tr(nc["El"], nc["Fp"], nc["Ql"], nc["Fl"], nc["Ep"], nc["Qp"]),
                        n - sympy.Rational(1, 2) * Tr(nc["C1"], nc["C1"]) - sympy.Rational(1, 2) * Tr(nc["C1"], nc["C2"])
                        - sympy.Rational(1, 8) * Tr(nc["C2"], nc["C2"]) - sympy.Rational(1, 6) * Tr(nc["C1"], nc["C3"])
                        + sympy.Order(sympy.Symbol("e") ** 5)),
        claims=(claims.holds("each order e^0..e^4 of Eq. (11b)'s trace equals n - 1/2 sum_{i+j=k} Tr[d~^iQ d~^jQ]/(i!j!)", check,
                             f"exact evaluation on {len(JET_SEEDS)} seeded 4x4 jets of Q = U Lambda U^dag (Q^2 = 1 to all orders)"),),
        note="Pointwise, before integration by parts: the direct expansion in Q_l, Q_{l+e}, chi-hat needs Q^2 = 1 (e.g. Tr[Q d^2 Q] = -Tr[(dQ)^2]).",
    )
