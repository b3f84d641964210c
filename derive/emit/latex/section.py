"""The LaTeX target: a section per derivation (``<name>.tex``), to ``\\input`` into a paper.

The printer (``derive.emit.latex.printer``) writes expressions and display lines;
``templates/latex/section.tex.j2`` lays out the section.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import jinja2

from derive import __version__
from derive.emit.environment import make_environment
from derive.emit.latex.printer import display_lines, escape_text, latex, wider_than_a_column
from derive.emit.latex.symbols import section_symbols, table_lines
from derive.model import Derivation, Step, Verdict


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return make_environment("latex", {"tex": escape_text, "display": display_lines})


def _claims_by_step(verdicts: tuple[tuple[str, Verdict], ...]) -> dict[str, list[Verdict]]:
    grouped: dict[str, list[Verdict]] = {}
    for step_id, verdict in verdicts:
        grouped.setdefault(step_id, []).append(verdict)
    return grouped


def _claim_entries(step: Step, verdicts: list[Verdict]) -> list[dict[str, object]]:
    """Each verdict with the display lines of its claim's formula (none when the claim states no formula).

    The verdicts of a step arrive in the order of ``step.claims`` (the pipeline checks them in turn)."""
    formulas = [claim.formula for claim in step.claims] if len(step.claims) == len(verdicts) else [None] * len(verdicts)
    entries = []
    for verdict, formula in zip(verdicts, formulas, strict=True):
        lines = display_lines(formula) if formula is not None else []
        entries.append({"verdict": verdict, "lines": lines, "wide": wider_than_a_column(lines)})
    return entries


def render_latex_section(
    derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...], source_hash: str
) -> str:
    claims = _claims_by_step(verdicts)
    steps = []
    for step in derivation.steps:
        lines = display_lines(step.result)
        printed = display_lines(step.printed) if step.printed is not None else []
        # a display still wider than a column of a two-column paper spans both (revtex's widetext)
        steps.append({"step": step, "latex": latex(step.result), "lines": lines, "wide": wider_than_a_column(lines),
                      "claims": _claim_entries(step, claims.get(step.id, [])), "printed": printed,
                      "printed_wide": wider_than_a_column(printed)})
    symbols = table_lines(tuple(entry for entry in section_symbols(derivation) if not entry.spells_structure))
    return environment().get_template("section.tex.j2").render(
        derivation=derivation, steps=steps, version=__version__, input_hash=source_hash, symbols=symbols
    )



class LatexTarget:
    """``<name>.tex`` per derivation."""

    name = "latex"

    def render(self, derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...], input_hash: str) -> dict[str, str]:
        return {f"{derivation.name}.tex": render_latex_section(derivation, verdicts, input_hash)}

    def package_files(self, names: Sequence[str]) -> dict[str, str]:
        return {}


TARGET = LatexTarget()
