r"""Steps refer to the steps they build on with \eqref, and show the paper's printed form where it differs.

``Step.builds_on`` (ids of earlier steps, also declared in a derivation's outline) is validated when the
outline and the derivation are built: an unknown or later id is a ValueError naming it. ``Step.printed``
with ``Step.erratum`` is typeset under the derived equation and read back like every display.
"""
from __future__ import annotations

import re

import pytest
import sympy

from derive.emit.latex.roundtrip import read_back_records
from derive.emit.latex.section import render_latex_section
from derive.model import Derivation, Outline, Record, Step, StepOutline

x = sympy.Symbol("x")


def _step(step_id: str, result: sympy.Basic = x, **fields: object) -> Step:
    return Step(id=step_id, title=f"step {step_id}", paper="granular", equation="(1)", result=result, **fields)


def test_an_unknown_or_later_step_is_an_error_at_build_time() -> None:
    with pytest.raises(ValueError, match="'b': builds_on names 'nowhere', which is no step"):
        Derivation("toy", "Toy", "granular", (_step("a"), _step("b", builds_on=("nowhere",))))
    with pytest.raises(ValueError, match="'a': builds_on names 'b', which is a later step"):
        Derivation("toy", "Toy", "granular", (_step("a", builds_on=("b",)), _step("b")))
    with pytest.raises(TypeError, match="tuple of step ids"):
        Derivation("toy", "Toy", "granular", (_step("a"), _step("b", builds_on="a")))
    with pytest.raises(ValueError, match="which is no step"):
        Outline("toy", "Toy", "granular", (StepOutline("a", "(1)", "A", builds_on=("c",)),))


def test_the_outline_passes_builds_on_to_the_step() -> None:
    outline = Outline("toy", "Toy", "granular", (StepOutline("a", "(1)", "A"), StepOutline("b", "(2)", "B", builds_on=("a",))))
    assert Step(**outline.header("b"), result=x).builds_on == ("a",)


def test_the_section_labels_every_step_and_refers_back_with_eqref() -> None:
    derivation = Derivation("toy", "Toy", "granular", (
        _step("first"), _step("second", builds_on=("first",)), _step("third", builds_on=("first", "second"))))
    tex = render_latex_section(derivation, (), "hash")
    assert re.findall(r"\\label\{(derive:toy:[a-z]+)\}", tex) == ["derive:toy:first", "derive:toy:second", "derive:toy:third"]
    assert r"This step builds on \eqref{derive:toy:first}." in tex
    assert r"This step builds on \eqref{derive:toy:first} and \eqref{derive:toy:second}." in tex


def test_printed_form_needs_an_erratum_and_is_typeset_and_read_back() -> None:
    n, q, E_C, delta = sympy.symbols(r"n q E_{C} \delta", real=True)
    derived = sympy.Eq(sympy.Symbol("E"), (E_C - delta / 4) * (n - q) ** 2 + delta * n ** 2 / 4, evaluate=False)
    printed = sympy.Eq(sympy.Symbol("E"), E_C * (n - q) ** 2 + delta * n ** 2 / 4, evaluate=False)
    with pytest.raises(ValueError, match="printed and erratum go together"):
        _step("charging", derived, printed=printed)
    with pytest.raises(ValueError, match="printed and erratum go together"):
        _step("charging", derived, erratum="the notes, difference 5")
    step = _step("charging", derived, printed=printed, erratum="the notes on the granular paper, difference 5")
    derivation = Derivation("toy", "Toy", "granular", (step,))
    tex = render_latex_section(derivation, (), "hash")
    assert "Printed in the paper; it differs (see the notes on the granular paper, difference 5):" in tex
    assert r"E_{C} \left(n - q\right)^{2}" in tex.split("Printed in the paper")[1]
    report = read_back_records([Record(derivation, (), {}, 0.0)])
    assert [trip.key for trip in report.equations] == ["toy/charging", "toy/charging/printed"]
    assert report.equation_count == 2
