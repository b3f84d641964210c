"""The ``derive`` command: list, run, all, check, bench.

Bad input (unknown derivation, bad option value, option that does not apply, missing or unwritable
output directory) is one line on stderr and exit code 2. A failing claim is one line and exit 1, and
nothing is written: every derivation asked for is verified and rendered before any file is touched.
"""
from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from derive import __version__
from derive import derivations
from derive.output import check_output_directory, default_output_directory, reference_directory, write_atomically
from derive.model import ClaimFailed, Record
from derive.pipeline import default_workers, output_files, run_many

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input: reported as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump) and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


class Reporter:
    """Progress on stderr: -q silent, default one line per step, -v every claim with its time."""

    def __init__(self, verbosity: int):
        self.verbosity, self.last_step, self.start = verbosity, None, time.perf_counter()

    def progress(self, message: str) -> None:
        step = message.split(":", 1)[0]
        if self.verbosity >= 2 or (self.verbosity == 1 and step != self.last_step):
            shown = message if self.verbosity >= 2 else step
            print(f"[{time.perf_counter() - self.start:6.1f}s] {shown}", file=sys.stderr, flush=True)
        self.last_step = step

    def info(self, message: str) -> None:
        if self.verbosity >= 1:
            print(message, file=sys.stderr)


def _derivation_options(args: argparse.Namespace, names: Sequence[str]) -> dict[str, dict[str, object]]:
    """Per-derivation option values; an option given that none of the named derivations takes is an error."""
    given = {key: value for key, value in vars(args).items() if key.startswith("opt_") and value is not None}
    per_name: dict[str, dict[str, object]] = {name: {} for name in names}
    for key, text in given.items():
        option = key[len("opt_"):]
        takers = [name for name in names if option in derivations.options(name)]
        if not takers:
            flag = "--" + option.replace("_", "-")
            raise UsageError(f"option {flag} does not apply to {', '.join(names)}")
        for name in takers:
            try:
                per_name[name][option] = derivations.options(name)[option].parse(text)
            except (ValueError, TypeError) as error:
                raise UsageError(str(error)) from None
    return per_name


def _build_and_run(names: Sequence[str], option_values: dict[str, dict[str, object]], reporter: Reporter) -> list[Record]:
    try:
        workers = default_workers()
    except ValueError as error:
        raise UsageError(str(error)) from None
    built = []
    for name in names:
        reporter.info(f"derive: building {name}")
        try:
            built.append(derivations.build(name, **option_values.get(name, {})))
        except (ValueError, TypeError) as error:
            raise UsageError(str(error)) from None
    reporter.info(f"derive: checking the claims of {', '.join(names)} ({workers} process{'es' if workers > 1 else ''})")
    records = run_many(built, reporter.progress, workers)
    for record in records:
        reporter.info(f"derive: {record.derivation.name}: {len(record.verdicts)} claims verified in {record.seconds:.1f}s")
    return records


def _resolve_out(out: str | None) -> Path:
    try:
        return check_output_directory(out) if out is not None else default_output_directory()
    except ValueError as error:
        raise UsageError(str(error)) from None


def _validate_names(names: Sequence[str]) -> list[str]:
    unknown = [name for name in names if name not in derivations.names()]
    if unknown:
        raise UsageError(f"unknown derivation {unknown[0]!r}; known: {', '.join(derivations.names())}")
    return list(dict.fromkeys(names))


def command_list(args: argparse.Namespace, reporter: Reporter) -> int:
    for name in derivations.names():
        derivation = derivations.build(name)
        print(f"{name}: {derivation.title}")
        for step in derivation.steps:
            where = f"{step.paper} Eq. {step.equation}" if step.paper else "-"
            print(f"  {step.id:<28} {where:<22} {step.title}")
    return EXIT_OK


def _write(records: Sequence[Record], out: Path, reporter: Reporter) -> None:
    for path in write_atomically(output_files(records), out):
        reporter.info(f"derive: wrote {path}")


def command_run(args: argparse.Namespace, reporter: Reporter) -> int:
    names = _validate_names(args.names)
    option_values = _derivation_options(args, names)
    out = _resolve_out(args.out)
    records = _build_and_run(names, option_values, reporter)
    _write(records, out, reporter)
    for record in records:
        describe = getattr(derivations.module(record.derivation.name), "describe", None)
        if describe is not None:
            print(describe(**option_values.get(record.derivation.name, {})))
    return EXIT_OK


def command_all(args: argparse.Namespace, reporter: Reporter) -> int:
    out = _resolve_out(args.out)
    records = _build_and_run(derivations.names(), {}, reporter)
    _write(records, out, reporter)
    return EXIT_OK


def command_check(args: argparse.Namespace, reporter: Reporter) -> int:
    reference = reference_directory()
    records = _build_and_run(derivations.names(), {}, reporter)
    with tempfile.TemporaryDirectory(prefix="derive-check-") as scratch:
        fresh = Path(scratch)
        write_atomically(output_files(records), fresh)
        stale = _diff_directories(fresh, reference)
    if stale:
        sys.stdout.writelines(stale)
        print(f"derive: {reference} is stale; run `derive all` and commit the result", file=sys.stderr)
        return EXIT_FAILED
    reporter.info(f"derive: {reference} is current")
    return EXIT_OK


def _diff_directories(fresh: Path, reference: Path) -> list[str]:
    lines: list[str] = []
    expected = {path.name for path in fresh.iterdir()}
    present = {path.name for path in reference.iterdir() if path.suffix in (".py", ".tex")}
    for name in sorted(expected | present):
        new = (fresh / name).read_text(encoding="utf-8").splitlines(keepends=True) if name in expected else []
        old = (reference / name).read_text(encoding="utf-8").splitlines(keepends=True) if name in present else []
        lines += difflib.unified_diff(old, new, f"generated/{name}", f"regenerated/{name}")
    return lines


def _appendix_out(out: str | None) -> Path:
    """--out, else appendix/ inside the checkout's generated/ (made when writing); outside a checkout --out is required."""
    return _resolve_out(out) if out is not None else _resolve_out(None) / "appendix"


def command_appendix(args: argparse.Namespace, reporter: Reporter) -> int:
    from derive.emit.latex.appendix import DOCUMENT, LatexFailed, appendix_files, compile_pdf, pdflatex, write_pdf_atomically

    names = _validate_names(args.names) if args.names else derivations.names()
    out = _appendix_out(args.out)
    if args.pdf and pdflatex() is None:
        raise UsageError("--pdf needs pdflatex on PATH (Debian: apt-get install texlive-latex-base texlive-latex-recommended)")
    records = _build_and_run(names, {}, reporter)
    files = appendix_files(records, "derive appendix " + " ".join(names))
    pdf = None
    if args.pdf:
        reporter.info("derive: compiling the appendix with pdflatex (twice)")
        try:
            pdf, _ = compile_pdf(files)
        except LatexFailed as error:
            print(f"derive: {error}", file=sys.stderr)
            return EXIT_FAILED
    out.mkdir(exist_ok=True)
    for path in write_atomically(files, out):
        reporter.info(f"derive: wrote {path}")
    if pdf is not None:
        reporter.info(f"derive: wrote {write_pdf_atomically(pdf, out / Path(DOCUMENT).with_suffix('.pdf').name)}")
    return EXIT_OK


def command_bench(args: argparse.Namespace, reporter: Reporter) -> int:
    from derive.bench import run_benchmarks

    if args.repeat < 1 or args.points < 1:
        raise UsageError("--repeat and --points must be positive integers")
    print(run_benchmarks(repeat=args.repeat, points=args.points, progress=reporter.info))
    return EXIT_OK


def build_parser() -> Parser:
    parser = Parser(prog="derive", description="Regenerate, check and benchmark the papers' derivations.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_const", const=0, dest="verbosity", help="print nothing but errors")
    loudness.add_argument("-v", "--verbose", action="store_const", const=2, dest="verbosity", help="show every claim as it is checked")
    parser.set_defaults(verbosity=1)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("list", help="derivations, their steps and paper equations").set_defaults(func=command_list)

    run_parser = commands.add_parser("run", help="verify and emit the named derivations")
    run_parser.add_argument("names", nargs="+", metavar="NAME", help=f"one of: {', '.join(derivations.names())}")
    run_parser.add_argument("--out", metavar="DIR", help="existing directory to write into (default: the checkout's generated/)")
    for flag, help_text in sorted(_all_option_flags().items()):
        run_parser.add_argument(flag, dest="opt_" + flag[2:].replace("-", "_"), metavar="VALUE", help=help_text)
    run_parser.set_defaults(func=command_run)

    all_parser = commands.add_parser("all", help="verify and emit every derivation")
    all_parser.add_argument("--out", metavar="DIR", help="existing directory to write into (default: the checkout's generated/)")
    all_parser.set_defaults(func=command_all)

    commands.add_parser("check", help="exit 1 with a diff when generated/ is stale").set_defaults(func=command_check)

    appendix_parser = commands.add_parser("appendix", help="a LaTeX appendix of the named (default: all) derivations")
    appendix_parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of: {', '.join(derivations.names())}")
    appendix_parser.add_argument("--out", metavar="DIR", help="existing directory to write into (default: generated/appendix/ of the checkout)")
    appendix_parser.add_argument("--pdf", action="store_true", help="also compile appendix.pdf with pdflatex")
    appendix_parser.set_defaults(func=command_appendix)

    bench_parser = commands.add_parser("bench", help="print the benchmark table")
    bench_parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    bench_parser.add_argument("--points", type=int, default=10**6, help="array length for the numeric timings")
    bench_parser.set_defaults(func=command_bench)
    return parser


def _all_option_flags() -> dict[str, str]:
    flags: dict[str, str] = {}
    for name in derivations.names():
        for option in derivations.options(name).values():
            flags.setdefault(option.flag, option.help)
    return flags


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args, Reporter(args.verbosity))
    except UsageError as error:
        print(f"derive: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ClaimFailed as error:
        print(f"derive: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("derive: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
