"""CITATION.cff is valid YAML for CFF 1.2.0, carries the package version, and cites the papers as
derive/derivations/papers.py records them (titles and authors), saying what is unconfirmed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import derive
from derive.derivations.papers import PAPERS, bibliography_entry

yaml = pytest.importorskip("yaml")
CITATION = Path(__file__).resolve().parents[3] / "CITATION.cff"


def test_citation_file_matches_the_package_and_the_papers() -> None:
    data = yaml.safe_load(CITATION.read_text(encoding="utf-8"))
    assert data["cff-version"] == "1.2.0" and data["type"] == "software"
    assert data["version"] == derive.__version__
    titles = {re.sub(r"\$\\sigma\$", "sigma", paper.title): paper for paper in PAPERS.values()}
    assert {reference["title"] for reference in data["references"]} == set(titles)
    for reference in data["references"]:
        paper = titles[reference["title"]]
        assert [f"{a['given-names']} {a['family-names']}" for a in reference["authors"]] == list(paper.authors)
        assert "unconfirmed" in reference["notes"]


def test_bibliography_entries_say_what_is_unconfirmed() -> None:
    for paper in PAPERS:
        entry = bibliography_entry(paper)
        assert PAPERS[paper].title in entry and "unconfirmed" in entry
    with pytest.raises(ValueError, match="unknown paper"):
        bibliography_entry("no-such-paper")
