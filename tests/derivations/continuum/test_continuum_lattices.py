"""Continuum limit: lattice geometry, diffusion tensors, and the Einstein relation as the proof of conventions.

σ_{μν} = 2e²ν D_{μν} (spin included, ν = 1/(δ · volume per grain), D = γ g_T δ) must equal the conductivity
of the same lattice as a resistor network of contacts G_T = g_T e²/(2πħ), computed by a Kirchhoff solve.
This fixes how Σ_{ll'} of Eq. 11b counts a contact: once (ordered pairs would give twice the network's σ).
"""
from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
import sympy

from continuum_numerics import network_conductivity, numeric_geometry, random_bravais, random_multi_sublattice
from derive.engines.gradient_expansion import diffusion_tensor
from derive.engines.lattices import (
    NAMED_LATTICES,
    Contact,
    Lattice,
    a,
    b,
    fourth_order_tensor,
    lattice,
    neighbours,
    volume_per_grain,
)

A_VALUE, B_VALUE = 1.3, 2.1
G_T = 0.7  # dimensionless contact conductance; e = ħ = 1, so G_T(network) = g_T/(2π)
COORDINATION = {"chain": 2, "square": 4, "rectangular": 4, "triangular": 6, "honeycomb": 3,
                "simple_cubic": 6, "bcc": 8, "fcc": 12}


def numeric(expr, b_value: float = B_VALUE) -> np.ndarray:
    return np.array(sympy.Matrix(expr).subs({a: A_VALUE, b: b_value}).evalf(), dtype=float)


def einstein_conductivity(structure, counting: str = "contacts") -> np.ndarray:
    """σ = 2e²νD with ν = 1/(δ v) and D = γ g_T δ: δ cancels, σ = 2 γ g_T / v."""
    gamma = numeric(diffusion_tensor(structure, counting=counting))
    return 2 * gamma * G_T / float(volume_per_grain(structure).subs({a: A_VALUE, b: B_VALUE}))


def kirchhoff_conductivity(structure: Lattice, cells: int = 7) -> np.ndarray:
    primitive, basis, contacts = numeric_geometry(structure, A_VALUE, B_VALUE)
    return network_conductivity(primitive, basis, contacts, cells, G_T / (2 * np.pi))


def random_lattices() -> list[Lattice]:
    rng = np.random.default_rng(20261121)
    return [random_bravais(rng, 2, 4), random_bravais(rng, 3, 5), random_multi_sublattice(rng, 3)]


@pytest.mark.parametrize("name", sorted(NAMED_LATTICES))
def test_named_lattice_geometry_is_the_nearest_neighbour_shell(name):
    """Independent of the contact lists: the nearest-neighbour shell of the point set has distance a."""
    primitive, basis, _ = numeric_geometry(lattice(name), A_VALUE, A_VALUE)
    d = primitive.shape[0]
    points = np.array([np.array(n) @ primitive + s for n in itertools.product(range(-3, 4), repeat=d) for s in basis])
    for grain in range(basis.shape[0]):
        distances = np.linalg.norm(points - basis[grain], axis=1)
        distances = distances[distances > 1e-9]
        shell = np.sum(np.abs(distances - distances.min()) < 1e-9)
        assert distances.min() == pytest.approx(A_VALUE)
        assert shell == COORDINATION[name]
        vectors = numeric(sympy.Matrix(lattice(name).neighbours_of(grain)), b_value=A_VALUE)
        assert np.allclose(np.linalg.norm(vectors, axis=1), A_VALUE) and len(vectors) == COORDINATION[name]


@pytest.mark.parametrize("name", sorted(NAMED_LATTICES))
def test_einstein_relation_holds_for_named_lattices_with_each_contact_counted_once(name):
    structure = lattice(name)
    network = kirchhoff_conductivity(structure)
    assert np.allclose(einstein_conductivity(structure), network, rtol=1e-10, atol=1e-12)
    # Σ_{ll'} over ordered pairs would double D: the Einstein relation rules it out.
    assert np.allclose(einstein_conductivity(structure, counting="ordered"), 2 * network, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("index", range(3))
def test_einstein_relation_holds_for_random_anisotropic_lattices(index):
    structure = random_lattices()[index]
    network = kirchhoff_conductivity(structure, cells=11)
    assert np.allclose(einstein_conductivity(structure), network, rtol=1e-10, atol=1e-12)
    off_diagonal = network - np.diag(np.diag(network))
    assert np.max(np.abs(off_diagonal)) > 1e-3  # really anisotropic: σ is not diagonal


def test_sublattice_relaxation_is_needed_and_correct():
    """Grains at irregular positions: the unrelaxed contact vectors would miss the network's σ."""
    structure = random_lattices()[2]
    network = kirchhoff_conductivity(structure, cells=11)
    bare = sum((structure.contact_vector(c) * structure.contact_vector(c).T for c in structure.contacts), sympy.zeros(2, 2))
    unrelaxed = 2 * numeric(bare / (4 * sympy.pi * 3)) * G_T / float(volume_per_grain(structure))
    assert np.max(np.abs(unrelaxed - network)) > 1e-2
    assert np.allclose(einstein_conductivity(structure), network, rtol=1e-10)


def test_chain_with_offcentre_basis_is_series_resistors():
    """Two grains per cell at 0 and c·a: equal resistors in series give σ = G_T a/2 whatever c is."""
    c = sympy.Rational(3, 10)
    chain = Lattice("chain2", ((a,),), ((0,), (c * a,)), (Contact(0, 1, (0,)), Contact(1, 0, (1,))))
    sigma = 2 * diffusion_tensor(chain)[0, 0] * sympy.Symbol("g") / volume_per_grain(chain)
    assert sympy.simplify(sigma - sympy.Symbol("g") / (2 * sympy.pi) * a / 2) == 0


def test_plain_neighbour_sets_give_the_bravais_result():
    vectors = neighbours("triangular")
    assert diffusion_tensor(vectors) == diffusion_tensor("triangular")
    assert diffusion_tensor([(1,), (-1,)]) == sympy.Matrix([[1 / (4 * sympy.pi)]])
    x, y = sympy.symbols("x y", real=True)
    gamma = diffusion_tensor([(x, y), (-x, -y)])
    assert sympy.expand(gamma - sympy.Matrix([[x * x, x * y], [x * y, y * y]]) / (4 * sympy.pi)) == sympy.zeros(2, 2)


def test_known_values_and_isotropy():
    expected = {"chain": 1 / (4 * sympy.pi), "square": 1 / (4 * sympy.pi), "triangular": 3 / (8 * sympy.pi),
                "honeycomb": 3 / (16 * sympy.pi), "simple_cubic": 1 / (4 * sympy.pi), "bcc": 1 / (3 * sympy.pi),
                "fcc": 1 / (2 * sympy.pi)}
    for name, value in expected.items():
        gamma = diffusion_tensor(name)
        assert gamma == value * a**2 * sympy.eye(gamma.rows), name  # γ = z a² / (8π d)
    assert diffusion_tensor("rectangular") == sympy.diag(a**2, b**2) / (4 * sympy.pi)


def test_fourth_order_tensor_of_the_square_lattice():
    tensor = fourth_order_tensor("square")
    assert tensor[0, 0, 0, 0] == a**4 / (48 * sympy.pi) and tensor[0, 0, 1, 1] == 0
    with pytest.raises(ValueError, match="relaxes"):
        fourth_order_tensor(random_lattices()[2])


@pytest.mark.parametrize(
    "bad, error",
    [
        ([], ValueError),
        ([(1, 0), (1,)], ValueError),
        ([(0, 0), (0, 0)], ValueError),
        ([(1, 0), (0, 1)], ValueError),  # not closed under e → −e
        (neighbours("honeycomb"), ValueError),  # one sublattice's set: needs the Lattice
        ([(1, "x"), (-1, "x")], TypeError),
        ("hexagonal", ValueError),
        (42, TypeError),
        ([(sympy.I, 0), (-sympy.I, 0)], ValueError),
    ],
)
def test_bad_input_is_rejected(bad, error):
    with pytest.raises(error):
        diffusion_tensor(bad)


@pytest.mark.parametrize(
    "broken",
    [
        Lattice("self", ((a,),), ((0,),), (Contact(0, 0, (0,)),)),
        Lattice("range", ((a,),), ((0,),), (Contact(0, 1, (1,)),)),
        Lattice("flat", ((a, 0), (2 * a, 0)), ((0, 0),), (Contact(0, 0, (1, 0)),)),
        Lattice("none", ((a,),), ((0,),), ()),
    ],
)
def test_broken_lattices_are_rejected(broken):
    with pytest.raises(ValueError):
        diffusion_tensor(broken)


def test_numpy_neighbour_arrays_are_accepted():
    vectors = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0], [0.0, -2.0]])
    assert np.allclose(numeric(diffusion_tensor(vectors)), np.diag([1.0, 4.0]) / (4 * np.pi))


def test_unknown_lattice_name_lists_the_names():
    with pytest.raises(ValueError, match="honeycomb"):
        lattice("kagome")


def test_diffusion_tensor_is_fast_for_every_named_lattice():
    for name in NAMED_LATTICES:
        start = time.perf_counter()
        diffusion_tensor(lattice(name))
        assert time.perf_counter() - start < 0.5, name
