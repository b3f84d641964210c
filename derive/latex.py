"""The LaTeX printer of the sections, as a public function: ``latex(obj) -> str``.

``latex`` is the printer the generated sections use (``derive.emit.latex.printer``), with the
project's nodes (traces, supertraces, star products, ...); ``notebook_latex`` is the form a notebook's
``_repr_latex_`` shows.
"""
from derive.emit.latex.printer import latex, notebook_latex

__all__ = ["latex", "notebook_latex"]
