"""Shared notation of the granular steps: symbols, matrix symbols, and g_T in terms of the tunneling amplitude."""
from __future__ import annotations

import sympy
from sympy import MatrixSymbol, Symbol, pi

SPIN = 2

T, delta, g_T, t, e = sympy.symbols("T delta g_T t e", positive=True)
E_T = Symbol("E_T", positive=True)
tau = Symbol("tau", positive=True)  # imaginary time, 0 < tau < 1/T
size = Symbol("D", integer=True, positive=True)  # dimension of replica x spin x Matsubara space
Q1, Q2 = MatrixSymbol("Q_1", size, size), MatrixSymbol("Q_2", size, size)
chi = MatrixSymbol("chi", size, 1)


def g_T_of_t() -> sympy.Expr:
    """g_T = 8 pi^2 |t|^2 / delta^2 (delta: level spacing per spin; each contact counted once)."""
    return 8 * pi**2 * t**2 / delta**2

# What the symbols of the section mean (its table of symbols), keyed by SymPy or printed name.
MEANINGS: dict[str, str] = {
    "T": "temperature", "delta": "mean level spacing of a grain, per spin", "g_T": "dimensionless tunneling conductance of a contact",
    "t": "tunneling amplitude between neighbouring grains", "e": "electron charge", "E_T": "Thouless energy of a grain",
    "tau": "imaginary time, $0 < \\tau < 1/T$", "E_C": "charging energy $e^2/2C$ of a grain", "q": "gate (background) charge",
    "V^0": "static part of the decoupling field $V$", "Q": "$\\sigma$-model field", "Q_1": "$\\sigma$-model field of grain 1",
    "Q_2": "$\\sigma$-model field of grain 2", "chi": "phases of the gauge transformation", "\\hat{\\varepsilon}": "diagonal matrix of the Matsubara energies",
    "P_j": "projector on replica $j$", "N_{jl}": "charge of grain $l$ in replica $j$, Eq. (12)", "w": "winding number",
    "M": "Matsubara cutoff (number of positive frequencies kept)", "\\Delta F": "canonical-ensemble correction to the free energy",
    "C_{ll'}": "capacitance matrix", "\\hat{\\chi}_{ll'}": "phase difference across the contact $ll'$",
    "\\mathcal{F}_t": "tunneling action", "\\mathcal{F}_C": "charging action", "n": "matrix size, or an integer charge state",
    "S": "action at a winding-number minimum", "xi": "single-particle energy measured from the Fermi level",
}
