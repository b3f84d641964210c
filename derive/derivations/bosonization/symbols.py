"""The symbols the bosonization steps share: supermatrices of Eq. (4)-(8), Λ, the σ-model fields and constants.

Noncommutative symbols stand for supermatrices (or matrix-valued phase-space functions); the positive
constants are the density of states ν, the Fermi velocity, the impurity density and the frequency.
"""
from __future__ import annotations

from functools import partial

import sympy

from derive.engines.supermatrix import Grading

__all__ = [
    "EIGHT_BY_EIGHT", "LOCALISATION_ORDER", "W_DEGREE", "A", "An", "H", "Lam", "P", "Q", "Qinv", "T", "Tbar", "V", "Vbar",
    "c_coll", "dP", "hbar", "n_i", "nc", "nu", "omega", "q", "qinv", "v_F", "w_coefficients", "x_eigen",
    "phase_point", "theta", "C_hat", "kernel", "F_of", "F2_of", "r_vec", "p_vec", "Tinv", "u_phase", "v_phase", "H_phase", "poisson", "Sdet", "Ber", "direction", "scattered", "amplitude",
]

nc = partial(sympy.Symbol, commutative=False)
hbar = sympy.Symbol("hbar", positive=True)

# Eq. (4)-(8): the supermatrices of the exact functional.
Q, A, H, Qinv, q, qinv = (nc(name) for name in ("Q", "A", "H_J", "Q^{-1}", "q", "q^{-1}"))
# Phase-space functions of Eq. (7)-(10), written without their arguments (r, p): T, its inverse T̄, the pointwise
# inverse T⁻¹, the Hamiltonian H (matrix-valued, so that the order of factors is kept); 𝒜, ℬ any such functions.
r_vec, p_vec = sympy.Symbol(r"\mathbf{r}"), sympy.Symbol(r"\mathbf{p}")
T, Tbar, Tinv, H_phase = (nc(name) for name in ("T", "\\bar{T}", "T^{-1}", "H"))
u_phase, v_phase = nc("\\mathcal{A}"), nc("\\mathcal{B}")


def _derivative(expr: sympy.Expr, variable: sympy.Symbol) -> sympy.Expr:
    """∂ expr, unevaluated, distributed over sums with numbers and ε, ħ pulled out (so displays break at signs)."""
    total = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coefficient, operator = term.args_cnc()
        if operator:
            total += sympy.Mul(*coefficient) * sympy.Derivative(sympy.Mul(*operator), variable)
    return total


def poisson(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """{a, b} = ∂_r a ∂_p b − ∂_p a ∂_r b in vector notation (r·p summed), unevaluated derivatives, expanded."""
    return sympy.expand(_derivative(a, r_vec) * _derivative(b, p_vec) - _derivative(a, p_vec) * _derivative(b, r_vec))
Lam = nc("Lambda")
EIGHT_BY_EIGHT = Grading.retarded_advanced(bosons=2, fermions=2)
LOCALISATION_ORDER = 6
x_eigen = sympy.Symbol("zeta")                      # an eigenvalue of A
# the phase-space point of the integrals ∫dx of Eq. (8)-(11)
phase_point = sympy.Symbol(r"\mathbf{x}")

# Eq. (11), (13), (1): V_n = V W_n, W_n = e^{−iP_n}, A_n = V̄ n·∇V.
P, dP, An, V, Vbar = (nc(s) for s in ("P", "\\nabla P", "A_n", "V", "\\bar{V}"))
nu, v_F, n_i, omega, c_coll = sympy.symbols("nu v_F n_i omega c", positive=True)
# Eq. (12): directions of the incoming and scattered momenta, the scattering amplitude f(n, n').
direction, scattered = sympy.Symbol(r"\mathbf{n}"), sympy.Symbol(r"\mathbf{n}'")
amplitude = sympy.Function("f")
# Superdeterminant (Berezin's sign) and the Berezinian Ber(f(A), A) of a change of variables A → f(A): named
# functions of the statements; their values are computed on explicit supermatrices (derive.engines.supermatrix).
Sdet, Ber = sympy.Function(r"\operatorname{Sdet}"), sympy.Function(r"\operatorname{Ber}")
# Eq. (13), (1): the collision operator Ĉ acting on a field, the kernel w(cos θ), the quadratic functional F_2.
theta = sympy.Symbol("theta", real=True)         # the angle between n and n'
C_hat = sympy.Function("\\hat{C}", commutative=False)
kernel = sympy.Function("w")
F_of, F2_of = sympy.Function("F"), sympy.Function("F_2")
W_DEGREE = 3                                       # w(n·n') = Σ_{k ≤ 3} w_k (n·n')^k
w_coefficients = sympy.symbols(f"w_0:{W_DEGREE + 1}", real=True)

# What the symbols of the section mean (its table of symbols), keyed by SymPy or printed name.
MEANINGS: dict[str, str] = {
    "nu": "density of states at the Fermi level", "v_F": "Fermi velocity", "p_F": "Fermi momentum", "n_i": "concentration of impurities",
    "omega": "frequency", "c": "coefficient of the collision term (derived: $c = 1/2$)", "tau": "elastic scattering time",
    "tau_{tr}": "transport scattering time", "D": "diffusion constant", "\\Lambda": "metallic saddle point, $\\operatorname{diag}(1, -1)$ in retarded-advanced space",
    "Q": "supermatrix field", "Q^{st}": "supertranspose of $Q$", "T": "rotation of $\\Lambda$, $Q = T \\star \\Lambda \\star \\bar{T}$", "\\bar{T}": "star inverse of $T$",
    "P": "generator of the rotation, $W = e^{-iP}$", "P_{n}": "$P$ at the direction $n$", "P_{n'}": "$P$ at the direction $n'$",
    "w": "scattering kernel $w(n, n')$", "m": "electron mass", "H": "one-particle Hamiltonian", "U": "potential",
    "\\mathbf{n}": "direction of the momentum on the Fermi surface", "\\mathbf{n}'": "a second direction on the Fermi surface",
    "d": "dimension",
    "\\psi": "supervector of the fields", "\\bar{\\psi}": "conjugate supervector", "A": "decoupling supermatrix of Eq. (4)",
    "F_{\\mathrm{coll}}": "collision term of Eq. (13)",
}
