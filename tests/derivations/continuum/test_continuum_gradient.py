"""The gradient expansion against the lattice: finite periodic lattices, smooth fields, slopes of the error.

On a fixed torus the lattice spacing a = 1/N shrinks; the lattice tunneling action (a direct sum over
contacts of the generated granular ``tunneling_action``, cross-checked against a direct einsum in
tests/continuum_numerics.py) is compared with the continuum action of derive.continuum integrated
on a fine grid with spectral derivatives. The relative difference must fall as a² with the Eq. 15 term and
as a⁴ once the fourth-order term is added (per grain: a⁴ and a⁶, the action per grain being ∝ a²).
"""
from __future__ import annotations

import numpy as np
import pytest

from continuum_numerics import SmoothFields, continuum_jet, lattice_tunneling_action, numeric_geometry, random_bravais
from derive.engines.gradient_expansion import continuum_action_density
from derive.engines.lattices import a, b, diffusion_tensor, fourth_order_tensor, lattice, volume_per_grain
from derive.generated import continuum as generated
from derive.generated import granular

G_T = 1.0
ASPECT = 1.4  # rectangular: b = 1.4 a
CASES = {  # name: (lattice sizes N, quadrature grid, matrix size n, field amplitude)
    "chain": ((16, 23, 32, 45, 64), 64, 4, 0.3),
    "square": ((12, 16, 23, 32, 45), 40, 4, 0.3),
    "rectangular": ((12, 16, 23, 32, 45), 40, 4, 0.3),
    "triangular": ((12, 16, 23, 32, 45), 40, 4, 0.3),
    "honeycomb": ((12, 16, 23, 32, 45), 40, 4, 0.3),
    "random": ((12, 16, 23, 32, 45), 40, 4, 0.3),
    "simple_cubic": ((10, 14, 20, 28), 16, 2, 0.25),
    "bcc": ((10, 14, 20, 28), 16, 2, 0.25),
    "fcc": ((10, 14, 20, 28), 16, 2, 0.25),
}


def structure_of(name: str):
    if name == "random":
        return random_bravais(np.random.default_rng(7), 2, 4)
    return lattice(name)


def unit_tensors(structure):
    """γ, γ⁽⁴⁾ and the volume per grain at a = 1 (they scale as a², a⁴, a^d)."""
    values = {a: 1, b: ASPECT}
    gamma = np.array(diffusion_tensor(structure).subs(values).evalf(), dtype=float)
    gamma4 = np.array(fourth_order_tensor(structure).subs(values).tolist(), dtype=float)
    return gamma, gamma4, float(volume_per_grain(structure).subs(values))


def generated_action(jet, gamma, gamma4, volume, torus_volume):
    """∫ of the generated densities (Eq. 15 term, and with the a⁴ term) over the torus, by the grid mean."""
    d = gamma.shape[0]
    pairs = generated.INDEX_PAIRS[d]
    second = getattr(generated, f"gradient_action_density_d{d}")(jet["Q"], jet["dQ"], jet["dchi"], gamma, G_T, volume)
    fourth = getattr(generated, f"fourth_order_action_density_d{d}")(
        jet["Q"], jet["dQ"], np.stack([jet["ddQ"][m, k] for m, k in pairs]), jet["dchi"],
        np.stack([jet["ddchi"][m, k] for m, k in pairs]), gamma4.reshape(d * d, d * d), G_T, volume)
    assert np.max(np.abs(second.imag)) < 1e-9 and np.max(np.abs(fourth.imag)) < 1e-9  # real for Hermitian Q
    return second.real.mean() * torus_volume, (second + fourth).real.mean() * torus_volume


def relative_errors(name: str, flip_chi: bool = False) -> np.ndarray:
    """Rows (a, error of the a² continuum action, error with the a⁴ term), relative to the lattice action."""
    sizes, grid, size, amplitude = CASES[name]
    structure = structure_of(name)
    primitive, _, _ = numeric_geometry(structure, 1.0, ASPECT)
    fields = SmoothFields(np.random.default_rng(11), primitive.shape[0], size, amplitude)
    jet = continuum_jet(fields, primitive, grid)  # torus = one unit cell at a = 1, i.e. N cells at a = 1/N
    if flip_chi:  # the covariant derivative as printed, ∇Q − i[∇χ̂, Q], is this one with χ̂ → −χ̂
        jet = {**jet, "dchi": -jet["dchi"], "ddchi": -jet["ddchi"]}
    gamma, gamma4, volume = unit_tensors(structure)
    torus_volume = abs(np.linalg.det(primitive))
    d = primitive.shape[0]
    rows = []
    for cells in sizes:
        spacing = 1.0 / cells
        geometry = numeric_geometry(structure, spacing, ASPECT * spacing)
        exact = lattice_tunneling_action(fields, *geometry, cells, G_T, contact_action=granular.tunneling_action)
        if cells == sizes[0]:  # the granular module's contact term against a direct evaluation
            assert exact == pytest.approx(lattice_tunneling_action(fields, *geometry, cells, G_T), rel=1e-12)
        v = volume * spacing**d
        second, fourth = generated_action(jet, gamma * spacing**2, gamma4 * spacing**4, v, torus_volume)
        rows.append((spacing, abs(exact - second) / abs(exact), abs(exact - fourth) / abs(exact)))
    return np.array(rows)


def slope(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.polyfit(np.log10(x), np.log10(y), 1)[0])


@pytest.mark.parametrize("name", sorted(CASES))
def test_continuum_action_converges_as_a_squared_and_a_fourth(name):
    errors = relative_errors(name)
    second_order_slope = slope(errors[:, 0], errors[:, 1])
    fourth_order_slope = slope(errors[:, 0], errors[:, 2])
    assert 1.85 < second_order_slope < 2.3, (name, second_order_slope, errors)
    assert 3.7 < fourth_order_slope < 4.5, (name, fourth_order_slope, errors)
    ratio = errors[:, 2] / errors[:, 1]
    assert np.all(ratio < 1) and np.all(np.diff(ratio) < 0), ratio  # the a⁴ term helps, more so as a → 0


def test_printed_sign_of_the_covariant_derivative_does_not_converge():
    """With ∂̃Q = ∇Q − i[∇χ̂,Q] (print) instead of ∇Q + i[∇χ̂,Q] the error stays O(1) as a → 0."""
    correct = relative_errors("square")
    printed = relative_errors("square", flip_chi=True)
    assert correct[-1, 1] < 0.02
    assert printed[-1, 1] > 5 * correct[-1, 1]
    assert abs(slope(printed[-3:, 0], printed[-3:, 1])) < 0.5  # a constant error: the wrong action


def test_generated_density_agrees_with_the_engine_pointwise():
    """The emitted numpy and the engine's own evaluation of its polynomials give the same density."""
    structure = lattice("triangular")
    primitive, _, _ = numeric_geometry(structure, 1.0)
    fields = SmoothFields(np.random.default_rng(3), 2, 4, 0.5)
    jet = continuum_jet(fields, primitive, 12)
    gamma, gamma4, volume = unit_tensors(structure)
    engine = continuum_action_density(jet, gamma, G_T, volume, gamma4)
    second, fourth = generated_action(jet, gamma, gamma4, volume, 1.0)
    assert np.mean(engine) == pytest.approx(fourth, rel=1e-12)
    assert np.mean(continuum_action_density(jet, gamma, G_T, volume)) == pytest.approx(second, rel=1e-12)


@pytest.mark.parametrize("name", ["chain", "rectangular", "honeycomb", "fcc"])
def test_generated_tensors_match_the_symbolic_ones(name):
    gamma, gamma4, volume = unit_tensors(lattice(name))
    args = (1.0, ASPECT) if name == "rectangular" else (1.0,)
    assert np.allclose(generated.DIFFUSION_TENSORS[name](*args), gamma, rtol=1e-14)
    d = gamma.shape[0]
    assert np.allclose(generated.FOURTH_ORDER_TENSORS[name](*args).reshape((d,) * 4), gamma4, rtol=1e-14)
    assert generated.VOLUMES_PER_GRAIN[name](*args) == pytest.approx(volume, rel=1e-14)
