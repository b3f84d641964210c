"""The registry of derivations: name -> module that builds it.

Each module declares ``OUTLINE`` (an ``Outline``: name, title, steps as plain data) and may declare
``OPTIONS`` (option name -> ``Option``) at the top of its ``__init__``, and defines
``build(**options) -> Derivation``, importing its step modules only inside ``build`` so that
``derive list`` reads the outline without building. The built-in derivations are ``MODULES``; other
installed packages add theirs through the entry-point group ``derive.derivations`` (name = "module").
Modules are imported only when their derivation is asked for.
"""
from __future__ import annotations

import ast
import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
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
    """The named derivation's outline: read from its source, else its imported ``OUTLINE``, else a build (slow)."""
    static = _static_outline(module_name(name))
    if static is not None:
        return static
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


def _source_of(module_path: str) -> Path | None:
    """The file of a module, found without executing it or its packages (importing would load SymPy)."""
    top, *rest = module_path.split(".")
    spec = importlib.util.find_spec(top)
    for depth in range(len(rest)):
        if spec is None or not spec.submodule_search_locations:
            return None
        spec = importlib.machinery.PathFinder.find_spec(".".join([top, *rest[:depth + 1]]),
                                                        list(spec.submodule_search_locations))
    return Path(spec.origin) if spec is not None and spec.origin and spec.origin.endswith(".py") else None


def _static_outline(module_path: str) -> Outline | None:
    """``OUTLINE = Outline(...)`` evaluated from the module's syntax tree, when it is built of literals only.

    Literals, tuples, and module-level names bound to literals (``TITLE = "..."``) are understood; anything
    else (a call of a helper, a computed title) gives None and the caller imports the module instead.
    """
    source = _source_of(module_path)
    if source is None:
        return None
    from derive.model.outline import Outline, StepOutline

    constructors = {"Outline": Outline, "StepOutline": StepOutline}
    constants: dict[str, object] = {}

    def value(node: ast.expr) -> object:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in constants:
            return constants[node.id]
        if isinstance(node, ast.Tuple):
            return tuple(value(element) for element in node.elts)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in constructors:
            arguments = [value(argument) for argument in node.args]
            keywords = {keyword.arg: value(keyword.value) for keyword in node.keywords if keyword.arg}
            return constructors[node.func.id](*arguments, **keywords)
        raise ValueError("not plain data")

    try:
        tree = ast.parse(source.read_bytes())
        for statement in tree.body:
            if isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module \
                    and any(alias.name == "OUTLINE" and alias.asname is None for alias in statement.names):
                # the package re-exports the outline of its own outline module
                return _static_outline(statement.module) if statement.module != module_path else None
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                target = statement.targets[0].id
                if target == "OUTLINE":
                    found = value(statement.value)
                    return found if isinstance(found, Outline) else None
                if isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str):
                    constants[target] = statement.value.value
    except (ValueError, TypeError, SyntaxError, OSError):
        return None
    return None


def option_flags(name: str) -> dict[str, str | None] | None:
    """flag -> help of the named derivation's ``OPTIONS``, read from its source (help None when computed).

    None when ``OPTIONS`` is not a dict literal of ``Option(flag=..., ...)`` calls; ``options`` then imports.
    """
    source = _source_of(module_name(name))
    if source is None:
        return None
    try:
        tree = ast.parse(source.read_bytes())
    except (SyntaxError, OSError):
        return None
    for statement in tree.body:
        target = statement.target if isinstance(statement, ast.AnnAssign) else \
            statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        if not (isinstance(target, ast.Name) and target.id == "OPTIONS"):
            continue
        if not isinstance(statement.value, ast.Dict):
            return None
        flags: dict[str, str | None] = {}
        for call in statement.value.values:
            keywords = {keyword.arg: keyword.value for keyword in getattr(call, "keywords", [])}
            flag, help_text = keywords.get("flag"), keywords.get("help")
            if not (isinstance(call, ast.Call) and isinstance(flag, ast.Constant) and isinstance(flag.value, str)):
                return None
            literal = isinstance(help_text, ast.Constant) and isinstance(help_text.value, str)
            flags[flag.value] = help_text.value if literal else None
        return flags
    return {}
