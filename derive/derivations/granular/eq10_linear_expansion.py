"""Eq. (10): -Tr ln expanded to linear order in eps-hat and V0, and the compressibility term of F_0[V]."""
from __future__ import annotations

import sympy
from sympy import I, MatrixSymbol, Symbol, Trace, pi

from derive.derivations.granular.notation import T, delta, size
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import fermi, matsubara_energy, matsubara_inverse_square_by_residues
from derive.engines.trln import canonical_trace, trln_order
from derive.model import Step


def _linear_term() -> sympy.Expr:
    """-Tr ln(G^-1 + X) at first order in X = i(eps-hat + V0), with Sum_p G = -i pi Q/delta."""
    return canonical_trace(_linear_term_uncollected())


def _linear_term_uncollected() -> sympy.Expr:
    """The same first order before the traces are collected."""
    G, Q, eps_hat = (MatrixSymbol(name, size, size) for name in ("G", "Q", r"\hat{\varepsilon}"))
    V0 = Symbol("V^0", real=True)
    X = I * (eps_hat + V0 * sympy.Identity(size))
    first = -trln_order(G, X, 1)
    return first.xreplace({G: -I * pi / delta * Q})


def _linear_term_expected() -> sympy.Expr:
    Q, eps_hat = MatrixSymbol("Q", size, size), MatrixSymbol(r"\hat{\varepsilon}", size, size)
    V0 = Symbol("V^0", real=True)
    return canonical_trace(-pi / delta * Trace(sympy.MatMul(eps_hat, Q)) - pi / delta * V0 * Trace(Q))


def _compressibility_term(band: sympy.Expr | None = None) -> sympy.Expr:
    """(1/2) Tr[(G i V0)^2]: sum_n G^2 = f'(xi)/T (next claim), (1/delta) int dxi f' = -1/delta, spin 2.

    ``band`` is int dxi f'(xi), evaluated from the limits of f unless given (the claim's statement passes
    the unevaluated integral)."""
    xi, V0 = Symbol("xi", real=True), Symbol("V^0", real=True)
    if band is None:
        band = sympy.limit(fermi(xi, T), xi, sympy.oo) - sympy.limit(fermi(xi, T), xi, -sympy.oo)
    trace_G_squared = 2 * band / (delta * T)
    return sympy.Rational(1, 2) * (I * V0) ** 2 * trace_G_squared


def eq10_linear_expansion() -> Step:
    """Eq. (10) with the corrected sign, and the V0^2 term of F_0[V]."""
    xi, V0 = Symbol("xi", real=True), Symbol("V^0", real=True)
    n = Symbol("n", integer=True)
    return Step(
        **OUTLINE.header("eq10-linear-expansion"),
        result=sympy.Eq(Symbol(r"\delta\mathcal{F}_d"), V0**2 / (T * delta) + _linear_term_expected()),
        claims=(
            claims.equal(
                r"$-\operatorname{Tr}\ln$ at first order in $i(\hat\varepsilon + V^0)$, with $\sum_p G = -i\pi Q/\delta$, is "
                r"$-(\pi/\delta)\operatorname{Tr}[(\hat\varepsilon + V^0)Q]$: the sign is minus "
                "(Eq. (10) prints plus; Eqs. (11b) and (12) need minus)",
                _linear_term,
                _linear_term_expected,
                formula=sympy.Eq(_linear_term_uncollected(), _linear_term_expected(), evaluate=False),
            ),
            claims.equal(
                r"$T\sum_n (i\varepsilon_n - \xi)^{-2} = f'(\xi)$, by residues",
                lambda: matsubara_inverse_square_by_residues(xi, T),
                lambda: sympy.diff(fermi(xi, T), xi),
                method="simplify",
                formula=sympy.Eq(T * sympy.Sum(1 / (I * matsubara_energy(n, T) - xi) ** 2, (n, -sympy.oo, sympy.oo)),
                                 sympy.diff(fermi(xi, T), xi), evaluate=False),
            ),
            claims.equal(
                r"$F_0[V] - F_0[0] = \frac12\operatorname{Tr}[(GiV^0)^2] = (V^0)^2/T\delta$ per grain and replica "
                "(Matsubara sum first)",
                _compressibility_term,
                V0**2 / (T * delta),
                formula=sympy.Eq(_compressibility_term(sympy.Integral(sympy.diff(fermi(xi, T), xi), (xi, -sympy.oo, sympy.oo))),
                                 V0**2 / (T * delta), evaluate=False),
            ),
        ),
        note=(r"The printed Eq. (10) has $+\operatorname{Tr}'[(\varepsilon + V^0)P_j(Q - \Lambda)]$; the expansion gives "
              "minus, as Eqs. (11b) and (12) require."),
        printed=sympy.Eq(Symbol(r"\delta\mathcal{F}_d"), V0**2 / (T * delta) - _linear_term_expected()),
        erratum="the notes on the granular paper, difference 3, the sign of the linear term",
    )
