"""``derive check``: is generated/ what ``derive all`` would write, byte for byte?

Incremental: a derivation whose files all carry its current input hash (``derive.fingerprint``) in
their header and still have the bytes recorded in generated/manifest.json is current without being
built; only the others are rebuilt and compared byte for byte. ``full`` (or a folder without a
manifest) rebuilds every derivation. A manifest made under other SymPy/jinja2 versions is reported in
one line: the bytes depend on them, so a diff would say nothing.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from derive import derivations
from derive.fingerprint import input_hash
from derive.output import manifest


@dataclass
class Report:
    """What ``compare`` found: a unified diff of every stale file (empty: current)."""

    diff: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    other_versions: str | None = None
    summary: str = ""


def _lines(data: bytes) -> list[str]:
    # split on \n only, so a stray \r stays visible in its line instead of being taken for a line end
    return [line for line in re.split(r"(?<=\n)", data.decode("utf-8", errors="replace")) if line]


def _version_mismatch(recorded: dict | None) -> str | None:
    if not recorded or not isinstance(recorded.get("versions"), dict):
        return None
    current = manifest.versions()
    different = [name for name in manifest.VERSIONED
                 if name in recorded["versions"] and recorded["versions"][name] != current[name]]
    if not different:
        return None
    made = ", ".join(f"{name} {recorded['versions'][name]}" for name in different)
    here = ", ".join(f"{name} {current[name]}" for name in different)
    pins = " ".join(f"'{name}=={recorded['versions'][name]}'" for name in different)
    return (f"generated/ was made with {made} and this is {here}; its bytes can only be checked under the same "
            f"versions (pip install {pins}), so no diff is shown")


def _unchanged(name: str, recorded: dict, reference: Path) -> bool:
    """Every file the manifest gives to ``name`` exists, has its recorded bytes and the current input hash."""
    entries = {file: entry for file, entry in recorded["files"].items() if entry.get("derivation") == name}
    if not entries:
        return False
    current = input_hash(derivations.module_name(name))
    for file, entry in entries.items():
        try:
            data = (reference / file).read_bytes()
        except OSError:
            return False
        if manifest.digest(data) != entry.get("sha256") or manifest.recorded_input_hash(data) != current:
            return False
    return True


def compare(reference: Path, full: bool, build: Callable[[Sequence[str]], list],
            info: Callable[[str], None] = lambda text: None) -> Report:
    """Compare ``reference`` with what ``derive all`` writes, rebuilding (``build``) only what changed."""
    from derive.emit.target import package_files
    from derive.pipeline import output_owners

    report = Report()
    recorded = manifest.read(reference)
    report.other_versions = _version_mismatch(recorded)
    if report.other_versions:
        return report
    names = derivations.names()
    if full or recorded is None:
        changed = list(names)
        if recorded is None and not full:
            info(f"derive: {reference} has no {manifest.MANIFEST}; rebuilding every derivation")
    else:
        changed = [name for name in names if not _unchanged(name, recorded, reference)]
    report.rebuilt = changed
    records = build(changed) if changed else []
    expected: dict[str, bytes] = {file: text.encode("utf-8") for file, text in package_files(names).items()}
    owners = output_owners(records)
    for record in records:
        expected.update({file: text.encode("utf-8") for file, text in record.files.items()})
    for name in names:
        if name in changed:
            continue
        for file, entry in recorded["files"].items():
            if entry.get("derivation") == name:
                expected[file] = (reference / file).read_bytes()  # verified against the manifest's sha256
                owners[file] = name
    if recorded is not None:  # a folder without one (an installed copy, an old generated/) is judged by its files
        expected[manifest.MANIFEST] = manifest.render(None, owners, expected, reference).encode("utf-8")
    present = {path.name for path in reference.iterdir() if path.suffix in (".py", ".tex") and path.is_file()}
    for file in sorted(set(expected) | present):
        new = expected.get(file, b"")
        try:
            old = (reference / file).read_bytes()
        except FileNotFoundError:
            old = b""
        if old != new:
            report.stale.append(file)
            lines = [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in
                     difflib.unified_diff(_lines(old), _lines(new), f"generated/{file}", f"regenerated/{file}")]
            report.diff += lines or [f"generated/{file}: the bytes differ (line endings or encoding)\n"]
    kept = len(names) - len(changed)
    report.summary = f"{kept} derivation{'s' if kept != 1 else ''} unchanged, {len(changed)} rebuilt"
    return report
