"""Run-time helpers the generated modules call: the array namespace of the inputs, argument checks, and the
few operations the Array API standard leaves out (einsum, special functions, matrices from entries).

Importing this module stays cheap (numpy and array-api-compat only; no SymPy). Every check looks at type,
dtype and shape, never at values, so it works on JAX tracers and lazy dask arrays alike.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy
from array_api_compat import array_namespace, is_dask_namespace, is_jax_namespace, is_numpy_namespace
from array_api_compat import numpy as numpy_namespace

_PYTHON_NUMBERS = (int, float, complex)


def namespace(*arguments: object) -> Any:
    """The array namespace of the array arguments (numpy when all are Python numbers, lists or tuples)."""
    # Only array-like objects choose the namespace; anything else is left to the argument checks, which name it.
    arrays = [a for a in arguments if hasattr(a, "shape") and hasattr(a, "dtype")]
    # numpy arrays join any other library's computation (JAX, dask, CuPy and torch take them as input).
    others = [a for a in arrays if not isinstance(a, (numpy.ndarray, numpy.generic))]
    arrays = others or arrays
    if not arrays:
        return numpy_namespace
    try:
        return array_namespace(*arrays)
    except TypeError as error:
        kinds = sorted({type(a).__module__.split(".")[0] + "." + type(a).__name__ for a in arrays})
        raise TypeError(f"arguments must be numbers or arrays of one array library, got {', '.join(kinds)} ({error})") from None


def _as_array(xp: Any, value: object, where: str, expected: str) -> Any:
    if isinstance(value, bool) or not (isinstance(value, (*_PYTHON_NUMBERS, list, tuple)) or hasattr(value, "dtype")):
        raise TypeError(f"{where} must be {expected}, not {type(value).__name__}")
    try:
        array = xp.asarray(value) if isinstance(value, (list, tuple)) else value
    except (ValueError, TypeError) as error:  # a ragged or non-numeric nested list
        raise ValueError(f"{where} must be {expected}; the sequence given is not one ({error})") from None
    if not hasattr(array, "dtype"):
        return array
    if not xp.isdtype(array.dtype, "numeric"):
        raise TypeError(f"{where} must have a numeric dtype (integer, real or complex), not {array.dtype}")
    return array


def _known(size: object) -> bool:
    return isinstance(size, int) or (size is not None and not (isinstance(size, float) and math.isnan(size)))


def scalar(xp: Any, value: object, where: str) -> Any:
    """A scalar argument: a number or a numeric array of any shape (it broadcasts)."""
    return _as_array(xp, value, where, "a number or a numeric array of shape (...)")


def vector(xp: Any, value: object, where: str) -> Any:
    """A vector argument of shape (..., n)."""
    array = _as_array(xp, value, where, "a numeric array of shape (..., n)")
    if getattr(array, "ndim", 0) < 1:
        raise ValueError(f"{where} must have shape (..., n), got shape {getattr(array, 'shape', ())}")
    return array


def matrix(xp: Any, value: object, where: str, size: int | None = None) -> Any:
    """A matrix argument of shape (..., n, n) (n = size when the derivation fixes it)."""
    n = "n" if size is None else str(size)
    array = _as_array(xp, value, where, f"a numeric array of shape (..., {n}, {n})")
    shape = tuple(getattr(array, "shape", ()))
    square = len(shape) >= 2 and (not (_known(shape[-1]) and _known(shape[-2])) or shape[-1] == shape[-2])
    if not square or (size is not None and _known(shape[-1]) and shape[-1] != size):
        raise ValueError(f"{where} must have shape (..., {n}, {n}), got shape {shape}")
    return array


def jet(xp: Any, value: object, where: str, length: int, core: str = "", points_first: bool = False) -> Any:
    """A jet: ``length`` entries stacked on axis 0, shape (length, ...) + core; returned in that layout.

    ``core`` is "" (scalar entries), "n" (vectors) or "n, n" (matrices). With ``points_first`` the jet
    comes as (..., length) + core and is moved to the component-major layout (a view in numpy).
    """
    core_ndim = len([c for c in core.split(",") if c.strip()])
    suffix = f", {core}" if core else ""
    expected = f"(..., {length}{suffix})" if points_first else f"({length}, ...{suffix})"
    array = _as_array(xp, value, where, f"a numeric array of shape {expected}")
    shape = tuple(getattr(array, "shape", ()))
    axis = -1 - core_ndim if points_first else 0
    if len(shape) < 1 + core_ndim or (_known(shape[axis]) and shape[axis] < length):
        raise ValueError(
            f"{where} must have shape {expected} (at least {length} jet entries on axis {axis}), got shape {shape}"
        )
    if core_ndim == 2 and _known(shape[-1]) and _known(shape[-2]) and shape[-1] != shape[-2]:
        raise ValueError(f"{where} must have square matrix entries, shape {expected}, got shape {shape}")
    return xp.moveaxis(array, axis, 0) if points_first else array


def complex_from_parts(real: object, imaginary: object, xp: Any = None) -> object:
    """real + 1j*imaginary; numpy real arrays are written into one complex array instead of multiplied by 1j."""
    xp = namespace(real, imaginary) if xp is None else xp
    if not is_numpy_namespace(xp):
        # JAX, dask, CuPy, torch: the library fuses (or schedules) the arithmetic itself.
        return real + 1j * imaginary
    real, imaginary = numpy.asarray(real), numpy.asarray(imaginary)
    if numpy.iscomplexobj(real) or numpy.iscomplexobj(imaginary):
        return real + 1j * imaginary
    out = numpy.empty(numpy.broadcast_shapes(real.shape, imaginary.shape), dtype=numpy.result_type(real, imaginary, 1j))
    out.real = real
    out.imag = imaginary
    return out[()]


def lift(coefficient: Any, core_ndim: int) -> Any:
    """A scalar coefficient with core_ndim trailing unit axes, so it scales a (..., n) or (..., n, n) value per point."""
    if isinstance(coefficient, _PYTHON_NUMBERS) or core_ndim == 0:
        return coefficient
    return coefficient[(..., *([None] * core_ndim))]


def einsum(xp: Any, subscripts: str, *operands: Any, optimize: bool = False) -> Any:
    """xp.einsum (not in the Array API standard, but in numpy, JAX, dask, CuPy and torch)."""
    if optimize and (is_numpy_namespace(xp) or is_dask_namespace(xp)):
        return xp.einsum(subscripts, *operands, optimize=True)
    if not is_numpy_namespace(xp) and len({operand.dtype for operand in operands}) > 1:
        # torch's einsum does not promote (a complex phase times a real Q is an error there)
        common = xp.result_type(*operands)
        operands = tuple(xp.astype(operand, common) for operand in operands)
    return xp.einsum(subscripts, *operands)


def diagonal_matrix(xp: Any, vector_: Any) -> Any:
    """diag(v) of shape (..., n, n) from v of shape (..., n)."""
    vector_ = xp.asarray(vector_)
    return vector_[..., :, None] * xp.eye(vector_.shape[-1], dtype=vector_.dtype)


def matrix_from_entries(xp: Any, rows: Sequence[Sequence[object]]) -> Any:
    """The matrix with these entries (numbers or arrays), of shape (..., rows, columns): entries broadcast."""
    flat = [entry for row in rows for entry in row]
    arrays = [entry for entry in flat if hasattr(entry, "shape")]
    dtype = xp.result_type(*arrays, *[entry for entry in flat if not hasattr(entry, "shape")]) if arrays else None
    if not arrays:
        return xp.asarray(numpy.asarray(rows, dtype=numpy.result_type(*flat, 1.0)))
    shape = numpy.broadcast_shapes(*(tuple(a.shape) for a in arrays))
    entries = [xp.broadcast_to(xp.asarray(entry, dtype=dtype), shape) for entry in flat]
    stacked = xp.stack(entries, axis=-1)
    return xp.reshape(stacked, (*shape, len(rows), len(rows[0])))


# scipy.special names -> where each array library keeps them; dask maps the numpy version over its blocks.
def special_function(xp: Any, name: str) -> Callable[..., Any]:
    """scipy.special.<name> for the namespace xp; a TypeError naming the library when it has no such function."""
    if is_numpy_namespace(xp):
        import scipy.special

        function = getattr(scipy.special, name)

        def same_precision(order: object, x: Any) -> Any:
            # spherical_jn/yn compute float32 in float64; hand back the argument's precision like the ufuncs do.
            value = function(order, x)
            dtype = numpy.result_type(getattr(x, "dtype", numpy.float64), numpy.float32)
            return value.astype(dtype, copy=False) if hasattr(value, "astype") else value

        return same_precision
    if is_dask_namespace(xp):
        import scipy.special

        function = getattr(scipy.special, name)

        def blockwise(order: object, x: Any) -> Any:
            return xp.map_blocks(lambda block: function(order, block), x, dtype=numpy.result_type(x.dtype, 1.0))

        return blockwise
    if is_jax_namespace(xp) and name in _DERIVATIVES:
        return _jax_special_function(name)
    if "torch" in xp.__name__ and name in _DERIVATIVES:
        return _torch_special_function(name)
    if "cupy" in xp.__name__:
        import cupyx.scipy.special

        if hasattr(cupyx.scipy.special, name):
            return getattr(cupyx.scipy.special, name)
    raise TypeError(
        f"scipy.special.{name} has no counterpart in {xp.__name__}; evaluate this function with numpy or dask arrays"
    )


# d/dx of the scipy.special functions the printer emits, so jax.grad can differentiate through the host call.
_DERIVATIVES: dict[str, Callable[[Any, Any], Any]] = {
    "jv": lambda order, x: __import__("scipy.special").special.jvp(order, x),
    "yv": lambda order, x: __import__("scipy.special").special.yvp(order, x),
    "spherical_jn": lambda order, x: __import__("scipy.special").special.spherical_jn(order, x, derivative=True),
    "spherical_yn": lambda order, x: __import__("scipy.special").special.spherical_yn(order, x, derivative=True),
}


def _host_call(function: Callable[[Any, Any], Any], order: object, x: Any) -> Any:
    """function(order, x) evaluated by scipy on the host, inside or outside jax.jit, in x's precision."""
    import jax
    import jax.numpy as jnp

    x = jnp.asarray(x)
    dtype = jnp.result_type(x.dtype, jnp.float32)
    shape = jax.ShapeDtypeStruct(x.shape, dtype)
    return jax.pure_callback(lambda v: numpy.asarray(function(order, numpy.asarray(v)), dtype=dtype), shape, x,
                             vmap_method="expand_dims")


_JAX_SPECIAL: dict[str, Callable[..., Any]] = {}


def _jax_special_function(name: str) -> Callable[..., Any]:
    """A real Bessel function of real argument for JAX: JAX has no Y_n and no spherical Bessel functions, so scipy
    computes the values on the host (jax.pure_callback, which jax.jit traces) and the derivative is the
    closed-form d/dx (jvp rule), so jax.grad works through it (first derivatives)."""
    if name not in _JAX_SPECIAL:
        import jax
        import scipy.special

        value, derivative = getattr(scipy.special, name), _DERIVATIVES[name]

        # The order is a Python integer of the printed code: static (nondiff), never traced.
        @functools.partial(jax.custom_jvp, nondiff_argnums=(0,))
        def special(order: int, x: Any) -> Any:
            return _host_call(value, order, x)

        @special.defjvp
        def _(order: int, primals: tuple[Any], tangents: tuple[Any]) -> tuple[Any, Any]:
            (x,), (tangent,) = primals, tangents
            return special(order, x), _host_call(derivative, order, x) * tangent

        _JAX_SPECIAL[name] = special
    return _JAX_SPECIAL[name]


_TORCH_SPECIAL: dict[str, Callable[..., Any]] = {}


def _torch_special_function(name: str) -> Callable[..., Any]:
    """A real Bessel function of real argument for torch: torch.special has J_0, J_1, Y_0, Y_1 only (and forward
    recurrence for J_n is unstable beyond n ~ x), so scipy computes the values on the host, in the tensor's dtype
    and back on its device; backward is the closed-form d/dx, so autograd works through it (first derivatives)."""
    if name not in _TORCH_SPECIAL:
        import scipy.special
        import torch

        value, derivative = getattr(scipy.special, name), _DERIVATIVES[name]

        def on_host(function: Callable[[Any, Any], Any], order: int, x: Any) -> Any:
            result = numpy.asarray(function(order, x.detach().cpu().numpy()))
            return torch.from_numpy(result.astype(result.dtype if x.dtype == torch.float64 else numpy.float32,
                                                  copy=False)).to(device=x.device, dtype=x.dtype)

        class Special(torch.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any, order: int) -> Any:
                ctx.save_for_backward(x)
                ctx.order = order
                return on_host(value, order, x)

            @staticmethod
            def backward(ctx: Any, grad: Any) -> tuple[Any, None]:
                (x,) = ctx.saved_tensors
                return grad * on_host(derivative, ctx.order, x), None

        def special(order: int, x: Any) -> Any:
            return Special.apply(x, order)

        _TORCH_SPECIAL[name] = special
    return _TORCH_SPECIAL[name]


def code_globals(xp: Any = numpy_namespace) -> dict[str, Any]:
    """The names printed array code refers to (``xp`` and these helpers), for ``eval`` of a printed expression."""
    helpers = (complex_from_parts, lift, einsum, diagonal_matrix, matrix_from_entries, special_function)
    return {"xp": xp, **{helper.__name__: helper for helper in helpers}}


def evaluate_blocked(function: Callable[..., Any], *arguments: Any, threads: int = 2, block: int = 2**15,
                     **keywords: Any) -> Any:
    """function(*arguments) on numpy arrays, in blocks of the last (point) axis run by ``threads`` threads.

    Every array argument must have the same last axis (the points; jets in the default component-major
    layout have it last too); numpy releases the GIL in its loops, so blocks overlap arithmetic and
    streaming on several cores and each block's temporaries stay in cache. Single-output functions only.
    """
    from concurrent.futures import ThreadPoolExecutor

    arrays = [a for a in (*arguments, *keywords.values()) if isinstance(a, numpy.ndarray) and a.ndim]
    points = arrays[0].shape[-1]
    if any(a.shape[-1] != points for a in arrays):
        raise ValueError("evaluate_blocked: every array argument needs the same last (point) axis")

    def part(start: int) -> Any:
        piece = slice(start, min(start + block, points))
        cut = [a[..., piece] if isinstance(a, numpy.ndarray) and a.ndim else a for a in arguments]
        return function(*cut, **{k: v[..., piece] if isinstance(v, numpy.ndarray) and v.ndim else v
                                 for k, v in keywords.items()})

    starts = range(0, points, block)
    first = part(0)
    out = numpy.empty((*first.shape[:-1], points), dtype=first.dtype)
    out[..., :block] = first

    def fill(start: int) -> None:
        out[..., start:start + block] = part(start)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(fill, starts[1:]))
    return out


def is_dask(xp: Any) -> bool:
    """Whether xp is dask's namespace (the generated elementwise functions then map themselves over blocks)."""
    return is_dask_namespace(xp)


def map_over_blocks(function: Callable[..., Any], arguments: dict[str, Any], jets: Sequence[str],
                    keywords: dict[str, Any]) -> Any:
    """function on dask arrays as one task per block: jets (k, *points) whole along axis 0, the rest (*points).

    The numpy function runs on each block, so a jets export with thousands of operations is not a graph of
    thousands of tasks per chunk. The result is lazy, of shape *points.
    """
    import dask.array as da

    def point_shape(name: str, value: Any) -> tuple[int, ...]:
        return tuple(numpy.shape(value)[1:] if name in jets else numpy.shape(value))

    points = numpy.broadcast_shapes(*(point_shape(n, v) for n, v in arguments.items()))
    indices = tuple(range(1, len(points) + 1))
    pairs, sample = [], {}
    for name, value in arguments.items():
        array = da.asarray(value)
        if name in jets:
            array = da.broadcast_to(array, (array.shape[0], *points)).rechunk({0: -1})
            pairs += [array, (0, *indices)]
            sample[name] = numpy.ones((array.shape[0], *([1] * len(points))), dtype=array.dtype)
        else:
            array = da.broadcast_to(array, points)
            pairs += [array, indices]
            sample[name] = numpy.ones([1] * len(points), dtype=array.dtype)
    dtype = numpy.asarray(function(**sample, **keywords)).dtype

    names = tuple(arguments)  # the closure holds names only: dask tokenizes (pickles) it

    def block(*blocks: Any) -> Any:
        return function(**dict(zip(names, blocks, strict=True)), **keywords)

    return da.blockwise(block, indices, *pairs, dtype=dtype, concatenate=True)
