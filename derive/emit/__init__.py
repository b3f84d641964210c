"""Emitters: SymPy printers for LaTeX and numpy, the jinja2 environment, atomic file output."""
