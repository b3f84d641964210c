"""Eq. (11), (13) and (1) of the bosonization paper: from the collision term to the diffusive σ-model.

V_n = V W_n with W_n = e^{−iP_n} = 1 − iP − P²/2 + …, PΛ = −ΛP, A_n = V̄ n·∇V, X = AΛ − ΛA
(so ∇Q = V X V̄ for Q = VΛV̄). The collision term is written c·(πν/2) n_i ∫∫ w Str(P_n − P_n')² with
the coefficient c kept symbolic: the paper prints c = 1 (and no n_i); matching the fluctuation operator
to the Boltzmann equation, and D to v_F²τ_tr/d, both require c = 1/2 (notes/bosonization.md).
"""
from __future__ import annotations

from functools import partial

import numpy as np
import sympy

from derive.engines import claims
from derive.engines.transport import angular_harmonics, sphere_average
from derive.model import Step
from derive.engines.supermatrix import (
    GrassmannAlgebra, Grading, Str, SupertraceRules, algebra_log, berezinian_of_linear_map, invert, multiply,
    random_even_supermatrix, random_rational_even_supermatrix, superdeterminant, supertrace, supertrace_of,
)
from derive.engines.trln import expand_terms

PAPER = "bosonization"
nc = partial(sympy.Symbol, commutative=False)
Lam, P, dP, An, V, Vbar = (nc(s) for s in ("Lambda", "P", "\\nabla P", "A_n", "V", "\\bar{V}"))
nu, v_F, n_i, omega, c_coll, d_sym = sympy.symbols("nu v_F n_i omega c d", positive=True)
W_DEGREE = 3                                       # w(n·n') = Σ_{k ≤ 3} w_k (n·n')^k
w_coefficients = sympy.symbols(f"w_0:{W_DEGREE + 1}", real=True)


def _order_in(expr: sympy.Expr, letters: set, order: int) -> sympy.Expr:
    """The part of a noncommutative expression with exactly ``order`` letters from ``letters``."""
    return sympy.Add(*(coeff * sympy.Mul(*word) for word, coeff in expand_terms(sympy.expand(expr)).items()
                       if sum(f in letters for f in word) == order))


# --- Eq. (11): integrating out the fast modes ------------------------------------------------------

def _fluctuation_data(seed: int):
    """A grading and two Grassmann-valued (4 generators) even (1|1)⊕(1|1) supermatrices: H invertible, K small."""
    rng = np.random.default_rng(seed)
    algebra, grading = GrassmannAlgebra(4), Grading.retarded_advanced(1, 1)
    body = np.eye(4) * 2.0 + 0.3 * rng.normal(size=(4, 4))
    H = random_even_supermatrix(rng, algebra, grading, body=body)
    K = random_even_supermatrix(rng, algebra, grading, body=0.5 * rng.normal(size=(4, 4)))
    return grading, H, K


def _log_sdet(matrix: np.ndarray, grading: Grading) -> np.ndarray:
    return algebra_log(superdeterminant(matrix, grading))


def _third_order_residual(residual, scales=(0.04, 0.02, 0.01, 0.005)) -> str | None:
    """None when max |residual(ε)| falls as ε³ (fitted slope 3 ± 0.15); else the residuals and the slope."""
    sizes = [float(np.max(np.abs(residual(e)))) for e in scales]
    slope = float(np.polyfit(np.log(scales), np.log(sizes), 1)[0])
    return None if abs(slope - 3) < 0.15 else f"residuals {sizes}, slope {slope:.3f}"


def _str_ln_expansion() -> str | None:
    """Str ln(g + εδ) = Str ln g + ε Str(g⁻¹δ) − (ε²/2) Str(g⁻¹δ)² + O(ε³), Grassmann-valued g, δ."""
    grading, g, delta = _fluctuation_data(21)
    g_inv = invert(g)
    first = supertrace(multiply(g_inv, delta), grading)
    second = supertrace(multiply(multiply(g_inv, delta), multiply(g_inv, delta)), grading)
    base = _log_sdet(g, grading)
    return _third_order_residual(lambda e: _log_sdet(g + e * delta, grading) - base - e * first + e**2 / 2 * second)


def _coarse_grained_is_the_exact_minimum() -> str | None:
    """min over Q̃ of (i/2)Str[(H + K)Q̃ − i ln Q̃] (at Q̃ = i(H + K)⁻¹, value −½ ln Sdet(H + K), Str 1 = 0)
    against Eq. (11): ½ ln Sdet g + (i/2)Str[(H + K)g] − ¼Str(gK)², g = iH⁻¹; residual O(K³)."""
    grading, H, K = _fluctuation_data(22)
    g = 1j * invert(H)
    str_ = lambda m: supertrace(m, grading)
    log_sdet_g = _log_sdet(g, grading)

    def residual(e):
        exact = -0.5 * _log_sdet(H + e * K, grading)
        gK = multiply(g, e * K)
        eq11 = 0.5 * log_sdet_g + 0.5j * str_(multiply(H + e * K, g)) - 0.25 * str_(multiply(gK, gK))
        return exact - eq11
    return _third_order_residual(residual)


def step_coarse_grained() -> Step:
    g, ginv, H, Vs, Vb, Qs, Qt, dQ, K = (nc(s) for s in ("g", "g^{-1}", "H", "V", "\\bar{V}", "Q", "\\tilde{Q}",
                                                           "\\delta Q", "K"))
    F, x = sympy.Function("F"), sympy.Symbol("x")
    conj = SupertraceRules(Lam, inverses=((Vs, Vb),))
    green = SupertraceRules(Lam, inverses=((g, ginv),))
    commutator = Vb * (H * Vs - Vs * H)                 # V̄[H, V] = V̄HV − H
    shift = dQ - sympy.I * g * K * g                    # δQ minus its stationary value i g K g
    g22 = Grading.retarded_advanced(2, 2)
    g_value = random_rational_even_supermatrix(5, g22)
    g_inverse = g_value.inv()
    rhs = (sympy.I * omega / 4 * sympy.Integral(Str(Lam, Qs), x) + sympy.I / 2 * sympy.Integral(Str(H, Qs), x)
           - sympy.Rational(1, 4) * sympy.Integral(Str((g * Vb * (H * Vs - Vs * H)) ** 2), x))
    return Step(
        id="eq11-coarse-grained", title="Integrating out the fast modes: the coarse-grained functional",
        paper=PAPER, equation="(11)", result=sympy.Eq(F(Qs), rhs),
        claims=(
            claims.equal("Q = V Q̃ V̄: Str[H V Q̃ V̄] = Str[(H + K) Q̃] with K = V̄[H, V] = V̄HV − H",
                         lambda: supertrace_of(H * Vs * Qt * Vb, conj),
                         lambda: supertrace_of((H + sympy.expand(commutator)) * Qt, conj)),
            claims.all_zero("Str (V Q̃ V̄)^n = Str Q̃^n (n ≤ 4): Str ln Q = Str ln Q̃ does not see V",
                            lambda: [supertrace_of((Vs * Qt * Vb) ** n, conj) - supertrace_of(Qt**n, conj)
                                     for n in range(1, 5)]),
            claims.holds("Str ln(g + εδQ) = Str ln g + ε Str(g⁻¹δQ) − (ε²/2) Str(g⁻¹δQ)² + O(ε³)",
                         _str_ln_expansion, "Grassmann-valued (1|1)⊕(1|1) supermatrices, 4 generators: "
                         "ln Sdet against the series, residual slope 3 in ε"),
            claims.equal("stationary point Q̃ = g = iH⁻¹: the δQ-linear part of (i/2)Str[(H + K)(g + δQ) "
                         "− i g⁻¹δQ] is (i/2)Str[K δQ] (g⁻¹ = −iH)",
                         lambda: supertrace_of(sympy.I / 2 * ((H + K) * dQ - sympy.I * (-sympy.I * H) * dQ), green),
                         lambda: supertrace_of(sympy.I / 2 * K * dQ, green)),
            claims.equal("completing the square: (i/2)Str[KδQ] − ¼Str(g⁻¹δQ)² = −¼Str(gK)² − ¼Str(g⁻¹Δ)², "
                         "Δ = δQ − i g K g",
                         lambda: supertrace_of(sympy.I / 2 * K * dQ - ginv * dQ * ginv * dQ / 4, green),
                         lambda: supertrace_of(-g * K * g * K / 4 - ginv * shift * ginv * shift / 4, green)),
            claims.equal("the Gaussian integral over Δ is 1: Ber(Δ ↦ g⁻¹Δg⁻¹) = 1 on (2|2) supermatrices "
                         "(exact rational g, not diagonal)",
                         lambda: berezinian_of_linear_map(lambda m: g_inverse * m * g_inverse, g22), 1),
            claims.holds("end to end: Eq. (11) is the exact minimum over Q̃ of (i/2)Str[(H + K)Q̃ − i ln Q̃] "
                         "up to O(K³)", _coarse_grained_is_the_exact_minimum,
                         "Grassmann-valued supermatrices, exact minimum −½ ln Sdet(H + K), residual slope 3"),
        ),
        note="Products are star products (associative, and ∫Str is cyclic: step eq10-cyclic-form). With "
             "Q = V Q̃ V̄ the fast Q̃ sees H + K, K = V̄[H,V] small for slow V; expanding to second order in "
             "δQ = Q̃ − g and integrating δQ out (a Gaussian superintegral, normalised by supersymmetry) gives "
             "the stationary value −¼Str(gK)², the last term of Eq. (11). The ω-term is kept at tree level. "
             "Not derived: higher orders in δQ (the paper's contraction rules) and the integration domain.",
    )


def _expansion_rules() -> SupertraceRules:
    return SupertraceRules(Lam, frozenset({P, dP}), ((V, Vbar),))


def _liouville_integrand() -> sympy.Expr:
    """Λ V̄_n n·∇V_n = Λ (W̄ A_n W + W̄ ∇W) with V̄V = 1, through second order in P."""
    W, Wbar = 1 - sympy.I * P - P**2 / 2, 1 + sympy.I * P - P**2 / 2
    dW = -sympy.I * dP - (dP * P + P * dP) / 2
    return Lam * (Wbar * An * W + Wbar * dW)


def step_expansion_in_P() -> Step:
    rules, letters = _expansion_rules(), {P, dP}
    W, Wbar = 1 - sympy.I * P - P**2 / 2, 1 + sympy.I * P - P**2 / 2
    X = An * Lam - Lam * An
    integrand = _liouville_integrand()
    str_of = lambda e: supertrace_of(e, rules)
    return Step(
        id="eq13-expansion-in-P", title="Eq. (13) expanded in P", paper=PAPER, equation="(13)",
        result=sympy.Eq(sympy.Symbol(r"\operatorname{Str}\Lambda\bar{V}_n n\nabla V_n"),
                        Str(Lam, An) + sympy.I * Str(P * X) + Str(Lam, P, dP)),
        claims=(
            claims.all_zero("W̄W = 1 through second order in P", lambda: [
                _order_in(Wbar * W - 1, letters, k) for k in (0, 1, 2)]),
            claims.equal("first order: Str[Λ(i[P, A_n] − i∇P)] = i Str[P X], X = A_nΛ − ΛA_n (Str Λ∇P = 0)",
                         lambda: str_of(_order_in(integrand, letters, 1)), lambda: str_of(sympy.I * P * X)),
            claims.equal("second order at A_n = 0: Str[Λ (P∇P − ∇P P)/2] = Str[Λ P ∇P]",
                         lambda: str_of(_order_in(integrand.subs(An, 0), letters, 2)), lambda: str_of(Lam * P * dP)),
            claims.equal("frequency term: Str[Λ Q_n] = Str[Λ W Λ W̄] = −2 Str P² + O(P³) at V = 1",
                         lambda: str_of(_order_in(Lam * W * Lam * Wbar, letters, 2)
                                        + _order_in(Lam * W * Lam * Wbar, letters, 1)),
                         lambda: str_of(-2 * P * P)),
        ),
        note="Terms P²A_n are O(∇³) once P = O(∇) and are dropped; the zeroth order Str ΛA_n is a total "
             "derivative of Str ln-type and drops from the diffusive limit.",
    )


def _ra_supertrace(matrix: sympy.Matrix) -> sympy.Expr:
    """Str over retarded/advanced blocks: the sum of the supertraces of the two diagonal blocks."""
    rules = SupertraceRules(nc("unused"))
    return supertrace_of(matrix[0, 0], rules) + supertrace_of(matrix[1, 1], rules)


def _move_operator(expr: sympy.Expr, source: tuple, target: tuple, sign: int) -> sympy.Expr:
    """In two-letter supertraces move an operator from one factor to the other: Str(∂X·Y) → sign·Str(X·∂Y).

    ``source`` = (X, ∂X), ``target`` = (Y, ∂Y); sign −1 is an integration by parts (∇), +1 an operator
    symmetric under ∫dn (the collision integral Ĉ).
    """
    (x, dx), (y, dy) = source, target
    rules = SupertraceRules(nc("unused"))
    result = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coeff, trace = term.as_independent(Str)
        if isinstance(trace, Str) and set(trace.args) == {dx, y} and len(trace.args) == 2:
            trace = sign * supertrace_of(x * dy, rules)
        result += coeff * trace
    return result


def _collision_identity_defect(d: int, degree: int) -> sympy.Expr:
    """⟨⟨w Str(P_n − P_n')²⟩⟩ − (2/n_i)⟨Str(P_n (ĈP)_n)⟩ for P_n in l ≤ 2 harmonics."""
    n, n2 = sympy.symbols(f"n1:{d + 1}", real=True), sympy.symbols(f"m1:{d + 1}", real=True)
    harmonics = angular_harmonics(n)
    coefficients = [nc(f"P_{name}") for name, _ in harmonics]
    field = lambda vec: sum((h.subs(dict(zip(n, vec))) * p for (_, h), p in zip(harmonics, coefficients)), sympy.Integer(0))
    w = sum(w_coefficients[k] * sum(a * b for a, b in zip(n, n2)) ** k for k in range(degree + 1))
    rules = SupertraceRules(Lam, frozenset(coefficients))
    direct = _average_words(w * (field(n) - field(n2)) ** 2, [n2, n])
    collided = collision_operator(field, w, n, n2)
    via_operator = _average_words(2 * field(n) * collided / n_i, [n])
    return sympy.expand(supertrace_of(direct, rules) - supertrace_of(via_operator, rules))


def _average_words(expr: sympy.Expr, vectors) -> sympy.Expr:
    """Average a noncommutative polynomial over unit vectors, word by word (coefficients commutative)."""
    total = sympy.Integer(0)
    for word, coeff in expand_terms(sympy.expand(expr)).items():
        for vector in vectors:
            coeff = sphere_average(coeff, vector)
        total += sympy.expand(coeff) * sympy.Mul(*word)
    return total


def collision_operator(field, w: sympy.Expr, n, n2) -> sympy.Expr:
    """(ĈP)_n = n_i ⟨w(n·n')(P_n − P_n')⟩_{n'}, harmonic by harmonic."""
    return n_i * _average_words(w * (field(n) - field(n2)), [n2])


def step_boltzmann_normalisation() -> Step:
    B, C, dB, dC, KB, KC = (nc(s) for s in ("B", "C", "\\nabla B", "\\nabla C", "\\hat{C}B", "\\hat{C}C"))
    lam = sympy.diag(1, -1)
    p, dp, kp = sympy.Matrix([[0, B], [C, 0]]), sympy.Matrix([[0, dB], [dC, 0]]), sympy.Matrix([[0, KB], [KC, 0]])
    liouville = sympy.pi * nu / 2 * v_F * _move_operator(_ra_supertrace(lam * p * dp), (B, dB), (C, dC), -1)
    frequency = sympy.pi * nu / 2 * sympy.I * omega / 2 * (-2) * _ra_supertrace(p * p)
    collision = c_coll * sympy.pi * nu * _move_operator(_ra_supertrace(p * kp), (B, KB), (C, KC), 1)
    expected = sympy.pi * nu * (v_F * Str(B, dC) - sympy.I * omega * Str(B, C) + 2 * c_coll * Str(B, KC))
    kinetic = sympy.Symbol(r"\left(-i\omega + v_F n\cdot\nabla + 2c\hat{C}\right)")
    return Step(
        id="eq13-boltzmann-normalisation", title="The quadratic form of Eq. (13) is the Boltzmann operator",
        paper=PAPER, equation="(13)",
        result=sympy.Eq(sympy.Symbol("F_2"), sympy.pi * nu * Str(B, kinetic, C)),
        claims=(
            claims.all_zero("⟨⟨w Str(P_n − P_n')²⟩⟩ = (2/n_i)⟨Str P_n(ĈP)_n⟩, ĈP_n = n_i⟨w(P_n − P_n')⟩, d = 2",
                            lambda: [_collision_identity_defect(2, W_DEGREE)]),
            claims.all_zero("... and d = 3 (w linear in n·n')", lambda: [_collision_identity_defect(3, 1)]),
            claims.equal("in RA blocks P = [[0, B], [C, 0]]: Liouville + ω + collision terms = "
                         "πν Str[B(−iω + v_F n·∇ + 2cĈ)C] (by parts, Ĉ symmetric)",
                         lambda: sympy.expand(liouville + frequency + collision), lambda: sympy.expand(expected)),
        ),
        note="The Boltzmann equation (−iω + v_F n·∇ + Ĉ) f = 0 with out-scattering rate 1/τ = n_i∫w requires "
             "2c = 1: the collision term is (πν/4) n_i ∫∫ w Str(P_n − P_n')², half of the printed one.",
    )
