"""A free algebra of matrix-valued letters with canonical cyclic traces (the engine under derive.continuum).

Letters name matrices along a contact vector e (∂ ≡ e·∇):
  Q<k>  ∂^k Q,     X<k>  ∂^k χ̂ (diagonal),     E, F  e^{iχ̂}, e^{−iχ̂} (diagonal),     R<k>  ∂^k R, R = E Q F.
Diagonal letters (X, E, F) commute with each other and nothing else; E F = 1. Traces are brought to a
canonical cyclic form, so equal terms combine. No SymPy ``cse``/``simplify`` touches these products:
polynomials are plain dicts {word: commuting coefficient}.
"""
from __future__ import annotations

from typing import Callable

import sympy

Word = tuple[str, ...]
Poly = dict[Word, sympy.Expr]

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


def substitute(poly: Poly, mapping: dict[str, Poly]) -> Poly:
    """Replace letters by polynomials (letters not in ``mapping`` stay)."""
    terms = [{(): sympy.Integer(0)}]
    for word, coefficient in poly.items():
        terms.append(scale(mul({(): sympy.Integer(1)}, *(mapping.get(x, letter(x)) for x in word)), coefficient))
    return add(*terms)


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
