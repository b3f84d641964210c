"""Every generated export on numpy (float64, float32, complex), JAX (eager, jax.jit, jax.grad), dask (lazy) and torch
(where installed),
against the numpy float64 result; argument checks by type and shape; broadcasting as the docstrings say.

Inputs are built from each function's own argument checks (``jet``/``matrix``/``vector``/``scalar`` lines of
its source), so a new export is covered without listing it here.
"""
from __future__ import annotations

import importlib
import inspect
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

MODULES = ("granular", "continuum", "moyal", "bosonization")
POINTS, SIZE = 3, 2  # point axis length, matrix size n
# Large moyal exports are covered through their smallest and largest order per family (compile time under jit).
_SKIPPED = re.compile(r"star_(matrix_)?d(1_order[1-7]|2_order[1-5]|3_order[1-3])$")
_SPECIAL = re.compile(r"special_function\(")
_CHECK = re.compile(r"^\s+(\w+) = (jet|matrix|vector|scalar)\(xp, \w+, '[^']*'(?:, (\d+))?(?:, '([^']*)')?")


def exports() -> list[tuple[str, str]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(f"derive.generated.{name}")
        found += [(name, f) for f in module.__all__ if callable(getattr(module, f)) and not _SKIPPED.search(f)]
    return found


def function_of(module: str, name: str):
    return getattr(importlib.import_module(f"derive.generated.{module}"), name)


def argument_kinds(function) -> dict[str, tuple[str, int | None, str]]:
    kinds = {}
    for line in inspect.getsource(function).splitlines():
        match = _CHECK.match(line)
        if match:
            argument, kind, number, core = match.groups()
            kinds[argument] = (kind, int(number) if number else None, core or "")
    return kinds


def sample_inputs(function, seed: int = 0, points: int = POINTS) -> dict[str, np.ndarray]:
    """float64 inputs of the shapes the checks ask for, values in (0.5, 1.5) (positive where a root or log needs it)."""
    rng = np.random.default_rng(seed)
    inputs = {}
    for argument, (kind, number, core) in argument_kinds(function).items():
        core_shape = {"": (), "n": (SIZE,), "n, n": (SIZE, SIZE)}[core] if kind == "jet" else ()
        shape = {
            "jet": (number or 1, points, *core_shape),
            "matrix": (points, number or SIZE, number or SIZE),
            "vector": (points, SIZE),
            "scalar": (points,),
        }[kind]
        inputs[argument] = rng.uniform(0.5, 1.5, size=shape)
    if "k_F_a" in inputs:
        inputs["k_F_a"] = inputs["k_F_a"] * 6 - 2  # k_F a in (1, 7): the partial-wave sums hold up to about 20
    if "d" in inputs:
        inputs["d"] = np.full(points, 3.0)
    return inputs


EXPORTS = exports()
IDS = [f"{module}.{name}" for module, name in EXPORTS]


@pytest.fixture(scope="session")
def jax_modules():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    return jax, jax.numpy


@pytest.fixture(scope="session")
def dask_array():
    return pytest.importorskip("dask.array")


def reference(function, inputs):
    return np.asarray(function(**inputs))


def _uses_special_functions(module: str, name: str) -> bool:
    return bool(_SPECIAL.search(inspect.getsource(function_of(module, name))))


# Every export keeps float32, the partial-wave rates included (their moduli come from hypot, so a partial wave
# whose Y_l overflows single precision adds 0, not inf/inf).
FLOAT32 = [pytest.param(module, name, id=f"{module}.{name}") for module, name in EXPORTS]


@pytest.mark.parametrize(("module", "name"), FLOAT32)
def test_numpy_float32_is_kept(module: str, name: str) -> None:
    function = function_of(module, name)
    inputs = sample_inputs(function)
    expected = reference(function, inputs)
    with np.errstate(all="ignore"):
        single = np.asarray(function(**{k: v.astype(np.float32) for k, v in inputs.items()}))
    assert single.dtype in (np.float32, np.complex64), f"float32 in gave {single.dtype}"
    np.testing.assert_allclose(single, expected, rtol=2e-3, atol=2e-4 * np.max(np.abs(expected)))


@pytest.mark.parametrize(("module", "name"), EXPORTS, ids=IDS)
def test_numpy_complex_input(module: str, name: str) -> None:
    function = function_of(module, name)
    inputs = sample_inputs(function)
    expected = reference(function, inputs)
    complex_in = {k: v + 0j for k, v in inputs.items()}
    if not _SPECIAL.search(inspect.getsource(function)):  # Bessel functions of complex argument are not exported
        np.testing.assert_allclose(np.asarray(function(**complex_in)), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("module", "name"), EXPORTS, ids=IDS)
def test_dask_stays_lazy_and_agrees(module: str, name: str, dask_array) -> None:
    function = function_of(module, name)
    inputs = sample_inputs(function, points=8)
    expected = reference(function, inputs)
    lazy = {k: dask_array.from_array(v, chunks=tuple(4 if i == (1 if argument_kinds(function)[k][0] == "jet" else 0)
                                                     else s for i, s in enumerate(v.shape)))
            for k, v in inputs.items()}
    result = function(**lazy)
    outputs = result if isinstance(result, tuple) else (result,)
    assert all(isinstance(o, dask_array.Array) for o in outputs), f"{name} turned eager on dask: {type(outputs[0])}"
    computed = np.asarray(result[0].compute() if isinstance(result, tuple) else result.compute())
    np.testing.assert_allclose(computed, np.asarray(expected[0] if isinstance(result, tuple) else expected), rtol=1e-12)


@pytest.mark.parametrize(("module", "name"), EXPORTS, ids=IDS)
def test_jax_eager_and_jit_agree(module: str, name: str, jax_modules) -> None:
    jax, jnp = jax_modules
    function = function_of(module, name)
    inputs = sample_inputs(function)
    expected = reference(function, inputs)
    arrays = {k: jnp.asarray(v) for k, v in inputs.items()}
    compiled = jax.jit(lambda kwargs: function(**kwargs))(arrays)
    values = [compiled]
    if len(inspect.getsource(function)) < 20_000:  # op-by-op dispatch of the longest ones takes tens of seconds
        eager = function(**arrays)
        assert isinstance(eager[0] if isinstance(eager, tuple) else eager, jax.Array), "JAX in, numpy out"
        values.append(eager)
    for value in values:
        np.testing.assert_allclose(np.asarray(value), expected, rtol=1e-10, atol=1e-12)


@pytest.fixture(scope="session")
def torch_module():
    # torch is not in the test extras (its wheel is large); `pip install torch` and this runs every export on it
    return pytest.importorskip("torch")


@pytest.mark.parametrize(("module", "name"), EXPORTS, ids=IDS)
def test_torch_tensors_in_and_out(module: str, name: str, torch_module) -> None:
    torch = torch_module
    function = function_of(module, name)
    inputs = sample_inputs(function)
    expected = reference(function, inputs)
    result = function(**{k: torch.from_numpy(v) for k, v in inputs.items()})
    outputs = result if isinstance(result, tuple) else (result,)
    assert all(isinstance(o, torch.Tensor) for o in outputs), f"torch in, {type(outputs[0]).__name__} out"
    value = np.stack([o.numpy() for o in outputs]) if isinstance(result, tuple) else result.numpy()
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-12)


# Bessel functions run on the host under JAX (scipy through jax.pure_callback) with their closed-form derivative.
GRADIENTS = [("granular", "delta_F", "T"), ("moyal", "star_d1_order0", "jet_a"),
             ("continuum", "volume_per_grain_fcc", "a"), ("bosonization", "liouville_3d", "n"),
             ("bosonization", "tau_tr_hard_disk", "k_F_a"), ("bosonization", "tau_hard_sphere", "k_F_a")]


def gradient_inputs(function, argument: str) -> dict[str, np.ndarray]:
    """One point of the sample inputs (the differentiated argument keeps its jet or vector axis)."""
    return {k: v[..., 0] if k != argument or v.ndim == 1 else v[:, 0] for k, v in sample_inputs(function).items()}


def central_differences(total, x0: np.ndarray, step: float) -> np.ndarray:
    """d total/dx at x0, entry by entry, by central differences."""
    numeric = np.zeros_like(x0)
    for index in np.ndindex(x0.shape):
        e = np.zeros_like(x0)
        e[index] = step
        numeric[index] = (float(total(x0 + e)) - float(total(x0 - e))) / (2 * step)
    return numeric


@pytest.mark.parametrize(("module", "name", "argument"), GRADIENTS)
def test_jax_grad_matches_central_differences(module: str, name: str, argument: str, jax_modules) -> None:
    jax, jnp = jax_modules
    function = function_of(module, name)
    inputs = gradient_inputs(function, argument)
    def total(x):
        return jnp.sum(jnp.real(function(**{**inputs, argument: x})))
    gradient = np.asarray(jax.grad(total)(jnp.asarray(inputs[argument])))
    errors = [np.max(np.abs(central_differences(total, inputs[argument], step) - gradient)) for step in (1e-3, 5e-4)]
    assert errors[-1] < 1e-6 * max(1.0, np.max(np.abs(gradient)))


def test_jet_layout_points_first_gives_the_same_values() -> None:
    from derive.generated import moyal

    inputs = sample_inputs(moyal.star_d3_order4, points=5)
    expected = moyal.star_d3_order4(**inputs)
    moved = {k: np.moveaxis(v, 0, -1) if v.ndim > 1 else v for k, v in inputs.items()}
    np.testing.assert_array_equal(moyal.star_d3_order4(**moved, points_first=True), expected)


def test_matrix_valued_exports_broadcast_over_their_arguments() -> None:
    from derive.generated import continuum

    stacked = continuum.diffusion_tensor_fcc(np.ones(10))
    assert stacked.shape == (10, 3, 3)
    np.testing.assert_array_equal(stacked[4], continuum.diffusion_tensor_fcc(1.0))
    assert continuum.fourth_order_tensor_rectangular(np.ones((2, 1)), np.ones(5)).shape == (2, 5, 4, 4)


def test_bad_arguments_name_the_argument_and_the_expected_shape() -> None:
    from derive.generated import continuum, granular, moyal

    with pytest.raises(ValueError, match=r"star_d2_order3: jet_a must have shape \(35, \.\.\.\).*got shape \(3, 4\)"):
        moyal.star_d2_order3(np.ones((3, 4)), np.ones((35, 4)))
    with pytest.raises(ValueError, match=r"tunneling_action: Q1 must have shape \(\.\.\., n, n\), got shape \(3, 4\)"):
        granular.tunneling_action(np.ones((3, 4)), np.ones((4, 4)), np.ones(4), 1.0)
    with pytest.raises(ValueError, match=r"gradient_action_density_d2: gamma must have shape \(\.\.\., 2, 2\)"):
        continuum.gradient_action_density_d2(np.eye(2), np.ones((2, 2, 2)), np.ones((2, 2)), np.eye(3), 1.0, 1.0)
    with pytest.raises(TypeError, match="delta_F: T must be a number or a numeric array"):
        granular.delta_F("hot", 0.1, 1.0)
    with pytest.raises(TypeError, match="delta_F: delta must have a numeric dtype"):
        granular.delta_F(1.0, np.array(["a"]), 1.0)


def test_python_numbers_and_lists_are_accepted() -> None:
    from derive.generated import granular

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert granular.delta_F([1.0, 2.0], 0.1, 1.0).shape == (2,)
    assert np.ndim(granular.delta_F(1.0, 0.1, 1.0)) == 0


def test_dask_runs_elementwise_exports_as_one_task_per_block(dask_array) -> None:
    from derive.generated import moyal

    rng = np.random.default_rng(9)
    a, b = rng.normal(size=(210, 40)), rng.normal(size=(210, 40))
    lazy = moyal.star_d3_order4(dask_array.from_array(a, chunks=(70, 10)), dask_array.from_array(b, chunks=(210, 10)), 0.5)
    graph = dict(lazy.__dask_graph__())
    own = [key for key in graph if isinstance(key, tuple) and key[0] == lazy.name]
    assert len(own) == 4, f"{len(own)} tasks for 4 blocks"
    assert len(graph) < 40, f"{len(graph)} tasks in all: the thousands of operations became tasks"
    np.testing.assert_array_equal(lazy.compute(), moyal.star_d3_order4(a, b, 0.5))


_BAD_VALUES = st.one_of(
    st.none(), st.text(max_size=4), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just([[1.0], [2.0, 3.0]]), st.just(np.array(["a", "b"])), st.just(np.array([object()], dtype=object)),
)
# Core shapes no check accepts: a jet without entries, a matrix that is not square. (Point axes that do not
# broadcast against the other arguments are numpy's own error, not the check of one argument.)
_BAD_CORE_SHAPES = {"jet": np.ones((0, 3)), "matrix": np.ones((3, 2, 5))}


@pytest.mark.parametrize(("module", "name"), EXPORTS, ids=IDS)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_any_bad_argument_is_a_named_value_or_type_error(module: str, name: str, data) -> None:
    """Issue 16: one argument replaced by a generated wrong value (type, dtype, ragged, shape) is refused with a
    ValueError/TypeError naming the function and that argument, nothing else."""
    function = function_of(module, name)
    inputs = sample_inputs(function, points=3)
    argument = data.draw(st.sampled_from(sorted(inputs)))
    kind = argument_kinds(function)[argument][0]
    bad = st.one_of(_BAD_VALUES, st.just(_BAD_CORE_SHAPES[kind])) if kind in _BAD_CORE_SHAPES else _BAD_VALUES
    inputs[argument] = data.draw(bad)
    with pytest.raises((ValueError, TypeError)) as caught:
        function(**inputs)
    assert name in str(caught.value) and argument in str(caught.value), str(caught.value)


@pytest.mark.parametrize(("module", "name", "argument"), GRADIENTS)
def test_torch_autograd_matches_central_differences(module: str, name: str, argument: str, torch_module) -> None:
    """torch.autograd through every kind of export, Bessel functions included (scipy on the host, closed-form
    backward), against central differences of the numpy function."""
    torch = torch_module
    function = function_of(module, name)
    inputs = gradient_inputs(function, argument)
    x = torch.tensor(inputs[argument], requires_grad=True)
    total = torch.sum(torch.real(function(**{**{k: torch.from_numpy(np.asarray(v)) for k, v in inputs.items()}, argument: x})))
    (gradient,) = torch.autograd.grad(total, x)
    def numpy_total(value):
        return np.sum(np.real(function(**{**inputs, argument: value})))
    numeric = central_differences(numpy_total, inputs[argument], 1e-4)
    np.testing.assert_allclose(gradient.numpy(), numeric, rtol=1e-6, atol=1e-8)
