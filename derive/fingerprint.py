"""The input hash of a derivation: sha256 over every byte that can change its generated files.

That is the derivation's own package and every module it imports, directly or not, found statically
from the source (so the hash does not depend on what else happens to be imported): the engines and the
records it uses; every emitter and every template of every target (a printer or template change touches
every output); and the versions of what shapes the bytes (derive itself, SymPy, jinja2). numpy is left
out: the output does not depend on it. One hash per derivation, so a check can tell which ones changed.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.machinery
import importlib.metadata
import importlib.util
from functools import cache
from pathlib import Path

from derive import __version__

# Packages whose version shapes the emitted bytes (SymPy prints the expressions, jinja2 lays them out).
SHAPING_DISTRIBUTIONS = ("sympy", "jinja2")
# Parts of derive that do not shape a derivation's output: the driver, the CLI, output placement.
NOT_INPUTS = ("derive.generated", "derive.cli", "derive.bench", "derive.pipeline", "derive.output", "derive.__main__",
              "derive.check", "derive.progress")


def input_hash(module: str) -> str:
    """The 16-hex-digit input hash of the derivation built by ``module``."""
    digest = hashlib.sha256(f"derive {__version__}\n".encode())
    for distribution in SHAPING_DISTRIBUTIONS:
        digest.update(f"{distribution} {importlib.metadata.version(distribution)}\n".encode())
    for path in input_files(module):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def input_files(module: str) -> list[Path]:
    """Every source file the hash covers, in a fixed order (the derivation's import closure, emit/, templates/)."""
    sources = {_source_path(name) for name in import_closure(module)}
    sources |= _tree(_package_directory("derive.emit"), "*.py")
    sources |= _tree(_package_directory("derive.templates"), "*.j2")
    return sorted(sources, key=lambda path: (_sort_key(path), path.as_posix()))


def _sort_key(path: Path) -> str:
    # Relative to the package root, so the order (and the hash) is the same wherever derive is installed.
    parts = path.parts
    for marker in ("derive", "templates", "generated"):
        if marker in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(marker) - 1:])
    return path.name


def _tree(directory: Path, pattern: str) -> set[Path]:
    return {path for path in directory.rglob(pattern) if "__pycache__" not in path.parts}


def _package_directory(package: str) -> Path:
    spec = _spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"cannot find the package {package!r}")
    return Path(list(spec.submodule_search_locations)[0])


@cache
def _spec(name: str) -> importlib.machinery.ModuleSpec | None:
    """The module's spec found on the file system, without executing any package on the way.

    ``importlib.util.find_spec`` imports every parent package, which for a derivation means building
    half of its imports; a check that nothing changed must not pay that.
    """
    from derive._aliases import ALIASES

    name = ALIASES.get(name, name)
    parent, _, _ = name.rpartition(".")
    if not parent:
        return importlib.util.find_spec(name)
    parent_spec = _spec(parent)
    if parent_spec is None or not parent_spec.submodule_search_locations:
        return None
    found = importlib.machinery.PathFinder.find_spec(name, list(parent_spec.submodule_search_locations))
    if found is None and "." not in parent:  # derive.templates: mapped by the installer, found by its finder
        return importlib.util.find_spec(name)
    return found


def _source_path(name: str) -> Path:
    spec = _spec(name)
    if spec is None or spec.origin is None:
        raise ValueError(f"cannot find the source of module {name!r}")
    return Path(spec.origin)


def import_closure(root: str) -> set[str]:
    """``root`` and every module of derive or of root's own top-level package that it imports, transitively."""
    own = root.split(".")[0]
    seen: set[str] = set()
    pending = [root]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(_source_path(name).read_bytes())):
            for imported in _imported_names(node, name):
                if imported not in seen and _is_input(imported, own):
                    pending.append(imported)
    return seen


def _imported_names(node: ast.AST, current: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        package = current if _source_path(current).name == "__init__.py" else current.rpartition(".")[0]
        base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
        if base is None:
            return []
        # "from derive.engines import claims" imports the module derive.engines.claims
        return [base] + [f"{base}.{alias.name}" for alias in node.names]
    return []


def _is_input(name: str, own: str) -> bool:
    top = name.split(".")[0]
    if top not in ("derive", own) or name.startswith(NOT_INPUTS) or name.startswith("derive.emit"):
        return False  # derive.emit is covered whole
    try:
        return _spec(name) is not None
    except (ModuleNotFoundError, ValueError):
        return False
