"""Gradient expansion of the granular tunneling term: lattice sum → continuum action (paper Eqs. 11b → 15).

The tunneling term −(g_T/8) Σ_{ll'} Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}], χ̂_{ll'} = χ̂_l − χ̂_{l'}, is expanded
along a contact vector e (∂ ≡ e·∇) in the free algebra of matrix-valued letters of derive.freealgebra
(Q<k>, X<k>, E, F, R<k>); this module holds the series in e and the directional components.

The route (each step is an exact identity checked by the ``continuum`` derivation):
  1. Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}] = Tr[R_l R_{l'}]                       (cyclicity, diagonal χ̂)
  2. Tr[R_l R_{l'}] = n − ½ Tr[(R_{l'} − R_l)²]                                        (R² = 1)
  3. Tr[(R(r+e) − R(r))²] ≅ Σ_m c_m Tr[(∂^m R)²], c_m = 2(−1)^{m+1}/(2m)!              (integration by parts)
  4. ∂^m R = E (∂̃^m Q) F with ∂̃Q = ∂Q + i[∂χ̂, Q]                                     (Leibniz, ∂E = i ∂χ̂ E)
The whole engine is importable from here: the free algebra, exact jets (derive.exact_jets), numeric
densities (derive.continuum_numeric), SymPy expressions of traces (derive.trace_expressions), and
``diffusion_tensor`` with the other lattice tensors (lattice geometry lives in ``derive.lattices``).
"""
from __future__ import annotations

import sympy

from derive.engines.exact_jets import evaluate_on_jet, exact_jet
from derive.engines.freealgebra import (
    INVOLUTIONS,
    Poly,
    TracePoly,
    Word,
    add,
    as_scalar,
    commutator,
    covariant_derivative,
    differentiate,
    is_diagonal,
    letter,
    mul,
    n_dim,
    normal_word,
    power_of,
    reduce_involutions,
    scale,
    substitute,
    trace,
    trace_derivative,
    trace_key,
)
from derive.engines.gradient_numeric import continuum_action_density, covariant_gradients, evaluate_poly_numeric
from derive.engines.lattices import diffusion_tensor, fourth_order_tensor, volume_per_grain
from derive.engines.trace_expressions import DiagonalMatrix, to_display, to_matrix_expression

__all__ = [
    # the free algebra (derive.freealgebra)
    "Word", "Poly", "TracePoly", "INVOLUTIONS", "n_dim", "is_diagonal", "normal_word", "trace_key", "add", "scale",
    "mul", "letter", "commutator", "differentiate", "covariant_derivative", "power_of", "substitute", "trace",
    "trace_derivative", "reduce_involutions", "as_scalar",
    # the expansion (this module)
    "Series", "series_add", "series_mul", "series_exp", "taylor", "tunneling_trace_series", "covariant_trace_series",
    "difference_square_series", "integrate_by_parts", "gradient_series_coefficient", "index_pairs",
    "directional_mapping", "covariant_components",
    # exact jets, numeric densities, SymPy expressions, lattice tensors
    "exact_jet", "evaluate_on_jet", "evaluate_poly_numeric", "covariant_gradients", "continuum_action_density",
    "DiagonalMatrix", "to_matrix_expression", "to_display", "diffusion_tensor", "fourth_order_tensor", "volume_per_grain",
]

Series = dict[int, Poly]


# --- series in the contact vector (graded by the power of e) --------------------------------------


def series_add(*series: Series) -> Series:
    """Sum of graded series."""
    orders = sorted({k for s in series for k in s})
    return {k: add(*(s.get(k, {}) for s in series)) for k in orders}


def series_mul(left: Series, right: Series, order: int) -> Series:
    """Product of graded series truncated after ``order``."""
    product: Series = {}
    for i, p in left.items():
        for j, q in right.items():
            if i + j <= order:
                product[i + j] = add(product.get(i + j, {}), mul(p, q))
    return product


def series_exp(exponent: Series, order: int) -> Series:
    """exp of a series without a constant term, truncated after ``order``."""
    if exponent.get(0):
        raise ValueError("series_exp needs an exponent without an order-0 term")
    result: Series = {0: {(): sympy.Integer(1)}}
    power: Series = {0: {(): sympy.Integer(1)}}
    for m in range(1, order + 1):
        power = series_mul(power, exponent, order)
        result = series_add(result, {k: scale(p, sympy.Rational(1, sympy.factorial(m))) for k, p in power.items()})
    return result


def taylor(prefix: str, order: int, start: int = 0) -> Series:
    """Field at r + e: Σ_k ∂^k f / k! (letters prefix<k>), from k = start."""
    return {k: letter(f"{prefix}{k}", sympy.Rational(1, sympy.factorial(k))) for k in range(start, order + 1)}


def tunneling_trace_series(order: int) -> dict[int, TracePoly]:
    """Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}] with l' = l + e, by powers of e (letters Q<k>, X<k>)."""
    phase_difference = {k: scale(p, -1) for k, p in taylor("X", order, start=1).items()}  # χ̂_l − χ̂_{l'}
    forward = series_exp({k: scale(p, sympy.I) for k, p in phase_difference.items()}, order)
    backward = series_exp({k: scale(p, -sympy.I) for k, p in phase_difference.items()}, order)
    product = series_mul(series_mul(series_mul(forward, {0: letter("Q0")}, order), backward, order), taylor("Q", order), order)
    return {k: trace(p) for k, p in sorted(product.items())}


def covariant_trace_series(order: int) -> dict[int, TracePoly]:
    """n − ½ Σ_{i+j=k} Tr[∂̃^iQ ∂̃^jQ]/(i! j!): what Tr[R_l R_{l'}] = n − ½Tr[(R_{l'} − R_l)²] gives per order."""
    derivatives = [power_of(covariant_derivative, letter("Q0"), k) for k in range(order + 1)]
    result = {0: {(): sympy.Integer(1)}}
    for k in range(1, order + 1):
        terms = [
            scale(trace(mul(derivatives[i], derivatives[k - i])), sympy.Rational(-1, 2 * sympy.factorial(i) * sympy.factorial(k - i)))
            for i in range(1, k)
        ]
        result[k] = add(*terms)
    return result


def difference_square_series(order: int) -> dict[int, TracePoly]:
    """Tr[(R(r+e) − R(r))²] by powers of e, in the letters R<k> = ∂^k R."""
    difference = taylor("R", order, start=1)
    return {k: trace(p) for k, p in sorted(series_mul(difference, difference, order).items())}


def integrate_by_parts(traces: TracePoly) -> tuple[TracePoly, TracePoly]:
    """Bring Σ c Tr[R<i> R<j>] to Σ c' Tr[R<m> R<m>] modulo ∂(certificate); returns (reduced, certificate).

    Tr[R_i R_j] = ∂Tr[R_i R_{j−1}] − Tr[R_{i+1} R_{j−1}] (i < j − 1), and Tr[R_m R_{m+1}] = ∂(½ Tr[R_m R_m]).
    The caller checks traces == reduced + ∂(certificate) exactly; nothing here is trusted.
    """
    pending, reduced, certificate = dict(traces), [], []
    while pending:
        word, coefficient = pending.popitem()
        if len(word) != 2 or any(x[0] != "R" for x in word):
            raise ValueError(f"integrate_by_parts handles Tr[R<i> R<j>] only, not Tr{word}")
        i, j = sorted(int(x[1:]) for x in word)
        if i == j:
            reduced.append({word: coefficient})
        elif j == i + 1:
            certificate.append({trace_key((f"R{i}", f"R{i}")): coefficient / 2})
        else:
            certificate.append({trace_key((f"R{i}", f"R{j - 1}")): coefficient})
            pending = add(pending, {trace_key((f"R{i + 1}", f"R{j - 1}")): -coefficient})
    return add(*reduced), add(*certificate)


def gradient_series_coefficient(order: int) -> sympy.Rational:
    """c_m in Tr[(R(r+e) − R(r))²] ≅ Σ_m c_m Tr[(∂^m R)²] (integrated): c_m = 2(−1)^{m+1}/(2m)!."""
    if not isinstance(order, int) or order < 1:
        raise ValueError("order must be a positive integer")
    return sympy.Rational(2 * (-1) ** (order + 1), sympy.factorial(2 * order))


# --- many directions: ∂_e = Σ_μ e_μ ∂_μ, read off per axis by polarization ---------------------------


def index_pairs(dimension: int) -> list[tuple[int, int]]:
    """(μ, ν) with μ ≤ ν: the independent components of a symmetric tensor."""
    return [(m, k) for m in range(dimension) for k in range(m, dimension)]


def directional_mapping(direction: tuple[sympy.Symbol, ...]) -> dict[str, Poly]:
    """Q1 → Σ e_μ Q1_μ, Q2 → Σ e_μ e_ν Q2_μν (μ ≤ ν, symmetric), the same for X: letters per axis."""
    d = len(direction)
    mapping: dict[str, Poly] = {}
    for prefix in "QX":
        mapping[f"{prefix}1"] = add(*(letter(f"{prefix}1_{m}", direction[m]) for m in range(d)))
        mapping[f"{prefix}2"] = add(
            *(letter(f"{prefix}2_{m}{k}", direction[m] * direction[k] * (1 if m == k else 2)) for m, k in index_pairs(d))
        )
    return mapping


def covariant_components(order: int, dimension: int) -> dict[tuple[int, ...], Poly]:
    """∂̃_μQ (order 1) or ∂̃_μ∂̃_νQ (order 2, μ ≤ ν) in per-axis letters, read off ∂̃_e^order Q by polarization."""
    if order not in (1, 2):
        raise ValueError("covariant_components: order 1 or 2")
    direction = sympy.symbols(f"e0:{dimension}")
    along = substitute(power_of(covariant_derivative, letter("Q0"), order), directional_mapping(direction))
    components = {}
    for index in ([(m,) for m in range(dimension)] if order == 1 else index_pairs(dimension)):
        monomial = sympy.Mul(*(direction[m] for m in index))
        weight = sympy.Integer(1 if len(set(index)) == 1 else 2)
        components[index] = add(
            {w: sympy.Poly(c, *direction).coeff_monomial(monomial) / weight for w, c in along.items()}
        )
    return components
