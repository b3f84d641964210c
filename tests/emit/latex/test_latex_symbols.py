"""The table of symbols of each section, and the printed names that mean two objects in one section.

``names_with_two_meanings`` finds them; none is allowed in any section (the allow-list that shrank to empty
on 2026-12-06 is gone).
"""
from __future__ import annotations

import pytest
import sympy

from derive.derivations import build
from derive.emit.latex.section import render_latex_section
from derive.emit.latex.symbols import describe, names_with_two_meanings, section_symbols
from derive.model import Derivation, Step


@pytest.mark.parametrize("name", ["moyal", "granular", "continuum", "bosonization"])
def test_no_printed_name_means_two_things_in_a_section(name: str) -> None:
    found = names_with_two_meanings(build(name))
    assert not found, f"{name}: names meaning two things in one section: {found}"


def _toy(*results: sympy.Basic, meanings: dict[str, str] | None = None) -> Derivation:
    steps = tuple(Step(id=f"s{i}", title="t", paper="granular", equation="(1)", result=r) for i, r in enumerate(results))
    return Derivation("toy", "Toy", "granular", steps, meanings=meanings or {})


def test_the_table_describes_kind_and_assumptions_and_meaning() -> None:
    T, n = sympy.Symbol("T", positive=True), sympy.Symbol("n", integer=True, nonnegative=True)
    W = sympy.Symbol("W", commutative=False)
    M = sympy.MatrixSymbol("M", n, n)
    f = sympy.Function("f")
    entries = {e.latex: e for e in section_symbols(_toy(sympy.Eq(f(T, n), T * W * sympy.Trace(M)), meanings={"T": "temperature"}))}
    assert entries["T"].kinds == ("positive",) and entries["T"].meaning == "temperature"
    assert entries["n"].kinds == ("nonnegative integer",)
    assert entries["W"].kinds == ("noncommutative",)
    assert entries["M"].kinds == (r"$n \times n$ matrix",)
    assert entries["f"].kinds == ("function of 2 arguments",)
    assert describe(sympy.Symbol("x", real=True)) == "real" and describe(sympy.Symbol("x")) == "commutative, no assumptions"


def test_two_objects_printed_alike_are_found_and_shown() -> None:
    x_real, x_plain = sympy.Symbol("x", real=True), sympy.Symbol("x")
    toy = _toy(sympy.Eq(x_real, 1), sympy.Eq(x_plain, 2))
    assert names_with_two_meanings(toy) == {"x": ("real", "commutative, no assumptions")}
    tex = render_latex_section(toy, (), "hash")
    assert r"\subsection*{Symbols of this section}" in tex
    assert r"\noindent $x$: 2 objects (real; commutative, no assumptions)." in tex


def test_a_name_that_spells_structure_is_not_a_table_entry() -> None:
    tex = render_latex_section(_toy(sympy.Eq(sympy.Symbol(r"\operatorname{Tr}[Q]"), sympy.Symbol("y"))), (), "hash")
    table = tex.split("Symbols of this section")[1]
    assert "$y$" in table and "operatorname" not in table
