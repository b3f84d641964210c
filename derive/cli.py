"""The ``derive`` command: list, run, all, check, appendix, bench.

Exit codes: 0 success; 1 a failure during the run (a claim that does not hold, an I/O error while
writing, a stale generated/ for ``check``); 2 bad input (unknown derivation, bad option value, option
that does not apply, an unusable output directory, installed code that is not the checkout's);
130/143 interrupted by SIGINT/SIGTERM. Every failure is one line on stderr saying what was and was not
written. Nothing is written unless every derivation asked for is verified and rendered, and then all
files at once (``derive.output.journal``). ``--help``, ``--version`` and ``list`` import no derivation's
steps: per-derivation options (``derive run moyal --order 3``) are parsed once the names are known.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from derive import __version__, derivations
from derive.output import (
    check_output_directory,
    default_output_directory,
    reference_directory,
    write_atomically,
)
from derive.output.journal import Interrupted, WriteFailed
from derive.output.locations import mount_checkout_generated
from derive.progress import Reporter

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143}


class UsageError(Exception):
    """Bad command-line input: reported as one line, exit code 2."""


class BuildFailed(Exception):
    """A derivation could not be built (a bug in it, or in a plugin): one line, exit code 1."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump), exit code 2, and no abbreviated options."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


# Files written by this invocation, so an interruption reports truthfully what is on disk.
_written: list[str] = []
# --out directories that did not exist when the command started: made when written (a directory that
# vanishes during the run is an I/O failure, not something to recreate).
_new_directories: set[Path] = set()


def _derivation_options(names: Sequence[str], extra: Sequence[str]) -> dict[str, dict[str, object]]:
    """Parse the options after ``derive run NAME...`` with the named derivations' own OPTIONS."""
    per_name: dict[str, dict[str, object]] = {name: {} for name in names}
    if not extra:
        return per_name
    try:
        declared = {name: derivations.options(name) for name in names}
    except ImportError as error:
        raise UsageError(f"cannot import a derivation: {error}") from None
    parser = Parser(prog="derive run " + " ".join(names), add_help=False)
    seen: set[str] = set()
    for options in declared.values():
        for key, option in options.items():
            if key not in seen:
                seen.add(key)
                parser.add_argument(option.flag, dest=key, metavar="VALUE", help=option.help)
    values, leftover = parser.parse_known_args(list(extra))
    if leftover:
        flag = leftover[0].split("=", 1)[0]
        if flag.startswith("-"):
            raise UsageError(f"option {flag} does not apply to {', '.join(names)}")
        raise UsageError(f"unrecognized arguments: {' '.join(leftover)}")
    for key, text in vars(values).items():
        if text is None:
            continue
        for name in names:
            option = declared[name].get(key)
            if option is not None:
                try:
                    per_name[name][key] = option.parse(text)
                except (ValueError, TypeError) as error:
                    raise UsageError(str(error)) from None
    return per_name


def _build_one(name: str, option_values: dict[str, object], reporter: Reporter, workers: int):
    reporter.info(f"derive: building {name}")
    try:
        derivation = derivations.build(name, **option_values)
    except (ValueError, TypeError, ImportError) as error:
        # the options were parsed already: a derivation that cannot be built is a failure, not bad input
        raise BuildFailed(f"building {name} failed: {error}; nothing was written") from None
    count = sum(len(step.claims) for step in derivation.steps)
    reporter.info(f"derive: checking {count} claims of {name} ({workers} process{'es' if workers > 1 else ''})")
    return derivation


def _build_and_run(names: Sequence[str], option_values: dict[str, dict[str, object]], reporter: Reporter) -> list:
    from derive.pipeline import build_order, default_workers, run_many

    try:
        workers = default_workers()
    except ValueError as error:
        raise UsageError(str(error)) from None

    # Each derivation is built while the claims of those built before it are checked (derive.pipeline.run_many).
    try:
        order = build_order(names)
        builders = [partial(_build_one, name, option_values.get(name, {}), reporter, workers) for name in order]
        built_records = run_many(builders, reporter.progress, workers, tracker=reporter)
    finally:
        reporter.close()
    records = [built_records[order.index(name)] for name in names]
    for record in records:
        reporter.info(f"derive: {record.derivation.name}: {len(record.verdicts)} claims verified in {record.seconds:.1f}s")
    return records


def _resolve_out(out: str | None) -> Path:
    try:
        path = check_output_directory(out) if out is not None else default_output_directory()
    except ValueError as error:
        raise UsageError(str(error)) from None
    if not path.exists():
        _new_directories.add(path)
    return path


def _validate_names(names: Sequence[str]) -> list[str]:
    known = derivations.names()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown derivation {unknown[0]!r}; known: {', '.join(known)}")
    return list(dict.fromkeys(names))


def command_list(args: argparse.Namespace, reporter: Reporter) -> int:
    names = _validate_names([args.name]) if args.name else derivations.names()
    for name in names:
        try:
            outline = derivations.outline(name)
            # read from the source when it is plain data; one derivation asked for: its full help, importing it
            flags = derivations.option_flags(name) if not args.name else None
            if flags is None:
                flags = {option.flag: option.help for option in derivations.options(name).values()}
        except ImportError as error:
            raise UsageError(f"cannot import the derivation {name!r}: {error}") from None
        print(f"{name}: {outline.title}")
        for flag, help_text in flags.items():
            print(f"  option {flag} VALUE: {help_text or f'see derive list {name}'}")
        for step in outline.steps:
            where = f"{outline.paper} Eq. {step.equation}" if outline.paper and step.equation else "-"
            print(f"  {step.id:<28} {where:<22} {step.title}")
    return EXIT_OK


def _write(records: Sequence, out: Path, reporter: Reporter) -> list[str]:
    from derive.output import manifest
    from derive.pipeline import output_files, output_owners

    files: dict[str, str | bytes] = dict(output_files(records))
    files[manifest.MANIFEST] = manifest.render(manifest.read(out) if out.is_dir() else None,
                                               output_owners(records), files, out)
    reporter.info(f"derive: writing {len(files)} files to {out}")
    written = write_atomically(files, out, notice=lambda text: reporter.info(f"derive: {text}"),
                               create=out in _new_directories)
    _written.extend(written)
    for path in written:
        reporter.info(f"derive: wrote {path}")
    return written


def command_run(args: argparse.Namespace, reporter: Reporter) -> int:
    names = _validate_names(args.names)
    option_values = _derivation_options(names, args.extra)
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
    from derive.check import compare

    try:
        reference = reference_directory()
    except ValueError as error:
        raise UsageError(str(error)) from None
    report = compare(reference, full=args.full, build=lambda names: _build_and_run(names, {}, reporter),
                     info=reporter.info)
    if report.other_versions:
        print(f"derive: {report.other_versions}", file=sys.stderr)
        return EXIT_FAILED
    if report.diff:
        sys.stdout.writelines(report.diff)
        print(f"derive: {reference} is stale ({', '.join(report.stale)}); run `derive all` and commit the result",
              file=sys.stderr)
        return EXIT_FAILED
    reporter.info(f"derive: {reference} is current ({report.summary})")
    return EXIT_OK


def _appendix_out(out: str | None) -> Path:
    """--out, else appendix/ inside the checkout's generated/ (made when writing); outside a checkout --out is required."""
    if out is not None:
        return _resolve_out(out)
    try:
        path = default_output_directory() / "appendix"
    except ValueError as error:
        raise UsageError(str(error)) from None
    if not path.exists():
        _new_directories.add(path)
    return path


def command_appendix(args: argparse.Namespace, reporter: Reporter) -> int:
    from derive.emit.latex.appendix import (
        DOCUMENT,
        LatexFailed,
        appendix_files,
        compile_pdf,
        pdflatex,
    )

    names = _validate_names(args.names) if args.names else derivations.names()
    out = _appendix_out(args.out)
    if args.pdf and pdflatex() is None:
        raise UsageError("--pdf needs pdflatex on PATH (Debian: apt-get install texlive-latex-base texlive-latex-recommended)")
    records = _build_and_run(names, {}, reporter)
    from derive.derivations.papers import bibliography_entries

    files: dict[str, str | bytes] = dict(appendix_files(
        records, "derive appendix " + " ".join(names), notice=lambda text: reporter.info(f"derive: {text}"),
        bibliography=bibliography_entries()))
    if args.pdf:
        reporter.info("derive: compiling the appendix with pdflatex (twice)")
        try:
            pdf, _ = compile_pdf(files)
        except LatexFailed as error:
            print(f"derive: {error}; nothing was written", file=sys.stderr)
            return EXIT_FAILED
        files[Path(DOCUMENT).with_suffix(".pdf").name] = pdf
    written = write_atomically(files, out, notice=lambda text: reporter.info(f"derive: {text}"),
                               create=out in _new_directories)
    _written.extend(written)
    for path in written:
        reporter.info(f"derive: wrote {path}")
    return EXIT_OK


def command_bench(args: argparse.Namespace, reporter: Reporter) -> int:
    from derive.bench import run_benchmarks

    if args.repeat < 1 or args.points < 1:
        raise UsageError("--repeat and --points must be positive integers")
    if args.record_costs:
        from derive.bench import claim_cost_rows

        print("\n".join(["| what | CPU time | method |", "| --- | --- | --- |", *claim_cost_rows(record=True)]))
        return EXIT_OK
    print(run_benchmarks(repeat=args.repeat, points=args.points, progress=reporter.info))
    return EXIT_OK


def _add_loudness(parser: argparse.ArgumentParser, default: object) -> None:
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_const", const=0, dest="verbosity", default=default,
                          help="print nothing but errors")
    loudness.add_argument("-v", "--verbose", action="store_const", const=2, dest="verbosity", default=default,
                          help="show every claim as it is checked")


def build_parser() -> Parser:
    """The argument parser; it imports no derivation (their options are parsed after the names)."""
    parser = Parser(prog="derive", description="Regenerate, check and benchmark the papers' derivations.",
                    epilog="Exit codes: 0 ok, 1 failure during the run (claim, I/O, stale check), 2 bad input, "
                           "130/143 interrupted.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    _add_loudness(parser, 1)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, func, **kwargs) -> Parser:
        sub = commands.add_parser(name, help=help_text, **kwargs)
        _add_loudness(sub, argparse.SUPPRESS)  # -q/-v also after the command; the top level's value otherwise
        sub.set_defaults(func=func)
        return sub

    out_help = "directory to write into, made if its parent exists (default: the checkout's generated/)"
    list_parser = command("list", "derivations, their options, steps and paper equations (builds nothing)", command_list)
    list_parser.add_argument("name", nargs="?", metavar="NAME", help="only this derivation")

    run_parser = command("run", "verify and emit the named derivations", command_run,
                         epilog="A derivation's own options (e.g. --order for moyal, --lattice for continuum) follow "
                                "the names; `derive list NAME` shows them.")
    run_parser.add_argument("names", nargs="+", metavar="NAME", help="derivations (`derive list` names them)")
    run_parser.add_argument("--out", metavar="DIR", help=out_help)

    all_parser = command("all", "verify and emit every derivation", command_all)
    all_parser.add_argument("--out", metavar="DIR", help=out_help)

    check_parser = command("check", "exit 1 with a diff when generated/ is stale (rebuilds only what changed)",
                           command_check)
    check_parser.add_argument("--full", action="store_true", help="rebuild every derivation, changed or not")

    appendix_parser = command("appendix", "a LaTeX appendix of the named (default: all) derivations", command_appendix)
    appendix_parser.add_argument("names", nargs="*", metavar="NAME", help="derivations (default: all)")
    appendix_parser.add_argument("--out", metavar="DIR", help="directory to write into (default: generated/appendix/ of the checkout)")
    appendix_parser.add_argument("--pdf", action="store_true", help="also compile appendix.pdf with pdflatex")

    bench_parser = command("bench", "print the benchmark table", command_bench)
    bench_parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    bench_parser.add_argument("--points", type=int, default=10**6, help="array length for the numeric timings")
    bench_parser.add_argument("--record-costs", action="store_true",
                              help="only time every claim (CPU, one process) and record the times in derive/claim_costs.json, "
                                   "which orders the claim queue longest first")
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed command line; ``extra`` holds what only the named derivations can parse (``run``)."""
    args, extra = build_parser().parse_known_args(argv)
    if extra and args.command != "run":
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    return args


def _raise_on_sigterm(signum: int, frame: object) -> None:
    raise Interrupted(signum, tuple(_written))


def _interrupted_message(written: Sequence[str]) -> str:
    if not written:
        return "derive: interrupted; nothing was written"
    folders = sorted({str(Path(path).parent) for path in written})
    return f"derive: interrupted after writing {len(written)} files in {', '.join(folders)} (the set is complete)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit code (see the module docstring)."""
    _written.clear()
    _new_directories.clear()
    mount_checkout_generated()
    on_main_thread = signal.getsignal(signal.SIGTERM) is not None and _is_main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_on_sigterm) if on_main_thread else None
    try:
        args = parse(argv)
        return args.func(args, Reporter(args.verbosity))
    except UsageError as error:
        print(f"derive: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    except (WriteFailed, BuildFailed) as error:
        print(f"derive: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    except Interrupted as interruption:
        print(_interrupted_message(interruption.written or _written), file=sys.stderr)
        return EXIT_SIGNAL.get(interruption.signum, EXIT_FAILED)
    except KeyboardInterrupt:
        print(_interrupted_message(_written), file=sys.stderr)
        return EXIT_SIGNAL[signal.SIGINT]
    except BrokenPipeError:  # stdout closed early (`derive list | head`): nothing left to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return EXIT_FAILED
    except OSError as error:
        written = f"; wrote {len(_written)} files before" if _written else "; nothing was written"
        print(f"derive: error: {_one_line(error)}{written}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:
        from derive.model import ClaimFailed

        if isinstance(error, ClaimFailed):
            print(f"derive: {_one_line(error)}", file=sys.stderr)
            return EXIT_FAILED
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _one_line(error: BaseException) -> str:
    return re.sub(r"\s*\n\s*", " ", str(error)).strip()


if __name__ == "__main__":
    sys.exit(main())
