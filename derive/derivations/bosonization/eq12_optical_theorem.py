"""Eq. (12): the optical theorem in the paper's normalisation (f = −T, ħ = m = 1), τ and τ_tr from phase shifts."""
from __future__ import annotations

from functools import lru_cache, partial

import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import amplitude, direction, nu, scattered, v_F
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.model import Step

__all__ = ["eq12_optical_theorem"]


def _phase_symbols(count: int) -> tuple[sympy.Symbol, ...]:
    return sympy.symbols(f"delta_0:{count}", real=True)


def _weierstrass_zero(expr: sympy.Expr, deltas) -> sympy.Expr:
    """Rewrite sin, cos, exp(i·δ) of the phase shifts rationally in tan(δ/2); returns the cancelled form."""
    expr = sympy.expand_trig(sympy.expand(expr.rewrite(sympy.cos)))
    ts = sympy.symbols(f"t_0:{len(deltas)}", real=True)
    rational = expr.subs({sympy.sin(d): 2 * t / (1 + t**2) for d, t in zip(deltas, ts, strict=True)}).subs(
        {sympy.cos(d): (1 - t**2) / (1 + t**2) for d, t in zip(deltas, ts, strict=True)})
    return sympy.cancel(sympy.together(rational))


def _partial_amplitudes(deltas) -> list[sympy.Expr]:
    return [sympy.exp(sympy.I * d) * sympy.sin(d) for d in deltas]


def _amplitude_3d(deltas, c: sympy.Symbol) -> sympy.Expr:
    """f(θ) = (2π/k) Σ_l (2l+1) e^{iδ_l} sin δ_l P_l(cos θ), k = 1."""
    return 2 * sympy.pi * sum((2 * l + 1) * amp * sympy.legendre(l, c)
                              for l, amp in enumerate(_partial_amplitudes(deltas)))


def _half_integral_over_cosine(expr: sympy.Expr, c: sympy.Symbol) -> sympy.Expr:
    """½∫_{−1}^{1} expr dc for expr polynomial in c, term by term (∫ c^k = 2/(k + 1) for even k, 0 for odd):
    exact, and without ``integrate``'s general machinery."""
    total = []
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coefficient, power = term.as_coeff_exponent(c)
        if coefficient.has(c) or not (power.is_Integer and power >= 0):
            raise ValueError(f"not a polynomial in {c}: {term}")
        if power % 2 == 0:
            total.append(coefficient / (power + 1))
    return sympy.Add(*total)


@lru_cache(maxsize=2)   # each list is shared by the claims that check one entry
def _optical_defects_3d(weight) -> list[sympy.Expr]:
    """Im f(0) − πν⟨|f|²⟩ and 2πν⟨|f|² w⟩ − v σ-formula, d = 3, four partial waves, k = m = 1."""
    deltas, c = _phase_symbols(4), sympy.Symbol("c", real=True)
    f = _amplitude_3d(deltas, c)
    nu = 1 / (2 * sympy.pi**2)
    average = lambda e: _half_integral_over_cosine(e, c)
    modulus = sympy.expand(f * f.conjugate())
    if weight == "optical":
        return [_weierstrass_zero(sympy.im(f.subs(c, 1)) - sympy.pi * nu * average(modulus), deltas)]
    steps = [sympy.sin(deltas[l] - (deltas[l + 1] if l + 1 < 4 else 0)) ** 2 for l in range(4)]
    sigma = 4 * sympy.pi * sum((2 * l + 1) * sympy.sin(d) ** 2 for l, d in enumerate(deltas))
    sigma_tr = 4 * sympy.pi * sum((l + 1) * s for l, s in enumerate(steps))
    return [_weierstrass_zero(2 * sympy.pi * nu * average(modulus) - sigma, deltas),
            _weierstrass_zero(2 * sympy.pi * nu * average(modulus * (1 - c)) - sigma_tr, deltas)]


@lru_cache(maxsize=1)
def _optical_defects_2d() -> list[sympy.Expr]:
    """Same in d = 2 with m = −2..2 (δ_{−m} = δ_m), f = 2 Σ e^{iδ} sin δ e^{imθ}, ν = 1/2π; z = e^{iθ}."""
    deltas, z = _phase_symbols(3), sympy.Symbol("z")
    amps = _partial_amplitudes(deltas)
    conj = [a.conjugate() for a in amps]
    f = 2 * sum(amps[abs(k)] * z**k for k in range(-2, 3))
    fbar = 2 * sum(conj[abs(k)] * z**(-k) for k in range(-2, 3))
    constant_term = lambda e: sympy.Poly(sympy.expand(e * z**8), z).coeff_monomial(z**8)
    nu = 1 / (2 * sympy.pi)
    modulus = sympy.expand(f * fbar)
    sigma = 4 * sum((1 if k == 0 else 2) * sympy.sin(deltas[k]) ** 2 for k in range(3))
    sigma_tr = 4 * sum(sympy.sin(deltas[k] - (deltas[k + 1] if k < 2 else 0)) ** 2 for k in range(3))
    return [
        _weierstrass_zero(sympy.im(f.subs(z, 1)) - sympy.pi * nu * constant_term(modulus), deltas),
        _weierstrass_zero(2 * sympy.pi * nu * constant_term(modulus) - sigma, deltas),
        _weierstrass_zero(2 * sympy.pi * nu * constant_term(modulus * (1 - (z + 1 / z) / 2)) - sigma_tr, deltas),
    ]


def _all_cancel(defects) -> str | None:
    nonzero = [d for d in defects() if sympy.expand(d) != 0]
    return None if not nonzero else f"residual = {sympy.sstr(nonzero[0])[:300]}"


def _partial_wave_claim(statement: str, defects, formula: sympy.Basic, model: str):
    return claims.holds(statement, lambda: _all_cancel(defects), f"explicit model: {model}, $k = m = 1$; rational in "
                        r"$\tan(\delta_l/2)$, the difference cancels", formula=formula)


def eq12_optical_theorem() -> Step:
    cosine = sympy.cos(sympy.Symbol("theta", real=True))      # n·n'
    modulus = sympy.Abs(amplitude(direction, scattered)) ** 2
    sigma, sigma_tr = sympy.symbols("sigma sigma_tr", positive=True)
    rate = sympy.Eq(2 * sympy.pi * nu * Average(modulus, scattered), v_F * sigma)
    rate_tr = sympy.Eq(2 * sympy.pi * nu * Average(modulus * (1 - cosine), scattered), v_F * sigma_tr)
    optical = sympy.Eq(sympy.im(amplitude(direction, direction)), sympy.pi * nu * Average(modulus, scattered))
    three_d, two_d = "four partial waves in $d = 3$", "the partial waves $|m| \\le 2$ in $d = 2$"
    pick = lambda defects, k: (lambda: [defects()[k]])
    return Step(
        **OUTLINE.header("eq12-optical-theorem"),
        result=optical,
        claims=(
            _partial_wave_claim(r"$d = 3$: the optical theorem in the paper's factors", partial(_optical_defects_3d, "optical"),
                                optical, three_d),
            _partial_wave_claim(r"$d = 3$: $1/(n_i \tau) = 2 \pi \nu \langle |f|^2 \rangle$ is $v_F \sigma$, "
                                r"$\sigma = (4 \pi/k^2) \sum_l (2 l + 1) \sin^2 \delta_l$",
                                pick(partial(_optical_defects_3d, "rates"), 0), rate, three_d),
            _partial_wave_claim(r"$d = 3$: $1/(n_i \tau_{tr})$ is $v_F \sigma_{tr}$, "
                                r"$\sigma_{tr} = (4 \pi/k^2) \sum_l (l + 1) \sin^2(\delta_l - \delta_{l+1})$",
                                pick(partial(_optical_defects_3d, "rates"), 1), rate_tr, three_d),
            _partial_wave_claim(r"$d = 2$: the optical theorem", pick(_optical_defects_2d, 0), optical, two_d),
            _partial_wave_claim(r"$d = 2$: $1/(n_i \tau)$ is $v_F \sigma$, $\sigma = (4/k) \sum_m \sin^2 \delta_m$",
                                pick(_optical_defects_2d, 1), rate, two_d),
            _partial_wave_claim(r"$d = 2$: $1/(n_i \tau_{tr})$ is $v_F \sigma_{tr}$, "
                                r"$\sigma_{tr} = (4/k) \sum_{m \ge 0} \sin^2(\delta_m - \delta_{m+1})$",
                                pick(_optical_defects_2d, 2), rate_tr, two_d),
        ),
        note=r"$\langle \cdot \rangle_{\mathbf{n}'}$ is the normalised average over $\mathbf{n}'$, $\theta$ the angle between $\mathbf{n}$ and $\mathbf{n}'$; $f = -T$ (so $\operatorname{Im} f > 0$) and "
             r"$w = 2 \pi \nu |f|^2$, so $\tau^{-1} = n_i \langle w \rangle = 2 n_i \operatorname{Im} f(n, n)$, that is "
             r"$\operatorname{Im} f = (2 n_i \tau)^{-1}$ as printed.",
    )
