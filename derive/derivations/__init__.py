"""The registry of derivations: name -> module that builds it.

Each module defines ``TITLE`` (one line), ``OPTIONS`` (option name -> ``Option``) and
``build(**options) -> Derivation``. Modules are imported only when their derivation is asked for.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from derive.model import Derivation

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


def names() -> list[str]:
    return list(MODULES)


def module(name: str):
    if name not in MODULES:
        known = ", ".join(MODULES)
        raise ValueError(f"unknown derivation {name!r}; known derivations: {known}")
    return importlib.import_module(MODULES[name])


def module_name(name: str) -> str:
    """The module that builds the named derivation."""
    if name not in MODULES:
        module(name)
    return MODULES[name]


def options(name: str) -> dict[str, Option]:
    return dict(getattr(module(name), "OPTIONS", {}))


def build(name: str, **option_values: object) -> Derivation:
    """Build the named derivation; an option it does not take is a ValueError naming it."""
    accepted = options(name)
    for key in option_values:
        if key not in accepted:
            raise ValueError(f"option --{key.replace('_', '-')} does not apply to derivation {name!r}")
    return module(name).build(**option_values)
