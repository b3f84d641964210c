"""The derivation pipeline: derive -> verify -> render -> write.

A derivation module builds a ``Derivation`` (ordered ``Step`` records holding plain SymPy objects).
``run`` checks every claim of every step (verify), renders the LaTeX section and numpy module through
the jinja2 templates (render) and returns a ``Record`` of every stage;
``derive.emit.files.write_atomically`` puts the files in place. A failing claim raises ``ClaimFailed`` naming derivation, step and equation, and
nothing is written.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import sympy


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
    """An identity or property a step asserts; ``verify`` returns None, or a description of the residual."""

    statement: str
    method: str
    verify: Callable[[], str | None] = field(compare=False, repr=False)

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

    def __post_init__(self) -> None:
        if isinstance(self.result, sympy.logic.boolalg.BooleanAtom):
            raise ValueError(
                f"step {self.id!r}: the result evaluated to {self.result}; build the equation with "
                "sympy.Eq(lhs, rhs, evaluate=False) so the step shows what it derives"
            )

    def _repr_latex_(self) -> str:
        from derive.emit.latex_printer import notebook_latex

        return notebook_latex(self.result)


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

    def __post_init__(self) -> None:
        ids = [step.id for step in self.steps]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"derivation {self.name!r}: duplicate step ids {duplicated}")
        names = [export.name for step in self.steps for export in step.exports]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"derivation {self.name!r}: duplicate export names {duplicated}")

    @property
    def exports(self) -> tuple[tuple[Step, Export], ...]:
        return tuple((step, export) for step in self.steps for export in step.exports)

    def _repr_latex_(self) -> str:
        from derive.emit.latex_printer import notebook_latex

        return "\n\n".join(f"{step.title}: {notebook_latex(step.result)}" for step in self.steps)

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


Progress = Callable[[str], None]


def _silent(message: str) -> None:
    return None


def verify(derivation: Derivation, progress: Progress = _silent) -> tuple[tuple[str, Verdict], ...]:
    """Check every claim in step order; raise ClaimFailed at the first that does not hold."""
    verdicts = []
    for step in derivation.steps:
        for claim in step.claims:
            progress(f"{derivation.name}/{step.id}: checking '{claim.statement}'")
            verdict = claim.check()
            if not verdict.holds:
                raise ClaimFailed(derivation, step, verdict)
            verdicts.append((step.id, verdict))
    return tuple(verdicts)


def run(derivation: Derivation, progress: Progress = _silent) -> Record:
    """verify -> render; returns the Record. Writing is separate (``derive.emit.files.write_atomically``)."""
    start = time.perf_counter()
    verdicts = verify(derivation, progress)
    return _rendered(derivation, verdicts, progress, time.perf_counter() - start)


def _rendered(derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...], progress: Progress,
              seconds_so_far: float) -> Record:
    from derive.emit.render import render_derivation

    start = time.perf_counter()
    progress(f"{derivation.name}: rendering LaTeX and numpy")
    files = render_derivation(derivation, verdicts)
    return Record(derivation, verdicts, files, seconds_so_far + time.perf_counter() - start)


def default_workers() -> int:
    """Processes for checking claims: $DERIVE_WORKERS, else min(2, CPU count); 1 checks in this process."""
    configured = os.environ.get("DERIVE_WORKERS")
    if configured is not None:
        if not configured.isdigit() or int(configured) < 1:
            raise ValueError(f"DERIVE_WORKERS must be a positive integer, not {configured!r}")
        return int(configured)
    return min(2, os.cpu_count() or 1)


# Claims of the current run_many, inherited by forked workers (claims hold closures, which do not pickle).
_PENDING: list[Claim] = []


def _check_pending(index: int) -> Verdict:
    return _PENDING[index].check()


def run_many(derivations: Sequence[Derivation], progress: Progress = _silent, workers: int | None = None) -> list[Record]:
    """``run`` for several derivations, their claims checked by ``workers`` forked processes in one queue.

    Verdicts arrive in step order, so the first failing claim raises ClaimFailed as ``verify`` would.
    Without fork (or with one worker) this is ``run`` in turn. A Record's ``seconds`` is then the sum of
    its claims' times plus rendering, not wall time.
    """
    global _PENDING
    workers = default_workers() if workers is None else workers
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [run(derivation, progress) for derivation in derivations]
    jobs = [(position, derivation, step, claim) for position, derivation in enumerate(derivations)
            for step in derivation.steps for claim in step.claims]
    _PENDING = [claim for *_, claim in jobs]
    verdicts: list[list[tuple[str, Verdict]]] = [[] for _ in derivations]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (position, derivation, step, claim), verdict in zip(jobs, pool.imap(_check_pending, range(len(jobs)))):
                progress(f"{derivation.name}/{step.id}: checked '{claim.statement}'")
                if not verdict.holds:
                    raise ClaimFailed(derivation, step, verdict)
                verdicts[position].append((step.id, verdict))
    finally:
        _PENDING = []
    return [_rendered(derivation, tuple(collected), progress, sum(verdict.seconds for _, verdict in collected))
            for derivation, collected in zip(derivations, verdicts)]
