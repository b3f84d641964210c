r"""Read-back of every displayed equation and every claim formula by the project's own reader.

Each equation is printed exactly as the section prints it (``display_lines``), read back with
``derive.emit.latex.reader.parse`` (the derivation's own symbols as the symbol table) and compared with
the object it was printed from: structurally, else by expanding the difference of the two sides (which
keeps the order of noncommutative factors, so a swapped product does not compare equal), else by value
at seeded random complex points when every symbol commutes. ``read_back_records`` does this for a whole
appendix and raises ``ClaimFailed`` (the claim "this display reads back", as the CLI reports any failed
claim) naming every mismatch that is not a listed defect.

A symbol whose *name* spells structure (``\operatorname{Tr}[...]``, ``\langle ... \rangle``, ``\partial``,
``e^{...}``) reads back trivially as itself: such equations are counted and named apart, since their
structure is not checked (the derivation should build that structure from nodes instead).
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sympy

from derive.emit.latex.printer import display_lines
from derive.emit.latex.reader import parse, without_limit_directions
from derive.emit.latex.symbols import STRUCTURE_IN_NAME, names_with_two_meanings
from derive.engines.codegen_nodes import ComplexFromParts
from derive.engines.supermatrix import Str
from derive.engines.trln import Tr
from derive.model import Claim, ClaimFailed, Derivation, Record, Step, Verdict

# Steps whose display cannot be read back unambiguously, with the reason (a defect of the derivation).
KNOWN_DEFECTS: dict[str, str] = {}
_POINTS = 4
_RELATIVE_TOLERANCE = 1e-9


class RoundTripError(ValueError):
    """An emitted formula did not read back to the object it was printed from."""


@dataclass(frozen=True)
class RoundTrip:
    """Outcome for one formula: ``hidden`` lists symbols whose names spell structure (not checked)."""

    key: str
    latex: str
    how: str
    hidden: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.hidden


def hidden_structure(expr: sympy.Basic) -> tuple[str, ...]:
    """Names of the symbols in ``expr`` that spell a trace, an average, a derivative, ... in LaTeX."""
    expr = without_limit_directions(expr)
    return tuple(sorted({s.name for s in expr.atoms(sympy.Symbol) if STRUCTURE_IN_NAME.search(s.name)}))


def read_back(key: str, expr: sympy.Basic) -> RoundTrip:
    """Print ``expr`` as a display, read it back and compare; raise RoundTripError on any difference."""
    if not isinstance(expr, sympy.Basic):
        raise RoundTripError(f"{key}: a {type(expr).__name__} is not a SymPy object")
    text = "\n".join(display_lines(expr))
    try:
        parsed = parse(text, [expr])
    except ValueError as error:
        raise RoundTripError(f"{key}: {error}") from None
    how = comparison(parsed, expr)
    if how is None:
        raise RoundTripError(f"{key}: read back as {sympy.sstr(parsed)}, not {sympy.sstr(expr)} (text: {text})")
    return RoundTrip(key, text, how, hidden_structure(expr))


def round_trip(derivation: Derivation, step: Step) -> RoundTrip:
    """The step's displayed equation, read back."""
    return read_back(f"{derivation.name}/{step.id}", step.result)


def comparison(parsed: sympy.Basic, source: sympy.Basic) -> str | None:
    """How ``parsed`` was found equal to ``source`` ('structurally', 'by expansion', 'at N points'), or None."""
    if parsed == source:
        return "structurally"
    left, right = _words_flattened(parsed), _words_flattened(source)
    if left == right:
        return "structurally"
    relational = isinstance(left, sympy.core.relational.Relational)
    if relational != isinstance(right, sympy.core.relational.Relational) or (relational and type(left) is not type(right)):
        return None
    pairs = list(zip(_sides(left), _sides(right), strict=True)) if relational else [(left, right)]
    if all(_expands_equal(a, b) for a, b in pairs):
        return "by expansion (noncommutative order kept)"
    if all(_equal_at_points(a, b) for a, b in pairs):
        return f"by value at {_POINTS} random points"
    return None


def _sides(relation: sympy.Basic) -> tuple[sympy.Basic, sympy.Basic]:
    return relation.lhs, relation.rhs


def _words_flattened(expr: sympy.Basic) -> sympy.Basic:
    """Tr(a, b) and Tr(a b) are the same trace of the word a b; ComplexFromParts(x, y) is x + i y; a sum of
    matrices is the same in any order of its terms (MatAdd keeps the order it was built in)."""
    if isinstance(expr, sympy.core.relational.Relational):   # rebuilt unevaluated: Eq(a, b) must not become False
        return type(expr)(*(_words_flattened(side) for side in expr.args), evaluate=False)
    expr = expr.replace(lambda node: isinstance(node, ComplexFromParts), lambda node: node.args[0] + sympy.I * node.args[1])
    expr = expr.replace(lambda node: isinstance(node, sympy.MatAdd),
                        lambda node: sympy.MatAdd(*sorted(node.args, key=sympy.default_sort_key)))
    return expr.replace(
        lambda node: isinstance(node, (Tr, Str)) and len(node.args) > 1,
        lambda node: type(node)(sympy.Mul(*node.args)),
    )


def _expands_equal(a: sympy.Basic, b: sympy.Basic) -> bool:
    if isinstance(a, sympy.MatrixBase) or isinstance(b, sympy.MatrixBase):
        return isinstance(a, sympy.MatrixBase) and isinstance(b, sympy.MatrixBase) and a.shape == b.shape and all(
            sympy.expand(x - y) == 0 for x, y in zip(a, b, strict=True))
    try:
        return sympy.expand(a - b) == 0
    except (TypeError, ValueError):
        return False


def _equal_at_points(a: sympy.Basic, b: sympy.Basic, seed: int = 0) -> bool:
    """Equal values at seeded random complex points; only for commutative expressions (else False)."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    if not all(s.is_commutative for s in symbols) or not (a.is_commutative and b.is_commutative):
        return False
    rng = random.Random(seed)
    for _ in range(_POINTS):
        values = {s: sympy.Float(rng.uniform(0.3, 1.7), 20) + sympy.I * sympy.Float(rng.uniform(-0.7, 0.7), 20) for s in symbols}
        try:
            x, y = complex(sympy.N(a.xreplace(values), 20)), complex(sympy.N(b.xreplace(values), 20))
        except (TypeError, ValueError):
            return False
        if abs(x - y) > _RELATIVE_TOLERANCE * max(1.0, abs(x), abs(y)):
            return False
    return True


def symbols_printed_alike(derivation: Derivation) -> dict[str, int]:
    """{printed name: how many different objects print so} within one section (steps and claim formulas):
    a name that means two things in one section cannot be read back unambiguously by a reader."""
    return {name: len(kinds) for name, kinds in sorted(names_with_two_meanings(derivation).items())}


@dataclass(frozen=True)
class ReadBackReport:
    """Every displayed equation and claim formula of an appendix, read back."""

    equations: tuple[RoundTrip, ...]
    equation_count: int
    claims: tuple[RoundTrip, ...]
    claim_count: int
    defects: tuple[str, ...]
    alike: tuple[str, ...] = ()
    unstated: tuple[str, ...] = ()   # claims with no formula: counted, not read back, named in the summary

    def summary(self) -> str:
        hidden = [trip.key for trip in self.equations + self.claims if not trip.complete]
        text = f"read back: {len(self.equations)}/{self.equation_count} equations, {len(self.claims)}/{self.claim_count} claims"
        if self.defects:
            text += f"; {len(self.defects)} known defect(s): " + "; ".join(self.defects)
        if hidden:
            text += f"; {len(hidden)} with structure hidden in a symbol's name ({', '.join(hidden)})"
        if self.alike:
            text += f"; names meaning two things in one section: {', '.join(self.alike)}"
        if self.unstated:
            text += f"; {len(self.unstated)} claim(s) state no formula ({', '.join(self.unstated)})"
        return text


def claims_with_formulas(step: Step) -> Iterable[tuple[int, Claim]]:
    return ((index, claim) for index, claim in enumerate(step.claims) if getattr(claim, "formula", None) is not None)


def read_back_records(records: Sequence[Record]) -> ReadBackReport:
    """Read back every displayed equation and claim formula; ClaimFailed at the first step with a mismatch
    (its message lists every mismatch of the appendix)."""
    equations, claims, defects, failures, first, alike, unstated = [], [], [], [], None, [], []
    equation_count = claim_count = 0
    for record in records:
        derivation = record.derivation
        alike += [f"{derivation.name}: {name} ({count} objects)" for name, count in symbols_printed_alike(derivation).items()]
        for step in derivation.steps:
            key = f"{derivation.name}/{step.id}"
            equation_count += 1
            try:
                equations.append(read_back(key, step.result))
            except RoundTripError as error:
                if key in KNOWN_DEFECTS:
                    defects.append(f"{key} ({KNOWN_DEFECTS[key]})")
                else:
                    failures.append(str(error))
                    first = first or (derivation, step)
            if step.printed is not None:
                # the paper's printed form, shown beside the derived one, is read back like any display
                equation_count += 1
                try:
                    equations.append(read_back(f"{key}/printed", step.printed))
                except RoundTripError as error:
                    failures.append(str(error))
                    first = first or (derivation, step)
            claim_count += len(step.claims)
            unstated += [f"{key}/claim {index + 1}" for index, claim in enumerate(step.claims)
                         if getattr(claim, "formula", None) is None]
            for index, claim in claims_with_formulas(step):
                try:
                    claims.append(read_back(f"{key}/claim {index + 1}", claim.formula))
                except RoundTripError as error:
                    failures.append(str(error))
                    first = first or (derivation, step)
    if first is not None:
        verdict = Verdict("the displayed LaTeX reads back as the object it was printed from",
                          "derive.latex.parse, compared structurally or by expansion", " | ".join(failures), 0.0)
        raise ClaimFailed(*first, verdict)
    return ReadBackReport(tuple(equations), equation_count, tuple(claims), claim_count, tuple(defects), tuple(alike),
                          tuple(unstated))
