"""derive.sweep on a LocalCluster of two worker processes, against direct numpy evaluation of samples."""
from __future__ import annotations

import numpy as np
import pytest

import derive
from derive.generated import continuum, granular

distributed = pytest.importorskip("distributed")
xarray = pytest.importorskip("xarray")


@pytest.fixture(scope="session")
def client():
    """One two-process cluster for the session (starting one costs seconds)."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as running:
        yield running
    cluster.close()


def test_delta_F_over_a_2000_by_2000_grid_runs_on_the_cluster(client) -> None:
    temperatures, thouless = np.linspace(0.05, 20.0, 2000), np.linspace(0.5, 50.0, 2000)
    with distributed.get_task_stream(client) as stream:
        result = derive.sweep(granular.delta_F, T=temperatures, delta=1.0, E_T=thouless)
    assert isinstance(result, xarray.DataArray)
    assert result.dims == ("T", "E_T") and result.shape == (2000, 2000)
    np.testing.assert_array_equal(result.coords["T"].values, temperatures)
    workers = {task["worker"] for task in stream.data}
    assert len(workers) == 2, f"the sweep ran on {workers}, not on both workers"
    rng = np.random.default_rng(7)
    i, j = rng.integers(0, 2000, 200), rng.integers(0, 2000, 200)
    direct = granular.delta_F(temperatures[i], 1.0, thouless[j])
    np.testing.assert_allclose(result.values[i, j], direct, rtol=1e-14)
    assert np.all(np.isfinite(result.values))


def test_matrix_results_get_trailing_dimensions_and_lazy_results_stay_lazy() -> None:
    a, b = np.linspace(1.0, 2.0, 7), np.linspace(0.5, 1.0, 3)
    lazy = derive.sweep(continuum.diffusion_tensor_rectangular, compute=False, block_points=4, a=a, b=b)
    assert lazy.dims == ("a", "b", "diffusion_tensor_rectangular_axis0", "diffusion_tensor_rectangular_axis1")
    assert lazy.chunks is not None
    values = lazy.compute().values
    np.testing.assert_allclose(values[5, 2], continuum.diffusion_tensor_rectangular(a[5], b[2]), rtol=1e-15)


def test_bad_grids_name_the_argument() -> None:
    with pytest.raises(TypeError, match="no argument temperature"):
        derive.sweep(granular.delta_F, temperature=np.ones(3), delta=1.0, E_T=1.0)
    with pytest.raises(TypeError, match="E_T"):
        derive.sweep(granular.delta_F, T=np.ones(3), delta=1.0)
    with pytest.raises(ValueError, match="1-D arrays; T"):
        derive.sweep(granular.delta_F, T=np.ones((3, 3)), delta=1.0, E_T=1.0)
