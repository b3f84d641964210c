"""The jinja2 environment of one target's templates (``templates/<target>/``) and the filters all share.

Templates lay out; printers write expressions. ``StrictUndefined`` makes a missing name an error, and
everything is iterated in a fixed order, so the output is deterministic byte for byte.
"""
from __future__ import annotations

import pprint
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path

import jinja2

TEMPLATE_PACKAGE = "derive.templates"


def template_directory(target: str) -> Path:
    """The folder of a target's templates inside the installed ``derive.templates`` package."""
    return Path(str(resources.files(TEMPLATE_PACKAGE))) / target


def make_environment(target: str, filters: Mapping[str, Callable[..., str]] = {}) -> jinja2.Environment:  # noqa: B006
    """A jinja2 environment over ``templates/<target>/`` with ``pretty`` and the target's own filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_directory(target))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pretty"] = python_literal
    env.filters.update(filters)
    return env


def python_literal(value: object) -> str:
    """A deterministic, wrapped Python literal of plain data (dict keys sorted)."""
    _check_plain_data(value)
    return pprint.pformat(value, width=110, sort_dicts=True, compact=True)


def _check_plain_data(value: object) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check_plain_data(key)
            _check_plain_data(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _check_plain_data(item)
    elif not (isinstance(value, (bool, int, float, str, complex)) or value is None):
        raise TypeError(f"constant of type {type(value).__name__} cannot be written as a Python literal")
