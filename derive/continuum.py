"""Gradient expansion of the granular tunneling term: lattice sum → continuum action (paper Eqs. 11b → 15).

The tunneling term −(g_T/8) Σ_{ll'} Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}], χ̂_{ll'} = χ̂_l − χ̂_{l'}, is expanded
along a contact vector e (∂ ≡ e·∇) in a free algebra of matrix-valued letters:
  Q<k>  ∂^k Q,     X<k>  ∂^k χ̂ (diagonal),     E, F  e^{iχ̂}, e^{−iχ̂} (diagonal),     R<k>  ∂^k R, R = E Q F.
Diagonal letters (X, E, F) commute with each other and nothing else; E F = 1. Traces are brought to a
canonical cyclic form, so equal terms combine. No SymPy ``cse``/``simplify`` touches these products:
polynomials are plain dicts {word: commuting coefficient}.

The route (each step is an exact identity checked by the ``continuum`` derivation):
  1. Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}] = Tr[R_l R_{l'}]                       (cyclicity, diagonal χ̂)
  2. Tr[R_l R_{l'}] = n − ½ Tr[(R_{l'} − R_l)²]                                        (R² = 1)
  3. Tr[(R(r+e) − R(r))²] ≅ Σ_m c_m Tr[(∂^m R)²], c_m = 2(−1)^{m+1}/(2m)!              (integration by parts)
  4. ∂^m R = E (∂̃^m Q) F with ∂̃Q = ∂Q + i[∂χ̂, Q]                                     (Leibniz, ∂E = i ∂χ̂ E)
Re-exports ``diffusion_tensor`` (lattice geometry lives in ``derive.lattices``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import sympy
from sympy import QQ_I
from sympy.polys.matrices import DomainMatrix

from derive.lattices import diffusion_tensor, fourth_order_tensor, volume_per_grain  # noqa: F401 (re-exported API)

Word = tuple[str, ...]
Poly = dict[Word, sympy.Expr]
Series = dict[int, Poly]

INVOLUTIONS = ("R0", "Rp", "Q0", "Ql", "Qp")  # letters known to square to 1 where ``reduce_involutions`` is used


def is_diagonal(letter: str) -> bool:
    """X (∂^kχ̂), E and F (e^{±iχ̂}) letters are diagonal matrices: they commute with each other."""
    return letter[0] in "XEF"


def _cancel_phases(run: list[str]) -> list[str]:
    # E<s> F<s> = 1 inside a run of commuting diagonal letters.
    run = sorted(run)
    for letter in sorted({x for x in run if x[0] == "E"}):
        partner = "F" + letter[1:]
        while letter in run and partner in run:
            run.remove(letter)
            run.remove(partner)
    return run


def normal_word(word: Word) -> Word:
    """Sort every run of adjacent diagonal letters and cancel e^{iχ̂}e^{−iχ̂} pairs in it."""
    result, run = [], []
    for letter in word:
        if is_diagonal(letter):
            run.append(letter)
        else:
            result.extend(_cancel_phases(run))
            result.append(letter)
            run = []
    return tuple(result + _cancel_phases(run))


def trace_key(word: Word) -> Word:
    """Canonical representative of Tr[word] under cyclic rotation (and commuting diagonal letters)."""
    word = normal_word(word)
    starts = [i for i, letter in enumerate(word) if not is_diagonal(letter)]
    if not starts:
        return word
    rotations = [normal_word(word[i:] + word[:i]) for i in starts]
    return min(rotations)


def add(*polys: Poly) -> Poly:
    """Sum of noncommutative polynomials (zero coefficients dropped)."""
    total: Poly = {}
    for poly in polys:
        for word, coefficient in poly.items():
            total[word] = total.get(word, 0) + coefficient
    return {w: c for w, c in ((w, sympy.expand(c)) for w, c in total.items()) if c != 0}


def scale(poly: Poly, factor: sympy.Expr) -> Poly:
    """factor · poly, for a commuting factor."""
    return add({word: factor * coefficient for word, coefficient in poly.items()})


def mul(*polys: Poly) -> Poly:
    """Ordered product of noncommutative polynomials."""
    product: Poly = {(): sympy.Integer(1)}
    for poly in polys:
        terms: Poly = {}
        for left, c1 in product.items():
            for right, c2 in poly.items():
                word = normal_word(left + right)
                terms[word] = terms.get(word, 0) + c1 * c2
        product = add(terms)
    return product


def letter(name: str, coefficient: sympy.Expr = sympy.Integer(1)) -> Poly:
    """The polynomial coefficient · name."""
    return {(name,): sympy.sympify(coefficient)}


def commutator(left: Poly, right: Poly) -> Poly:
    """[left, right]."""
    return add(mul(left, right), scale(mul(right, left), -1))


def _derivative_of_letter(name: str) -> Poly:
    if name[0] in "QRX" and name[1:].isdigit():
        return letter(f"{name[0]}{int(name[1:]) + 1}")
    if name == "E":
        return mul(letter("X1", sympy.I), letter("E"))
    if name == "F":
        return mul(letter("X1", -sympy.I), letter("F"))
    raise ValueError(f"letter {name!r} has no derivative rule (only Q<k>, R<k>, X<k>, E, F)")


def differentiate(poly: Poly) -> Poly:
    """∂ of a polynomial by the Leibniz rule (∂Q<k> = Q<k+1>, ∂E = i X1 E, ∂F = −i X1 F)."""
    terms = []
    for word, coefficient in poly.items():
        for position, name in enumerate(word):
            prefix, suffix = {word[:position]: coefficient}, {word[position + 1:]: sympy.Integer(1)}
            terms.append(mul(prefix, _derivative_of_letter(name), suffix))
    return add(*terms)


def covariant_derivative(poly: Poly) -> Poly:
    """∂̃P = ∂P + i[∂χ̂, P]: the derivative that commutes with the gauge factors (∂(E P F) = E ∂̃P F)."""
    return add(differentiate(poly), scale(commutator(letter("X1"), poly), sympy.I))


def power_of(operation: Callable[[Poly], Poly], poly: Poly, times: int) -> Poly:
    """operation applied ``times`` times."""
    for _ in range(times):
        poly = operation(poly)
    return poly


# --- traces ---------------------------------------------------------------------------------------

TracePoly = dict[Word, sympy.Expr]
n_dim = sympy.Symbol("n", positive=True, integer=True)  # Tr 1: the dimension of the Q matrices


def trace(poly: Poly) -> TracePoly:
    """Tr of a polynomial, every word in canonical cyclic form so that equal traces combine."""
    return add(*({trace_key(word): coefficient} for word, coefficient in poly.items()))


def trace_derivative(traces: TracePoly) -> TracePoly:
    """∂ Tr[...] = Tr[∂ ...]."""
    return trace(differentiate(traces))


def _drop_adjacent_pair(word: Word, letters: tuple[str, ...]) -> Word | None:
    for i in range(len(word)):
        j = (i + 1) % len(word)
        if len(word) >= 2 and word[i] == word[j] and word[i] in letters and i != j:
            if j == 0:
                return word[1:-1]
            return word[:i] + word[i + 2:]
    return None


def reduce_involutions(traces: TracePoly, letters: tuple[str, ...] = INVOLUTIONS) -> TracePoly:
    """Use X² = 1 for the given letters, cyclically inside each trace."""
    pending, result = dict(traces), []
    while pending:
        word, coefficient = pending.popitem()
        shorter = _drop_adjacent_pair(word, letters)
        if shorter is None:
            result.append({word: coefficient})
        else:
            pending = add(pending, {trace_key(shorter): coefficient})
    return add(*result)


def as_scalar(traces: TracePoly) -> sympy.Expr | None:
    """The trace polynomial as a commuting expression if it is a multiple of Tr 1 = n, else None."""
    if any(word != () for word in traces):
        return None
    return sympy.expand(traces.get((), 0) * n_dim)


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


# --- exact matrix jets: explicit matrices for the claims that need Q² = 1 ---------------------------


def _gaussian_rational_matrix(rng, size: int, hermitian: bool) -> DomainMatrix:
    rows = [[QQ_I(rng.randint(-4, 4), rng.randint(-4, 4)) / rng.randint(1, 4) for _ in range(size)] for _ in range(size)]
    matrix = DomainMatrix(rows, (size, size), QQ_I)
    return (matrix + _dagger(matrix)) / QQ_I(2, 0) if hermitian else matrix


def _dagger(matrix: DomainMatrix) -> DomainMatrix:
    return matrix.transpose().applyfunc(lambda z: QQ_I(z.x, -z.y), QQ_I)


def _series_inverse(constant_inverse: DomainMatrix, rest: list[DomainMatrix], order: int) -> list[DomainMatrix]:
    # (B + T(t))^{-1} = Σ_m (−B^{-1}T)^m B^{-1}, T = Σ_{k≥1} t^k rest[k-1]
    size = constant_inverse.shape[0]
    zero = DomainMatrix.zeros((size, size), QQ_I)
    result = [constant_inverse] + [zero] * order
    term = [constant_inverse] + [zero] * order
    for _ in range(order):
        term = [sum((-(constant_inverse * rest[j - 1]) * term[k - j] for j in range(1, k + 1)), zero) for k in range(order + 1)]
        result = [x + y for x, y in zip(result, term)]
    return result


def _series_product(*factors: list[DomainMatrix]) -> list[DomainMatrix]:
    product = factors[0]
    for factor in factors[1:]:
        order = len(product) - 1
        zero = product[0] * DomainMatrix.zeros(product[0].shape, QQ_I)
        product = [sum((product[j] * factor[k - j] for j in range(k + 1)), zero) for k in range(order + 1)]
    return product


def exact_jet(seed: int, size: int = 4, order: int = 4) -> dict[str, DomainMatrix]:
    """Exact derivatives Q<k>, X<k> at a point of Q = UΛU†, U = (1 + iK)(1 − iK)^{-1}, K rational Hermitian.

    Q² = 1 holds to every order (U is unitary for every t); χ̂ derivatives are random rational diagonals.
    """
    import random

    rng = random.Random(seed)
    hermitian = [_gaussian_rational_matrix(rng, size, True) for _ in range(order + 1)]
    one, i_unit = DomainMatrix.eye(size, QQ_I), QQ_I(0, 1)
    iK = [h * i_unit for h in hermitian]
    inverse_minus = _series_inverse((one - iK[0]).inv(), [-x for x in iK[1:]], order)
    inverse_plus = _series_inverse((one + iK[0]).inv(), iK[1:], order)
    plus = [one + iK[0]] + iK[1:]
    minus = [one - iK[0]] + [-x for x in iK[1:]]
    signs = [QQ_I(1 if k < size // 2 else -1, 0) for k in range(size)]
    lam = DomainMatrix.diag(signs, QQ_I, (size, size))
    q_series = _series_product(plus, inverse_minus, [lam] + [lam * QQ_I(0, 0)] * order, inverse_plus, minus)
    jet = {f"Q{k}": q_series[k] * QQ_I(int(sympy.factorial(k)), 0) for k in range(order + 1)}
    for k in range(1, order + 1):
        diagonal = [QQ_I(rng.randint(-5, 5), 0) / rng.randint(1, 3) for _ in range(size)]
        jet[f"X{k}"] = DomainMatrix.diag(diagonal, QQ_I, (size, size))
    return jet


def evaluate_on_jet(traces: TracePoly, jet: dict[str, DomainMatrix]) -> sympy.Expr:
    """Exact value of a trace polynomial on an explicit jet (Tr 1 = the matrix size)."""
    size = next(iter(jet.values())).shape[0]
    total = QQ_I(0, 0)
    for word, coefficient in traces.items():
        product = DomainMatrix.eye(size, QQ_I)
        for name in word:
            product = product * jet[name]
        rows = product.to_list()
        total += QQ_I.from_sympy(sympy.sympify(coefficient)) * sum((rows[i][i] for i in range(size)), QQ_I(0, 0))
    return QQ_I.to_sympy(total)


# --- numeric evaluation of the engine's polynomials: the continuum action density -------------------


def evaluate_poly_numeric(poly: Poly, values: dict[str, np.ndarray]) -> np.ndarray:
    """Σ coefficient · word with arrays (..., n, n) substituted for the letters (diagonal ones as (..., n))."""
    total = None
    for word, coefficient in sorted(poly.items(), key=lambda item: item[0]):
        product = None
        for name in word:
            factor = values[name]
            factor = factor[..., :, None] * np.eye(factor.shape[-1]) if is_diagonal(name) else factor
            product = factor if product is None else product @ factor
        term = complex(coefficient) * product
        total = term if total is None else total + term
    return total


def _directional_jet(jet: dict[str, np.ndarray], direction: np.ndarray) -> dict[str, np.ndarray]:
    # letters along ∂ = direction·∇ from gradient arrays: dQ[μ], ddQ[μ, ν] (and dchi, ddchi)
    return {
        "Q0": jet["Q"],
        "Q1": np.tensordot(direction, jet["dQ"], axes=1),
        "Q2": np.tensordot(direction, np.tensordot(direction, jet["ddQ"], axes=1), axes=1) if "ddQ" in jet else None,
        "X1": np.tensordot(direction, jet["dchi"], axes=1),
        "X2": np.tensordot(direction, np.tensordot(direction, jet["ddchi"], axes=1), axes=1) if "ddchi" in jet else None,
    }


def covariant_gradients(jet: dict[str, np.ndarray], second: bool = False):
    """∂̃_μQ (and ∂̃_μ∂̃_νQ by polarization of ∂̃_e²Q) from the engine's own polynomials, numerically.

    jet: Q (..., n, n); dQ (d, ..., n, n); dchi (d, ..., n) the diagonal of ∇χ̂; for ``second`` also
    ddQ (d, d, ..., n, n) and ddchi (d, d, ..., n).
    """
    d = jet["dQ"].shape[0]
    axes = np.eye(d)
    first_poly = covariant_derivative(letter("Q0"))
    first = np.stack([evaluate_poly_numeric(first_poly, _directional_jet(jet, axes[m])) for m in range(d)])
    if not second:
        return first, None
    second_poly = power_of(covariant_derivative, letter("Q0"), 2)

    def along(direction):
        return evaluate_poly_numeric(second_poly, _directional_jet(jet, direction))

    mixed = [[0.25 * (along(axes[m] + axes[k]) - along(axes[m] - axes[k])) for k in range(d)] for m in range(d)]
    return first, np.array(mixed)


def continuum_action_density(
    jet: dict[str, np.ndarray], gamma: np.ndarray, g_T: float, volume: float, gamma4: np.ndarray | None = None
) -> np.ndarray:
    """Gradient part of Eq. 15: πν[(D_{μν}/4) Tr ∂̃_μQ ∂̃_νQ − (D⁽⁴⁾_{μνρσ}/4) Tr ∂̃_μ∂̃_νQ ∂̃_ρ∂̃_σQ].

    With ν = 1/(δ·volume per grain) and D = γ g_T δ, δ cancels: πνD/4 = π γ g_T/(4·volume). ``gamma4``
    (from ``fourth_order_tensor``) adds the a⁴ term; without it the density is the a² (Eq. 15) one.
    """
    first, second = covariant_gradients(jet, second=gamma4 is not None)
    density = np.einsum("mn,m...ij,n...ji->...", gamma, first, first)
    if gamma4 is not None:
        density = density - np.einsum("mnrs,mn...ij,rs...ji->...", gamma4, second, second)
    return (np.pi * g_T / (4 * volume)) * density.real


# --- many directions: ∂_e = Σ_μ e_μ ∂_μ, and SymPy matrix expressions for display and export ----------


def substitute(poly: Poly, mapping: dict[str, Poly]) -> Poly:
    """Replace letters by polynomials (letters not in ``mapping`` stay)."""
    terms = [{(): sympy.Integer(0)}]
    for word, coefficient in poly.items():
        terms.append(scale(mul({(): sympy.Integer(1)}, *(mapping.get(x, letter(x)) for x in word)), coefficient))
    return add(*terms)


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


class DiagonalMatrix(sympy.MatrixExpr):
    """diag(v) of an n×1 vector v (∇χ̂ from the vector of its diagonal); numpy: v[..., :, None]·1."""

    def __new__(cls, vector: sympy.MatrixExpr):
        if not (getattr(vector, "is_Matrix", False) and vector.shape[1] == 1):
            raise TypeError(f"DiagonalMatrix needs an n×1 vector, got {vector!r}")
        return super().__new__(cls, vector)

    shape = property(lambda self: (self.args[0].shape[0], self.args[0].shape[0]))

    def _entry(self, i, j, **kwargs):
        return sympy.KroneckerDelta(i, j) * self.args[0][i, 0]

    def _pythoncode(self, printer) -> str:
        vector = printer._print(self.args[0])
        return f"({vector}[..., :, None]*{printer._module_format('numpy.identity')}({vector}.shape[-1]))"

    _numpycode = _pythoncode

    def _latex(self, printer) -> str:
        return rf"\hat{{{printer._print(self.args[0])}}}"


def to_matrix_expression(traces: TracePoly, symbols: dict[str, sympy.Basic], dimension: sympy.Expr = n_dim) -> sympy.Expr:
    """Σ coefficient · Trace(product of the letters' matrix symbols), terms in canonical order."""
    total = sympy.Integer(0)
    for word, coefficient in sorted(traces.items()):
        if not word:
            total += coefficient * dimension
            continue
        factors = [symbols[x] for x in word]
        argument = factors[0] if len(factors) == 1 else sympy.MatMul(*factors, evaluate=False)
        total += coefficient * sympy.Trace(argument)
    return total


def to_display(traces: TracePoly, symbols: dict[str, sympy.Symbol], dimension: sympy.Expr = n_dim) -> sympy.Expr:
    """Σ coefficient · Tr(letters as noncommutative symbols): for LaTeX display of a trace polynomial."""
    from derive.trln import Tr

    return sympy.Add(*(c * (Tr(*(symbols[x] for x in w)) if w else dimension) for w, c in sorted(traces.items())))
