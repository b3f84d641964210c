"""The LaTeX printer of the sections and its inverse, as public functions.

``latex(obj) -> str`` is the printer the generated sections use (``derive.emit.latex.printer``), with the
project's nodes (traces, supertraces, star products, ...); ``parse(text, symbols=None)`` reads what it
prints back into the same SymPy objects (``derive.emit.latex.reader``; pass the derivation's symbols to
get its very Symbols back); ``notebook_latex`` is the form a notebook's ``_repr_latex_`` shows.
"""
from derive.emit.latex.printer import latex, notebook_latex
from derive.emit.latex.reader import parse

__all__ = ["latex", "notebook_latex", "parse"]
