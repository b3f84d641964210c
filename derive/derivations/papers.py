"""The two papers the derivations reproduce, as the sections cite them (LaTeX prose)."""
from __future__ import annotations

REFERENCES: dict[str, str] = {
    "granular": r"A. V. Andreev and I. S. Beloborodov, \emph{Mesoscopic charging effects in the $\sigma$-model for granular metals}",
    "bosonization": r"K. B. Efetov, G. Schwiete and K. Takahashi, \emph{Bosonization for disordered and chaotic systems}",
}


def reference(paper: str) -> str:
    """The reference of the named paper ("granular" or "bosonization")."""
    if paper not in REFERENCES:
        raise ValueError(f"unknown paper {paper!r}; known: {', '.join(REFERENCES)}")
    return REFERENCES[paper]
