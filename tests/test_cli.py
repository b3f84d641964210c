"""The CLI in process (main([...])): commands, exit codes, one-line errors, nothing half-written."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive import __version__, derivations
from derive.cli import main


@pytest.fixture
def tiny_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations", "broken": "broken_derivation"})


@pytest.fixture
def tiny_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("derive: error: ")
    return err[0]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"derive {__version__}"


@pytest.mark.parametrize("command", [[], ["list"], ["run"], ["all"], ["check"], ["bench"]])
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: derive" in capsys.readouterr().out


def test_list_names_steps_and_equations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "moyal:" in out and "eq7-star-product" in out and "bosonization Eq. (7)" in out


def test_run_writes_module_section_and_package_init(tiny_only: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "tiny", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["__init__.py", "manifest.json", "tiny.py", "tiny.tex"]
    assert "tiny/identity" in capsys.readouterr().err  # progress names the step
    namespace: dict = {}
    exec((tmp_path / "tiny.py").read_text(), namespace)
    assert namespace["scaled"](0.3, 2.0) == pytest.approx(2.0)


def test_option_values_reach_the_derivation(tiny_only: None, tmp_path: Path) -> None:
    assert main(["-q", "run", "tiny", "--scale", "5", "--out", str(tmp_path)]) == 0
    namespace: dict = {}
    exec((tmp_path / "tiny.py").read_text(), namespace)
    assert namespace["scaled"](1.1, 1.0) == pytest.approx(5.0)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["run", "nonesuch"], "unknown derivation 'nonesuch'"),
        (["run", "tiny", "--scale", "-2"], "--scale must be a positive integer"),
        (["run", "tiny", "--scale", "two"], "invalid literal"),
        (["run", "moyal", "--order", "-1"], "order must be a non-negative integer"),
        (["run", "moyal", "--order", "1.5"], "--order must be a non-negative integer"),
        (["run", "tiny", "--order", "2"], "option --order does not apply to tiny"),
        (["all", "--scale", "2"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(derivations, "MODULES", {**derivations.MODULES, "tiny": "tiny_derivations"})
    assert main([*argv, "--out", str(tmp_path)] if argv[0] == "run" else argv) == 2
    assert message in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_worker_count_is_one_line_and_exit_2(
    tiny_only: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DERIVE_WORKERS", "-1")
    assert main(["run", "tiny", "--out", str(tmp_path)]) == 2
    assert "DERIVE_WORKERS must be a positive integer" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_new_out_directory_is_made_when_its_parent_exists(tiny_only: None, tmp_path: Path) -> None:
    assert main(["-q", "run", "tiny", "--out", str(tmp_path / "new")]) == 0
    assert (tmp_path / "new" / "tiny.py").is_file()


@pytest.mark.parametrize("out, message", [("", "--out needs a directory name"), ("missing/new", "parent of the output directory"),
                                          ("file", "not a directory")])
def test_unusable_outputs_are_refused(out: str, message: str, tiny_only: None, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("mine")
    assert main(["run", "tiny", "--out", out]) == 2
    assert message in one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("argv", [["-q", "run", "tiny"], ["run", "-q", "tiny"], ["run", "tiny", "-q"]])
def test_quiet_works_before_and_after_the_command(argv: list[str], tiny_only: None, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_verbose_after_the_command_shows_every_claim(tiny_only: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["all", "--out", str(tmp_path), "-v"]) == 0
    assert "sin^2 + cos^2 = 1" in capsys.readouterr().err


def test_failing_claim_names_the_step_and_writes_nothing(tiny_registry: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "tiny", "broken", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "step broken/identity (granular paper Eq. (99))" in err and "sin^2 + cos^2 = 1" in err
    assert list(tmp_path.iterdir()) == []


def test_check_passes_on_current_and_fails_with_a_diff_on_stale(
    tiny_only: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import derive.cli

    assert main(["-q", "all", "--out", str(tmp_path)]) == 0
    monkeypatch.setattr(derive.cli, "reference_directory", lambda: tmp_path)
    assert main(["-q", "check"]) == 0
    stale = tmp_path / "tiny.py"
    stale.write_text(stale.read_text().replace("scale * y", "scale times y"))
    assert main(["-q", "check"]) == 1
    captured = capsys.readouterr()
    assert "--- generated/tiny.py" in captured.out and "+++ regenerated/tiny.py" in captured.out
    assert "is stale" in captured.err


def test_all_without_out_outside_a_checkout_is_refused(tiny_only: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import derive.output.locations

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(derive.output.locations, "running_checkout", lambda: None)
    monkeypatch.setattr(derive.output.locations, "installed_generated_directory", lambda: tmp_path / "site-packages" / "derive" / "generated")
    assert main(["all"]) == 2
    assert "pass --out DIR" in one_line_error(capsys)


def test_output_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    """Two processes with different PYTHONHASHSEED values render byte-identical files."""
    outputs = []
    processes = []
    for seed in ("1", "4242"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        processes.append(subprocess.Popen([sys.executable, "-m", "derive", "-q", "run", "moyal", "--order", "2", "--out", str(out)], env=env))
        outputs.append(out)
    assert [process.wait(timeout=300) for process in processes] == [0, 0]
    names = sorted(p.name for p in outputs[0].iterdir())
    assert names == ["__init__.py", "manifest.json", "moyal.py", "moyal.tex"]
    for name in names:
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_generated_package_is_importable_and_says_it_is_generated() -> None:
    module = importlib.import_module("derive.generated.moyal")
    source = Path(module.__file__).read_text()
    assert source.startswith(f"# Generated by `derive run moyal` (derive {__version__}); input hash ")
    assert "Do not edit" in source.splitlines()[1]
