"""generated/manifest.json: which derivation wrote each file, the file's sha256, and the versions that shaped it.

``derive check`` reads it to compare bytes without rebuilding: a file whose recorded input hash (its
header line) is the current one and whose bytes are the recorded ones is current. The versions let it
say in one line that generated/ was made under another SymPy instead of printing a diff.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from collections.abc import Mapping
from pathlib import Path

from derive import __version__

MANIFEST = "manifest.json"
VERSIONED = ("sympy", "jinja2")
_INPUT_HASH = re.compile(rb"input hash ([0-9a-f]{16})")


def versions() -> dict[str, str]:
    """The versions of derive and of the packages whose version shapes the output bytes."""
    return {"derive": __version__, **{name: importlib.metadata.version(name) for name in VERSIONED}}


def digest(content: str | bytes) -> str:
    """sha256 of the bytes a file is written with (UTF-8 for text)."""
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def recorded_input_hash(content: bytes) -> str | None:
    """The input hash in a generated file's header (its first three lines), or None."""
    match = _INPUT_HASH.search(b"\n".join(content.split(b"\n", 3)[:3]))
    return match.group(1).decode() if match else None


def read(directory: Path) -> dict | None:
    """The manifest in ``directory``, or None when there is none or it is not one."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def render(previous: dict | None, owners: Mapping[str, str | None], files: Mapping[str, str | bytes],
           directory: Path) -> str:
    """The manifest after writing ``files`` (file -> owning derivation in ``owners``) over ``previous``.

    Entries of files not written now are kept while the file is still there (``derive run moyal``
    leaves the others' entries as they were).
    """
    entries = {}
    if previous:
        entries = {name: entry for name, entry in previous["files"].items()
                   if name not in files and (directory / name).exists()}
    for name, content in files.items():
        entries[name] = {"derivation": owners.get(name), "sha256": digest(content)}
    manifest = {"versions": versions(), "files": dict(sorted(entries.items()))}
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"
