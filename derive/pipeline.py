"""The derivation pipeline: derive -> verify -> render -> write.

A derivation module builds a ``Derivation`` (ordered ``Step`` records holding plain SymPy objects).
``run`` checks every claim of every step (verify), renders the LaTeX section and numpy module through
the jinja2 templates (render) and returns a ``Record`` of every stage;
``derive.output.write_atomically`` puts the files in place. A failing claim raises ``ClaimFailed`` naming derivation, step and equation, and
nothing is written.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence

from derive import derivations
from derive.emit.target import package_files, render_derivation
from derive.fingerprint import input_hash
from derive.model import Claim, ClaimFailed, Derivation, Record, Verdict


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
    """verify -> render; returns the Record. Writing is separate (``derive.output.write_atomically``)."""
    start = time.perf_counter()
    verdicts = verify(derivation, progress)
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


def output_files(records: Sequence[Record]) -> dict[str, str]:
    """Every file of an output folder: each record's files plus what every target needs once."""
    files = package_files(derivations.names())
    for record in records:
        files.update(record.files)
    return files
