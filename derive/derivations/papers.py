"""The two papers the derivations reproduce: the short reference the sections print (LaTeX prose) and the
full bibliographic record the appendix's bibliography and CITATION.cff are made from.

What the paper texts in shared/papers/ show (authors, title, affiliations, PACS numbers) is recorded as
confirmed; the texts carry no journal, volume, year or arXiv number, so those fields are ``None`` and
``unconfirmed`` says what is not known (a value from memory is given only as ``candidate`` and is marked
so in the printed entry).
"""
from __future__ import annotations

from dataclasses import dataclass

REFERENCES: dict[str, str] = {
    "granular": r"A. V. Andreev and I. S. Beloborodov, \emph{Mesoscopic charging effects in the $\sigma$-model for granular metals}",
    "bosonization": r"K. B. Efetov, G. Schwiete and K. Takahashi, \emph{Bosonization for disordered and chaotic systems}",
}


@dataclass(frozen=True)
class Paper:
    """A bibliographic record; ``journal``/``year``/``arxiv`` are None where the paper text does not show them."""

    key: str
    authors: tuple[str, ...]
    title: str                     # LaTeX prose
    affiliations: tuple[str, ...]
    pacs: tuple[str, ...]
    journal: str | None = None
    year: int | None = None
    arxiv: str | None = None
    candidate: str | None = None   # a published reference recalled, not confirmed from the text
    unconfirmed: str = ""


PAPERS: dict[str, Paper] = {
    "granular": Paper(
        key="granular",
        authors=("A. V. Andreev", "I. S. Beloborodov"),
        title=r"Mesoscopic charging effects in the $\sigma$-model for granular metals",
        affiliations=("Department of Physics, University of Colorado, Boulder, Colorado",
                      "Bell Laboratories, Lucent Technologies, Murray Hill, New Jersey"),
        pacs=("73.23Hk", "73.40Gk", "73.22Lp"),
        unconfirmed="journal, volume, year and arXiv number: the paper text shows none of them",
    ),
    "bosonization": Paper(
        key="bosonization",
        authors=("K. B. Efetov", "G. Schwiete", "K. Takahashi"),
        title="Bosonization for disordered and chaotic systems",
        affiliations=("Theoretische Physik III, Ruhr-Universit\\\"at Bochum, Bochum, Germany",
                      "L. D. Landau Institute for Theoretical Physics, Moscow, Russia"),
        pacs=("73.23.-b", "05.45.-a", "72.15.Rn", "73.20.Fz"),
        candidate="Phys. Rev. Lett. 92, 026807 (2004)",
        unconfirmed="journal, volume, year and arXiv number: the paper text shows none of them; "
        "the candidate reference is recalled, not confirmed",
    ),
}


def reference(paper: str) -> str:
    """The reference of the named paper ("granular" or "bosonization")."""
    if paper not in REFERENCES:
        raise ValueError(f"unknown paper {paper!r}; known: {', '.join(REFERENCES)}")
    return REFERENCES[paper]


def bibliography_entry(paper: str) -> str:
    """The paper as the text of a LaTeX \\bibitem, saying which parts of the reference are unconfirmed."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; known: {', '.join(PAPERS)}")
    record = PAPERS[paper]
    authors = ", ".join(record.authors[:-1]) + (", and " if len(record.authors) > 2 else " and ") + record.authors[-1]
    published = ", ".join(str(part) for part in (record.journal, record.year) if part is not None)
    text = rf"{authors}, \emph{{{record.title}}}"
    if published:
        text += f", {published}"
    if record.arxiv:
        text += rf", arXiv:{record.arxiv}"
    if record.candidate:
        text += f"; possibly {record.candidate} (unconfirmed)"
    elif not published:
        text += "; journal and year unconfirmed"
    return text + f". PACS {', '.join(record.pacs)}."


def bibliography_entries() -> dict[str, str]:
    """{paper: \\bibitem text} for every paper, for ``derive.emit.latex.appendix.appendix_files``."""
    return {paper: bibliography_entry(paper) for paper in PAPERS}
