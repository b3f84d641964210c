"""The continuum derivation: its claims hold, fail when they should, run fast; the CLI prints γ."""
from __future__ import annotations

import dataclasses
import time

import pytest
import sympy

from derive.cli import main
from derive.derivations import continuum as derivation
from derive.engines import gradient_expansion as cn
from derive.engines.lattices import NAMED_LATTICES
from derive.pipeline import verify


def test_every_claim_holds_within_the_time_budget():
    start = time.process_time()  # CPU time: wall time on a shared machine measures the other jobs too
    verdicts = verify(derivation.build())
    assert time.process_time() - start < 30
    assert len(verdicts) >= 40 and all(v.holds for _, v in verdicts)


def test_build_rejects_an_unknown_lattice_naming_the_known_ones():
    with pytest.raises(ValueError, match="triangular"):
        derivation.build(lattice="kagome")
    with pytest.raises(ValueError, match="bcc"):
        derivation.OPTIONS["lattice"].parse("hexagonal")


@pytest.mark.parametrize("name", sorted(NAMED_LATTICES))
def test_describe_prints_gamma_of_each_lattice(name):
    text = derivation.describe(name)
    assert name in text and "gamma" in text and "pi" in text


def test_cli_run_with_lattice_prints_gamma(tmp_path, capsys):
    assert main(["-q", "run", "continuum", "--lattice", "triangular", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "3*a**2/(8*pi)" in printed and (tmp_path / "continuum.py").exists()
    assert main(["-q", "run", "continuum", "--lattice", "kagome", "--out", str(tmp_path)]) == 2


def test_the_printed_sign_of_the_covariant_derivative_fails_the_jet_check():
    """∂̃Q = ∂Q − i[∂χ̂, Q] (Eq. 15 as printed) does not reproduce the expansion of Eq. (11b) as printed."""
    printed_sign = cn.add(cn.letter("Q1"), cn.scale(cn.commutator(cn.letter("X1"), cn.letter("Q0")), -sympy.I))
    traces = cn.scale(cn.trace(cn.mul(printed_sign, printed_sign)), sympy.Rational(-1, 2))
    direct = cn.tunneling_trace_series(2)[2]
    jet = cn.exact_jet(5, size=4, order=2)
    assert sympy.expand(cn.evaluate_on_jet(direct, jet) - cn.evaluate_on_jet(traces, jet)) != 0
    correct = cn.covariant_trace_series(2)[2]
    assert sympy.expand(cn.evaluate_on_jet(direct, jet) - cn.evaluate_on_jet(correct, jet)) == 0


def test_integration_by_parts_certificate_is_checked_not_trusted():
    series = cn.difference_square_series(4)[4]
    reduced, certificate = cn.integrate_by_parts(series)
    assert cn.add(series, cn.scale(reduced, -1), cn.scale(cn.trace_derivative(certificate), -1)) == {}
    wrong = cn.add(reduced, {("R2", "R2"): sympy.Rational(1, 100)})
    assert cn.add(series, cn.scale(wrong, -1), cn.scale(cn.trace_derivative(certificate), -1)) != {}


def test_trace_canonical_form_and_phase_cancellation():
    assert cn.trace_key(("Q1", "Q0")) == cn.trace_key(("Q0", "Q1"))
    assert cn.trace(cn.mul(cn.letter("E"), cn.letter("Q0"), cn.letter("F"))) == {("Q0",): 1}
    assert cn.normal_word(("X2", "E", "X1", "F", "Q0")) == ("X1", "X2", "Q0")
    with pytest.raises(ValueError):
        cn.differentiate(cn.letter("Z0"))


def test_exact_jets_satisfy_q_squared_to_every_order():
    jet = cn.exact_jet(9, size=4, order=4)
    for order in range(5):
        total = sympy.zeros(4)
        for k in range(order + 1):
            total += sympy.binomial(order, k) * (jet[f"Q{k}"] * jet[f"Q{order - k}"]).to_Matrix()
        assert total.applyfunc(sympy.expand) == (sympy.eye(4) if order == 0 else sympy.zeros(4))


def test_ordered_pair_counting_fails_the_derivation(monkeypatch):
    """With Σ_{ll'} over ordered pairs (γ doubled) the matching and Einstein claims must fail."""
    from derive.derivations.continuum import eq15_contact_counting
    from derive.engines.lattices import diffusion_tensor as contacts_once
    from derive.model import ClaimFailed, Derivation

    monkeypatch.setattr(eq15_contact_counting, "diffusion_tensor", lambda name: contacts_once(name, counting="ordered"))
    # alone in a derivation, the step cannot build on the earlier ones
    step = dataclasses.replace(eq15_contact_counting.eq15_contact_counting(), builds_on=())
    broken = Derivation(name="continuum", title="t", paper="granular", steps=(step,))
    with pytest.raises(ClaimFailed, match="contact-counting"):
        verify(broken)
