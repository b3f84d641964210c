"""`derive check`: byte-exact, incremental (rebuilds only derivations whose input hash or bytes changed)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import derive.check
import derive.cli
import derive.fingerprint
from derive import derivations
from derive.cli import main
from derive.output import manifest


@pytest.fixture
def current(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A generated/ of the tiny derivation, written by `derive all`, that `derive check` compares against."""
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})
    out = tmp_path / "generated"
    assert main(["-q", "all", "--out", str(out)]) == 0
    monkeypatch.setattr(derive.cli, "reference_directory", lambda: out)
    return out


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names `derive check` builds."""
    built: list[str] = []
    original = derivations.build

    def counting(name: str, **options: object):
        built.append(name)
        return original(name, **options)

    monkeypatch.setattr(derivations, "build", counting)
    return built


def test_nothing_changed_builds_nothing(current: Path, builds: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert builds == []
    assert "1 derivation unchanged, 0 rebuilt" in capsys.readouterr().err


def test_full_rebuilds_everything(current: Path, builds: list[str]) -> None:
    assert main(["-q", "check", "--full"]) == 0
    assert builds == ["tiny"]


def test_a_carriage_return_is_stale(current: Path, builds: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = current / "tiny.py"
    text = path.read_bytes()
    path.write_bytes(text.replace(b"\n", b"\r\n", 5))
    assert main(["-q", "check"]) == 1
    captured = capsys.readouterr()
    assert builds == ["tiny"]
    assert "--- generated/tiny.py" in captured.out and "\r" in captured.out
    assert "is stale (tiny.py" in captured.err


def test_an_edit_is_stale_with_a_diff(current: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = current / "tiny.py"
    path.write_text(path.read_text().replace("scale * y", "scale times y"))
    assert main(["-q", "check"]) == 1
    assert '+    r"""scale * y, written the long way.' in capsys.readouterr().out


def test_a_missing_and_an_extra_file_are_stale(current: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (current / "tiny.tex").unlink()
    (current / "leftover.py").write_text("x = 1\n")
    assert main(["-q", "check"]) == 1
    assert "is stale (leftover.py, tiny.tex)" in capsys.readouterr().err


def _copy_with_comment(source: Path, destination: Path, relative: str, comment: str) -> Path:
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
    edited = destination / relative
    edited.write_text(edited.read_text() + comment)
    return destination


def test_a_comment_in_a_template_makes_check_fail(current: Path, tmp_path: Path, builds: list[str],
                                                  monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    real = derive.fingerprint._package_directory("derive.templates")
    copy = _copy_with_comment(real, tmp_path / "templates", "latex/section.tex.j2", "{# a comment #}\n")
    original = derive.fingerprint._package_directory
    monkeypatch.setattr(derive.fingerprint, "_package_directory",
                        lambda package: copy if package == "derive.templates" else original(package))
    assert main(["-q", "check"]) == 1
    assert builds == ["tiny"]
    assert "input hash" in capsys.readouterr().out


def test_a_comment_in_the_latex_printer_makes_check_fail(current: Path, tmp_path: Path, builds: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real = derive.fingerprint._package_directory("derive.emit")
    copy = _copy_with_comment(real, tmp_path / "emit", "latex/printer.py", "# a comment\n")
    original = derive.fingerprint._package_directory
    monkeypatch.setattr(derive.fingerprint, "_package_directory",
                        lambda package: copy if package == "derive.emit" else original(package))
    assert main(["-q", "check"]) == 1
    assert builds == ["tiny"]


def test_another_sympy_is_one_line_not_a_diff(current: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    real = manifest.versions()
    monkeypatch.setattr(manifest, "versions", lambda: {**real, "sympy": "1.99"})
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert f"made with sympy {real['sympy']} and this is sympy 1.99" in lines[0]


def test_without_a_manifest_everything_is_rebuilt_and_compared(current: Path, builds: list[str], capsys) -> None:
    (current / manifest.MANIFEST).unlink()
    assert main(["check"]) == 0
    assert builds == ["tiny"]
    assert "no manifest.json; rebuilding every derivation" in capsys.readouterr().err
    (current / "tiny.py").write_bytes((current / "tiny.py").read_bytes() + b"\r")
    assert main(["-q", "check"]) == 1


def test_a_stale_manifest_is_stale(current: Path, capsys) -> None:
    path = current / manifest.MANIFEST
    path.write_text(path.read_text().replace('"derivation": "tiny"', '"derivation": "tiny", "extra": 1', 1))
    assert main(["-q", "check"]) == 1
    assert "is stale (manifest.json)" in capsys.readouterr().err
