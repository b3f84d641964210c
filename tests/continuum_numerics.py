"""Independent numerics for the continuum limit: Kirchhoff networks, lattice tunneling sums, smooth fields.

Nothing here uses the symbolic gradient expansion: the network conductivity comes from a sparse Kirchhoff
solve, the lattice action from a direct sum over contacts of Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}], and
derivatives of the smooth fields spectrally (FFT) on a fine grid. Only the geometry (which grain touches
which) is read from derive.lattices, converted to floats.
"""
from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse
import scipy.sparse.linalg
import sympy

from derive.engines.lattices import Contact, Lattice
from derive.engines.lattices import a as A_SYMBOL
from derive.engines.lattices import b as B_SYMBOL


def numeric_geometry(lattice: Lattice, a: float, b: float | None = None):
    """Primitive vectors (rows), basis and contacts of a lattice as floats, for lattice constant a (and b)."""
    values = {A_SYMBOL: a, B_SYMBOL: b if b is not None else a}
    primitive = np.array([[float(sympy.sympify(x).subs(values)) for x in row] for row in lattice.primitive])
    basis = np.array([[float(sympy.sympify(x).subs(values)) for x in row] for row in lattice.basis])
    return primitive, basis, [(c.source, c.target, np.array(c.cell)) for c in lattice.contacts]


def periodic_bonds(primitive, basis, contacts, cells: int):
    """Every bond of an N^d periodic network: (site i, site j, physical vector from i to j)."""
    d, m = primitive.shape[0], basis.shape[0]
    sources, targets, vectors = [], [], []
    for cell in itertools.product(range(cells), repeat=d):
        cell = np.array(cell)
        for source, target, offset in contacts:
            neighbour_cell = (cell + offset) % cells
            sources.append(np.ravel_multi_index(tuple(cell), (cells,) * d) * m + source)
            targets.append(np.ravel_multi_index(tuple(neighbour_cell), (cells,) * d) * m + target)
            vectors.append(offset @ primitive + basis[target] - basis[source])
    return np.array(sources), np.array(targets), np.array(vectors)


def network_conductivity(primitive, basis, contacts, cells: int, conductance: float) -> np.ndarray:
    """σ_{μν} of a periodic resistor network: Kirchhoff's equations under a uniform applied field.

    The potential is φ_i = −E·r_i + u_i with u periodic (a twisted boundary condition carries the field);
    current conservation at every node fixes u; the mean current density is Σ_bonds I_b e_b / volume.
    """
    d, m = primitive.shape[0], basis.shape[0]
    sources, targets, vectors = periodic_bonds(primitive, basis, contacts, cells)
    nodes = m * cells**d
    bonds = np.arange(len(sources))
    incidence = scipy.sparse.csr_matrix(  # row b: +1 at the source grain, −1 at the target grain
        (np.r_[np.ones(len(bonds)), -np.ones(len(bonds))], (np.r_[bonds, bonds], np.r_[sources, targets])),
        shape=(len(bonds), nodes),
    )
    laplacian = (conductance * incidence.T @ incidence).tocsc()
    volume = cells**d * abs(np.linalg.det(primitive))
    sigma = np.zeros((d, d))
    for direction in range(d):
        drive = conductance * vectors[:, direction]  # G E·e_b for a unit field along `direction`
        rhs = -(incidence.T @ drive)
        shift = np.zeros(nodes)
        shift[1:] = scipy.sparse.linalg.spsolve(laplacian[1:, 1:], rhs[1:])  # ground node 0
        currents = drive + conductance * (incidence @ shift)
        residual = incidence.T @ currents
        assert np.max(np.abs(residual)) < 1e-9, "Kirchhoff's current law violated"
        sigma[:, direction] = currents @ vectors / volume
    return sigma


def random_bravais(rng: np.random.Generator, dimension: int, pairs: int) -> Lattice:
    """A random anisotropic Bravais lattice: rational primitive vectors, random integer neighbour offsets."""
    while True:
        primitive = rng.integers(-6, 7, size=(dimension, dimension)) / rng.integers(2, 5)
        if abs(np.linalg.det(primitive)) > 0.5:
            break
    offsets = set()
    while len(offsets) < pairs:
        offset = tuple(int(x) for x in rng.integers(-2, 3, size=dimension))
        if any(offset) and tuple(-x for x in offset) not in offsets:
            offsets.add(offset)
    rows = tuple(tuple(sympy.nsimplify(x) for x in row) for row in primitive)
    zero = tuple(sympy.Integer(0) for _ in range(dimension))
    return Lattice("random", rows, (zero,), tuple(Contact(0, 0, o) for o in sorted(offsets)))


def random_multi_sublattice(rng: np.random.Generator, sublattices: int) -> Lattice:
    """A random 2D lattice with several grains per cell at irregular positions (sublattice shifts relax)."""
    primitive = ((sympy.Integer(1), sympy.Integer(0)), (sympy.Rational(1, 3), sympy.Rational(5, 4)))
    basis = [(sympy.Integer(0), sympy.Integer(0))]
    basis += [tuple(sympy.Rational(int(x), 10) for x in rng.integers(1, 10, size=2)) for _ in range(sublattices - 1)]
    contacts = [Contact(s, s + 1, (0, 0)) for s in range(sublattices - 1)]  # connect the cell
    contacts += [Contact(sublattices - 1, 0, (1, 0)), Contact(sublattices - 1, 0, (0, 1))]
    for _ in range(3):
        s, t = (int(x) for x in rng.integers(0, sublattices, size=2))
        cell = tuple(int(x) for x in rng.integers(-1, 2, size=2))
        if s != t or any(cell):
            contacts.append(Contact(s, t, cell))
    return Lattice("random-basis", primitive, tuple(basis), tuple(contacts))


# --- smooth fields on a torus and the lattice tunneling sum --------------------------------------


class SmoothFields:
    """Q(s) = U Λ U†, U = exp(iH(s)), and diagonal χ̂(s), periodic in fractional coordinates s ∈ [0,1)^d."""

    def __init__(self, rng: np.random.Generator, dimension: int, size: int, amplitude: float = 0.6):
        self.modes = [np.array(k) for k in itertools.product((-1, 0, 1), repeat=dimension) if any(k)][: 2 * dimension + 1]
        self.h_coefficients = [
            amplitude * (rng.normal(size=(size, size)) + 1j * rng.normal(size=(size, size))) / size for _ in self.modes
        ]
        self.chi_coefficients = [amplitude * (rng.normal(size=size) + 1j * rng.normal(size=size)) for _ in self.modes]
        self.lam = np.diag([1.0] * (size // 2) + [-1.0] * (size - size // 2))

    def _phases(self, s: np.ndarray) -> list[np.ndarray]:
        return [np.exp(2j * np.pi * (s @ k)) for k in self.modes]

    def hamiltonian(self, s: np.ndarray) -> np.ndarray:
        h = sum(p[..., None, None] * c for p, c in zip(self._phases(s), self.h_coefficients, strict=False))
        return h + np.conj(np.swapaxes(h, -1, -2))

    def Q(self, s: np.ndarray) -> np.ndarray:
        """U Λ U† with U = exp(iH) computed from the eigen-decomposition of the Hermitian H."""
        theta, vectors = np.linalg.eigh(self.hamiltonian(s))
        unitary = (vectors * np.exp(1j * theta)[..., None, :]) @ np.conj(np.swapaxes(vectors, -1, -2))
        return unitary @ self.lam @ np.conj(np.swapaxes(unitary, -1, -2))

    def chi(self, s: np.ndarray) -> np.ndarray:
        c = sum(p[..., None] * c for p, c in zip(self._phases(s), self.chi_coefficients, strict=False))
        return 2 * c.real


def lattice_tunneling_action(fields: SmoothFields, primitive, basis, contacts, cells: int, g_T: float,
                             contact_action=None) -> float:
    """−(g_T/8) Σ_{contacts} (Tr[e^{iχ̂_{ll'}} Q_l e^{−iχ̂_{ll'}} Q_{l'}] − n), each contact once, on the torus.

    ``contact_action(Q_l, Q_l', χ_l − χ_l', g_T)`` (e.g. the generated granular ``tunneling_action``)
    replaces the direct einsum below when given.
    """
    d, m = primitive.shape[0], basis.shape[0]
    torus = cells * primitive
    positions = np.array([np.array(cell) @ primitive + basis[s] for cell in itertools.product(range(cells), repeat=d) for s in range(m)])
    fractional = positions @ np.linalg.inv(torus)
    q, chi = fields.Q(fractional), fields.chi(fractional)
    sources, targets, _ = periodic_bonds(primitive, basis, contacts, cells)
    size = q.shape[-1]
    if contact_action is not None:
        values = contact_action(q[sources], q[targets], chi[sources] - chi[targets], g_T)
        return float(np.sum(values.real) + (g_T / 8) * size * len(sources))
    phase = np.exp(1j * (chi[sources] - chi[targets]))  # e^{iχ̂_{ll'}}, diagonal
    conjugated = phase[:, :, None] * q[sources] * np.conj(phase)[:, None, :]
    traces = np.einsum("bij,bji->b", conjugated, q[targets])
    return float(-(g_T / 8) * np.sum(traces.real - size))


def _spectral_derivative(values: np.ndarray, axis: int, grid: int) -> np.ndarray:
    wavenumbers = np.fft.fftfreq(grid, d=1.0 / grid)
    wavenumbers[grid // 2] = 0 if grid % 2 == 0 else wavenumbers[grid // 2]  # Nyquist: keep real fields real
    shape = [1] * values.ndim
    shape[axis] = grid
    factor = (2j * np.pi * wavenumbers).reshape(shape)
    return np.fft.ifft(factor * np.fft.fft(values, axis=axis), axis=axis)


def continuum_jet(fields: SmoothFields, torus: np.ndarray, grid: int) -> dict[str, np.ndarray]:
    """Q, ∇Q, ∇∇Q, ∇χ, ∇∇χ on a uniform grid of the torus (rows of ``torus`` span it), spectrally."""
    d = torus.shape[0]
    axes_1d = [np.arange(grid) / grid] * d
    s = np.stack(np.meshgrid(*axes_1d, indexing="ij"), axis=-1)
    q, chi = fields.Q(s), fields.chi(s).astype(complex)
    inverse = np.linalg.inv(torus)  # ∂/∂r_μ = Σ_i inverse[μ, i] ∂/∂s_i

    def gradient(values):
        by_s = [_spectral_derivative(values, i, grid) for i in range(d)]
        return np.stack([sum(inverse[mu, i] * by_s[i] for i in range(d)) for mu in range(d)])

    dq, dchi = gradient(q), gradient(chi)
    ddq = np.stack([gradient(dq[mu]) for mu in range(d)])
    ddchi = np.stack([gradient(dchi[mu]) for mu in range(d)])
    return {"Q": q, "dQ": dq, "ddQ": ddq, "dchi": dchi.real, "ddchi": ddchi.real}
