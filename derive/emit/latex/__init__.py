"""The LaTeX target (printer, reader, sections, appendix, read-back)."""
from derive.emit.latex.section import TARGET

__all__ = ["TARGET"]
