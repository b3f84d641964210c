"""The outline of a derivation: its name, title, paper and steps (id, equation, title) as plain data.

Each derivation package declares its ``OUTLINE`` at the top of its ``__init__`` and imports its step
modules only when it builds, so ``derive list`` reads the outline without building anything. A step
function takes its header from the outline (``Step(**OUTLINE.header("eq7-tunneling"), result=...)``),
so the id, title and equation are written once, and ``Outline.check`` refuses a built derivation whose
steps are not the outline's, in its order.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepOutline:
    """One step as ``derive list`` shows it: the id (its ``\\label``), the paper equation and the title.

    ``builds_on`` names the earlier steps whose result this one takes up (the section refers to their
    equations with ``\\eqref``)."""

    id: str
    equation: str
    title: str
    builds_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outline:
    """A derivation's table of contents, in paper order."""

    name: str
    title: str
    paper: str
    steps: tuple[StepOutline, ...]

    def __post_init__(self) -> None:
        ids = [step.id for step in self.steps]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"outline {self.name!r}: duplicate step ids {duplicated}")
        check_builds_on(self.name, [(step.id, step.builds_on) for step in self.steps])

    def entry(self, step_id: str) -> StepOutline:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"outline {self.name!r} has no step {step_id!r}")

    def header(self, step_id: str) -> dict[str, object]:
        """The keyword arguments ``id``, ``title``, ``paper``, ``equation``, ``builds_on`` of that step's ``Step``."""
        step = self.entry(step_id)
        return {"id": step.id, "title": step.title, "paper": self.paper, "equation": step.equation, "builds_on": step.builds_on}

    def check(self, built_ids: list[str]) -> None:
        """A ValueError unless the built steps are exactly the outline's, in its order."""
        expected = [step.id for step in self.steps]
        if built_ids != expected:
            raise ValueError(f"derivation {self.name!r}: built steps {built_ids} are not its outline {expected}")


def check_builds_on(name: str, steps: list[tuple[str, tuple[str, ...]]]) -> None:
    """A ValueError naming the step and the id unless every ``builds_on`` id is an earlier step's."""
    seen: list[str] = []
    for step_id, builds_on in steps:
        if isinstance(builds_on, str):
            raise TypeError(f"{name!r}, step {step_id!r}: builds_on must be a tuple of step ids, not the string {builds_on!r}")
        for earlier in builds_on:
            if earlier not in seen:
                where = "a later step" if any(earlier == other for other, _ in steps) else "no step"
                raise ValueError(f"{name!r}, step {step_id!r}: builds_on names {earlier!r}, which is {where} of {name!r}")
        seen.append(step_id)
