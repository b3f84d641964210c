"""The records of a derivation: data only, no driver and no printing.

A ``Derivation`` is an ordered tuple of ``Step`` records; a step holds plain SymPy objects (its result),
the ``Claim``s it asserts and the ``Export``s that become generated functions. ``Verdict`` is the outcome
of checking one claim and ``Record`` every intermediate result of one run. ``ClaimFailed`` is raised by
the driver (``derive.pipeline``) with the step and verdict it concerns.
"""
from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sympy

from derive.model.outline import check_builds_on


def _notebook_latex(expr: sympy.Basic) -> str:
    # Looked up when a notebook asks for it, so that the records do not depend on the emitters.
    return importlib.import_module("derive.latex").notebook_latex(expr)


@dataclass(frozen=True)
class Verdict:
    """Outcome of checking one claim: ``residual`` is None when the claim holds."""

    statement: str
    method: str
    residual: str | None
    seconds: float

    @property
    def holds(self) -> bool:
        return self.residual is None


@dataclass(frozen=True)
class Claim:
    """An identity or property a step asserts; ``verify`` returns None, or a description of the residual.

    ``formula`` is the statement as SymPy (an equation, a relation, a vanishing residual); the LaTeX
    section prints it with the displays' printer and reads it back, and ``statement`` is then the prose
    around it."""

    statement: str
    method: str
    verify: Callable[[], str | None] = field(compare=False, repr=False)
    formula: sympy.Basic | None = field(default=None, compare=False)

    def check(self) -> Verdict:
        start = time.perf_counter()
        residual = self.verify()
        return Verdict(self.statement, self.method, residual, time.perf_counter() - start)


@dataclass(frozen=True)
class Argument:
    """One argument of a generated numpy function.

    ``symbol`` is the SymPy object the argument stands for: a Symbol or MatrixSymbol (passed as one
    array), or a tuple of symbols unpacked from axis 0 of the array (a jet: ``arg[i]`` is ``symbol[i]``).
    """

    name: str
    symbol: sympy.Basic | tuple[sympy.Basic, ...]
    default: float | None = None
    description: str = ""


@dataclass(frozen=True)
class Export:
    """A result that becomes a numpy function ``name(*args)`` in ``derive.generated.<derivation>``."""

    name: str
    expr: sympy.Basic
    args: tuple[Argument, ...]
    doc: str
    # False where the expression is built already factored (the grouped star-product jets): cse would search
    # a tree of tens of thousands of terms for a repetition that is not there.
    common_subexpressions: bool = True


@dataclass(frozen=True)
class Constant:
    """A module-level constant of the generated numpy module (a Python literal, e.g. a jet layout)."""

    name: str
    value: object
    doc: str


@dataclass(frozen=True)
class Table:
    """A module-level dict from keys to generated functions, e.g. ``STAR_PRODUCTS[(d, order)]``."""

    name: str
    entries: tuple[tuple[object, str], ...]
    doc: str


@dataclass(frozen=True)
class Step:
    """One step of a derivation, reproducing (or preparing) an equation of a paper."""

    id: str
    title: str
    paper: str
    equation: str
    result: sympy.Basic
    claims: tuple[Claim, ...] = ()
    exports: tuple[Export, ...] = ()
    note: str = ""
    transforms: str | None = None
    builds_on: tuple[str, ...] = ()   # ids of earlier steps whose result this one takes up (\eqref in the section)
    # The paper's printed form where it differs from ``result``, and where notes/ explains the difference
    # (prose, e.g. "the notes on the granular paper, difference 2"); the section shows both.
    printed: sympy.Basic | None = None
    erratum: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.result, sympy.logic.boolalg.BooleanAtom):
            raise ValueError(
                f"step {self.id!r}: the result evaluated to {self.result}; build the equation with "
                "sympy.Eq(lhs, rhs, evaluate=False) so the step shows what it derives"
            )
        if self.printed is not None and not isinstance(self.printed, sympy.Basic):
            raise TypeError(f"step {self.id!r}: printed must be a SymPy object, not {type(self.printed).__name__}")
        if isinstance(self.printed, sympy.logic.boolalg.BooleanAtom):
            raise ValueError(f"step {self.id!r}: the printed form evaluated to {self.printed}; build it with evaluate=False")
        if (self.printed is None) != (not self.erratum.strip()):
            raise ValueError(f"step {self.id!r}: printed and erratum go together (the paper's form and where notes/ explains it)")

    def _repr_latex_(self) -> str:
        return _notebook_latex(self.result)


@dataclass(frozen=True)
class Derivation:
    """An ordered list of steps, plus module-level constants and tables of the generated numpy module."""

    name: str
    title: str
    paper: str
    steps: tuple[Step, ...]
    constants: tuple[Constant, ...] = ()
    tables: tuple[Table, ...] = ()
    summary: str = ""
    reference: str = ""  # the paper's reference as LaTeX prose, printed under the section title
    # What the symbols mean, as LaTeX prose, keyed by printed name (r"\delta") or SymPy name ("delta"):
    # the section's table of symbols shows it beside each symbol's kind and assumptions.
    meanings: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        ids = [step.id for step in self.steps]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"derivation {self.name!r}: duplicate step ids {duplicated}")
        check_builds_on(self.name, [(step.id, step.builds_on) for step in self.steps])
        names = [export.name for step in self.steps for export in step.exports]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"derivation {self.name!r}: duplicate export names {duplicated}")

    @property
    def exports(self) -> tuple[tuple[Step, Export], ...]:
        return tuple((step, export) for step in self.steps for export in step.exports)

    def _repr_latex_(self) -> str:
        return "\n\n".join(f"{step.title}: {_notebook_latex(step.result)}" for step in self.steps)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"derivation {self.name!r} has no step {step_id!r}")


class ClaimFailed(RuntimeError):
    """A claim of a step did not hold; the message names derivation, step, equation and residual."""

    def __init__(self, derivation: Derivation, step: Step, verdict: Verdict):
        self.derivation, self.step, self.verdict = derivation, step, verdict
        where = f"{step.paper} paper Eq. {step.equation}" if step.paper else "no paper equation"
        super().__init__(
            f"step {derivation.name}/{step.id} ({where}): claim '{verdict.statement}' failed "
            f"[{verdict.method}]: {verdict.residual}"
        )


@dataclass(frozen=True)
class Record:
    """Every intermediate result of one run: the derivation, the claim verdicts, the rendered files."""

    derivation: Derivation
    verdicts: tuple[tuple[str, Verdict], ...]
    files: Mapping[str, str]
    seconds: float
