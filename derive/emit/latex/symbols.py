r"""The symbols of a section: what each printed name is, and the names that mean two things.

``section_symbols(derivation)`` collects every Symbol, MatrixSymbol, undefined function, indexed base
and random symbol of the section's displays (step results, the paper's printed forms, claim formulas),
grouped by the LaTeX the printer writes for it, each with its kind (commutative or not, matrix shape,
function, assumptions) and the meaning the derivation gives (``Derivation.meanings``, keyed by the
printed name or the SymPy name). ``names_with_two_meanings(derivation)`` lists the printed names that
stand for two different objects in one section: a reader of the section (and ``derive.latex.parse``)
cannot tell them apart.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import sympy
from sympy.core.function import UndefinedFunction
from sympy.stats.rv import RandomSymbol

from derive.emit.latex.printer import LatexPrinter
from derive.emit.latex.reader import symbol_leaves
from derive.model import Derivation

__all__ = ["STRUCTURE_IN_NAME", "SymbolEntry", "describe", "names_with_two_meanings", "section_formulas", "section_symbols",
           "table_lines"]


# A Symbol whose name spells a trace, an average, a bracket, a derivative, ... (a derivation defect the
# read-back names; such a name is not a symbol of the table)
STRUCTURE_IN_NAME = re.compile(
    r"\\operatorname|\\mathrm\{S?Tr\}|\\langle|\\left|\\right|\[|\\int|\\sum|\\partial|\\nabla|\\frac|\\star|\\cdot|\\ldots|\\dots|e\^\{|\\\{|[+=]"
)


@dataclass(frozen=True)
class SymbolEntry:
    """One printed name of a section: the objects printed so (one, unless the name is ambiguous)."""

    latex: str
    objects: tuple[sympy.Basic | UndefinedFunction, ...]
    kinds: tuple[str, ...]          # LaTeX prose, one per object
    meaning: str = ""               # LaTeX prose from the derivation, or ""

    @property
    def ambiguous(self) -> bool:
        return len(self.objects) > 1

    @property
    def spells_structure(self) -> bool:
        return bool(STRUCTURE_IN_NAME.search(self.latex))


def section_formulas(derivation: Derivation) -> Iterator[sympy.Basic]:
    """Every formula the section displays: step results, printed forms, claim formulas."""
    for step in derivation.steps:
        yield step.result
        if getattr(step, "printed", None) is not None:
            yield step.printed
        for claim in step.claims:
            if getattr(claim, "formula", None) is not None:
                yield claim.formula


def printed_name(leaf: object, printer: LatexPrinter | None = None) -> str:
    printer = printer or LatexPrinter()
    if isinstance(leaf, UndefinedFunction):
        return printer._deal_with_super_sub(leaf.__name__)
    return printer.doprint(leaf)


def _objects_by_name(derivation: Derivation) -> tuple[dict[str, list[object]], dict[object, set[int]]]:
    """{printed name: objects printed so}, and the numbers of arguments each undefined function is applied to."""
    printer = LatexPrinter()
    found: dict[str, list[object]] = {}
    arities: dict[object, set[int]] = {}
    for formula in section_formulas(derivation):
        for application in formula.atoms(sympy.core.function.AppliedUndef):
            arities.setdefault(application.func, set()).add(len(application.args))
        for leaf in symbol_leaves(formula):
            objects = found.setdefault(printed_name(leaf, printer), [])
            if leaf not in objects:
                objects.append(leaf)
    return found, arities


_SIGNS = ("positive", "negative", "nonnegative", "nonpositive", "nonzero")


def describe(obj: object, arities: set[int] | None = None) -> str:
    """What an object is, as LaTeX prose: 'positive integer', 'noncommutative', '$n \\times n$ matrix', ..."""
    printer = LatexPrinter()
    if isinstance(obj, UndefinedFunction):
        arity = sorted(arities or ())
        arguments = " or ".join(str(a) for a in arity) if arity else "its"
        return f"function of {arguments} argument{'s' if arity != [1] else ''}"
    if isinstance(obj, RandomSymbol):
        return f"random variable, {type(obj.pspace.distribution).__name__.removesuffix('Distribution').lower()} distribution"
    if isinstance(obj, sympy.MatrixSymbol):
        rows, columns = (printer.doprint(size) for size in obj.shape)
        return f"${rows} \\times {columns}$ {'vector' if obj.shape[1] == 1 else 'matrix'}"
    if isinstance(obj, sympy.IndexedBase):
        return "indexed symbol"
    if not isinstance(obj, sympy.Symbol):
        return type(obj).__name__
    if not obj.is_commutative:
        return "noncommutative"
    words = [sign for sign in _SIGNS if obj.assumptions0.get(sign)]
    words = words[:1]   # positive implies nonnegative and nonzero: the strongest one says it
    if obj.is_integer:
        words.append("integer")
    elif obj.is_real and not words:
        words.append("real")
    elif obj.is_real is not True and obj.is_complex:
        words.append("complex")
    return " ".join(words) if words else "commutative, no assumptions"


def section_symbols(derivation: Derivation) -> tuple[SymbolEntry, ...]:
    """The symbol table of a section, ordered by printed name (Latin letters before Greek ones)."""
    meanings = getattr(derivation, "meanings", {}) or {}
    entries = []
    found, arities = _objects_by_name(derivation)
    for name, objects in found.items():
        keys = [name, *(getattr(obj, "name", getattr(obj, "__name__", "")) for obj in objects)]
        meaning = next((meanings[key] for key in keys if key in meanings), "")
        entries.append(SymbolEntry(name, tuple(objects), tuple(describe(obj, arities.get(obj)) for obj in objects), meaning))
    return tuple(sorted(entries, key=lambda entry: (entry.latex.startswith("\\"), entry.latex.lstrip("\\").lower(), entry.latex)))


def table_lines(entries: tuple[SymbolEntry, ...]) -> list[tuple[tuple[str, ...], str]]:
    """The lines of a section's table of symbols: (printed names, LaTeX prose). A symbol with a meaning, or
    printed for two objects, has a line of its own; the others are grouped by kind (``$w_{1}$, $w_{2}$: integer``),
    at the place of the first of them."""
    lines: list[tuple[list[str], str]] = []
    grouped: dict[str, list[str]] = {}
    for entry in entries:
        if entry.ambiguous:
            lines.append(([entry.latex], f"{len(entry.objects)} objects ({'; '.join(entry.kinds)})" + (f"; {entry.meaning}" if entry.meaning else "")))
        elif entry.meaning:
            lines.append(([entry.latex], f"{entry.kinds[0]}; {entry.meaning}"))
        elif entry.kinds[0] in grouped:
            grouped[entry.kinds[0]].append(entry.latex)
        else:
            grouped[entry.kinds[0]] = [entry.latex]
            lines.append((grouped[entry.kinds[0]], entry.kinds[0]))
    return [(tuple(names), text) for names, text in lines]


def names_with_two_meanings(derivation: Derivation) -> dict[str, tuple[str, ...]]:
    """{printed name: what each object printed so is} for every name that stands for two or more objects."""
    return {entry.latex: entry.kinds for entry in section_symbols(derivation) if entry.ambiguous}
