"""Progress on stderr: a bar per derivation on a terminal (tqdm), plain lines otherwise, nothing with -q."""
from __future__ import annotations

import io

import pytest

import derive.progress
from derive import derivations
from derive.pipeline import run_many
from derive.progress import Reporter
from tiny_derivations import build as build_tiny


@pytest.fixture(autouse=True)
def tiny_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})


def _run(reporter: Reporter, workers: int) -> str:
    run_many([build_tiny(scale=2)], reporter.progress, workers, tracker=reporter)
    reporter.close()
    return reporter.stream.getvalue()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_terminal_gets_a_bar_per_derivation_over_its_claims(workers: int) -> None:
    pytest.importorskip("tqdm")
    text = _run(Reporter(1, io.StringIO(), bars=True), workers)
    assert "tiny" in text and "1/1" in text and "claim" in text
    assert "[" not in text.split("tiny")[0]  # no plain timestamped lines before the bar


def test_plain_lines_when_not_a_terminal() -> None:
    text = _run(Reporter(1, io.StringIO()), workers=1)   # a StringIO is not a terminal
    assert "] tiny/identity" in text and "1/1" not in text


def test_plain_lines_when_tqdm_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derive.progress, "_tqdm", lambda: None)
    text = _run(Reporter(1, io.StringIO(), bars=True), workers=1)
    assert "] tiny/identity" in text


def test_quiet_prints_nothing() -> None:
    reporter = Reporter(0, io.StringIO(), bars=True)
    reporter.info("derive: building tiny")
    assert _run(reporter, workers=1) == ""


def test_verbose_prints_every_claim() -> None:
    assert "checking 'sin^2 + cos^2 = 1'" in _run(Reporter(2, io.StringIO(), bars=True), workers=1)


def test_rendering_is_announced_with_and_without_bars() -> None:
    pytest.importorskip("tqdm")
    for bars in (True, False):
        assert "tiny: rendering LaTeX and numpy" in _run(Reporter(1, io.StringIO(), bars=bars), workers=1)
