"""`derive appendix`: a complete LaTeX document of verified derivations, its section files, and its PDF.

The section of each derivation is the ``<name>.tex`` that ``derive run`` renders (templates/
latex/section.tex.j2): it needs only amsmath, defines no macros and labels everything
``derive:<name>:<step id>``, so it can be ``\\input`` into any paper. The document
(templates/latex/appendix.tex.j2) adds a preamble, a title and the conventions, and inlines the sections,
so it compiles on its own. ``compile_pdf`` runs pdflatex twice (for the references) in a temporary
directory; ``log_problems`` reads its log for errors, undefined references and overfull boxes.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from derive import __version__
from derive.emit.latex.roundtrip import read_back_records
from derive.emit.latex.section import environment
from derive.model import Record

APPENDIX_TEMPLATE = "appendix.tex.j2"
DOCUMENT = "appendix.tex"
OVERFULL_TOLERANCE_PT = 3.0
CITED_PAPERS = ("granular", "bosonization")   # the conventions of appendix.tex.j2 cite both
PDFLATEX_SECONDS = 120


class LatexFailed(RuntimeError):
    """pdflatex stopped with an error, or its log shows undefined references; the message is one line."""


def section_file_name(name: str) -> str:
    """The standalone section of a derivation (the same file `derive run NAME` writes to generated/)."""
    return f"{name}.tex"


def _print_notice(text: str) -> None:
    print(f"derive: {text}", file=sys.stderr)


def appendix_files(
    records: Sequence[Record],
    command: str,
    notice: Callable[[str], None] = _print_notice,
    bibliography: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """{file name: text}: the complete document plus one section file per derivation, in the given order.

    Every displayed equation and claim formula is first read back (``read_back_records``, which raises
    ClaimFailed on a mismatch); ``notice`` gets the ``read back: E/E equations, C/C claims`` line.
    ``bibliography`` is {paper: \\bibitem text} (``derive.derivations.papers.bibliography_entries()``);
    without it each paper's entry is the reference its derivations carry, marked as unconfirmed."""
    report = read_back_records(records)
    notice(report.summary())
    entries = dict(bibliography) if bibliography is not None else {
        record.derivation.paper: f"{record.derivation.reference}; journal and year unconfirmed."
        for record in records if record.derivation.reference
    }
    for paper in CITED_PAPERS:
        entries.setdefault(paper, "the reference is not given by the derivations in this document.")
    sections = [(record.derivation, record.files[section_file_name(record.derivation.name)]) for record in records]
    document = environment().get_template(APPENDIX_TEMPLATE).render(
        sections=sections, command=command, version=__version__, claim_count=sum(len(r.verdicts) for r in records),
        read_back=report, bibliography=[(paper, entries[paper]) for paper in _cited_first(entries)],
    )
    files = {section_file_name(derivation.name): text for derivation, text in sections}
    files[DOCUMENT] = document
    return files


def _cited_first(entries: Mapping[str, str]) -> list[str]:
    """The papers in the order the conventions cite them, then any others by name."""
    return [*CITED_PAPERS, *sorted(set(entries) - set(CITED_PAPERS))]


def pdflatex() -> str | None:
    """The pdflatex executable on PATH, or None."""
    return shutil.which("pdflatex")


def compile_pdf(files: Mapping[str, str], main: str = DOCUMENT) -> tuple[bytes, str]:
    """Compile ``main`` (with the other files beside it) twice; return the PDF and the final log text."""
    executable = pdflatex()
    if executable is None:
        raise FileNotFoundError("pdflatex not found: install TeX Live (Debian: texlive-latex-base texlive-latex-recommended)")
    with tempfile.TemporaryDirectory(prefix="derive-latex-") as scratch:
        for name, text in files.items():
            Path(scratch, name).write_text(text, encoding="utf-8")
        for _ in range(2):
            log = _run_pdflatex(executable, main, Path(scratch))
        return Path(scratch, Path(main).with_suffix(".pdf")).read_bytes(), log


def _run_pdflatex(executable: str, main: str, directory: Path) -> str:
    command = [executable, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", main]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
    result = subprocess.run(command, cwd=directory, capture_output=True, env=environment, timeout=PDFLATEX_SECONDS)
    log_path = directory / Path(main).with_suffix(".log")
    log = log_path.read_text(encoding="latin-1") if log_path.exists() else result.stdout.decode("latin-1")
    if result.returncode != 0:
        errors = [problem for problem in log_problems(log) if problem.startswith("error")]
        raise LatexFailed(f"pdflatex failed on {main}: {errors[0] if errors else 'exit code ' + str(result.returncode)}")
    return log


_ERROR = re.compile(r"^! (.*)$", re.MULTILINE)
_UNDEFINED = re.compile(r"LaTeX Warning: (Reference|Citation) `([^']*)' on page \S+ undefined")
_MULTIPLY = re.compile(r"LaTeX Warning: Label `([^']*)' multiply defined")
_OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\) (.*)$", re.MULTILINE)


def log_problems(log: str, tolerance_pt: float = OVERFULL_TOLERANCE_PT) -> list[str]:
    """Errors, undefined references, multiply defined labels and overfull boxes beyond the tolerance."""
    problems = [f"error: {message} ({_context_after(log, match.end())})" for match in _ERROR.finditer(log) for message in [match.group(1)]]
    problems += [f"undefined {kind.lower()}: {key}" for kind, key in _UNDEFINED.findall(log)]
    problems += [f"multiply defined label: {key}" for key in _MULTIPLY.findall(log)]
    problems += [
        f"overfull box {amount}pt {where.strip()}"
        for amount, where in _OVERFULL.findall(log)
        if float(amount) > tolerance_pt
    ]
    if "There were undefined references" in log and not any(p.startswith("undefined") for p in problems):
        problems.append("undefined references (see the log)")
    return problems


def _context_after(log: str, position: int) -> str:
    """The `l.<line> ...` line TeX prints after an error, naming where it happened."""
    match = re.compile(r"^l\.\d+ .*$", re.MULTILINE).search(log, position)
    return match.group(0).strip() if match else "no line given"


def write_pdf_atomically(data: bytes, target: Path) -> str:
    """The PDF next to the sources, written to a temporary name and renamed (never half-written)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return str(target)
