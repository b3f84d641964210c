"""The registry of derivations: name -> module that builds it.

Each module declares ``OUTLINE`` (an ``Outline``: name, title, steps as plain data) and may declare
``OPTIONS`` (option name -> ``Option``) at the top of its ``__init__``, and defines
``build(**options) -> Derivation``, importing its step modules only inside ``build`` so that
``derive list`` reads the outline without building. The built-in derivations are ``MODULES``; other
installed packages add theirs through the entry-point group ``derive.derivations`` (name = "module").
Modules are imported only when their derivation is asked for.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records import SymPy; the registry must stay cheap for `derive list` and `--help`
    from derive.model import Derivation, Outline

ENTRY_POINT_GROUP = "derive.derivations"

# Paper order: the Moyal engine first (bosonization Eq. 7), then the granular paper, then bosonization.
MODULES: dict[str, str] = {
    "moyal": "derive.derivations.moyal",
    "granular": "derive.derivations.granular",
    "continuum": "derive.derivations.continuum",
    "bosonization": "derive.derivations.bosonization",
}


@dataclass(frozen=True)
class Option:
    """A command-line option a derivation accepts (``derive run NAME --flag VALUE``)."""

    flag: str
    help: str
    parse: Callable[[str], object]


def plugin_modules() -> dict[str, str]:
    """Derivations of other installed packages: entry points of the group ``derive.derivations``.

    A plugin cannot replace a built-in derivation: a name in ``MODULES`` is skipped here.
    """
    return {name: module for name, module in _entry_points(tuple(sys.path)) if name not in MODULES}


@lru_cache(maxsize=8)
def _entry_points(search_path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # scanning every installed distribution costs ~15 ms; the answer changes only with sys.path (or an install)
    found: dict[str, str] = {}
    for entry_point in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        found.setdefault(entry_point.name, entry_point.module)
    return tuple(found.items())


def registry() -> dict[str, str]:
    """Every known derivation, name -> module: the built-in ones in paper order, then the plugins by name."""
    return {**MODULES, **plugin_modules()}


def names() -> list[str]:
    """The names ``derive run`` accepts, in the order ``derive all`` runs them."""
    return list(registry())


def module_name(name: str) -> str:
    """The module that builds the named derivation; a ValueError listing the known ones otherwise."""
    known = registry()
    if name not in known:
        raise ValueError(f"unknown derivation {name!r}; known derivations: {', '.join(known)}")
    return known[name]


def module(name: str):
    """The imported module of the named derivation."""
    return importlib.import_module(module_name(name))


def options(name: str) -> dict[str, Option]:
    """The command-line options the named derivation takes (imports its module, not its steps)."""
    return dict(getattr(module(name), "OPTIONS", {}))


def outline(name: str) -> Outline:
    """The named derivation's outline: its ``OUTLINE`` when declared, else read off a build (slow)."""
    declared = getattr(module(name), "OUTLINE", None)
    if declared is not None:
        return declared
    from derive.model import Outline, StepOutline

    built = build(name)
    steps = tuple(StepOutline(id=step.id, equation=step.equation, title=step.title) for step in built.steps)
    return Outline(name=built.name, title=built.title, paper=built.paper, steps=steps)


def build(name: str, **option_values: object) -> Derivation:
    """Build the named derivation; an option it does not take is a ValueError naming it."""
    accepted = options(name)
    for key in option_values:
        if key not in accepted:
            raise ValueError(f"option --{key.replace('_', '-')} does not apply to derivation {name!r}")
    return module(name).build(**option_values)
