"""The LaTeX printer of the sections and its inverse, as public functions.

``latex(obj) -> str`` is the printer the generated sections use (``derive.emit.latex.printer``), with the
project's nodes (traces, supertraces, star products, ...); ``parse(text, symbols=None)`` reads what it
prints back into the same SymPy objects (``derive.emit.latex.reader``; pass the derivation's symbols to
get its very Symbols back); ``notebook_latex`` is the form a notebook's ``_repr_latex_`` shows.

``Average(expr, *over)`` (``derive.engines.expression_nodes``) is the node for ``\\langle expr \\rangle_{over}``
in a claim's formula; ``Average(f, x).doit()`` evaluates it when ``x`` is a ``sympy.stats`` random symbol.
Limits (``sympy.Limit``, with direction), sums over several indices (``\\substack``), ``KroneckerDelta``,
``binomial``, ``factorial``, ``conjugate``, ``Dagger``, ``Determinant``, ``Max``/``Min``, ``EulerGamma``
(printed ``\\gamma_{\\mathrm{E}}``) and ``gamma`` read back too.
"""
from derive.emit.latex.printer import latex, notebook_latex
from derive.emit.latex.reader import parse
from derive.engines.expression_nodes import Average

__all__ = ["Average", "latex", "notebook_latex", "parse"]
