"""Eq. (6) → (8): the changes of variables A → T A T̄ and A → q^{-1/2} A q^{-1/2}, giving the exact F[Q]."""
from __future__ import annotations

import numpy as np
import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    EIGHT_BY_EIGHT,
    LOCALISATION_ORDER,
    A,
    Ber,
    H,
    Lam,
    Q,
    Sdet,
    T,
    Tbar,
    nc,
    phase_point,
    q,
    qinv,
    x_eigen,
)
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
from derive.model import Step

__all__ = ["eq08_exact_functional"]


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


g = sympy.Symbol("lambda")     # counts the cubic and higher terms (g of derive.engines.localisation)


def _localisation_integral(matrix: sympy.Symbol) -> sympy.Expr:
    """∫DA exp(½ Str[ln(1 + iλA) − iλA]/λ²): the cubic and higher terms of the exponent counted by λ."""
    return sympy.Integral(sympy.exp((Str(sympy.log(1 + sympy.I * g * matrix)) - sympy.I * g * Str(matrix)) / (2 * g**2)),
                          matrix)


def _series_claim(statement: str, matrix: sympy.Symbol, value: sympy.Expr, order: int, **options: bool):
    """The claim ∫DA exp(...) = value + O(λ^{order+1}), checked coefficient by coefficient (Gaussian moments)."""
    formula = sympy.Eq(_localisation_integral(matrix), value + sympy.O(g ** (order + 1)), evaluate=False)
    expected = sympy.Matrix([formula.rhs.removeO().coeff(g, k) for k in range(order + 1)])
    return claims.equal(statement, lambda: sympy.Matrix(localisation_series(order, **options)), expected, formula=formula)


def _unbalanced_rescaling(diagonal: sympy.Matrix, grading: Grading):
    """Ber(A → D A D) = Sdet(D)² on exact rational supermatrices, and that value is not 1."""
    def check() -> str | None:
        jacobian, square = berezinian_of_linear_map(lambda m: diagonal * m * diagonal, grading), superdeterminant(diagonal, grading) ** 2
        if sympy.simplify(jacobian - square) != 0:
            return f"Ber = {jacobian}, Sdet(D)^2 = {square}"
        return None if square != 1 else "Sdet(D)^2 = 1"
    return check


def eq08_exact_functional() -> Step:
    conj = SupertraceRules(Lam, inverses=((T, Tbar),))
    s, sinv = nc("q^{1/2}"), nc("q^{-1/2}")
    rescale = SupertraceRules(Lam, inverses=((s, sinv),))
    X = nc("X")
    g22, g21 = Grading.retarded_advanced(1, 1), Grading((0, 0, 1))
    t_value = random_rational_even_supermatrix(3, g22)
    d22, d21 = sympy.diag(2, 3, 5, 7), sympy.diag(2, 3, 5)
    F = sympy.Function("F")
    power = sympy.Symbol("n", integer=True, positive=True)
    decoupled = sympy.Eq(sympy.exp(sympy.log(sympy.I) * Str(sympy.Integer(1)) / 2), 1, evaluate=False)
    A_commuting, A_bosonic = nc("\\tilde{A}"), nc("A_{B}")
    s_odd = nc("\\tilde{q}^{-1/2}")                  # a diagonal D on (2|1) supermatrices, the control
    conjugation = sympy.Eq(Ber(T * A * Tbar, A), 1)              # T̄ = T⁻¹ (the pointwise inverse here)
    rescaling = sympy.Eq(Ber(sinv * A * sinv, A), 1)
    unbalanced = sympy.Eq(Ber(s_odd * A * s_odd, A), sympy.Mul(Sdet(s_odd), Sdet(s_odd), evaluate=False), evaluate=False)
    logarithms = sympy.Eq(Str(sympy.log(sinv * (sympy.I - A) * sinv)), -Str(sympy.log(q)) + Str(sympy.log(sympy.I - A)))
    return Step(
        **OUTLINE.header("eq8-exact-functional"),
        result=sympy.Eq(F(Q), sympy.I / 2 * sympy.Integral(Str(H * Q - sympy.I * sympy.log(Q)), phase_point)),
        claims=(
            claims.equal(r"the argument of the logarithm for $Q = T q \bar{T}$, $Q^{-1} = T q^{-1} \bar{T}$",
                         sympy.I * T * qinv * Tbar - T * A * Tbar, sympy.expand(T * (sympy.I * qinv - A) * Tbar),
                         formula=sympy.Eq(sympy.I * T * qinv * Tbar - T * A * Tbar, T * (sympy.I * qinv - A) * Tbar,
                                          evaluate=False)),
            claims.equal("the coupling term is invariant",
                         lambda: supertrace_of(T * A * Tbar * T * q * Tbar, conj), lambda: supertrace_of(A * q, conj),
                         formula=sympy.Eq(Str(T * A * Tbar * T * q * Tbar), Str(A * q), evaluate=False)),
            claims.all_zero(r"for $n = 1, \dots, 4$, hence $\operatorname{Str} \ln(T X \bar{T}) = \operatorname{Str} \ln X$",
                            lambda: [supertrace_of((T * X * Tbar) ** n, conj) - supertrace_of(X**n, conj)
                                     for n in range(1, 5)],
                            formula=sympy.Eq(Str((T * X * Tbar) ** power), Str(X**power), evaluate=False)),
            claims.equal(r"the Berezinian of $A \to T A \bar{T}$, $\bar{T} = T^{-1}$, is $1$ on $(2|2)$ supermatrices",
                         lambda: berezinian_of_linear_map(lambda m: t_value * m * t_value.inv(), g22), 1,
                         formula=conjugation),
            claims.equal(r"that of $A \to q^{-1/2} A q^{-1/2}$ is $\operatorname{Sdet}(q^{-1/2})^{2(p - q)} = 1$ for $(p|q)$ "
                         r"supermatrices with $p = q$ ($q^{-1/2} = \operatorname{diag}(2, 3, 5, 7)$ on $(2|2)$) $\dots$",
                         lambda: berezinian_of_linear_map(lambda m: d22 * m * d22, g22), 1, formula=rescaling),
            claims.holds(r"$\dots$ but on $(2|1)$ supermatrices, with $\tilde{q}^{-1/2} = \operatorname{diag}(2, 3, 5)$, it is "
                         r"$\operatorname{Sdet}(\tilde{q}^{-1/2})^2 = 36/25 \ne 1$: the Jacobian is unity only by supersymmetry",
                         _unbalanced_rescaling(d21, g21), "exact rational $3 \\times 3$ supermatrices", formula=unbalanced),
            claims.equal(r"$A$ decouples from $q$",
                         lambda: supertrace_of(sinv * A * sinv * s * s, rescale), lambda: supertrace_of(A, rescale),
                         formula=sympy.Eq(Str(sympy.Mul(sinv, A, sinv, s, s, evaluate=False)), Str(A), evaluate=False)),
            claims.holds(r"$\operatorname{Sdet}$ is multiplicative, for Grassmann-valued $A$",
                         _sdet_multiplicative_under_rescaling, "explicit Grassmann algebra of 4 generators",
                         formula=logarithms),
            claims.equal(r"the decoupled integrand at $A = 0$ is $1$",
                         lambda: decoupled.lhs.subs(Str(sympy.Integer(1)), supertrace(sympy.eye(8), EIGHT_BY_EIGHT)),
                         decoupled.rhs, formula=decoupled),
            claims.equal("its exponent has no linear term (per eigenvalue)",
                         lambda: exponent_series(3).subs(sympy.Symbol("x"), x_eigen), x_eigen**2 / 4 - sympy.I * x_eigen**3 / 6,
                         formula=sympy.Eq((sympy.log(1 + sympy.I * x_eigen) - sympy.I * x_eigen) / 2,
                                          x_eigen**2 / 4 - sympy.I * x_eigen**3 / 6 + sympy.O(x_eigen**4),
                                          evaluate=False)),
            _series_claim(r"for a $(1|1)$ supermatrix $A$ with Grassmann off-diagonal entries and the normalised "
                          r"Gaussian measure, the cubic and higher terms counted by $\lambda$",
                          A, sympy.Integer(1), LOCALISATION_ORDER),
            _series_claim(r"control: for $\tilde{A}$ with commuting off-diagonal entries the same series is not $1$",
                          A_commuting, 1 - sympy.Rational(2, 3) * g**2, 2, anticommuting=False),
            _series_claim(r"control: for a bosonic $1 \times 1$ matrix $A_{B}$ it is not $1$ either; the cancellation "
                          r"is supersymmetric",
                          A_bosonic, 1 - g**2 / 6 + g**4 / 72, 4, fermion_block=False),
        ),
        note=r"$B[Q] = \exp(-\tfrac{1}{2} \int \operatorname{Str} \ln Q) \times \int DA\, "
             r"\exp(\tfrac{1}{2} \int \operatorname{Str}[\ln(i - A) - i A])$; that the last integral is exactly 1 "
             r"is the supersymmetric localisation theorem, checked here order by order in perturbation theory "
             r"for a $(1|1)$ supermatrix, not proven in general.",
    )
