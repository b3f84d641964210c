"""derive: the granular-metal and bosonization papers as executable SymPy derivations.

Each derivation is a list of steps whose claims are checked when it runs; the results are emitted as
LaTeX sections and numpy modules (importable as ``derive.generated.<name>``).
"""

__version__ = "0.1.0"

from derive import _aliases

_aliases.install()
