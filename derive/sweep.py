"""``derive.sweep``: a generated function over a Cartesian grid of its parameters, as one chunked dask computation.

Each gridded argument becomes a dask array along its own axis (an open grid: broadcasting forms the product,
so no argument is ever materialised at the grid's size); the generated function, which takes its namespace
from its inputs, builds the lazy result block by block. The computation runs on the active
dask.distributed Client when there is one (a LocalCluster or ``Client("tcp://scheduler:8786")``), else on
dask's local threads. The result is an xarray.DataArray with one dimension and coordinate per gridded argument.
"""
from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

# Points per block: large enough to amortise the per-task overhead (~1 ms), small enough for a worker's cache.
BLOCK_POINTS = 2**20


def _block_lengths(lengths: list[int], block_points: int) -> list[int]:
    """Chunk length per grid axis so a block holds about block_points points (trailing axes filled first)."""
    chunks, remaining = [1] * len(lengths), block_points
    for axis in reversed(range(len(lengths))):
        chunks[axis] = max(1, min(lengths[axis], remaining))
        remaining = max(1, remaining // chunks[axis])
    return chunks


def _active_client() -> Any:
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:  # no Client has been started
        return None


def sweep(function: Callable[..., Any], *, compute: bool = True, block_points: int = BLOCK_POINTS, **grid: Any):
    """Evaluate ``function`` on the Cartesian product of the 1-D arrays in ``grid`` (numbers are held fixed).

    Returns an xarray.DataArray with one dimension per gridded argument (in the order given), its values as
    the coordinate, and trailing dimensions ``<function>_axis<k>`` for matrix- or vector-valued results.
    With ``compute=False`` the DataArray stays lazy (dask-backed).
    """
    import dask
    import dask.array as da
    import numpy
    import xarray

    parameters = inspect.signature(function).parameters
    unknown = sorted(set(grid) - set(parameters))
    if unknown:
        raise TypeError(f"sweep: {function.__name__} has no argument {', '.join(unknown)} (it takes {', '.join(parameters)})")
    missing = [name for name, p in parameters.items() if p.default is p.empty and p.kind is not p.KEYWORD_ONLY
               and name not in grid]
    if missing:
        raise TypeError(f"sweep: give {function.__name__}'s argument(s) {', '.join(missing)} a value or a grid")
    axes = {name: numpy.asarray(values) for name, values in grid.items() if numpy.ndim(values) == 1}
    wrong = [name for name, values in grid.items() if numpy.ndim(values) > 1]
    if wrong:
        raise ValueError(f"sweep: grid values must be numbers or 1-D arrays; {', '.join(wrong)} are not")
    if not axes:
        raise ValueError("sweep: no argument has a 1-D array of values to sweep over")
    lengths = [len(values) for values in axes.values()]
    chunks = _block_lengths(lengths, block_points)
    arguments = dict(grid)
    for axis, (name, values) in enumerate(axes.items()):
        shape = [1] * len(axes)
        shape[axis] = len(values)
        block = [1] * len(axes)
        block[axis] = chunks[axis]
        arguments[name] = da.from_array(values.reshape(shape), chunks=tuple(block))
    lazy = function(**arguments)
    if isinstance(lazy, tuple):
        raise TypeError(f"sweep: {function.__name__} returns a tuple; sweep one of its parts instead")
    lazy = da.broadcast_to(lazy, (*lengths, *lazy.shape[len(axes):])) if lazy.ndim >= len(axes) else lazy
    extra = [f"{function.__name__}_axis{k}" for k in range(lazy.ndim - len(axes))]
    coordinates = dict(axes)
    if compute:
        client = _active_client()
        values = client.compute(lazy).result() if client is not None else dask.compute(lazy)[0]
        values = numpy.asarray(values)
    else:
        values = lazy
    return xarray.DataArray(values, dims=[*axes, *extra], coords=coordinates, name=function.__name__,
                            attrs={"points": math.prod(lengths)})


class _CallableModule(type(inspect)):
    """``derive.sweep`` is this module and the function at once: ``derive.sweep(f, T=...)`` works either way."""

    def __call__(self, function: Callable[..., Any], **kwargs: Any) -> Any:
        return sweep(function, **kwargs)


import sys  # noqa: E402  (only for the module class swap below)

sys.modules[__name__].__class__ = _CallableModule
