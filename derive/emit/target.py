"""The interface every output target implements, and the registry of targets.

A target turns a verified derivation into named files: ``render(derivation, verdicts, input_hash)``
returns ``{file name: text}``, and ``package_files(names)`` the files the output folder needs once for
all derivations (the numpy target's ``__init__.py``). Adding a target is one folder under ``emit/`` plus
one line in ``TARGETS``.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol

from derive.model import Derivation, Verdict

Verdicts = tuple[tuple[str, Verdict], ...]


class Target(Protocol):
    name: str

    def render(self, derivation: Derivation, verdicts: Verdicts, input_hash: str) -> dict[str, str]:
        """{file name: text} for one derivation."""

    def package_files(self, names: Sequence[str]) -> dict[str, str]:
        """{file name: text} the output folder needs once for the given derivations."""


# target name -> "module:attribute" of its Target instance (imported when first used)
TARGETS: dict[str, str] = {
    "numpy": "derive.emit.numpy:TARGET",
    "latex": "derive.emit.latex:TARGET",
}


def target(name: str) -> Target:
    """The registered target of that name."""
    if name not in TARGETS:
        raise ValueError(f"unknown target {name!r}; known targets: {', '.join(TARGETS)}")
    module, attribute = TARGETS[name].split(":")
    return getattr(importlib.import_module(module), attribute)


def render_derivation(derivation: Derivation, verdicts: Verdicts, input_hash: str) -> dict[str, str]:
    """{file name: text} of one derivation, over every target."""
    files: dict[str, str] = {}
    for name in TARGETS:
        files.update(target(name).render(derivation, verdicts, input_hash))
    return files


def package_files(names: Sequence[str]) -> dict[str, str]:
    """The files every target needs once in the output folder."""
    files: dict[str, str] = {}
    for name in TARGETS:
        files.update(target(name).package_files(names))
    return files
