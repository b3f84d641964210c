"""derive: the granular-metal and bosonization papers as executable SymPy derivations.

Each derivation is a list of steps whose claims are checked when it runs; the results are emitted as
LaTeX sections and numpy modules (importable as ``derive.generated.<name>``).
"""

__version__ = "0.1.0"

from derive import _aliases

_aliases.install()

# derive.sweep(function, **grid): a generated function over a parameter grid on dask (imports dask only when called).
from derive import sweep  # noqa: E402

__all__ = ["__version__", "sweep"]
