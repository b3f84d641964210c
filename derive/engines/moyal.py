"""The Moyal star product of the bosonization paper, Eq. (7), to any order, in any dimension.

    A * B = A exp((i hbar/2)(<-d_r . ->d_p  -  <-d_p . ->d_r)) B

Expanding the exponential of the bidifferential operator with the multinomial theorem gives, for
multi-indices alpha, beta in N^d with |alpha| + |beta| = n,

    A * B = sum_n (i hbar/2)^n sum_{|alpha|+|beta|=n} (-1)^|beta| / (alpha! beta!)
                  (d_r^alpha d_p^beta A) (d_p^alpha d_r^beta B),

which is what ``star`` evaluates: each derivative of A and of B is computed once (a jet, built by
differentiating the cached parent derivative in one variable), and A's factor always stands left of
B's, so noncommutative and matrix-valued symbols keep their order.

Two undefined functions (the case the generated jet functions and most claims use) take a direct
route: their derivatives are built as ``Derivative`` objects without re-deriving, and the terms and
the sum are assembled in SymPy's canonical order from precomputed sort keys
(``derive.engines.canonical_order``) instead of through ``Mul``/``Add`` flattening, which costs more
than everything else at high orders. The result is the same object the generic route builds.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from functools import cache, reduce
from numbers import Integral, Number

import sympy
from sympy.core.function import AppliedUndef
from sympy.core.sorting import ordered

from derive.engines.canonical_order import CompareKeys, canonical_add, canonical_mul
from derive.engines.moyal_memory import (  # noqa: F401  (re-exported: derive.moyal.star_memory_estimate, ...)
    available_memory,
    jet_export_memory_estimate,
    jet_export_term_count,
    refuse_order_beyond_memory,
    refuse_star_beyond_memory,
    star_memory_estimate,
    star_term_count,
)
from derive.engines.moyal_ring import exp_polynomial_star

Variables = sympy.Symbol | Sequence[sympy.Symbol]
MultiIndex = tuple[int, ...]


class StarProduct(sympy.Expr):
    """Unevaluated A * B (Eq. 7), for display; ``star`` evaluates a truncation of it."""

    is_commutative = False

    def __new__(cls, left: sympy.Basic, right: sympy.Basic) -> StarProduct:
        return sympy.Expr.__new__(cls, sympy.sympify(left), sympy.sympify(right))


def _as_symbol_tuple(variables: Variables, role: str) -> tuple[sympy.Symbol, ...]:
    if isinstance(variables, sympy.Symbol):
        return (variables,)
    if isinstance(variables, (str, bytes)) or not isinstance(variables, Sequence):
        raise TypeError(f"{role} must be a SymPy Symbol or a sequence of Symbols, got {variables!r}")
    symbols = tuple(variables)
    if not symbols or not all(isinstance(s, sympy.Symbol) for s in symbols):
        raise TypeError(f"{role} must be a non-empty sequence of SymPy Symbols, got {variables!r}")
    return symbols


def phase_space(r: Variables, p: Variables) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    """Validate and return (r_1..r_d), (p_1..p_d): equal lengths, all distinct."""
    rs, ps = _as_symbol_tuple(r, "r"), _as_symbol_tuple(p, "p")
    if len(rs) != len(ps):
        raise ValueError(f"r and p must have the same length (got d = {len(rs)} and {len(ps)})")
    if len(set(rs + ps)) != 2 * len(rs):
        raise ValueError(f"the phase-space variables must be distinct, got r = {rs}, p = {ps}")
    return rs, ps


def as_operand(value: object, role: str) -> sympy.Basic:
    """A star-product factor: a SymPy expression, matrix expression, explicit matrix, or a plain number."""
    if isinstance(value, sympy.MatrixBase):
        return value
    if isinstance(value, sympy.Basic):
        if not isinstance(value, (sympy.Expr, sympy.MatrixExpr)):
            raise TypeError(f"{role} must be a SymPy expression or matrix, got {type(value).__name__} {value!r}")
        return value
    if isinstance(value, Number) and not isinstance(value, bool):
        return sympy.sympify(value)
    raise TypeError(f"{role} must be a SymPy expression, matrix or number, got {type(value).__name__} {value!r}")


# Below this many terms a star product fits anywhere; above it, ask the system before building.
_TERMS_WORTH_A_MEMORY_CHECK = 100_000


def _refuse_if_too_large(d: int, order: int) -> None:
    if star_term_count(d, order) > _TERMS_WORTH_A_MEMORY_CHECK:
        refuse_star_beyond_memory(d, order)


def validate_order(order: object) -> int:
    """A truncation order is a non-negative integer (bool and floats are refused)."""
    if isinstance(order, bool) or not isinstance(order, (Integral, sympy.Integer)):
        raise TypeError(f"order must be a non-negative integer, got {order!r}")
    if int(order) < 0:
        raise ValueError(f"order must be a non-negative integer, got {order}")
    return int(order)


@cache
def multi_indices(length: int, total: int) -> tuple[MultiIndex, ...]:
    """All multi-indices in N^length with entries summing to ``total``, lexicographically descending."""
    if length == 1:
        return ((total,),)
    return tuple(
        (first,) + rest for first in range(total, -1, -1) for rest in multi_indices(length - 1, total - first)
    )


@cache
def jet_multi_indices(d: int, order: int) -> tuple[MultiIndex, ...]:
    """The jet layout: multi-indices (k_r1..k_rd, k_p1..k_pd) of total degree <= order.

    Graded (degree 0, then 1, ...) and lexicographically descending within a degree, so
    ``jet[i]`` = d_r^{k_r} d_p^{k_p} A at layout entry i, and a lower-order jet is a prefix of a
    higher-order one.
    """
    return tuple(index for degree in range(order + 1) for index in multi_indices(2 * d, degree))


@cache
def star_coefficients(d: int, order: int) -> tuple[tuple[int, MultiIndex, MultiIndex, sympy.Rational], ...]:
    """(n, alpha, beta, (-1)^|beta| / (alpha! beta!)) for every term through hbar^order."""
    table = []
    for n in range(order + 1):
        for index in multi_indices(2 * d, n):
            alpha, beta = index[:d], index[d:]
            denominator = math.prod(math.factorial(k) for k in index)
            table.append((n, alpha, beta, sympy.Rational((-1) ** sum(beta), denominator)))
    return tuple(table)


class _Jet:
    """Derivatives of one expression, each computed once from its cached parent."""

    def __init__(self, expression: sympy.Basic, variables: tuple[sympy.Symbol, ...]):
        self.variables = variables
        self.cache: dict[MultiIndex, sympy.Basic] = {(0,) * len(variables): expression}
        self._undefined = _is_undefined_function_of_symbols(expression)
        if self._undefined:
            # diff sorts the variable counts canonically; for plain symbols that is ``ordered``, once
            arguments = set(expression.args)
            self._canonical_axes = [variables.index(v) for v in ordered(variables) if v in arguments]
            self._missing_axes = [axis for axis, v in enumerate(variables) if v not in arguments]
            self._counts: dict[tuple[int, int], sympy.Tuple] = {}

    def __getitem__(self, index: MultiIndex) -> sympy.Basic:
        if self._undefined and index not in self.cache:
            self.cache[index] = self._derivative_of_undefined(index)
        if index not in self.cache:
            axis = next(i for i, k in enumerate(index) if k)
            parent_index = index[:axis] + (index[axis] - 1,) + index[axis + 1 :]
            parent = self[parent_index]
            self.cache[index] = parent if _is_zero(parent) else sympy.diff(parent, self.variables[axis])
        return self.cache[index]


    def _derivative_of_undefined(self, index: MultiIndex) -> sympy.Basic:
        # Building Derivative(f, (x, k), ...) at once avoids SymPy re-deriving a Derivative of a
        # Derivative, which costs milliseconds per call and dominates high orders.
        function = self.cache[(0,) * len(index)]
        if any(index[axis] for axis in self._missing_axes):
            return sympy.S.Zero
        counts = []
        for axis in self._canonical_axes:
            k = index[axis]
            if k:
                count = self._counts.get((axis, k))
                if count is None:
                    count = self._counts[(axis, k)] = sympy.Tuple(self.variables[axis], sympy.Integer(k))
                counts.append(count)
        # Derivative(f, *counts) with the counts already canonical is exactly this object; its
        # constructor would spend milliseconds re-checking what is known here.
        return sympy.Expr.__new__(sympy.Derivative, function, *counts)


def _is_undefined_function_of_symbols(expression: sympy.Basic) -> bool:
    return isinstance(expression, sympy.core.function.AppliedUndef) and all(
        isinstance(argument, sympy.Symbol) for argument in expression.args
    )


def _is_zero(expression: sympy.Basic) -> bool:
    if isinstance(expression, (sympy.Derivative, AppliedUndef)):
        return False  # the common case at high orders; == 0 would sympify and compare
    if isinstance(expression, sympy.MatrixBase):
        return expression.is_zero_matrix is True
    if isinstance(expression, sympy.MatrixExpr):
        return isinstance(expression, sympy.ZeroMatrix) or expression.is_ZeroMatrix
    return expression == 0


def _sum(terms: list[sympy.Basic], like: sympy.Basic) -> sympy.Basic:
    """Sum terms of the kind of ``like`` (scalar, noncommutative, matrix expression or explicit matrix)."""
    if isinstance(like, sympy.MatrixBase):
        return reduce(lambda x, y: x + y, terms, sympy.zeros(*like.shape))
    if isinstance(like, sympy.MatrixExpr):
        return sympy.MatAdd(*terms).doit() if terms else sympy.ZeroMatrix(*like.shape)
    return sympy.Add(*terms)


def _star_terms(
    A: sympy.Basic, B: sympy.Basic, rs: tuple[sympy.Symbol, ...], ps: tuple[sympy.Symbol, ...], order: int
) -> Iterator[tuple[int, sympy.Rational, sympy.Basic, sympy.Basic]]:
    """Yield (n, (-1)^|beta|/(alpha! beta!), d_r^alpha d_p^beta A, d_p^alpha d_r^beta B), zeros skipped."""
    d = len(rs)
    jet_a, jet_b = _Jet(A, rs + ps), _Jet(B, rs + ps)
    for n, alpha, beta, coefficient in star_coefficients(d, order):
        left = jet_a[alpha + beta]
        if _is_zero(left):
            continue
        right = jet_b[beta + alpha]
        if _is_zero(right):
            continue
        yield n, coefficient, left, right


def _scalar_prefactor_parts(prefactor: sympy.Expr) -> tuple[sympy.Number, list[sympy.Expr]] | None:
    """(number, other factors) of a prefactor whose factors Mul would never merge with a Derivative."""
    coefficient, rest = prefactor.as_coeff_Mul()
    factors = list(sympy.Mul.make_args(rest)) if rest != 1 else []
    for factor in factors:
        base = factor.base if isinstance(factor, sympy.Pow) and factor.exp.is_Integer else factor
        if not (base is sympy.I or isinstance(base, sympy.Symbol)):
            return None
    return coefficient, factors


def _assemble_undefined(A: AppliedUndef, B: AppliedUndef, rs: tuple, ps: tuple, order: int, hbar: sympy.Expr) -> sympy.Expr | None:
    """The sum of all terms for two different undefined functions, built in canonical order; None if not applicable."""
    half_i_hbar = sympy.I * hbar / 2
    prefactors: dict[tuple[int, sympy.Rational], tuple[sympy.Number, list[sympy.Expr]] | None] = {}
    keys = CompareKeys()
    commutative = A.is_commutative and B.is_commutative
    terms = []
    for n, coefficient, left, right in _star_terms(A, B, rs, ps, order):
        parts = prefactors.get((n, coefficient), False)
        if parts is False:
            parts = prefactors[(n, coefficient)] = _scalar_prefactor_parts(coefficient * half_i_hbar**n)
        if parts is None:
            return None
        number, factors = parts
        if number.is_zero:  # hbar = 0
            continue
        if commutative:
            terms.append(canonical_mul(number, factors + [left, right], keys))
        else:
            scalars = [x for x in (left, right) if x.is_commutative]
            operators = [x for x in (left, right) if not x.is_commutative]
            terms.append(canonical_mul(number, factors + scalars, keys, operators))
    return canonical_add(terms, keys)


def star(A: sympy.Basic, B: sympy.Basic, r: Variables, p: Variables, order: int, hbar: sympy.Basic = 1,
         *, expand: bool = False) -> sympy.Basic:
    """The star product A*B of Eq. (7), truncated after the terms of order hbar**order.

    ``expand=True`` returns ``sympy.expand`` of the product; for polynomials and exponentials of
    polynomials it is built expanded, at a fraction of what expanding afterwards costs.
    """
    A, B = as_operand(A, "A"), as_operand(B, "B")
    rs, ps = phase_space(r, p)
    order = validate_order(order)
    _refuse_if_too_large(len(rs), order)
    hbar = as_operand(hbar, "hbar")
    if not isinstance(hbar, sympy.Expr):
        raise TypeError(f"hbar must be a scalar SymPy expression or number, got {hbar!r}")
    if _is_undefined_function_of_symbols(A) and _is_undefined_function_of_symbols(B) and A != B:
        # Different functions: all derivative pairs differ, so no two terms combine and no factors merge.
        assembled = _assemble_undefined(A, B, rs, ps, order, hbar)
        if assembled is not None:
            return assembled  # a sum of products of atoms: already what expand would return
    # Polynomials and exponentials of polynomials: sparse-polynomial arithmetic, one collected result.
    collected = exp_polynomial_star(A, B, rs, ps, order, hbar, star_coefficients(len(rs), order), expand)
    if collected is not None:
        return collected
    half_i_hbar = sympy.I * hbar / 2
    prefactors: dict[tuple[int, sympy.Rational], sympy.Expr] = {}
    terms = []
    for n, coefficient, left, right in _star_terms(A, B, rs, ps, order):
        prefactor = prefactors.get((n, coefficient))
        if prefactor is None:
            prefactor = prefactors[(n, coefficient)] = coefficient * half_i_hbar**n
        terms.append(prefactor * (left * right))
    result = _sum(terms, A if not terms else terms[0])
    return sympy.expand(result) if expand else result


def moyal_bracket(
    A: sympy.Basic, B: sympy.Basic, r: Variables, p: Variables, order: int, hbar: sympy.Basic = 1
) -> sympy.Basic:
    """{{A, B}} = (A*B - B*A)/(i hbar), truncated after its own terms of order hbar**order.

    The bracket's hbar^k term comes from the star products' hbar^(k+1) terms, so these are expanded
    through order + 1. For matrix-valued A, B the commutator term [A, B]/(i hbar) (order hbar^-1) is kept.
    """
    A, B = as_operand(A, "A"), as_operand(B, "B")
    rs, ps = phase_space(r, p)
    order = validate_order(order)
    _refuse_if_too_large(len(rs), order + 1)
    hbar = as_operand(hbar, "hbar")
    terms = []
    for sign, (first, second) in ((1, (A, B)), (-1, (B, A))):
        for n, coefficient, left, right in _star_terms(first, second, rs, ps, order + 1):
            terms.append(sign * coefficient * sympy.I ** (n - 1) * hbar ** (n - 1) / 2**n * (left * right))
    return _sum(terms, A if not terms else terms[0])


def poisson_bracket(A: sympy.Basic, B: sympy.Basic, r: Variables, p: Variables) -> sympy.Basic:
    """{A, B} = sum_mu (d_r A d_p B - d_p A d_r B), the classical limit of the Moyal bracket."""
    rs, ps = phase_space(r, p)
    return sympy.Add(*(sympy.diff(A, x) * sympy.diff(B, k) - sympy.diff(A, k) * sympy.diff(B, x) for x, k in zip(rs, ps, strict=True)))


def jet_symbols(prefix: str, d: int, order: int, commutative: bool = True) -> tuple[sympy.Symbol, ...]:
    """Symbols prefix_0, prefix_1, ... standing for the jet entries in the layout of ``jet_multi_indices``."""
    count = len(jet_multi_indices(d, order))
    return tuple(sympy.Symbol(f"{prefix}_{i}", commutative=commutative) for i in range(count))


def star_jet_parts(d: int, order: int, commutative: bool = True) -> tuple[sympy.Expr, sympy.Expr, tuple, tuple, sympy.Symbol]:
    """The truncated star product as a bilinear form in the jets of A and B, split as E + i O.

    Returns (E, O, jet symbols of A, jet symbols of B, hbar): E collects the even orders and O the odd
    ones, each a sum of c_n hbar^n P_n with real c_n and P_n an integer-weighted sum of jet products,
    so generated code works in real arithmetic for real jets and does one scalar multiplication per
    order, as one would by hand.
    """
    order = validate_order(order)
    _refuse_if_too_large(d, order)
    a, b = jet_symbols("a", d, order, commutative), jet_symbols("b", d, order, commutative)
    position = {index: i for i, index in enumerate(jet_multi_indices(d, order))}
    hbar = sympy.Symbol("hbar", positive=True)
    by_order: dict[int, list[sympy.Expr]] = {}
    keys = CompareKeys()
    for n, alpha, beta, coefficient in star_coefficients(d, order):
        multinomial = coefficient * math.factorial(n)
        left, right = a[position[alpha + beta]], b[position[beta + alpha]]
        # a_i and b_j are distinct symbols, so each product is its own term: assemble canonically
        if commutative:
            product = canonical_mul(multinomial, [left, right], keys)
        else:
            product = canonical_mul(multinomial, [], keys, [left, right])
        by_order.setdefault(n, []).append(product)
    even, odd = [], []
    for n in sorted(by_order):
        # (i/2)^n / n! = (-1)^(n//2) / (2^n n!) times 1 (n even) or i (n odd)
        real_coefficient = sympy.Rational((-1) ** (n // 2), 2**n * math.factorial(n))
        term = sympy.Mul(real_coefficient, hbar**n, canonical_add(by_order[n], keys))
        (even if n % 2 == 0 else odd).append(term)
    return sympy.Add(*even), sympy.Add(*odd), a, b, hbar


def star_jet_form(d: int, order: int, commutative: bool = True) -> tuple[sympy.Expr, tuple, tuple, sympy.Symbol]:
    """E + i O of ``star_jet_parts`` as one expression: (expression, jets of A, jets of B, hbar)."""
    even, odd, a, b, hbar = star_jet_parts(d, order, commutative)
    if odd == 0:
        return even, a, b, hbar
    return sympy.Add(even, sympy.Mul(sympy.I, odd, evaluate=False), evaluate=False), a, b, hbar
