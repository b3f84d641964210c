"""Star products of exponential polynomials, computed in a polynomial ring instead of on expression trees.

A symbol that is a polynomial in the phase-space variables (and in any other symbols) and in
exponentials of such polynomials, sum_j Q_j exp(phi_j), stays of that form under differentiation:
d_v exp(phi) = exp(phi) d_v phi. Writing each exp(phi_k) as a ring generator E_k, the derivative is the
ring derivation

    D_v P = dP/dv + sum_k E_k (d phi_k/dv) dP/dE_k,

so the jets of A and B, their products and the sum over multi-indices are sparse-polynomial arithmetic
over the Gaussian rationals, and the result comes back as one collected expression. Repeated
``sympy.diff`` of a product instead grows a product-rule tree whose size multiplies with the order,
and expanding the sum afterwards re-collects it term by term; that is where a polynomial times an
exponential spent its time.
"""
from __future__ import annotations

import sympy
from sympy.polys.domains import QQ_I
from sympy.polys.polyerrors import CoercionFailed, PolynomialError
from sympy.polys.rings import PolyElement, PolyRing


class _NotExpPolynomial(Exception):
    """The inputs are not polynomials in the variables and exponentials of polynomials."""


def _exponentials(expression: sympy.Expr) -> set[sympy.Expr]:
    return {atom for atom in expression.atoms(sympy.exp)}


def _ring_for(A: sympy.Expr, B: sympy.Expr, variables: tuple[sympy.Symbol, ...], hbar: sympy.Expr):
    """(ring, generator symbols, exponentials in generator order, A and B as ring elements) or raise."""
    exponentials = sorted(_exponentials(A) | _exponentials(B), key=sympy.default_sort_key)
    markers = [sympy.Dummy(f"E{k}") for k in range(len(exponentials))]
    to_marker = dict(zip(exponentials, markers, strict=True))
    parts = [A.xreplace(to_marker), B.xreplace(to_marker)]
    free = set().union(*(part.free_symbols for part in parts), *(e.args[0].free_symbols for e in exponentials))
    if hbar.free_symbols:
        free |= hbar.free_symbols
    others = sorted((s for s in free if s not in variables and s not in markers), key=sympy.default_sort_key)
    generators = list(variables) + others + markers
    if any(not isinstance(s, sympy.Symbol) or not s.is_commutative for s in generators):
        raise _NotExpPolynomial
    ring = PolyRing(generators, QQ_I)
    try:
        elements = [ring.from_expr(part) for part in parts]
        phases = [ring.from_expr(e.args[0]) for e in exponentials]
        hbar_element = ring.from_expr(hbar)
    except (CoercionFailed, PolynomialError, ValueError, TypeError):
        raise _NotExpPolynomial from None
    if any(phase.degree(marker) > 0 for phase in phases for marker in ring.gens[-len(markers):] if markers):
        raise _NotExpPolynomial  # an exponential inside an exponent
    return ring, generators, exponentials, elements, phases, hbar_element


class _RingJet:
    """Derivatives of one ring element under the derivations D_v, each computed once from its parent."""

    def __init__(self, element: PolyElement, ring: PolyRing, axes: int, phases: list[PolyElement]):
        self.ring, self.axes = ring, axes
        self.markers = ring.gens[len(ring.gens) - len(phases):] if phases else ()
        # D_v E_k = E_k d phi_k / dv, precomputed per variable
        self.marker_derivatives = [[marker * phase.diff(ring.gens[v]) for marker, phase in zip(self.markers, phases, strict=True)]
                                   for v in range(axes)]
        self.cache: dict[tuple[int, ...], PolyElement] = {(0,) * axes: element}

    def derive(self, element: PolyElement, v: int) -> PolyElement:
        result = element.diff(self.ring.gens[v])
        for marker, marker_derivative in zip(self.markers, self.marker_derivatives[v], strict=True):
            if marker_derivative and element.degree(marker) > 0:
                result += element.diff(marker) * marker_derivative
        return result

    def __getitem__(self, index: tuple[int, ...]) -> PolyElement:
        known = self.cache.get(index)
        if known is None:
            axis = next(i for i, k in enumerate(index) if k)
            parent = self[index[:axis] + (index[axis] - 1,) + index[axis + 1:]]
            known = self.cache[index] = parent if not parent else self.derive(parent, axis)
        return known


def _expanded(total: PolyElement, plain: list[sympy.Symbol], exponentials: list[sympy.Expr]) -> sympy.Expr:
    """``sympy.expand(total.as_expr(...))`` built term by term: real and imaginary parts apart, exponentials split."""
    split: dict[tuple[int, ...], sympy.Expr] = {}
    terms = []
    rationals = total.ring.domain.dom
    for monomial, coefficient in total.terms():
        powers = [g**k for g, k in zip(plain, monomial[: len(plain)], strict=True) if k]
        degrees = monomial[len(plain):]
        exponential = split.get(degrees)
        if exponential is None:
            # expand's power_exp rule: exp(a + b) -> exp(a) exp(b), once per combination of exponentials
            exponential = split[degrees] = sympy.expand(sympy.Mul(*(e**k for e, k in zip(exponentials, degrees, strict=True) if k)))
        for part, unit in ((coefficient.x, sympy.S.One), (coefficient.y, sympy.I)):
            if part:
                terms.append(sympy.Mul(rationals.to_sympy(part), unit, *powers, exponential))
    return sympy.Add(*terms)


def exp_polynomial_star(A: sympy.Expr, B: sympy.Expr, rs: tuple, ps: tuple, order: int, hbar: sympy.Expr,
                        coefficients, expand: bool = False) -> sympy.Expr | None:
    """A*B through hbar^order as one collected (or fully expanded) expression; None if A, B are not exponential polynomials."""
    if not all(isinstance(x, sympy.Expr) and x.is_commutative for x in (A, B, hbar)):
        return None
    try:
        ring, generators, exponentials, (a, b), phases, hbar_element = _ring_for(A, B, rs + ps, hbar)
    except _NotExpPolynomial:
        return None
    axes = len(rs + ps)
    jet_a, jet_b = _RingJet(a, ring, axes, phases), _RingJet(b, ring, axes, phases)
    by_order: dict[int, PolyElement] = {}
    for n, alpha, beta, coefficient in coefficients:
        left = jet_a[alpha + beta]
        if not left:
            continue
        right = jet_b[beta + alpha]
        if not right:
            continue
        term = left * right * QQ_I.from_sympy(coefficient)
        by_order[n] = by_order[n] + term if n in by_order else term
    half_i_hbar = ring(QQ_I.from_sympy(sympy.I / 2)) * hbar_element
    total = ring.zero
    for n, part in by_order.items():
        total += part * half_i_hbar**n
    plain = generators[: len(generators) - len(exponentials)]
    if expand:
        return _expanded(total, plain, exponentials)
    return total.as_expr(*plain, *exponentials)
