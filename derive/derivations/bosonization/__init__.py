"""Superbosonization (bosonization paper): from the exact F[Q] of Eq. (8) to the σ-models (10) and (1).

Paper order: Eq. (4)-(8) as a chain of exact changes of variables (each claim says what is invariant),
Eq. (9) the ξ-integral of g, Eq. (10) the Moyal expansion of Str[H * Q] giving the Liouville operator on
the Fermi surface and the next (ħ²) quantum correction, Eq. (11) stated, Eq. (12) the averaged T-matrix
with the optical theorem and τ, τ and τ_tr of model scatterers beyond the Born approximation, Eq. (13)
expanded in P, and the Gaussian integration over P in angular harmonics (d = 2, 3) giving Eq. (1).

Supertraces are written in the paper's (Efetov's) sign, Str = Tr_FF − Tr_BB; ``derive.supermatrix``
computes Berezin's Str = Tr_BB − Tr_FF = −Str_paper. Every claim below is linear in Str except the
sign of Str(ψψ̄A), where the convention is stated.
"""
from __future__ import annotations

from functools import partial

import numpy as np
import sympy

from derive.derivations import papers
from derive.derivations.bosonization.eq10 import eq10_steps
from derive.derivations.bosonization.gaussian import sigma_model_steps
from derive.derivations.bosonization.impurities import impurity_steps
from derive.engines import claims
from derive.engines.localisation import exponent_series, localisation_series
from derive.engines.supermatrix import (
    Grading,
    GrassmannAlgebra,
    Str,
    SupertraceRules,
    berezinian_of_linear_map,
    multiply,
    random_even_supermatrix,
    random_rational_even_supermatrix,
    superdeterminant,
    supertrace,
    supertrace_of,
)
from derive.model import Derivation, Step

TITLE = "Superbosonization: the exact F[Q] and the ballistic and diffusive σ-models (bosonization paper)"
PAPER = "bosonization"
OPTIONS: dict = {}

nc = partial(sympy.Symbol, commutative=False)
Q, A, H, Qinv, T, Tbar, q, qinv = (nc(name) for name in ("Q", "A", "H_J", "Q^{-1}", "T", "\\bar{T}", "q", "q^{-1}"))
Lam = nc("Lambda")
EIGHT_BY_EIGHT = Grading.retarded_advanced(bosons=2, fermions=2)
LOCALISATION_ORDER = 6
x_eigen = sympy.Symbol("x")


# --- Eq. (4): the identity ------------------------------------------------------------------------

def _even_and_odd_entries_balance() -> str | None:
    cells = [(i, j) for i in range(8) for j in range(8)]
    even = sum(1 for c in cells if EIGHT_BY_EIGHT.entry_parity(*c) == 0)
    odd = len(cells) - even
    return None if even == odd else f"{even} even and {odd} odd entries"


def _grassmann_outer_product_sign() -> str | None:
    """Str_Berezin(ψ ψ̄ A) = ψ̄ A ψ for supervectors with Grassmann-valued fermionic components."""
    rng = np.random.default_rng(11)
    algebra, grading = GrassmannAlgebra(5), Grading.retarded_advanced(1, 1)
    psi = [algebra.random_element(rng, parity) for parity in grading.parities]
    psibar = [algebra.random_element(rng, parity) for parity in grading.parities]
    a = random_even_supermatrix(rng, algebra, grading)
    outer = np.array([[psi[i] @ psibar[j] for j in range(4)] for i in range(4)])
    left = supertrace(multiply(outer, a), grading)
    right = sum(psibar[i] @ a[i, j] @ psi[j] for i in range(4) for j in range(4))
    error = float(np.max(np.abs(left - right)))
    return None if error < 1e-9 * max(1.0, float(np.max(np.abs(right)))) else f"max deviation {error:.3g}"


def step_identity() -> Step:
    psi, psibar = nc("psi"), nc("\\bar{\\psi}")
    scale = sympy.Symbol("c", positive=True)
    return Step(
        id="eq4-identity", title="The identity (4): a δ-function of Q/2 − ψψ̄", paper=PAPER, equation="(4)",
        result=sympy.Eq(sympy.Integer(1), sympy.Integral(
            sympy.exp(-sympy.I * Str((Q / 2 - psi * psibar) * A)), sympy.Symbol("Q"), sympy.Symbol("A"))),
        claims=(
            claims.holds("an 8×8 (4|4) supermatrix has as many even as odd entries (32 and 32)",
                         _even_and_odd_entries_balance, "count of the graded entries"),
            claims.equal("so the Berezinian of Q → cQ is c^(32−32) = 1: the factor 1/2 in (4) costs nothing",
                         scale ** (32 - 32), 1),
            claims.equal("Str 1 = 0 for equal numbers of bosons and fermions",
                         supertrace(sympy.eye(8), EIGHT_BY_EIGHT), 0),
            claims.holds("Str(ψψ̄A) = ψ̄Aψ in Berezin's sign, i.e. −ψ̄Aψ with the paper's Str",
                         _grassmann_outer_product_sign, "explicit Grassmann algebra, 5 generators (32×32 matrices)"),
        ),
        note="The A-integral is a Fourier representation of δ(Q/2 − ψψ̄); the rescaling by 1/2 and constant "
             "factors cancel between bosonic and fermionic entries.",
    )


# --- Eq. (5), (6): Gaussian integral over ψ and the shift of A -----------------------------------

def _grassmann_coefficient(algebra: GrassmannAlgebra, element: np.ndarray, word: tuple) -> complex:
    """Coefficient of the ordered monomial θ_word in an algebra element (read off on the vacuum)."""
    vacuum = np.eye(algebra.dimension)[:, 0]
    monomial = dict(algebra.basis)[word]
    return (monomial @ vacuum) @ (element @ vacuum)


def _berezin_gaussian(a: complex, b: complex, s1: float, s2: float) -> dict:
    """∫(d²S/π) dχ* dχ exp(−ψ̄Mψ) for ψ = (S, χ), M = [[a, s1 η1], [s2 η2, b]] (∫dχ*dχ χχ* = 1).

    The χ-integral reads off the coefficient of χχ*; the S-integral is Gauss–Laguerre in |S|² (40 nodes)
    times an angular trapezoid; the result is returned as its coefficients of 1 and η1η2.
    """
    algebra = GrassmannAlgebra(4)
    chi, chi_star, eta1, eta2 = (algebra.generator(i) for i in range(4))
    nodes, weights = np.polynomial.laguerre.laggauss(40)
    total = {(0, 1): 0j, (0, 1, 2, 3): 0j}
    for u, weight in zip(nodes, weights):
        for angle in 2 * np.pi * np.arange(16) / 16:
            S = np.sqrt(u / a.real) * np.exp(1j * angle)
            nilpotent = -(np.conj(S) * s1 * eta1 @ chi + chi_star @ (s2 * eta2) * S + b * chi_star @ chi)
            series, term = np.eye(algebra.dimension, dtype=complex), np.eye(algebra.dimension, dtype=complex)
            for k in range(1, 5):                       # the nilpotent part vanishes at fifth order
                term = term @ nilpotent / k
                series = series + term
            value = np.exp(-1j * a.imag * u / a.real) * series
            for word in total:
                total[word] += weight / 16 / a.real * _grassmann_coefficient(algebra, value, word)
    return total


def _gaussian_superintegral_is_inverse_sdet() -> str | None:
    a, b, s1, s2 = 1.3 + 0.4j, 0.7 - 0.2j, 0.9, -1.1
    integral = _berezin_gaussian(a, b, s1, s2)
    algebra = GrassmannAlgebra(2)
    one, eta1, eta2 = np.eye(4), algebra.generator(0), algebra.generator(1)
    M = np.array([[a * one, s1 * eta1], [s2 * eta2, b * one]])
    inverse = np.linalg.inv(superdeterminant(M, Grading((0, 1))))
    expected = (_grassmann_coefficient(algebra, inverse, ()), _grassmann_coefficient(algebra, inverse, (0, 1)))
    got = (integral[(0, 1)], integral[(0, 1, 2, 3)])
    error = max(abs(g - e) for g, e in zip(got, expected))
    return None if error < 1e-10 and abs(expected[1]) > 0.1 else f"integral {got}, Sdet⁻¹ {expected}"


def step_shift() -> Step:
    rules = SupertraceRules(Lam, inverses=((Q, Qinv),))
    saddle = H - sympy.I * Qinv
    return Step(
        id="eq5-6-shift", title="Integrating out ψ and shifting A → A_sp + A", paper=PAPER, equation="(5), (6)",
        result=sympy.Eq(sympy.Symbol("A_{sp}"), saddle),
        claims=(
            claims.holds("∫(d²S/π)dχ*dχ exp(−ψ̄Mψ) = Sdet⁻¹M for a (1|1) supervector and Grassmann-valued "
                         "off-diagonal M (Berezin sign): the Gaussian superintegral behind (5)",
                         _gaussian_superintegral_is_inverse_sdet,
                         "explicit Grassmann algebra (4 generators), Berezin integral as a coefficient, "
                         "Gauss–Laguerre quadrature over S"),
            claims.equal("H_J − (A_sp + A) = iQ⁻¹ − A: the argument of the Str ln of (6)",
                         H - (saddle + A), sympy.I * Qinv - A),
            claims.equal("Str[Q (A_sp + A)] = Str[H_J Q] + Str[Q A]: the −i Str 1 from Q Q⁻¹ vanishes",
                         lambda: supertrace_of(Q * (saddle + A), rules),
                         lambda: supertrace_of(Q * H + Q * A, rules)),
        ),
        note="The ψ-integral gives Sdet⁻¹ for a complex supervector (checked for (1|1)); the 8-component ψ of "
             "the paper obeys a charge-conjugation constraint, which halves the exponent to Sdet^{-1/2} (quoted, "
             "not re-derived). The shift is a translation, Ber = 1.",
    )


# --- Eq. (6) → (8): the changes of variables -----------------------------------------------------

def _sdet_multiplicative_under_rescaling() -> str | None:
    """Sdet(q^{-1/2}(i − A)q^{-1/2}) = Sdet(q)^{-1} Sdet(i − A) with Grassmann-valued A."""
    rng = np.random.default_rng(12)
    algebra, grading = GrassmannAlgebra(4), Grading.retarded_advanced(1, 1)
    dim = algebra.dimension
    eigen = np.array([1.7, 0.6, 2.3, 0.9])
    half = np.diag(eigen ** -0.5)[:, :, None, None] * np.eye(dim)
    a = random_even_supermatrix(rng, algebra, grading, body=0.3 * rng.normal(size=(4, 4)))
    shifted = 1j * np.eye(4)[:, :, None, None] * np.eye(dim) - a
    left = superdeterminant(multiply(multiply(half, shifted), half), grading)
    q_sdet = np.prod(eigen[[0, 2]]) / np.prod(eigen[[1, 3]])
    right = superdeterminant(shifted, grading) / q_sdet
    error = float(np.max(np.abs(left - right)))
    return None if error < 1e-10 else f"max deviation {error:.3g}"


def step_change_of_variables() -> Step:
    conj = SupertraceRules(Lam, inverses=((T, Tbar),))
    s, sinv = nc("q^{1/2}"), nc("q^{-1/2}")
    rescale = SupertraceRules(Lam, inverses=((s, sinv),))
    X = nc("X")
    g22, g21 = Grading.retarded_advanced(1, 1), Grading((0, 0, 1))
    t_value = random_rational_even_supermatrix(3, g22)
    d22, d21 = sympy.diag(2, 3, 5, 7), sympy.diag(2, 3, 5)
    F = sympy.Function("F")
    return Step(
        id="eq8-exact-functional", title="A → T*A*T̄ and A → q^{-1/2}*A*q^{-1/2}: the exact F[Q]",
        paper=PAPER, equation="(8)",
        result=sympy.Eq(F(Q), sympy.I / 2 * sympy.Integral(Str(H * Q - sympy.I * sympy.log(Q)), sympy.Symbol("x"))),
        claims=(
            claims.equal("iQ⁻¹ − T A T̄ = T (iq⁻¹ − A) T̄ for Q = T q T̄ (Q⁻¹ = T q⁻¹ T̄)",
                         sympy.I * T * qinv * Tbar - T * A * Tbar, sympy.expand(T * (sympy.I * qinv - A) * Tbar)),
            claims.equal("Str[(T A T̄)(T q T̄)] = Str[A q]: the coupling term is invariant",
                         lambda: supertrace_of(T * A * Tbar * T * q * Tbar, conj), lambda: supertrace_of(A * q, conj)),
            claims.all_zero("Str (T X T̄)^n = Str X^n for n = 1..4, hence Str ln(T X T̄) = Str ln X",
                            lambda: [supertrace_of((T * X * Tbar) ** n, conj) - supertrace_of(X**n, conj)
                                     for n in range(1, 5)]),
            claims.equal("Ber(A ↦ T A T⁻¹) = 1 on (2|2) supermatrices (exact rational T)",
                         lambda: berezinian_of_linear_map(lambda m: t_value * m * t_value.inv(), g22), 1),
            claims.equal("Ber(A ↦ D A D) = Sdet(D)^(2(p−q)) = 1 for p = q (D = q^{-1/2} diagonal) ...",
                         lambda: berezinian_of_linear_map(lambda m: d22 * m * d22, g22), 1),
            claims.equal("... but Sdet(D)² ≠ 1 for (2|1): the Jacobian is unity only by supersymmetry",
                         lambda: berezinian_of_linear_map(lambda m: d21 * m * d21, g21),
                         lambda: superdeterminant(d21, g21) ** 2),
            claims.equal("Str[(q^{-1/2} A q^{-1/2}) q] = Str A: A decouples from q",
                         lambda: supertrace_of(sinv * A * sinv * s * s, rescale), lambda: supertrace_of(A, rescale)),
            claims.holds("Str ln[q^{-1/2}(i − A)q^{-1/2}] = −Str ln q + Str ln(i − A) (Sdet is multiplicative)",
                         _sdet_multiplicative_under_rescaling, "explicit Grassmann algebra, 4 generators"),
            claims.equal("the decoupled integrand at A = 0 is exp(½ ln i · Str 1) = 1",
                         sympy.exp(sympy.log(sympy.I) * supertrace(sympy.eye(8), EIGHT_BY_EIGHT) / 2), 1),
            claims.equal("its exponent has no linear term: ½[ln(1 + ix) − ix] = x²/4 − ix³/6 + O(x⁴) per eigenvalue",
                         partial(exponent_series, 3), x_eigen**2 / 4 - sympy.I * x_eigen**3 / 6),
            claims.equal(f"∫DA exp(½Str[ln(i − A) − iA]) = 1 + O(g^{LOCALISATION_ORDER + 1}) for a (1|1) supermatrix "
                         "with Grassmann off-diagonal entries (cubic and higher terms counted by g, Gaussian moments)",
                         lambda: sympy.Matrix(localisation_series(LOCALISATION_ORDER)),
                         sympy.Matrix([1] + [0] * LOCALISATION_ORDER)),
            claims.equal("control: with commuting off-diagonal entries the same series is 1 − 2g²/3 + …",
                         lambda: sympy.Matrix(localisation_series(2, anticommuting=False)),
                         sympy.Matrix([1, 0, -sympy.Rational(2, 3)])),
            claims.equal("control: for a bosonic 1×1 A it is 1 − g²/6 + g⁴/72 + …; the cancellation is supersymmetric",
                         lambda: sympy.Matrix(localisation_series(4, fermion_block=False)),
                         sympy.Matrix([1, 0, -sympy.Rational(1, 6), 0, sympy.Rational(1, 72)])),
        ),
        note="B[Q] = exp(−½∫Str ln Q) × ∫DA exp(½∫Str[ln(i − A) − iA]); that the last integral is exactly 1 "
             "is the supersymmetric localisation theorem, checked here order by order in perturbation theory "
             "for a (1|1) supermatrix, not proven in general (notes/bosonization.md).",
    )


# --- Eq. (9): the quasiclassical g ---------------------------------------------------------------

def quasiclassical_integral(sign: int, width: sympy.Expr) -> sympy.Expr:
    """(1/π) ∫_{−W}^{W} dξ i/(ξ + i·sign·width), W → ∞."""
    xi, cutoff = sympy.Symbol("xi", real=True), sympy.Symbol("W", positive=True)
    integral = sympy.integrate(sympy.I / (xi + sympy.I * sign * width), (xi, -cutoff, cutoff))
    return sympy.limit(sympy.expand_log(integral, force=True), cutoff, sympy.oo) / sympy.pi


def step_quasiclassical_g() -> Step:
    delta, tau = sympy.Symbol("delta", positive=True), sympy.Symbol("tau", positive=True)
    xi = sympy.Symbol("xi", real=True)
    return Step(
        id="eq9-quasiclassical-g", title="The ξ-integral of g", paper=PAPER, equation="(9)",
        result=sympy.Eq(sympy.Integral(sympy.I / (xi + sympy.I * delta * Lam), xi) / sympy.pi, Lam),
        claims=tuple(
            claims.equal(f"(1/π)∫dξ i/(ξ + i{'' if s > 0 else '−'}{w}) = {s} (symmetric cutoff W → ∞)",
                         partial(quasiclassical_integral, s, w), s)
            for s in (1, -1) for w in (delta, 1 / (2 * tau))
        ),
        note="Holds for Λ = ±1 and any positive width (δ, or 1/2τ with impurities); the real part cancels only "
             "for a cutoff symmetric about the Fermi surface.",
    )


def build() -> Derivation:
    """The bosonization derivation, in paper order."""
    steps = (
        step_identity(), step_shift(), step_change_of_variables(), step_quasiclassical_g(),
        *eq10_steps(), *impurity_steps(), *sigma_model_steps(),
    )
    return Derivation(name="bosonization", title=TITLE, paper=PAPER, reference=papers.reference(PAPER), steps=steps,
                      summary="Eq. (4)-(13) and (1) of Efetov, Schwiete and Takahashi; D = v_F² τ_tr / d.")
