"""The registry: built-in names, entry-point plugins, outlines read without building, lazy imports."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from derive import derivations
from derive.cli import main

EXAMPLE = Path(__file__).parent / "example_plugin"


@pytest.fixture
def example_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example package as pip installs it: its code importable and a dist-info declaring the entry point.

    importlib.metadata discovers the entry point on sys.path exactly as for an installed distribution.
    """
    site = tmp_path / "site"
    info = site / "derive_example-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: derive-example\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[derive.derivations]\nharmonic = derive_example\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(EXAMPLE))
    return site


def test_builtin_names_come_first_in_paper_order() -> None:
    assert derivations.names()[:4] == ["moyal", "granular", "continuum", "bosonization"]


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown derivation 'nonesuch'; known derivations: moyal, granular"):
        derivations.module_name("nonesuch")


def test_a_plugin_appears_in_the_registry_and_in_list(example_installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert derivations.names()[-1] == "harmonic"
    assert main(["list", "harmonic"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("harmonic: Energy conservation of the harmonic oscillator")
    assert "option --mass VALUE" in out and "energy" in out


def test_a_plugin_runs_through_the_pipeline_and_every_target(example_installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["-q", "run", "harmonic", "--mass", "3", "--out", str(out)]) == 0
    assert {"harmonic.py", "harmonic.tex", "__init__.py", "manifest.json"} <= {p.name for p in out.iterdir()}
    assert "\\label{derive:harmonic:energy}" in (out / "harmonic.tex").read_text()
    namespace: dict = {}
    exec((out / "harmonic.py").read_text(), namespace)
    # E = k A^2 / 2 at every t whatever the mass
    assert namespace["energy"](0.7, 2.0, 5.0) == pytest.approx(10.0)
    assert namespace["energy"](3.1, 2.0, 5.0) == pytest.approx(10.0)


def test_a_plugin_option_is_checked_by_the_plugin(example_installed: Path, tmp_path: Path, capsys) -> None:
    assert main(["run", "harmonic", "--mass", "0", "--out", str(tmp_path)]) == 2
    assert "--mass must be a positive integer" in capsys.readouterr().err


def test_a_plugin_cannot_replace_a_builtin(example_installed: Path) -> None:
    (example_installed / "derive_example-0.1.0.dist-info" / "entry_points.txt").write_text(
        "[derive.derivations]\nharmonic = derive_example\nmoyal = derive_example\n")
    assert derivations.module_name("moyal") == "derive.derivations.moyal"


def test_outline_is_read_without_building(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})
    import tiny_derivations

    monkeypatch.setattr(tiny_derivations, "build", lambda **_: pytest.fail("list must not build"))
    outline = derivations.outline("tiny")
    assert [(s.id, s.equation) for s in outline.steps] == [("identity", "(99)")]


def test_a_derivation_without_outline_is_listed_from_a_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"broken": "broken_derivation"})
    assert [s.id for s in derivations.outline("broken").steps] == ["identity"]


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["run", "--help"]])
def test_version_and_help_import_no_derivation_and_no_sympy(argv: list[str]) -> None:
    code = (f"import sys\nfrom derive.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "loaded = [m for m in sys.modules if m.startswith('derive.derivations.') or m == 'sympy']\n"
            "print(loaded, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("name", ["moyal", "granular", "continuum", "bosonization"])
def test_the_outline_read_from_the_source_is_the_declared_one(name: str) -> None:
    declared = getattr(derivations.module(name), "OUTLINE", None)
    if declared is None:
        pytest.skip(f"{name} declares no OUTLINE yet (it is listed from a build)")
    assert derivations._static_outline(derivations.module_name(name)) == declared
    flags = derivations.option_flags(name)
    assert flags is not None and set(flags) == {option.flag for option in derivations.options(name).values()}


def test_list_reads_no_derivation_module_and_no_sympy() -> None:
    code = ("import sys\nfrom derive.cli import main\nmain(['list'])\n"
            "print([m for m in sys.modules if m.startswith('derive.derivations.') or m == 'sympy'], file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
    assert "eq7-star-product" in result.stdout and "bosonization Eq. (7)" in result.stdout
