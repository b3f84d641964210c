"""A free algebra of matrix-valued letters with canonical cyclic traces (the engine under derive.continuum).

Letters name matrices along a contact vector e (∂ ≡ e·∇):
  Q<k>  ∂^k Q,     X<k>  ∂^k χ̂ (diagonal),     E, F  e^{iχ̂}, e^{−iχ̂} (diagonal),     R<k>  ∂^k R, R = E Q F.
Diagonal letters (X, E, F) commute with each other and nothing else; E F = 1. Traces are brought to a
canonical cyclic form, so equal terms combine. No SymPy ``cse``/``simplify`` touches these products:
polynomials are plain dicts {word: commuting coefficient}. Products, sums and the cyclic canonical form
are those of derive.engines.words under the rules ``CONTACT`` (diagonal runs sorted, E F = 1, rotations
start at a non-diagonal letter, coefficients expanded).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

import sympy

from derive.engines.words import WordRules

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


CONTACT = WordRules(
    normal_form=lambda word: (1, normal_word(word)),
    may_start=lambda letter: not is_diagonal(letter),
    simplify=sympy.expand,
)


def trace_key(word: Word) -> Word:
    """Canonical representative of Tr[word] under cyclic rotation (and commuting diagonal letters)."""
    return CONTACT.trace_word(word)[1]


def add(*polys: Poly) -> Poly:
    """Sum of noncommutative polynomials (zero coefficients dropped)."""
    return CONTACT.add(*polys)


def scale(poly: Poly, factor: sympy.Expr) -> Poly:
    """factor · poly, for a commuting factor."""
    return CONTACT.scale(poly, factor)


def mul(*polys: Poly) -> Poly:
    """Ordered product of noncommutative polynomials."""
    return CONTACT.multiply(*polys)


def letter(name: str, coefficient: sympy.Expr = sympy.S.One) -> Poly:
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
    return CONTACT.trace(poly)


def trace_derivative(traces: TracePoly) -> TracePoly:
    """∂ Tr[...] = Tr[∂ ...]."""
    return trace(differentiate(traces))


def reduce_involutions(traces: TracePoly, letters: tuple[str, ...] = INVOLUTIONS) -> TracePoly:
    """Use X² = 1 for the given letters, cyclically inside each trace."""
    rules = dataclasses.replace(CONTACT, cancels=lambda left, right: left == right and left in letters)
    return rules.trace(traces)


def as_scalar(traces: TracePoly) -> sympy.Expr | None:
    """The trace polynomial as a commuting expression if it is a multiple of Tr 1 = n, else None."""
    if any(word != () for word in traces):
        return None
    return sympy.expand(traces.get((), 0) * n_dim)
