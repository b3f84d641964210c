"""Every displayed equation and claim formula of the appendix reads back, by derive.latex.parse, as the
object it was printed from; a mismatch fails `derive appendix` (ClaimFailed), a listed defect is named.

Data-driven over all registered derivations; prints the read-back line and the equations whose
structure hides in a symbol's name (read back trivially, listed for the derivations to fix).
"""
from __future__ import annotations

import functools

import pytest
import sympy

from derive import derivations
from derive.emit.latex.roundtrip import (
    KNOWN_DEFECTS,
    RoundTripError,
    hidden_structure,
    read_back,
    read_back_records,
    round_trip,
)
from derive.engines.claims import equal
from derive.engines.trln import Tr
from derive.model import ClaimFailed, Derivation, Record, Step


@functools.lru_cache(maxsize=1)
def all_records() -> tuple[Record, ...]:
    return tuple(Record(derivations.build(name), (), {}, 0.0) for name in derivations.names())


def test_every_displayed_equation_and_claim_formula_reads_back() -> None:
    report = read_back_records(all_records())
    print("\n" + report.summary())
    # each step's display, and the paper's printed form where a step shows it beside the derived one
    steps = sum(len(record.derivation.steps) + sum(s.printed is not None for s in record.derivation.steps) for record in all_records())
    assert report.equation_count == steps
    assert len(report.equations) + len(report.defects) == steps
    assert report.claim_count == sum(len(step.claims) for record in all_records() for step in record.derivation.steps)
    assert len(report.claims) == report.claim_count and report.unstated == ()   # every claim states a formula
    assert all(trip.how for trip in report.equations)


def test_known_defects_are_still_defects() -> None:
    """The list must not outlive its entries: a fixed step has to leave KNOWN_DEFECTS."""
    steps = {f"{r.derivation.name}/{s.id}": (r.derivation, s) for r in all_records() for s in r.derivation.steps}
    for key in KNOWN_DEFECTS:
        if key in steps:
            with pytest.raises(RoundTripError):
                round_trip(*steps[key])


def _tiny(result: sympy.Basic, *claims) -> Record:
    step = Step("tiny-step", "A tiny step", "", "", result, claims=tuple(claims))
    return Record(Derivation(name="tiny", title="Tiny", paper="", steps=(step,)), (), {}, 0.0)


def test_a_claim_formula_is_read_back_and_counted() -> None:
    x = sympy.Symbol("x", positive=True)
    Q, L = sympy.symbols(r"Q \Lambda", commutative=False)
    claim = equal("the trace is cyclic", Tr(Q, L), Tr(L, Q), formula=sympy.Eq(Tr(Q, L), Tr(L, Q), evaluate=False))
    report = read_back_records([_tiny(sympy.Eq(sympy.Symbol("F"), x ** 2 / 2, evaluate=False), claim)])
    assert report.summary().startswith("read back: 1/1 equations, 1/1 claims")


def test_a_display_that_reads_back_differently_fails_the_appendix(monkeypatch) -> None:
    """A printer rule that loses the operator order is caught: the check is not 'it parsed'."""
    from derive.emit.latex import printer

    Q, L = sympy.symbols(r"Q \Lambda", commutative=False)
    record = _tiny(sympy.Eq(sympy.Symbol("F"), Tr(Q, L), evaluate=False))
    read_back_records([record])
    monkeypatch.setattr(printer.LatexPrinter, "trace_word", lambda self, expr: " ".join(self._print(f) for f in reversed(expr.args)))
    with pytest.raises(ClaimFailed, match="tiny/tiny-step.*read back as"):
        read_back_records([record])


def test_a_swapped_product_is_a_mismatch() -> None:
    Q, L = sympy.symbols(r"Q \Lambda", commutative=False)
    read_back("ok", Q * L + L)
    from derive.emit.latex.roundtrip import comparison
    from derive.latex import latex, parse

    assert comparison(parse(latex(L * Q), [Q, L]), Q * L) is None
    assert comparison(parse(latex(Tr(L, Q, Q)), [Q, L]), Tr(Q, L, Q)) is None
    assert comparison(parse(latex(Tr(Q, L, Q)), [Q, L]), Tr(Q, L, Q)) == "structurally"


def test_structure_hidden_in_a_name_is_reported() -> None:
    hidden = sympy.Symbol(r"\operatorname{Tr}\left[Q\right]")
    assert hidden_structure(sympy.Eq(hidden, 1, evaluate=False)) == (r"\operatorname{Tr}\left[Q\right]",)
    assert hidden_structure(sympy.Symbol(r"\hat{\chi}_{ll'}") + sympy.Symbol("V^0_{l}")) == ()
    trip = read_back("named", sympy.Eq(hidden, 1, evaluate=False))
    assert not trip.complete


def test_a_name_with_two_meanings_in_one_section_is_reported() -> None:
    from derive.emit.latex.roundtrip import symbols_printed_alike

    e_vector, e_charge = sympy.Symbol("e", commutative=False), sympy.Symbol("e", positive=True)
    record = _tiny(sympy.Eq(sympy.Symbol("F"), e_charge ** 2, evaluate=False))
    steps = (*record.derivation.steps, Step("other", "Other", "", "", sympy.Eq(sympy.Symbol("G"), e_vector, evaluate=False)))
    two = Derivation(name="tiny", title="Tiny", paper="", steps=steps)
    assert symbols_printed_alike(two) == {"e": 2}
    assert "names meaning two things in one section: tiny: e (2 objects)" in read_back_records([Record(two, (), {}, 0.0)]).summary()
