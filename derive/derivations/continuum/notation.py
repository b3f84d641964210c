"""Shared notation of the continuum steps: symbols, display letters, and claims on free-algebra polynomials."""
from __future__ import annotations

import sympy

from derive.engines import claims
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr

JET_SEEDS = (1, 2, 3)
SERIES_ORDER = 8

g_T, delta, T, nu, e_charge = sympy.symbols("g_T delta T nu e", positive=True)
CONTACT = sympy.Symbol(r"\mathbf{e}")  # the contact vector; the derivative along it, d_e = e.grad, is the letters' d
n = cn.n_dim
REPLICAS = sympy.Symbol("alpha", positive=True, integer=True)  # the number of replicas, <Z^alpha>


def _noncommutative(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, commutative=False)


def _along_contact(field: sympy.Expr, order: int) -> sympy.Expr:
    return sympy.Derivative(field, (CONTACT, order)) if order else field


# The fields as SymPy objects: Q, the phases chi-hat (diagonal, noncommutative with Q) and R = e^{i chi-hat} Q e^{-i chi-hat};
# the free-algebra letters of derive.engines.gradient_expansion are their derivatives along the contact vector.
FIELD_Q, PHASE, FIELD_R = _noncommutative("Q"), _noncommutative(r"\hat\chi"), _noncommutative("R")
PHASE_L, PHASE_LP = _noncommutative(r"\hat\chi_{l}"), _noncommutative(r"\hat\chi_{l'}")
nc: dict[str, sympy.Expr] = {
    "Ql": _noncommutative("Q_{l}"), "Qp": _noncommutative("Q_{l'}"), "R0": _noncommutative("R_{l}"), "Rp": _noncommutative("R_{l'}"),
    "El": sympy.exp(sympy.I * PHASE_L), "Fl": sympy.exp(-sympy.I * PHASE_L),
    "Ep": sympy.exp(sympy.I * PHASE_LP), "Fp": sympy.exp(-sympy.I * PHASE_LP),
    "E": sympy.exp(sympy.I * PHASE), "F": sympy.exp(-sympy.I * PHASE),
    **{f"Q{k}": _along_contact(FIELD_Q, k) for k in range(5)},
    **{f"X{k}": _along_contact(PHASE, k) for k in range(1, 5)},
    **{f"R{k}": _along_contact(FIELD_R, k) for k in range(1, SERIES_ORDER)},
}


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
    "R": "gauge-rotated field $e^{i\\hat\\chi}Qe^{-i\\hat\\chi}$", "\\hat\\chi": "diagonal matrix of the phases $\\chi_{j}$",
    "\\hat\\chi_{l}": "phases of grain $l$", "R_{l'}": "gauge-rotated field of the neighbour $l'$ of grain $l$",
    "Q_{l'}": "$\\sigma$-model field of the neighbour $l'$ of grain $l$", "e": "electron charge", "\\xi": "width of the kink",
    "b": "second side of the rectangular cell", "c": "contact of a cell", "M": "number of contacts of a cell",
    "m": "number of grains per cell", "n": "dimension of the matrix $Q$, $\\operatorname{Tr} 1 = n$",
    "\\Delta": "$\\Delta_{c,\\kappa}$: component $\\kappa$ of the vector of contact $c$",
    "\\gamma_{\\kappa\\lambda}": "lattice tensor of the diffusion constant, $D_{\\kappa\\lambda} = \\gamma_{\\kappa\\lambda} g_T\\delta$",
    "D_{\\kappa\\lambda}": "diffusion tensor", "D^{(4)}_{\\kappa\\lambda\\rho\\eta}": "fourth-order gradient tensor $\\gamma^{(4)} g_T\\delta$",
    "\\kappa": "spatial direction (summed when repeated)", "\\lambda": "spatial direction (summed when repeated)",
    "\\rho": "spatial direction (summed when repeated)", "\\eta": "spatial direction (summed when repeated)",
    "F_{d}": "continuum action, Eq. (15)", "F_{C}": "Coulomb term, Eq. (16)", "F^{(4)}_d": "fourth-order gradient term of the action",
    "F^{(2)}_{q}": "quadratic action per unit volume of a plane wave", "j": "replica index", "\\alpha": "number of replicas",
    "\\mu_{j\\mathbf{r}}": "local chemical-potential shift, Eq. (17)", "N_{j\\mathbf{r}}": "charge at $\\mathbf{r}$ in replica $j$, Eq. (12)",
    "q_{\\mathbf{r}}": "background charge at $\\mathbf{r}$", "\\hat{P}_{j}": "projector on replica $j$",
    "\\hat\\varepsilon": "diagonal matrix of the Matsubara energies", "\\mathbf{r}": "position",
    "C_{\\mathbf{r}\\mathbf{r}'}": "capacitance matrix in the continuum", "\\beta": "$1/T$", "\\tau": "imaginary time",
    "\\dot\\chi_{j\\mathbf{r}}": "$\\partial_{\\tau}\\chi$ at $\\mathbf{r}$ in replica $j$",
    "\\hat\\chi_{l'}": "phases of the neighbour $l'$ of grain $l$",
    "u": "amplitude of the plane wave", "\\bar{u}": "its complex conjugate", "q": "wave number of the plane wave",
    "\\varepsilon_{n}": "Matsubara energy", "\\varepsilon_{m}": "Matsubara energy",
    "theta": "angle of the rotation $Q(\\theta)$ along the kink", "\\vartheta": "the angle as integration variable",
    "x": "coordinate across the kink", "S": "action of a path between the minima $(1, 0)$ and $(0, 1)$",
    "\\theta_{\\uparrow}": "angle of the rotation for spin up", "\\theta_{\\downarrow}": "angle of the rotation for spin down", "\\mathbf{r}'": "second position", "\\mu_{j\\mathbf{r}'}": "$\\mu_{j\\mathbf{r}}$ at $\\mathbf{r}'$",
    "N_{j\\mathbf{r}'}": "$N_{j\\mathbf{r}}$ at $\\mathbf{r}'$", "\\dot\\chi_{j\\mathbf{r}'}": "$\\dot\\chi_{j\\mathbf{r}}$ at $\\mathbf{r}'$",
}
