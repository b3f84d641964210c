"""Pipeline invariants: what a Step, a Derivation and a run refuse or record."""
from __future__ import annotations

import pytest
import sympy

from derive import derivations
from derive.engines import claims
from derive.model import ClaimFailed, Derivation, Step
from derive.pipeline import default_workers, run, run_many, verify
from tiny_derivations import build as build_tiny

x = sympy.Symbol("x")


def test_a_result_that_sympy_evaluated_to_a_boolean_is_refused() -> None:
    with pytest.raises(ValueError, match="evaluate=False"):
        Step(id="s", title="t", paper="", equation="", result=sympy.Eq(x, x))


def test_duplicate_step_ids_are_refused() -> None:
    step = Step(id="s", title="t", paper="", equation="", result=sympy.Eq(x, 1))
    with pytest.raises(ValueError, match="duplicate step ids"):
        Derivation(name="d", title="t", paper="", steps=(step, step))


def test_a_failing_claim_names_derivation_step_equation_and_residual() -> None:
    with pytest.raises(ClaimFailed) as failure:
        verify(build_tiny(scale=3, broken=True))
    message = str(failure.value)
    assert message.startswith("step broken/identity (granular paper Eq. (99)): claim 'sin^2 + cos^2 = 1' failed")
    assert "residual = y" in message


def test_claims_are_lazy_until_verified() -> None:
    calls = []
    claim = claims.holds("counted", lambda: calls.append(1), "a counter")
    Step(id="s", title="t", paper="", equation="", result=sympy.Eq(x, 1), claims=(claim,))
    assert calls == []
    assert claim.check().holds and calls == [1]


def test_a_run_records_verdicts_and_rendered_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})
    record = run(build_tiny(scale=2))
    assert [step_id for step_id, _ in record.verdicts] == ["identity"]
    assert record.verdicts[0][1].method == "symbolic: the difference simplifies to zero"
    assert sorted(record.files) == ["tiny.py", "tiny.tex"]


def _counting_derivation(name: str, count: int, fail_at: int | None = None) -> Derivation:
    steps = tuple(
        Step(id=f"s{k}", title="t", paper="", equation="", result=sympy.Eq(x, k),
             claims=(claims.equal(f"{name} claim {k}", x + k, x + k + (1 if k == fail_at else 0)),))
        for k in range(count))
    return Derivation(name=name, title="t", paper="", steps=steps)


def test_parallel_run_gives_the_serial_verdicts_and_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})
    built = [build_tiny(scale=2), build_tiny(scale=5)]          # the same name twice: kept apart
    serial = run_many(built, workers=1)
    parallel = run_many(built, workers=2)
    for one, other in zip(serial, parallel, strict=True):
        assert [(step, v.statement, v.residual) for step, v in one.verdicts] == \
            [(step, v.statement, v.residual) for step, v in other.verdicts]
        assert one.files == other.files
    assert [record.derivation for record in parallel] == built
    assert parallel[0].files["tiny.tex"] != parallel[1].files["tiny.tex"]


def test_parallel_run_raises_at_the_first_failing_claim_in_order() -> None:
    built = [_counting_derivation("first", 5, fail_at=3), _counting_derivation("second", 5, fail_at=1)]
    with pytest.raises(ClaimFailed, match="step first/s3"):
        run_many(built, workers=2)


def test_worker_count_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERIVE_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("DERIVE_WORKERS", "zero")
    with pytest.raises(ValueError, match="DERIVE_WORKERS must be a positive integer"):
        default_workers()


def test_random_point_claims_prove_identities_and_catch_false_ones() -> None:
    a, b = sympy.symbols("a b", positive=True)
    identity = claims.equal_at_random_points(
        "log(ab) = log a + log b", sympy.log(a * b), sympy.log(a) + sympy.log(b), (a, b)
    )
    assert identity.check().holds and identity.method.startswith("exact rational evaluation at 6")
    wrong = claims.equal_at_random_points("(a + b)^2 = a^2 + b^2", (a + b) ** 2, a**2 + b**2, (a, b))
    verdict = wrong.check()
    assert not verdict.holds and "residual" in verdict.residual


def _pausing_claims(name: str, count: int) -> Derivation:
    """Claims that hold after a short pause (so that a run is still checking them when the next build starts)."""
    import time

    def pause() -> None:
        time.sleep(0.01)
        return None

    steps = tuple(
        Step(id=f"s{k}", title="t", paper="", equation="", result=sympy.Eq(x, k),
             claims=(claims.holds(f"{name} claim {k}", pause, "a pause"),))
        for k in range(count))
    return Derivation(name=name, title="t", paper="", steps=steps)


def test_builders_are_called_in_turn_while_earlier_claims_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})
    built = []

    def builder(scale: int):
        def build() -> Derivation:
            built.append(scale)
            return build_tiny(scale=scale)
        return build

    lazily = run_many([builder(2), builder(5)], workers=2)
    assert built == [2, 5]
    eagerly = run_many([build_tiny(scale=2), build_tiny(scale=5)], workers=1)
    for one, other in zip(lazily, eagerly, strict=True):
        assert one.files == other.files
        assert [(step, v.statement, v.residual) for step, v in one.verdicts] == \
            [(step, v.statement, v.residual) for step, v in other.verdicts]


def test_a_failure_in_a_later_derivation_waits_for_the_earlier_claims() -> None:
    built = [lambda: _counting_derivation("first", 6, fail_at=4), lambda: _counting_derivation("second", 3, fail_at=0)]
    with pytest.raises(ClaimFailed, match="step first/s4"):
        run_many(built, workers=2)


def test_a_build_error_stops_the_run() -> None:
    def broken() -> Derivation:
        raise RuntimeError("no such derivation")

    with pytest.raises(RuntimeError, match="no such derivation"):
        run_many([lambda: _pausing_claims("first", 3), broken], workers=2)


def test_recorded_costs_put_the_most_expensive_claims_first(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import derive.pipeline as pipeline

    derivation = _pausing_claims("costly", 4)
    costs = {"costly": {pipeline.claim_key("s2", "costly claim 2"): 3.0, pipeline.claim_key("s0", "costly claim 0"): 1.0}}
    path = tmp_path / "costs.json"
    pipeline.record_costs(costs, path)
    monkeypatch.setattr(pipeline, "COSTS_FILE", path)
    pipeline.recorded_costs.cache_clear()
    try:
        assert pipeline._longest_first(derivation) == [2, 0, 1, 3]   # unknown claims after, in step order
    finally:
        pipeline.recorded_costs.cache_clear()


def test_files_rendered_while_claims_are_checked_wait_for_the_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent renders while the workers check; a render error surfaces only after the claims, so a failing
    claim is still what is reported, and a render error of a derivation whose claims hold is raised."""
    import derive.pipeline as pipeline

    def broken_render(derivation, verdicts):
        raise RuntimeError(f"cannot render {derivation.name}")

    monkeypatch.setattr(pipeline, "_files", broken_render)
    with pytest.raises(ClaimFailed, match="step first/s3"):
        run_many([_counting_derivation("first", 5, fail_at=3), _counting_derivation("second", 3)], workers=2)
    with pytest.raises(RuntimeError, match="cannot render first"):
        run_many([_counting_derivation("first", 5), _counting_derivation("second", 3)], workers=2)


def test_build_order_starts_with_the_most_claim_work_per_build_second(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import derive.pipeline as pipeline

    costs = {"slow-build": {pipeline.BUILD_KEY: 3.0, "a: x": 10.0},
             "fast-build": {pipeline.BUILD_KEY: 0.5, "a: x": 8.0},
             "little": {pipeline.BUILD_KEY: 0.5, "a: x": 1.0}}
    path = tmp_path / "costs.json"
    pipeline.record_costs(costs, path)
    monkeypatch.setattr(pipeline, "COSTS_FILE", path)
    pipeline.recorded_costs.cache_clear()
    try:
        assert pipeline.build_order(["little", "slow-build", "fast-build"]) == ["fast-build", "slow-build", "little"]
        assert pipeline.build_order(["little", "unrecorded"]) == ["little", "unrecorded"]   # no record: as given
        assert sorted(pipeline.build_order(["little", "fast-build", "little"])) == ["fast-build", "little", "little"]
    finally:
        pipeline.recorded_costs.cache_clear()
