"""Eq. (13) from Eq. (11): averaging the coarse-grained functional over dilute impurities gives the collision
term (πν/4) n_i ⟨⟨w Str(P_n − P_n')²⟩⟩, w = 2πν|f|², from the T-matrix of one impurity.

One impurity a with potential U in a medium H̄ (Ḡ = H̄⁻¹, the averaged Green function of the others): its
part of K = V̄[H, V] is K_a = W̄UW − U. The Gaussian-level functional it produces is resummed exactly,
  −½ ln Sdet(H̄ + W̄UW) + ½ ln Sdet(H̄ + U) = −½ Str ln(1 + ΔT),  T = U(1 + ḠU)⁻¹,  Δ = WḠW̄ − Ḡ,
so the bare potential drops out in favour of its T-matrix. Δ ≠ 0 only because Ḡ carries Λ; its ξ-integral is
−iπ(Q_n − Λ). The O(P²) terms are the forward term −½ Str(Δ₂T) (Im f, the optical theorem turns it into
|f|²) and the same-impurity term ¼ Str(Δ₁TΔ₁T) (|f|², the two RA orderings).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy

from derive.derivations.bosonization.eq09_quasiclassical_g import quasiclassical_integral
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    Lam,
    n_i,
    nc,
    nu,
)
from derive.engines import claims
from derive.engines.supermatrix import (
    Grading,
    GrassmannAlgebra,
    Str,
    SupertraceRules,
    invert,
    multiply,
    random_even_supermatrix,
    superdeterminant,
    supertrace,
    supertrace_of,
)
from derive.model import Step

__all__ = ["COLLISION_COEFFICIENT", "eq13_from_eq11"]

# F_coll = c (πν/2) n_i ⟨⟨w Str(P_n − P_n')²⟩⟩; this step derives c (print: c = 1 and no n_i).
COLLISION_COEFFICIENT = sympy.Rational(1, 2)

_eps, _xi = sympy.Symbol("epsilon"), sympy.Symbol("xi", real=True)
_eta = sympy.Symbol("eta", positive=True)            # the width of Ḡ (1/2τ of the other impurities, or δ)
_B, _C, _B2, _C2 = (nc(s) for s in ("B", "C", "B'", "C'"))
_WORDS = SupertraceRules(nc("unused"))               # cyclic Str of the blocks' words


def _ra_str(matrix: sympy.Matrix) -> sympy.Expr:
    """Str over retarded/advanced blocks: the sum of the supertraces of the two diagonal blocks."""
    return supertrace_of(matrix[0, 0], _WORDS) + supertrace_of(matrix[1, 1], _WORDS)


def _ra_matrix(block_b: sympy.Expr, block_c: sympy.Expr) -> sympy.Matrix:
    """P = [[0, B], [C, 0]] in retarded/advanced blocks: PΛ = −ΛP."""
    return sympy.Matrix([[0, block_b], [block_c, 0]])


_LAMBDA = sympy.diag(1, -1)


def _rotation(p: sympy.Matrix) -> tuple[sympy.Matrix, sympy.Matrix]:
    """W = e^{−iεP} and W̄ = e^{iεP} through ε² (W̄W = 1 + O(ε³))."""
    one = sympy.eye(2)
    return (one - sympy.I * _eps * p - _eps**2 * p * p / 2, one + sympy.I * _eps * p - _eps**2 * p * p / 2)


def _order(matrix: sympy.Matrix, k: int) -> sympy.Matrix:
    return matrix.applyfunc(lambda e: sympy.expand(e).coeff(_eps, k))


def _medium_green() -> sympy.Matrix:
    """Ḡ = (ξ + iηΛ)⁻¹, diagonal in retarded/advanced blocks."""
    return sympy.diag(1 / (_xi + sympy.I * _eta), 1 / (_xi - sympy.I * _eta))


@lru_cache(maxsize=1)
def _xi_integrated_green() -> sympy.Matrix:
    """∫dξ Ḡ from Eq. (9): (1/π)∫dξ i/(ξ ± iη) = ±1, symmetric cutoff."""
    return sympy.diag(*(-sympy.I * sympy.pi * quasiclassical_integral(s, _eta) for s in (1, -1)))


def _integrated_delta(p: sympy.Matrix) -> sympy.Matrix:
    """∫dξ Δ = W(∫dξ Ḡ)W̄ − ∫dξ Ḡ (W depends on the direction n only), through ε²."""
    w, wbar = _rotation(p)
    g = _xi_integrated_green()
    return (w * g * wbar - g).applyfunc(sympy.expand)


def _t_matrix(retarded: sympy.Expr, advanced: sympy.Expr) -> sympy.Matrix:
    """T between n and n' in RA blocks: t⁺(n, n') = f(n, n'), t⁻(n, n') = conj f(n', n) (T⁻ = T⁺†, U hermitian)."""
    return sympy.diag(retarded, advanced)


def _collision_density(p_n: sympy.Matrix, p_m: sympy.Matrix, t_nn, t_nm, t_mn, t_mm) -> sympy.Expr:
    """The O(P²) part of −½ Str ln(1 + ΔT) after the ξ-integrals, for one pair (n, n') of directions.

    Forward term −½ ν Str(Δ₂ t_nn) (half at n, half at n', so the pair is symmetric) and same-impurity
    term ¼ ν² Str(Δ₁ t_nn' Δ₁' t_n'n); the t's are RA-diagonal matrices.
    """
    d_n, d_m = _integrated_delta(p_n), _integrated_delta(p_m)
    forward = -nu / 2 * (_ra_str(_order(d_n, 2) * t_nn) + _ra_str(_order(d_m, 2) * t_mm)) / 2
    same_impurity = nu**2 / 4 * _ra_str(_order(d_n, 1) * t_nm * _order(d_m, 1) * t_mn)
    return forward + same_impurity


# --- the exact resummation, on Grassmann-valued supermatrices -------------------------------------------

def _complex_supermatrix(rng, algebra, grading, body) -> np.ndarray:
    return (random_even_supermatrix(rng, algebra, grading, body=body.real)
            + 1j * random_even_supermatrix(rng, algebra, grading, body=body.imag))


def _resummation_data(seed: int):
    rng = np.random.default_rng(seed)
    algebra, grading = GrassmannAlgebra(4), Grading.retarded_advanced(1, 1)
    lam = np.diag([1.0, 1.0, -1.0, -1.0])
    medium = _complex_supermatrix(rng, algebra, grading, np.diag(rng.normal(size=4)) + 0.7j * lam)
    potential = _complex_supermatrix(rng, algebra, grading, 0.6 * rng.normal(size=(4, 4)) + 0.6j * rng.normal(size=(4, 4)))
    generator = _complex_supermatrix(rng, algebra, grading, rng.normal(size=(4, 4)) + 0j)
    return grading, medium, potential, generator


def _exact_resummation_defect() -> str | None:
    """Sdet(H̄ + W̄UW) = Sdet(H̄ + U) Sdet(1 + ΔT) for Grassmann-valued (1|1)⊕(1|1) supermatrices, any W."""
    grading, medium, potential, generator = _resummation_data(31)
    one = np.zeros_like(medium)
    one[np.arange(4), np.arange(4)] = np.eye(medium.shape[2])
    w = one + 0.3 * generator
    wbar = invert(w)
    green = invert(medium)
    t = multiply(potential, invert(one + multiply(green, potential)))
    delta = multiply(multiply(w, green), wbar) - green
    lhs = superdeterminant(medium + multiply(multiply(wbar, potential), w), grading)
    rhs = superdeterminant(medium + potential, grading) @ superdeterminant(one + multiply(delta, t), grading)
    error = float(np.max(np.abs(lhs - rhs)) / np.max(np.abs(lhs)))
    return None if error < 1e-10 else f"relative defect {error:.2e}"


def _second_order_defect() -> str | None:
    """Eq. (11)'s terms (i/2)Str(gK_a) − ¼Str(gK_a)², g = i(H̄ + U)⁻¹, equal −½Str(ΔT) + ¼Str(ΔTΔT) up to O(ε³)."""
    grading, medium, potential, generator = _resummation_data(32)
    one = np.zeros_like(medium)
    one[np.arange(4), np.arange(4)] = np.eye(medium.shape[2])
    green, g = invert(medium), 1j * invert(medium + potential)
    t = multiply(potential, invert(one + multiply(green, potential)))
    str_ = lambda m: supertrace(m, grading)

    def residual(e):
        square = multiply(generator, generator)
        w = one - 1j * e * generator - e**2 / 2 * square
        wbar = invert(w)
        k = multiply(multiply(wbar, potential), w) - potential
        delta = multiply(multiply(w, green), wbar) - green
        gk, dt = multiply(g, k), multiply(delta, t)
        return (0.5j * str_(gk) - 0.25 * str_(multiply(gk, gk))) - (-0.5 * str_(dt) + 0.25 * str_(multiply(dt, dt)))

    scales = (0.04, 0.02, 0.01, 0.005)
    sizes = [float(np.max(np.abs(residual(e)))) for e in scales]
    slope = float(np.polyfit(np.log(scales), np.log(sizes), 1)[0])
    return None if abs(slope - 3) < 0.15 else f"residuals {sizes}, slope {slope:.3f}"


# --- the end-to-end d = 2 check with exact partial-wave amplitudes --------------------------------------

_HARMONICS, _PARTIAL_WAVES = 2, 2                     # |k| ≤ 2 for P_n, |m| ≤ 2 for f


def _angular_average_in_harmonics(expr: sympy.Expr, z: sympy.Symbol, zp: sympy.Symbol) -> dict:
    """⟨⟨expr⟩⟩ over θ, θ' (z = e^{iθ}, z' = e^{iθ'}) with the blocks at n (B, C) and n' (B', C') written in
    harmonics X(θ) = Σ_{|k| ≤ 2} X_k e^{ikθ}: the coefficient of each Str(X_k Y_l).

    ``expr`` is a sum of Laurent monomials in z, z' times two-letter words Str(X Y); the average of
    z^a z'^b X_k Y_l vanishes unless the harmonics cancel the monomial, so only matching terms are read off."""
    orders = tuple(range(-_HARMONICS, _HARMONICS + 1))
    harmonics = {name: [nc(f"{name}_{k}") for k in orders] for name in ("B", "C")}
    fields = {_B: ("B", 0), _C: ("C", 0), _B2: ("B", 1), _C2: ("C", 1)}    # 0: at n, 1: at n'
    monomials: dict = {}
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coefficient, trace = term.as_independent(Str)
        powers = coefficient.as_powers_dict()
        key = (trace, int(powers.get(z, 0)), int(powers.get(zp, 0)))
        monomials[key] = monomials.get(key, sympy.Integer(0)) + coefficient / (z**key[1] * zp**key[2])
    averages: dict = {}
    for (trace, a, b), coefficient in monomials.items():
        (left, at_left), (right, at_right) = (fields[x] for x in trace.args)
        for x, k in zip(harmonics[left], orders, strict=True):
            for y, l in zip(harmonics[right], orders, strict=True):
                exponents = [a, b]
                exponents[at_left] += k
                exponents[at_right] += l
                if exponents == [0, 0]:
                    word = supertrace_of(x * y, _WORDS)
                    averages[word] = averages.get(word, sympy.Integer(0)) + coefficient
    return averages


def _two_dimensional_defect(coefficient: sympy.Expr = COLLISION_COEFFICIENT, forward_scale: sympy.Expr = 1) -> list[sympy.Expr]:
    """d = 2, |m| ≤ 2 partial waves (S-matrix eigenvalues s_m = e^{2iδ_m}), P_n in harmonics |k| ≤ 2:
    the averaged O(P²) functional minus c (πν/2) n_i⟨⟨w Str(P_n − P_n')²⟩⟩, one coefficient per Str-word.

    The words str(B_k C_{−k}), 0 < |k| ≤ 2, must all carry a non-zero target (else the comparison is empty;
    the isotropic k = 0 harmonic drops out of P_n − P_n').
    ``forward_scale`` rescales Im f(n, n) for the controls that break the optical theorem."""
    z, zp = sympy.symbols("z z'")
    s = sympy.symbols(f"s_0:{_PARTIAL_WAVES + 1}", nonzero=True)
    p_n, p_m = _ra_matrix(_B, _C), _ra_matrix(_B2, _C2)
    amp = sympy.symbols(f"a_0:{_PARTIAL_WAVES + 1}")                       # e^{iδ_m} sin δ_m
    amp_bar = sympy.symbols(f"abar_0:{_PARTIAL_WAVES + 1}")                # its conjugate
    unitarity = {**{a: (sj - 1) / (2 * sympy.I) for a, sj in zip(amp, s, strict=True)},
                 **{a: (1 / sj - 1) / (-2 * sympy.I) for a, sj in zip(amp_bar, s, strict=True)}}
    waves = range(-_PARTIAL_WAVES, _PARTIAL_WAVES + 1)
    f = lambda u: 2 * sum(amp[abs(m)] * u**m for m in waves)            # f(θ) = 2Σ e^{iδ_m} sin δ_m e^{imθ}
    f_bar = lambda u: 2 * sum(amp_bar[abs(m)] * u**(-m) for m in waves)
    nu_2d = 1 / (2 * sympy.pi)
    forward_re, forward_im = (f(1) + f_bar(1)) / 2, (f(1) - f_bar(1)) / (2 * sympy.I)
    # the density with placeholder t's (cheap), then the amplitudes substituted
    slots = sympy.symbols("t_nn^+ t_nn^- t_nm^+ t_nm^- t_mn^+ t_mn^-")
    values = (forward_re + sympy.I * forward_scale * forward_im, forward_re - sympy.I * forward_scale * forward_im,
              f(z / zp), f_bar(zp / z), f(zp / z), f_bar(z / zp))
    forward = _t_matrix(slots[0], slots[1])
    density = _collision_density(p_n, p_m, forward, _t_matrix(slots[2], slots[3]), _t_matrix(slots[4], slots[5]), forward)
    derived = n_i * sympy.expand(density).xreplace(dict(zip(slots, values, strict=True))).subs(nu, nu_2d)
    w = 2 * sympy.pi * nu_2d * f(z / zp) * f_bar(z / zp)
    difference = p_n - p_m
    target = coefficient * sympy.pi * nu_2d / 2 * n_i * w * _ra_str(difference * difference)
    average = lambda e: _angular_average_in_harmonics(e, z, zp)
    on_shell = lambda e: sympy.cancel(sympy.together(e.subs(unitarity)))
    targets = {word: on_shell(c) for word, c in average(target).items()}
    if sum(c != 0 for c in targets.values()) != 2 * _HARMONICS:
        return [sympy.Symbol("empty_comparison")]
    return [on_shell(c) for c in average(derived - target).values()]


def eq13_from_eq11() -> Step:
    Gbar, W, Wbar, U, T, Dl, P, t, g, Ka = (nc(x) for x in ("\\bar{G}", "W", "\\bar{W}", "U_a", "T", "\\Delta", "P", "t",
                                                             "g", "K_a"))
    Pn, Pm, Qn = (nc(x) for x in ("P_n", "P_{n'}", "Q_n"))
    a, b = sympy.symbols("a b")
    f_nn, f_nm = sympy.symbols("f_{nn} f_{nn'}")                       # f(n, n) and f(n, n')
    f_re, f_im = sympy.symbols("f' f''", real=True)
    n, m = sympy.symbols("\\mathbf{n} \\mathbf{n}'")                 # directions (n alone is an integer elsewhere)
    w_of = sympy.Function("w")
    collision = sympy.Symbol("F_{coll}")
    p_n, p_m = _ra_matrix(_B, _C), _ra_matrix(_B2, _C2)
    w, wbar = _rotation(p_n)
    green = _medium_green()
    delta = (w * green * wbar - green).applyfunc(sympy.expand)
    int_delta = _integrated_delta(p_n)
    forward = -nu / 2 * _ra_str(_order(int_delta, 2) * _t_matrix(f_re + sympy.I * f_im, f_re - sympy.I * f_im))
    same = nu**2 / 4 * _ra_str(_order(int_delta, 1) * _t_matrix(a, sympy.conjugate(b)) * _order(_integrated_delta(p_m), 1)
                               * _t_matrix(b, sympy.conjugate(a)))
    abs2 = lambda x: x * sympy.conjugate(x)
    str_b = lambda x, y: supertrace_of(x * y, _WORDS)
    result = sympy.Eq(collision, COLLISION_COEFFICIENT * sympy.pi * nu / 2 * n_i
                      * sympy.Integral(w_of(n, m) * Str((Pn - Pm) ** 2), n, m), evaluate=False)
    return Step(
        **OUTLINE.header("eq13-from-eq11"),
        result=result,
        claims=(
            claims.holds(r"one impurity: $\operatorname{Sdet}(\bar{H} + \bar{W} U_a W) = \operatorname{Sdet}(\bar{H} + U_a)\, "
                         r"\operatorname{Sdet}(1 + \Delta T)$ with $T = U_a (1 + \bar{G} U_a)^{-1}$, "
                         r"$\Delta = W \bar{G} \bar{W} - \bar{G}$: the impurity enters through its $T$-matrix only",
                         _exact_resummation_defect,
                         r"Grassmann-valued $(1|1) \oplus (1|1)$ supermatrices, 4 generators, any invertible $W$: "
                         r"relative defect below $10^{-10}$",
                         formula=sympy.Eq((1 + (Gbar + Dl) * U) * (1 + Gbar * U) ** -1,
                                          1 + Dl * U * (1 + Gbar * U) ** -1, evaluate=False)),
            claims.holds(r"so the terms of Eq. (11) with $K_a = \bar{W} [U_a, W]$ are "
                         r"$-\tfrac{1}{2} \operatorname{Str}(\Delta T) + \tfrac{1}{4} \operatorname{Str}(\Delta T)^2 + O(P^3)$",
                         _second_order_defect,
                         r"Grassmann-valued supermatrices, $W = 1 - i \epsilon P - \epsilon^2 P^2/2$: residual slope 3 in "
                         r"$\epsilon$",
                         formula=sympy.Eq(sympy.I / 2 * Str(g * Ka) - Str(g * Ka * g * Ka) / 4,
                                          -Str(Dl * T) / 2 + Str(Dl * T * Dl * T) / 4, evaluate=False)),
            claims.equal(r"$\Delta$ to second order in $P$: $\Delta_1 = -i [P, \bar{G}]$, "
                         r"$\Delta_2 = P \bar{G} P - \tfrac{1}{2} \{P^2, \bar{G}\}$; both vanish unless $\bar{G}$ "
                         r"carries $\Lambda$ (here $\bar{G} = (\xi + i \eta \Lambda)^{-1}$ in retarded-advanced blocks)",
                         lambda: (_order(delta, 1) + _order(delta, 2)).applyfunc(sympy.expand),
                         lambda: (-sympy.I * (p_n * green - green * p_n) + p_n * green * p_n
                                  - (p_n * p_n * green + green * p_n * p_n) / 2).applyfunc(sympy.expand),
                         formula=sympy.Eq(Dl, -sympy.I * (P * Gbar - Gbar * P) + P * Gbar * P
                                          - (P**2 * Gbar + Gbar * P**2) / 2, evaluate=False)),
            claims.equal(r"the $\xi$-integrals (Eq. (9)): $\int d\xi\, \Delta = -i \pi (Q_n - \Lambda)$, "
                         r"$Q_n = W \Lambda \bar{W} = \Lambda - 2 i P \Lambda - 2 P^2 \Lambda + O(P^3)$",
                         lambda: (_order(int_delta, 1) + _order(int_delta, 2)).applyfunc(sympy.expand),
                         lambda: (-sympy.I * sympy.pi * (-2 * sympy.I * p_n * _LAMBDA - 2 * p_n * p_n * _LAMBDA)
                                  ).applyfunc(sympy.expand),
                         formula=sympy.Eq(sympy.Integral(Dl, _xi), -sympy.I * sympy.pi * (Qn - Lam), evaluate=False)),
            claims.equal(r"forward term, $t(n, n) = f' + i \Lambda f''$: "
                         r"$-\tfrac{\nu}{2} \operatorname{Str}[(\textstyle\int \Delta)_2\, t(n, n)] = "
                         r"\pi \nu \operatorname{Im} f(n, n) \operatorname{Str} P_n^2$ (the $\operatorname{Re} f$ part is "
                         r"$\propto \operatorname{Str} \Lambda P_n^2 = 0$)",
                         lambda: forward, lambda: sympy.pi * nu * f_im * _ra_str(p_n * p_n),
                         formula=sympy.Eq(-nu / 2 * Str(2 * sympy.I * sympy.pi * Pn**2 * Lam * t),
                                          sympy.pi * nu * sympy.im(f_nn) * Str(Pn**2), evaluate=False)),
            claims.equal(r"same-impurity term, $t^{+}(n, n') = a$, $t^{+}(n', n) = b$, $t^{-} = (t^{+})^\dagger$: "
                         r"$\tfrac{\nu^2}{4} \operatorname{Str}[(\textstyle\int \Delta)_1 t (\int \Delta')_1 t] = "
                         r"-\pi^2 \nu^2 [|b|^2 \operatorname{str}(B C') + |a|^2 \operatorname{str}(C B')]$, one term from "
                         r"each retarded-advanced ordering",
                         lambda: same, lambda: -sympy.pi**2 * nu**2 * (abs2(b) * str_b(_B, _C2) + abs2(a) * str_b(_C, _B2)),
                         formula=sympy.Eq(nu**2 / 4 * Str(-2 * sympy.pi * Pn * Lam * t * (-2 * sympy.pi) * Pm * Lam * t),
                                          -sympy.pi**2 * nu**2 * (sympy.Abs(b)**2 * Str(_B * _C2)
                                                                  + sympy.Abs(a)**2 * Str(_C * _B2)), evaluate=False)),
            claims.all_zero(r"end to end in $d = 2$ with exact amplitudes ($|m| \le 2$, $s_m = e^{2 i \delta_m}$) and "
                            r"$P_n$ in harmonics $|k| \le 2$: per impurity, the sum of both terms is "
                            r"$\tfrac{\pi \nu}{4} \langle\langle w \operatorname{Str}(P_n - P_{n'})^2 \rangle\rangle$, "
                            r"$w = 2 \pi \nu |f|^2$; the optical theorem turns the forward $\operatorname{Im} f$ into $|f|^2$",
                            _two_dimensional_defect, method="simplify",
                            formula=sympy.Eq(sympy.pi * nu / 4 * sympy.Integral(
                                                 2 * sympy.pi * nu * sympy.Abs(f_nm)**2 * Str((Pn - Pm) ** 2), n, m),
                                             sympy.pi * nu * sympy.Integral(sympy.im(f_nn) * Str(Pn**2), n, m)
                                             - sympy.pi**2 * nu**2 * sympy.Integral(sympy.Abs(f_nm)**2 * Str(Pn * Pm), n, m),
                                             evaluate=False)),
        ),
        note=r"The impurities are independent ($n_i \to 0$): each contributes $-\tfrac{1}{2} \operatorname{Str} "
             r"\ln(1 + \Delta T)$ in the medium $\bar{G}$ of the others, so $\langle X \rangle$ and the same-impurity part "
             r"of $\langle X X \rangle$ enter through the on-shell $T$-matrix ($f$) only. The factors: $-\tfrac{1}{2}$ "
             r"from $\operatorname{Sdet}^{-1/2}$ (charge conjugation), $2$ from $Q_n - \Lambda = -2 i P \Lambda + \dots$, "
             r"$\tfrac{1}{4} = \tfrac{1}{2} \cdot \tfrac{1}{2}$ from the logarithm, $2$ from the two retarded-advanced "
             r"orderings, $w = 2 \pi \nu |f|^2$ and $\operatorname{Im} f = \pi \nu \langle |f|^2 \rangle$. Together "
             r"$\tfrac{\pi \nu}{2} n_i \langle\langle w [\operatorname{Str} P_n^2 - \operatorname{Str} P_n P_{n'}] "
             r"\rangle\rangle = \tfrac{\pi \nu}{4} n_i \langle\langle w \operatorname{Str}(P_n - P_{n'})^2 \rangle\rangle$, "
             r"the Boltzmann normalisation. The printed coefficient is twice this and lacks $n_i$: it is the intermediate "
             r"form with $\operatorname{Str}(P_n - P_{n'})^2$ written for $\operatorname{Str} P_n^2 - \operatorname{Str} "
             r"P_n P_{n'}$, which is twice as large under the symmetric average.",
    )
