"""The LaTeX target (printer, sections, appendix, round trip)."""
from derive.emit.latex.section import TARGET

__all__ = ["TARGET"]
