"""The derivation pipeline: derive -> verify -> render -> write.

A derivation module builds a ``Derivation`` (ordered ``Step`` records holding plain SymPy objects).
``run`` checks every claim of every step (verify), renders the LaTeX section and numpy module through
the jinja2 templates (render) and returns a ``Record`` of every stage;
``derive.output.write_atomically`` puts the files in place. A failing claim raises ``ClaimFailed`` naming derivation, step and equation, and
nothing is written.
"""
from __future__ import annotations

import ctypes
import functools
import json
import multiprocessing
import os
import queue
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from derive import derivations
from derive.emit.target import package_files, render_derivation
from derive.fingerprint import input_hash
from derive.model import Claim, ClaimFailed, Derivation, Record, Step, Verdict

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
    return Record(derivation, verdicts, _files(derivation, verdicts), seconds_so_far + time.perf_counter() - start)


def _files(derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...]) -> dict[str, str]:
    return render_derivation(derivation, verdicts, input_hash(derivations.module_name(derivation.name)))


def default_workers() -> int:
    """Processes for checking claims: $DERIVE_WORKERS, else min(2, CPU count); 1 checks in this process."""
    configured = os.environ.get("DERIVE_WORKERS")
    if configured is not None:
        if not configured.isdigit() or int(configured) < 1:
            raise ValueError(f"DERIVE_WORKERS must be a positive integer, not {configured!r}")
        return int(configured)
    return min(2, os.cpu_count() or 1)


# Claims of the current run_many by (derivation position, claim number), inherited by the workers forked
# after each derivation is built (claims hold closures, which do not pickle).
_PENDING: dict[tuple[int, int], Claim] = {}
# At most ``workers`` claims are checked at once, across the pools of all derivations.
_SLOTS = None


def _check_pending(key: tuple[int, int]) -> tuple[tuple[int, int], Verdict]:
    with _SLOTS:
        return key, _PENDING[key].check()


_PR_SET_PDEATHSIG = 1
# Workers yield to the parent, which is building the next derivation meanwhile.
_WORKER_NICENESS = 4


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
    try:
        os.nice(_WORKER_NICENESS)
    except OSError:
        pass


Buildable = Derivation | Callable[[], Derivation]


def _built(buildable: Buildable) -> Derivation:
    return buildable if isinstance(buildable, Derivation) else buildable()


def _longest_first(derivation: Derivation) -> list[int]:
    """Claim numbers of a derivation, the most expensive first by the recorded seconds (step order otherwise)."""
    costs = recorded_costs().get(derivation.name, {})
    keyed = [(costs.get(claim_key(step.id, claim.statement), 0.0), number)
             for number, (step, claim) in enumerate((step, claim) for step in derivation.steps for claim in step.claims)]
    return [number for _, number in sorted(keyed, key=lambda pair: (-pair[0], pair[1]))]


def run_many(derivations: Sequence[Buildable], progress: Progress = _silent, workers: int | None = None,
             tracker: Tracker | None = None) -> list[Record]:
    """``run`` for several derivations, their claims checked by ``workers`` forked processes.

    An item may be a built Derivation or a function that builds one: the functions are called in turn in
    this process while the claims of the derivations built before are already being checked (a pool
    of workers is forked after each build, so it inherits the claims' closures and SymPy's cache; a
    shared semaphore keeps ``workers`` claims checking at a time). Each derivation's claims are queued
    longest first by the recorded seconds (``claim_costs.json``); a derivation is rendered as soon as
    its last claim is verified. A failing claim raises ClaimFailed for the first failing claim in step
    order, as ``verify`` would. Without fork (or with one worker) this is ``run`` in turn. A Record's
    ``seconds`` is then the sum of its claims' times plus rendering, not wall time.
    """
    global _PENDING, _SLOTS
    workers = default_workers() if workers is None else workers
    tracker = tracker or _NoTracker()
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [run(_built(item), progress, tracker) for item in derivations]
    context = multiprocessing.get_context("fork")
    _SLOTS = context.Semaphore(workers)
    arrived: queue.SimpleQueue = queue.SimpleQueue()
    built: list[Derivation] = []
    located: list[list[tuple[Step, Claim]]] = []
    verdicts: list[dict[int, Verdict]] = []
    records: dict[int, Record] = {}
    rendered_ahead: dict[int, tuple[dict[str, str] | BaseException, float]] = {}
    pools = []

    def settle(block: bool) -> None:
        """Take the verdicts that arrived; render what is complete; raise the first failure in order."""
        while True:
            try:
                outcome = arrived.get(timeout=0.1) if block else arrived.get_nowait()
            except queue.Empty:
                if not block or len(records) == len(derivations):
                    return
                continue
            if isinstance(outcome, BaseException):
                raise outcome
            (position, number), verdict = outcome
            step, claim = located[position][number]
            verdicts[position][number] = verdict
            progress(f"{built[position].name}/{step.id}: checked '{claim.statement}' in {verdict.seconds:.2f}s")
            tracker.advance(built[position].name, claim.statement)
            _raise_first_failure(built, located, verdicts)
            if len(verdicts[position]) == len(located[position]):
                finish(position)
            if block and len(records) == len(derivations):
                return

    def finish(position: int) -> None:
        derivation = built[position]
        tracker.end(derivation.name)
        ordered = tuple((step.id, verdicts[position][number]) for number, (step, _) in enumerate(located[position]))
        if not all(verdict.holds for _, verdict in ordered):
            return  # raised once the claims before the failing one are known
        seconds = sum(verdict.seconds for _, verdict in ordered)
        if position in rendered_ahead:
            files, render_seconds = rendered_ahead.pop(position)
            if isinstance(files, BaseException):
                raise files
            records[position] = Record(derivation, ordered, files, seconds + render_seconds)
            return
        records[position] = _rendered(derivation, ordered, progress, seconds)

    def render_ahead(position: int) -> None:
        """Render while the workers still check: the files depend on each claim's statement and method only,
        and are used only once every claim holds (else the failure is raised and nothing is written)."""
        derivation = built[position]
        progress(f"{derivation.name}: rendering LaTeX and numpy while its claims are checked")
        start = time.perf_counter()
        try:
            files: dict[str, str] | BaseException = _files(derivation, verdicts_if_all_hold(derivation))
        except Exception as error:   # raised in finish(), after the claims, as a render after them would be
            files = error
        rendered_ahead[position] = (files, time.perf_counter() - start)

    try:
        for position, item in enumerate(derivations):
            derivation = _built(item)
            built.append(derivation)
            located.append([(step, claim) for step in derivation.steps for claim in step.claims])
            verdicts.append({})
            tracker.begin(derivation.name, len(located[position]))
            for number, (_, claim) in enumerate(located[position]):
                _PENDING[(position, number)] = claim
            if not located[position]:
                finish(position)
                continue
            pool = context.Pool(min(workers, len(located[position])), initializer=_worker_init,
                                initargs=(os.getpid(),))
            pools.append(pool)
            for number in _longest_first(derivation):
                pool.apply_async(_check_pending, ((position, number),), callback=arrived.put,
                                 error_callback=arrived.put)
            pool.close()
            settle(block=False)
        # Every derivation is built; this process would wait for the workers, so it renders meanwhile.
        for position in range(len(derivations)):
            if position not in records:
                render_ahead(position)
                settle(block=False)
        settle(block=True)
    finally:
        for pool in pools:
            pool.terminate()
        _PENDING, _SLOTS = {}, None
    return [records[position] for position in range(len(derivations))]


def verdicts_if_all_hold(derivation: Derivation) -> tuple[tuple[str, Verdict], ...]:
    """The verdicts of a derivation whose every claim holds (statement and method; no time): what its files show
    once checked, so they can be rendered before or without the checking."""
    return tuple((step.id, Verdict(claim.statement, claim.method, None, 0.0)) for step in derivation.steps
                 for claim in step.claims)


def _first_failure(located: list, verdicts: list[dict[int, Verdict]]) -> tuple[int, int] | None:
    """(position, number) of the first failing claim in step order once every claim before it is known."""
    for position, claims_of in enumerate(located):
        for number in range(len(claims_of)):
            verdict = verdicts[position].get(number)
            if verdict is None:
                return None
            if not verdict.holds:
                return position, number
    return None


def _raise_first_failure(built: list[Derivation], located: list, verdicts: list[dict[int, Verdict]]) -> None:
    failure = _first_failure(located, verdicts)
    if failure is not None:
        position, number = failure
        raise ClaimFailed(built[position], located[position][number][0], verdicts[position][number])


COSTS_FILE = Path(__file__).with_name("claim_costs.json")


def claim_key(step_id: str, statement: str) -> str:
    """The key of a claim in the recorded costs: its step and statement (stable while claims are added)."""
    return f"{step_id}: {statement}"


@functools.cache
def recorded_costs() -> dict[str, dict[str, float]]:
    """derivation -> claim key -> seconds, as recorded by ``record_costs`` (empty when there is no record)."""
    try:
        return json.loads(COSTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


BUILD_KEY = "(build)"   # a derivation's build seconds in the recorded costs, beside its claims'


def build_order(names: Sequence[str]) -> list[str]:
    """The order ``run_many`` should build in: the workers wait for the first build, then check its claims while
    the others build, so first the derivation with the most claim seconds per build second, then the rest by
    decreasing claim seconds (recorded costs; the given order without them)."""
    costs = recorded_costs()
    if not all(BUILD_KEY in costs.get(name, {}) for name in names):
        return list(names)

    def claim_seconds(name: str) -> float:
        return sum(seconds for key, seconds in costs[name].items() if key != BUILD_KEY)

    first = max(names, key=lambda name: claim_seconds(name) / max(costs[name][BUILD_KEY], 0.01))
    rest = list(names)
    rest.remove(first)   # once: a name given twice is built twice, as run_many would
    return [first, *sorted(rest, key=claim_seconds, reverse=True)]


def record_costs(table: dict[str, dict[str, float]], path: Path = COSTS_FILE) -> None:
    """Write derivation -> claim key -> seconds, for ``run_many`` to queue the longest claims first."""
    rounded = {name: {key: round(seconds, 2) for key, seconds in costs.items()} for name, costs in table.items()}
    path.write_text(json.dumps(rounded, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded_costs.cache_clear()


def output_files(records: Sequence[Record]) -> dict[str, str]:
    """Every file of an output folder: each record's files plus what every target needs once."""
    files = package_files(derivations.names())
    for record in records:
        files.update(record.files)
    return files


def output_owners(records: Sequence[Record]) -> dict[str, str]:
    """file name -> the derivation that rendered it (files every target needs once have none)."""
    return {name: record.derivation.name for record in records for name in record.files}
