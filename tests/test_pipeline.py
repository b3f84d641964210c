"""Pipeline invariants: what a Step, a Derivation and a run refuse or record."""
from __future__ import annotations

import pytest
import sympy

from derive import claims, derivations
from derive.pipeline import ClaimFailed, Derivation, Step, run, verify
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


def test_random_point_claims_prove_identities_and_catch_false_ones() -> None:
    a, b = sympy.symbols("a b", positive=True)
    identity = claims.equal_at_random_points(
        "log(ab) = log a + log b", sympy.log(a * b), sympy.log(a) + sympy.log(b), (a, b)
    )
    assert identity.check().holds and identity.method.startswith("exact rational evaluation at 6")
    wrong = claims.equal_at_random_points("(a + b)^2 = a^2 + b^2", (a + b) ** 2, a**2 + b**2, (a, b))
    verdict = wrong.check()
    assert not verdict.holds and "residual" in verdict.residual
