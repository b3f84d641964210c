"""Lattices of grains as exact SymPy geometry: primitive vectors, sublattice positions, contacts.

Every named lattice uses ``a`` = the nearest-neighbour (contact) distance, i.e. the grain size of
touching grains (granular paper: "a is the grain size"); the rectangular lattice has sides ``a`` and
``b``. Non-Bravais lattices (honeycomb) carry their sublattices explicitly: a grain's neighbour set
then depends on its sublattice (A: e₁,e₂,e₃; B: −e₁,−e₂,−e₃), and only the union over a unit cell is
centrosymmetric. A ``Lattice`` lists every contact of one unit cell once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

import sympy

a = sympy.Symbol("a", positive=True)
b = sympy.Symbol("b", positive=True)

Vector = tuple[sympy.Expr, ...]


@dataclass(frozen=True)
class Contact:
    """A tunneling contact from sublattice ``source`` in cell 0 to sublattice ``target`` in cell ``cell``."""

    source: int
    target: int
    cell: tuple[int, ...]


@dataclass(frozen=True)
class Lattice:
    """Primitive vectors (rows), sublattice offsets and the contacts of one unit cell, each once."""

    name: str
    primitive: tuple[Vector, ...]
    basis: tuple[Vector, ...]
    contacts: tuple[Contact, ...]

    @property
    def dimension(self) -> int:
        return len(self.primitive)

    @property
    def grains_per_cell(self) -> int:
        return len(self.basis)

    def cell_volume(self) -> sympy.Expr:
        """Volume (area, length) of the primitive cell, exact."""
        return sympy.Abs(sympy.Matrix(self.primitive).det()).simplify()

    def contact_vector(self, contact: Contact) -> sympy.Matrix:
        """The vector from the source grain to the target grain of a contact."""
        offset = sympy.zeros(self.dimension, 1)
        for count, row in zip(contact.cell, self.primitive, strict=True):
            offset += count * sympy.Matrix(row)
        return offset + sympy.Matrix(self.basis[contact.target]) - sympy.Matrix(self.basis[contact.source])

    def neighbours_of(self, sublattice: int) -> list[Vector]:
        """Vectors from a grain of the given sublattice to all its neighbours."""
        result = []
        for contact in self.contacts:
            vector = tuple(self.contact_vector(contact))
            if contact.source == sublattice:
                result.append(vector)
            if contact.target == sublattice:
                result.append(tuple(-x for x in vector))
        return result


def _cubic_like(name: str, primitive: Sequence[Vector], neighbour_cells: Sequence[tuple[int, ...]]) -> Lattice:
    contacts = tuple(Contact(0, 0, cell) for cell in neighbour_cells)
    zero = tuple(sympy.Integer(0) for _ in primitive)
    return Lattice(name, tuple(tuple(sympy.sympify(x) for x in row) for row in primitive), (zero,), contacts)


def bravais(name: str, primitive: Sequence[Vector], neighbour_cells: Sequence[tuple[int, ...]]) -> Lattice:
    """A Bravais lattice from primitive vectors and one of each ± pair of neighbour cell offsets."""
    for cell in neighbour_cells:
        if len(cell) != len(primitive) or not any(cell):
            raise ValueError(f"neighbour cell offset {cell} must be a nonzero {len(primitive)}-tuple of integers")
    return _cubic_like(name, primitive, neighbour_cells)


def _named() -> dict[str, Lattice]:
    h = sympy.sqrt(3) / 2
    bcc_edge, fcc_edge = 2 * a / sympy.sqrt(3), sympy.sqrt(2) * a
    honeycomb = Lattice(
        "honeycomb",
        ((sympy.sqrt(3) * a, 0), (sympy.sqrt(3) * a / 2, sympy.Rational(3, 2) * a)),
        ((0, 0), (0, a)),
        (Contact(0, 1, (0, 0)), Contact(0, 1, (1, -1)), Contact(0, 1, (0, -1))),
    )
    return {
        "chain": bravais("chain", [(a,)], [(1,)]),
        "square": bravais("square", [(a, 0), (0, a)], [(1, 0), (0, 1)]),
        "rectangular": bravais("rectangular", [(a, 0), (0, b)], [(1, 0), (0, 1)]),
        "triangular": bravais("triangular", [(a, 0), (a / 2, h * a)], [(1, 0), (0, 1), (-1, 1)]),
        "honeycomb": honeycomb,
        "simple_cubic": bravais("simple_cubic", [(a, 0, 0), (0, a, 0), (0, 0, a)], [(1, 0, 0), (0, 1, 0), (0, 0, 1)]),
        # bcc: primitive vectors are the nearest neighbours (±½,±½,±½)·edge; 8 neighbours = 4 ± pairs.
        "bcc": bravais(
            "bcc",
            [(-bcc_edge / 2, bcc_edge / 2, bcc_edge / 2), (bcc_edge / 2, -bcc_edge / 2, bcc_edge / 2),
             (bcc_edge / 2, bcc_edge / 2, -bcc_edge / 2)],
            [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)],
        ),
        # fcc: primitive vectors (0,½,½)·edge etc.; 12 neighbours = 6 ± pairs.
        "fcc": bravais(
            "fcc",
            [(0, fcc_edge / 2, fcc_edge / 2), (fcc_edge / 2, 0, fcc_edge / 2), (fcc_edge / 2, fcc_edge / 2, 0)],
            [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, -1, 0), (0, 1, -1), (1, 0, -1)],
        ),
    }


NAMED_LATTICES: dict[str, Lattice] = _named()
_ALIASES = {"simple cubic": "simple_cubic", "simple-cubic": "simple_cubic", "sc": "simple_cubic", "cubic": "simple_cubic"}


def lattice(name: str) -> Lattice:
    """The named lattice (chain, square, rectangular, triangular, honeycomb, simple_cubic, bcc, fcc)."""
    if not isinstance(name, str):
        raise TypeError(f"a lattice name must be a string, not {type(name).__name__}")
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in NAMED_LATTICES:
        raise ValueError(f"unknown lattice {name!r}; known lattices: {', '.join(NAMED_LATTICES)}")
    return NAMED_LATTICES[key]


def neighbours(name: str) -> list[Vector]:
    """Neighbour vectors of a grain of a named Bravais lattice (honeycomb: of its A sublattice)."""
    return lattice(name).neighbours_of(0)


# --- diffusion tensors: lattice geometry → coefficients of the gradient expansion (see derive.continuum) ---

COUNTINGS = {"contacts": 1, "ordered": 2}

NeighbourInput = Union[str, "Lattice", Sequence[Sequence[object]]]


def _entry(value: object) -> sympy.Expr:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, sympy.Expr)):
        raise TypeError(f"neighbour vector entries must be numbers or SymPy expressions, not {value!r}")
    entry = sympy.sympify(value)
    if not entry.is_commutative or entry.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ValueError(f"neighbour vector entry {value!r} is not a finite commuting scalar")
    if entry.is_real is False:
        raise ValueError(f"neighbour vector entry {value!r} is not real")
    return entry


def as_vectors(neighbours: Sequence[Sequence[object]]) -> list[tuple[sympy.Expr, ...]]:
    """Validate a grain's neighbour vectors: same dimension, nonzero, closed under e → −e."""
    if isinstance(neighbours, (str, bytes)) or not isinstance(neighbours, Sequence):
        raise TypeError("neighbours must be a lattice name, a Lattice or a sequence of vectors")
    vectors = []
    for vector in neighbours:
        if isinstance(vector, (str, bytes)) or not isinstance(vector, (Sequence, sympy.MatrixBase)):
            raise TypeError(f"a neighbour vector must be a tuple of numbers, not {vector!r}")
        vectors.append(tuple(_entry(x) for x in vector))
    if not vectors:
        raise ValueError("neighbours is empty: a grain needs at least one neighbour")
    dimension = len(vectors[0])
    if dimension == 0 or any(len(v) != dimension for v in vectors):
        raise ValueError(f"neighbour vectors must all have the same nonzero length; got {sorted({len(v) for v in vectors})}")
    if any(all(sympy.expand(x) == 0 for x in v) for v in vectors):
        raise ValueError("a neighbour vector is zero: a grain cannot be its own neighbour")
    _require_centrosymmetric(vectors)
    return vectors


def _require_centrosymmetric(vectors: list[tuple[sympy.Expr, ...]]) -> None:
    # If every grain has the same neighbour set, l' = l + e implies l = l' − e: the set must be closed under −e.
    unmatched = list(vectors)
    while unmatched:
        vector = unmatched.pop()
        partner = next((w for w in unmatched if all(sympy.expand(x + y) == 0 for x, y in zip(vector, w, strict=True))), None)
        if partner is None:
            raise ValueError(
                f"neighbour set is not closed under e → −e (no partner for {vector}); a grain environment shared "
                "by all grains must be centrosymmetric. For a lattice with sublattices (honeycomb) pass a Lattice, "
                "e.g. derive.lattices.lattice('honeycomb')."
            )
        unmatched.remove(partner)


def contact_vectors(neighbours: NeighbourInput) -> tuple[list[sympy.Matrix], int]:
    """The (relaxed) vector of every contact of a unit cell, each once, and the number of grains per cell."""
    if isinstance(neighbours, str):
        neighbours = lattice(neighbours)
    if isinstance(neighbours, Lattice):
        validate_lattice(neighbours)
        return relaxed_contact_vectors(neighbours), neighbours.grains_per_cell
    if hasattr(neighbours, "tolist") and not isinstance(neighbours, sympy.MatrixBase):
        neighbours = neighbours.tolist()  # a numpy array of vectors
    vectors = [sympy.Matrix(v) for v in as_vectors(neighbours)]
    # A Bravais environment: each contact is shared by two grains, so one grain owns half of its vectors.
    return vectors, 2


def validate_lattice(structure: Lattice) -> None:
    """A usable Lattice: d independent primitive vectors, d-dimensional offsets, nonzero contacts in range."""
    d, m = structure.dimension, structure.grains_per_cell
    if d == 0 or any(len(row) != d for row in structure.primitive) or any(len(b_s) != d for b_s in structure.basis):
        raise ValueError(f"lattice {structure.name!r}: primitive vectors and offsets must all have length {d}")
    if m == 0 or not structure.contacts:
        raise ValueError(f"lattice {structure.name!r} needs at least one grain and one contact per cell")
    if sympy.Matrix([[_entry(x) for x in row] for row in structure.primitive]).det() == 0:
        raise ValueError(f"lattice {structure.name!r}: primitive vectors are linearly dependent")
    for contact in structure.contacts:
        if not (0 <= contact.source < m and 0 <= contact.target < m) or len(contact.cell) != d:
            raise ValueError(f"lattice {structure.name!r}: contact {contact} does not fit {m} sublattices in d = {d}")
        if all(sympy.expand(x) == 0 for x in structure.contact_vector(contact)):
            raise ValueError(f"lattice {structure.name!r}: contact {contact} joins a grain to itself")


def relaxed_contact_vectors(structure: Lattice) -> list[sympy.Matrix]:
    """Contact vectors Δ = e + c_target − c_source, with sublattice shifts c that minimise the gradient energy.

    For a smooth field the grains of sublattice s sit at effective positions b_s + c_s; stationarity of
    Σ_contacts Δᵀ M Δ for any positive M is Kirchhoff's law Σ_{contacts at s} ±Δ = 0 (c_0 = 0). For Bravais
    lattices and the honeycomb (each grain's vectors sum to zero) c = 0.
    """
    d, m = structure.dimension, structure.grains_per_cell
    bare = [structure.contact_vector(c) for c in structure.contacts]
    if m == 1:
        return bare
    shifts = [sympy.zeros(d, 1)] + [sympy.Matrix(sympy.symbols(f"c{s}_0:{d}")) for s in range(1, m)]
    deltas = [e + shifts[c.target] - shifts[c.source] for e, c in zip(bare, structure.contacts, strict=True)]
    equations = []
    for s in range(1, m):
        net = sympy.zeros(d, 1)
        for delta, contact in zip(deltas, structure.contacts, strict=True):
            net += delta * (int(contact.source == s) - int(contact.target == s))
        equations.extend(net)
    unknowns = [x for shift in shifts[1:] for x in shift]
    solution = sympy.solve(equations, unknowns, dict=True)
    if len(solution) != 1 or len(solution[0]) != len(unknowns):
        raise ValueError(f"lattice {structure.name!r}: the sublattice shifts are not unique (disconnected sublattice?)")
    return [delta.subs(solution[0]).applyfunc(sympy.expand) for delta in deltas]


def _counting_factor(counting: str) -> int:
    if counting not in COUNTINGS:
        raise ValueError(f"counting must be one of {sorted(COUNTINGS)}, not {counting!r}")
    return COUNTINGS[counting]


def diffusion_tensor(neighbours: NeighbourInput, counting: str = "contacts") -> sympy.Matrix:
    """γ with D_{μν} = γ_{μν} g_T δ (ħ = 1): γ = Σ_{contacts per cell} Δ Δᵀ / (4π · grains per cell).

    ``neighbours``: a grain's neighbour vectors (closed under e → −e), a ``Lattice`` or a lattice name.
    ``counting="ordered"`` gives what Eq. 11b would mean if Σ_{ll'} ran over ordered pairs (twice as large).
    """
    vectors, grains_per_cell = contact_vectors(neighbours)
    factor = _counting_factor(counting)
    total = sympy.zeros(vectors[0].rows, vectors[0].rows)
    for delta in vectors:
        total += delta * delta.T
    return (total * factor / (4 * sympy.pi * grains_per_cell)).applyfunc(sympy.factor_terms)


def fourth_order_tensor(neighbours: NeighbourInput, counting: str = "contacts") -> sympy.Array:
    """γ⁽⁴⁾ with D⁽⁴⁾ = γ⁽⁴⁾ g_T δ: the a⁴ gradient term is −(πν/4) D⁽⁴⁾_{μνρσ} Tr[∂̃_μ∂̃_νQ ∂̃_ρ∂̃_σQ].

    γ⁽⁴⁾ = Σ_{contacts per cell} Δ⊗Δ⊗Δ⊗Δ / (48π · grains per cell); only for lattices whose sublattice shifts
    vanish (the shifts' own gradient corrections would enter at this order).
    """
    if isinstance(neighbours, str):
        neighbours = lattice(neighbours)
    vectors, grains_per_cell = contact_vectors(neighbours)
    if isinstance(neighbours, Lattice):
        bare = [neighbours.contact_vector(c) for c in neighbours.contacts]
        if any(v != w for v, w in zip(vectors, bare, strict=True)):
            raise ValueError(f"lattice {neighbours.name!r} relaxes its sublattices: fourth order not derived for it")
    d = vectors[0].rows
    factor = _counting_factor(counting)
    entries = sympy.MutableDenseNDimArray.zeros(d, d, d, d)
    for delta in vectors:
        for i in range(d):
            for j in range(d):
                for k in range(d):
                    for m in range(d):
                        entries[i, j, k, m] += delta[i] * delta[j] * delta[k] * delta[m]
    scale = sympy.Integer(factor) / (48 * sympy.pi * grains_per_cell)
    return sympy.ImmutableDenseNDimArray(entries.applyfunc(lambda x: sympy.factor_terms(x * scale)))


def volume_per_grain(neighbours: NeighbourInput, primitive: Sequence[Sequence[object]] | None = None) -> sympy.Expr:
    """Volume per grain (ν = 1/(δ · this)); a plain neighbour set needs its Bravais primitive vectors."""
    if isinstance(neighbours, str):
        neighbours = lattice(neighbours)
    if isinstance(neighbours, Lattice):
        return sympy.factor_terms(neighbours.cell_volume() / neighbours.grains_per_cell)
    if primitive is None:
        raise ValueError("a plain neighbour set does not fix the volume per grain; pass the primitive vectors")
    return sympy.Abs(sympy.Matrix([[_entry(x) for x in row] for row in primitive]).det())
