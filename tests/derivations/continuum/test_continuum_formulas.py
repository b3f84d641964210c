"""The continuum section states mathematics: every claim has a formula, every display and formula is built
from SymPy structure (no Symbol named like a trace or a derivative), reads back, and each name means one thing;
the formulas of the direct expansion and of the lattice-factor bounds are what their checks evaluate."""
from __future__ import annotations

import pytest
import sympy

from derive.derivations import continuum
from derive.derivations.continuum.beyond_eq15_soliton_scale import _bound
from derive.derivations.continuum.eq11b_direct_expansion import _series_by_order
from derive.derivations.continuum.notation import nc
from derive.emit.latex.roundtrip import read_back
from derive.emit.latex.symbols import names_with_two_meanings
from derive.engines import gradient_expansion as cn
from derive.engines.trln import Tr


@pytest.fixture(scope="module")
def derivation():
    return continuum.build()


def test_every_claim_has_a_formula(derivation):
    missing = [(step.id, claim.statement) for step in derivation.steps for claim in step.claims if claim.formula is None]
    assert not missing


def test_every_display_and_formula_reads_back_with_its_structure(derivation):
    for step in derivation.steps:
        formulas = [("result", step.result), ("printed", step.printed)] + [(f"claim {i + 1}", c.formula) for i, c in enumerate(step.claims)]
        for key, formula in formulas:
            if formula is None:
                continue
            trip = read_back(f"{step.id}/{key}", formula)
            assert trip.complete, f"{step.id}/{key}: structure hidden in {trip.hidden}"


def test_each_printed_name_means_one_thing(derivation):
    assert names_with_two_meanings(derivation) == {}


def test_the_direct_expansion_is_checked_from_the_displayed_series(derivation):
    step = derivation.step("direct-expansion")
    series = step.result.rhs
    direct = cn.tunneling_trace_series(4)
    jet = cn.exact_jet(2, size=4, order=4)

    def residuals(rhs):
        expected = _series_by_order(rhs, jet)
        return [sympy.expand(cn.evaluate_on_jet(direct[k], jet) - expected.get(k, 0)) for k in range(5)]

    assert residuals(series) == [0] * 5
    R1, R2 = nc["R1"], nc["R2"]
    wrong = series + sympy.Rational(1, 100) * Tr(R2, R2)     # the e^4 coefficient of Tr[(d^2 R)^2] off by 1/100
    assert [r != 0 for r in residuals(wrong)] == [False, False, False, False, True]
    with pytest.raises(ValueError, match="not a number times a trace"):
        _series_by_order(series + R1, jet)


def test_a_false_lattice_factor_bound_fails():
    assert _bound("true", sympy.Lt(sympy.sqrt(2) / (2 * sympy.sqrt(sympy.pi)), 1, evaluate=False)).check().holds
    assert not _bound("false", sympy.Gt(sympy.sqrt(2) / (2 * sympy.sqrt(sympy.pi)), 1, evaluate=False)).check().holds
