"""Shared notation of the continuum steps: symbols, display letters, and claims on free-algebra polynomials."""
from __future__ import annotations

import sympy

from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr

JET_SEEDS = (1, 2, 3)
SERIES_ORDER = 8

g_T, delta, T, nu, e_charge = sympy.symbols("g_T delta T nu e", positive=True)
CONTACT = sympy.Symbol(r"\mathbf{e}")  # the contact vector, as the order of the series: the letters' d is d_e = e.grad
n = cn.n_dim
nc = {name: sympy.Symbol(latex, commutative=False) for name, latex in {
    "Ql": "Q_{l}", "Qp": "Q_{l'}", "El": r"e^{i\hat\chi_{l}}", "Fl": r"e^{-i\hat\chi_{l}}", "Ep": r"e^{i\hat\chi_{l'}}",
    "Fp": r"e^{-i\hat\chi_{l'}}", "R0": "R_{l}", "Rp": "R_{l'}", "Q0": "Q", "Q1": r"\partial Q", "Q2": r"\partial^{2} Q",
    "X1": r"\partial\hat\chi", "X2": r"\partial^{2}\hat\chi", "E": r"e^{i\hat\chi}", "F": r"e^{-i\hat\chi}",
    **{f"R{k}": rf"\partial^{{{k}}} R" if k > 1 else r"\partial R" for k in range(1, SERIES_ORDER)},
    **{f"C{k}": rf"\tilde\partial^{{{k}}} Q" for k in range(1, 5)},
}.items()}


def word(*letters: str) -> cn.Poly:
    return cn.mul(*(cn.letter(x) for x in letters))


def shown(poly: cn.Poly) -> sympy.Expr:
    """A free-algebra polynomial as SymPy: each word a product of the noncommutative display letters."""
    return sympy.Add(*(c * sympy.Mul(*(nc[x] for x in w)) for w, c in sorted(poly.items())))


def shown_traces(traces: cn.TracePoly) -> sympy.Expr:
    """A trace polynomial as SymPy: sum of coefficient times Tr of the word in display letters (n for the empty word)."""
    return cn.to_display(traces, nc, n)


def traced_word(*letters: str) -> sympy.Expr:
    """Tr of a word of display letters, in the order given (no cyclic canonical form)."""
    return Tr(*(nc[x] for x in letters))


def difference(traces_a: cn.TracePoly, traces_b: cn.TracePoly) -> cn.TracePoly:
    return cn.add(traces_a, cn.scale(traces_b, -1))


def zero_poly(statement: str, build, method: str, formula: sympy.Basic | None = None) -> claims.Claim:
    """A claim that a free-algebra polynomial (built lazily) vanishes identically; ``formula`` states it."""
    return claims.holds(statement, lambda: None if not build() else f"residual = {build()}", method, formula)


# What the symbols of the section mean (its table of symbols), keyed by SymPy or printed name.
MEANINGS: dict[str, str] = {
    "T": "temperature", "delta": "mean level spacing of a grain, per spin", "g_T": "dimensionless tunneling conductance of a contact",
    "nu": "density of states per unit volume", "D": "diffusion constant $\\gamma g_T \\delta a^2$", "a": "lattice constant",
    "v": "volume per grain", "L_T": "soliton scale", "Gamma": "$g_T\\delta$, the tunneling rate", "gamma": "lattice factor of the diffusion constant",
    "Q": "$\\sigma$-model field", "\\mathbf{e}": "contact vector between neighbouring grains", "Q_{l}": "$\\sigma$-model field of grain $l$",
    "R_{l}": "gauge-rotated field $e^{i\\hat\\chi_l}Q_l e^{-i\\hat\\chi_l}$ of grain $l$", "\\tilde\\partial Q": "covariant derivative of $Q$",
    "\\partial\\hat\\chi": "gradient of the phases", "e": "electron charge", "\\xi": "width of the kink",
}
