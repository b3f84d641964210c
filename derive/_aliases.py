"""The import paths of the flat layout (``derive.moyal``, ``derive.trln``, ...) as aliases of the modules.

The README and notes name these paths, and users' code imports them; each alias is the very module of
the new layout (``derive.moyal is derive.engines.moyal``), so nothing is copied and nothing can drift.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys

ALIASES: dict[str, str] = {
    "derive.bosonization": "derive.engines.transport",
    "derive.claims": "derive.engines.claims",
    "derive.codegen_nodes": "derive.engines.codegen_nodes",
    "derive.continuum": "derive.engines.gradient_expansion",
    "derive.continuum_numeric": "derive.engines.gradient_numeric",
    "derive.exact_jets": "derive.engines.exact_jets",
    "derive.freealgebra": "derive.engines.freealgebra",
    "derive.gaussian": "derive.engines.gaussian",
    "derive.lattices": "derive.engines.lattices",
    "derive.matsubara": "derive.engines.matsubara",
    "derive.moyal": "derive.engines.moyal",
    "derive.phases": "derive.engines.phases",
    "derive.scatterers": "derive.engines.scatterers",
    "derive.supermatrix": "derive.engines.supermatrix",
    "derive.trace_expressions": "derive.engines.trace_expressions",
    "derive.trln": "derive.engines.trln",
    "derive.wigner": "derive.engines.wigner",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec):
        module = importlib.import_module(self.target)
        self.original_spec = module.__spec__
        return module

    def exec_module(self, module: object) -> None:
        # The target is already executed; the import system has bound it under the alias name and set its
        # __spec__ to the alias's, which is put back so that find_spec and reload see the real module.
        module.__spec__ = self.original_spec  # type: ignore[attr-defined]


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object = None, target: object = None):
        if fullname not in ALIASES:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(ALIASES[fullname]))


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
