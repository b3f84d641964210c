"""The derivation pipeline: derive -> verify -> render -> write.

A derivation module builds a ``Derivation`` (ordered ``Step`` records holding plain SymPy objects).
``run`` checks every claim of every step (verify), renders the LaTeX section and numpy module through
the jinja2 templates (render) and returns a ``Record`` of every stage;
``derive.output.write_atomically`` puts the files in place. A failing claim raises ``ClaimFailed`` naming derivation, step and equation, and
nothing is written.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from derive import derivations
from derive.emit.target import package_files, render_derivation
from derive.fingerprint import input_hash
from derive.model import Claim, ClaimFailed, Derivation, Record, Verdict

Progress = Callable[[str], None]


class Tracker(Protocol):
    """Receives a derivation's claim count when its checking starts, then one call per checked claim."""

    def begin(self, name: str, claims: int) -> None: ...

    def advance(self, name: str, statement: str) -> None: ...

    def end(self, name: str) -> None: ...


class _NoTracker:
    def begin(self, name: str, claims: int) -> None:
        return None

    def advance(self, name: str, statement: str) -> None:
        return None

    def end(self, name: str) -> None:
        return None


def _silent(message: str) -> None:
    return None


def _claim_count(derivation: Derivation) -> int:
    return sum(len(step.claims) for step in derivation.steps)


def verify(derivation: Derivation, progress: Progress = _silent, tracker: Tracker | None = None
           ) -> tuple[tuple[str, Verdict], ...]:
    """Check every claim in step order; raise ClaimFailed at the first that does not hold."""
    tracker = tracker or _NoTracker()
    tracker.begin(derivation.name, _claim_count(derivation))
    verdicts = []
    for step in derivation.steps:
        for claim in step.claims:
            progress(f"{derivation.name}/{step.id}: checking '{claim.statement}'")
            verdict = claim.check()
            if not verdict.holds:
                raise ClaimFailed(derivation, step, verdict)
            tracker.advance(derivation.name, claim.statement)
            verdicts.append((step.id, verdict))
    tracker.end(derivation.name)
    return tuple(verdicts)


def run(derivation: Derivation, progress: Progress = _silent, tracker: Tracker | None = None) -> Record:
    """verify -> render; returns the Record. Writing is separate (``derive.output.write_atomically``)."""
    start = time.perf_counter()
    verdicts = verify(derivation, progress, tracker)
    return _rendered(derivation, verdicts, progress, time.perf_counter() - start)


def _rendered(derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...], progress: Progress,
              seconds_so_far: float) -> Record:
    start = time.perf_counter()
    progress(f"{derivation.name}: rendering LaTeX and numpy")
    files = render_derivation(derivation, verdicts, input_hash(derivations.module_name(derivation.name)))
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


_PR_SET_PDEATHSIG = 1


def _worker_init(parent: int) -> None:
    """A worker dies with its parent (even by SIGKILL) and leaves Ctrl-C to it (no tracebacks of its own)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def run_many(derivations: Sequence[Derivation], progress: Progress = _silent, workers: int | None = None,
             tracker: Tracker | None = None) -> list[Record]:
    """``run`` for several derivations, their claims checked by ``workers`` forked processes in one queue.

    Verdicts arrive in step order, so the first failing claim raises ClaimFailed as ``verify`` would.
    Without fork (or with one worker) this is ``run`` in turn. A Record's ``seconds`` is then the sum of
    its claims' times plus rendering, not wall time.
    """
    global _PENDING
    workers = default_workers() if workers is None else workers
    tracker = tracker or _NoTracker()
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [run(derivation, progress, tracker) for derivation in derivations]
    jobs = [(position, derivation, step, claim) for position, derivation in enumerate(derivations)
            for step in derivation.steps for claim in step.claims]
    _PENDING = [claim for *_, claim in jobs]
    verdicts: list[list[tuple[str, Verdict]]] = [[] for _ in derivations]
    remaining = [_claim_count(derivation) for derivation in derivations]
    for derivation, count in zip(derivations, remaining, strict=True):
        tracker.begin(derivation.name, count)
        if count == 0:
            tracker.end(derivation.name)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            for (position, derivation, step, claim), verdict in zip(jobs, pool.imap(_check_pending, range(len(jobs))), strict=True):
                progress(f"{derivation.name}/{step.id}: checked '{claim.statement}'")
                if not verdict.holds:
                    raise ClaimFailed(derivation, step, verdict)
                verdicts[position].append((step.id, verdict))
                tracker.advance(derivation.name, claim.statement)
                remaining[position] -= 1
                if remaining[position] == 0:
                    tracker.end(derivation.name)
    finally:
        _PENDING = []
    return [_rendered(derivation, tuple(collected), progress, sum(verdict.seconds for _, verdict in collected))
            for derivation, collected in zip(derivations, verdicts, strict=True)]


def output_files(records: Sequence[Record]) -> dict[str, str]:
    """Every file of an output folder: each record's files plus what every target needs once."""
    files = package_files(derivations.names())
    for record in records:
        files.update(record.files)
    return files


def output_owners(records: Sequence[Record]) -> dict[str, str]:
    """file name -> the derivation that rendered it (files every target needs once have none)."""
    return {name: record.derivation.name for record in records for name in record.files}
