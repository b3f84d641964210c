"""Eq. (15): the lattice sum, D = gamma g_T delta with each contact counted once (Einstein relation)."""
from __future__ import annotations

import sympy

from derive.derivations.continuum.notation import delta, e_charge, g_T
from derive.derivations.continuum.outline import OUTLINE
from derive.engines import claims
from derive.engines.lattices import NAMED_LATTICES, a, b, contact_vectors, diffusion_tensor, fourth_order_tensor, volume_per_grain
from derive.model import Argument, Export, Step


def _entrywise(coefficient: sympy.Expr, matrix: sympy.Matrix) -> sympy.Basic:
    """coefficient * matrix with each nonzero entry kept as the unevaluated product (for display); an isotropic
    tensor is shown by its diagonal entry (a matrix of products typesets its fractions small, and 3x3 is wider than a line)."""
    if _isotropic(matrix):
        return sympy.Mul(coefficient, matrix[0, 0], evaluate=False)
    return matrix.applyfunc(lambda entry: sympy.Mul(coefficient, entry, evaluate=False) if entry != 0 else entry)


def _isotropic(matrix: sympy.Matrix) -> bool:
    return matrix.is_diagonal() and len(set(matrix.diagonal())) == 1


def _shown_as(name: str) -> str:
    """How the statement shows the tensors: whole, or by the diagonal entry of an isotropic one."""
    tensor = diffusion_tensor(name)
    return r" (isotropic tensors, shown by their $xx$ entry)" if tensor.rows > 1 and _isotropic(tensor) else ""


def _contact_sum(name: str) -> tuple[sympy.Matrix, sympy.Expr, sympy.Expr]:
    """(sum over the contacts of a cell of Delta Delta^T, volume of the cell, density of states nu = m/(delta V_cell))."""
    vectors, grains = contact_vectors(NAMED_LATTICES[name])
    cell = volume_per_grain(name) * grains
    return sum((v * v.T for v in vectors), sympy.zeros(vectors[0].rows)), cell, grains / (delta * cell)


def _matching(name: str) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Basic]:
    """(g_T/16)/V_cell * sum_contacts Delta Delta^T = pi nu D/4, solved for D, against gamma g_T delta; and the statement."""
    contacts, cell, density_of_states = _contact_sum(name)
    coefficient = g_T / (16 * cell) * 4 / (sympy.pi * density_of_states)
    expected = diffusion_tensor(name) * g_T * delta
    statement = sympy.Eq(_entrywise(coefficient, contacts), _entrywise(g_T * delta, diffusion_tensor(name)), evaluate=False)
    return contacts * coefficient, expected, statement


def _einstein(name: str) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Basic]:
    """2 e^2 nu D against the network's sigma = G_T sum_contacts Delta Delta^T / V_cell, G_T = g_T e^2/(2pi) (no sublattice relaxation)."""
    contacts, cell, _ = _contact_sum(name)
    network_coefficient = g_T * e_charge**2 / (2 * sympy.pi * cell)
    einstein_coefficient = 2 * e_charge**2 / (delta * volume_per_grain(name))
    D = diffusion_tensor(name) * g_T * delta
    statement = sympy.Eq(_entrywise(einstein_coefficient, D), _entrywise(network_coefficient, contacts), evaluate=False)
    return einstein_coefficient * D, network_coefficient * contacts, statement


_LATTICE_NAMES = {"bcc": "Body-centred cubic", "fcc": "Face-centred cubic"}


def lattice_name(name: str) -> str:
    """The lattice's name as prose ("Simple cubic", "Body-centred cubic")."""
    return _LATTICE_NAMES.get(name, name.replace("_", " ").capitalize())


def _tensor_exports(name: str) -> tuple[Export, ...]:
    arguments = (Argument("a", a, description="contact (nearest-neighbour) distance"),)
    if diffusion_tensor(name).has(b):
        arguments += (Argument("b", b, description="second side of the rectangle"),)
    d = NAMED_LATTICES[name].dimension
    gamma4 = fourth_order_tensor(name)
    flat = sympy.ImmutableMatrix(d * d, d * d, lambda i, j: gamma4[i // d, i % d, j // d, j % d])
    return (
        Export(f"diffusion_tensor_{name}", sympy.ImmutableMatrix(diffusion_tensor(name)), arguments,
               f"gamma of the {name} lattice: D_{{mu nu}} = gamma_{{mu nu}} g_T delta (hbar = 1, each contact counted once)."),
        Export(f"fourth_order_tensor_{name}", flat, arguments,
               f"gamma^(4) of the {name} lattice as a (d^2, d^2) array; reshape to (d, d, d, d)."),
        Export(f"volume_per_grain_{name}", volume_per_grain(name), arguments,
               f"Volume per grain of the {name} lattice: nu = 1/(delta * this)."),
    )


def _gamma_as_contact_sum() -> sympy.Basic:
    """gamma_{kl} = sum over the contacts c of a cell of Delta_{c,k} Delta_{c,l}, over 4 pi m (m grains per cell)."""
    kappa, lam = sympy.symbols(r"\kappa \lambda", integer=True)
    contact, contacts, grains = sympy.Symbol("c", integer=True), sympy.Symbol("M", integer=True, positive=True), sympy.Symbol("m", integer=True, positive=True)
    vector = sympy.IndexedBase(r"\Delta")
    return sympy.Eq(sympy.Symbol(r"\gamma_{\kappa\lambda}"),
                    sympy.Sum(vector[contact, kappa] * vector[contact, lam], (contact, 1, contacts)) / (4 * sympy.pi * grains))


def eq15_contact_counting() -> Step:
    """D = gamma g_T delta for every named lattice, and the exported lattice tensors."""
    checks = []
    for name in NAMED_LATTICES:
        lhs, rhs, statement = _matching(name)
        checks.append(claims.equal(
            rf"{lattice_name(name)} lattice: the lattice sum $\frac{{g_T}}{{16V}}\sum_{{c}}\Delta_{{c}}\Delta_{{c}}^{{T}}$ "
            r"over the contacts $c$ of a cell of volume $V$, matched to $\pi\nu D/4$, gives $D = \gamma g_T\delta$" + _shown_as(name),
            lhs, rhs, method="simplify", formula=statement))
        lhs, rhs, statement = _einstein(name)
        checks.append(claims.equal(
            rf"{lattice_name(name)} lattice: $2e^{{2}}\nu D$ is the conductivity of the network of tunnel conductances "
            r"$G_T = g_T e^{2}/(2\pi)$" + _shown_as(name), lhs, rhs, method="simplify", formula=statement))
    return Step(
        **OUTLINE.header("contact-counting"),
        result=_gamma_as_contact_sum(),
        claims=tuple(checks),
        exports=tuple(e for name in NAMED_LATTICES for e in _tensor_exports(name)),
        note=r"Here $m$ is the number of grains per cell, $M$ the number of contacts of a cell and $\Delta_{c,\kappa}$ the "
             r"component $\kappa$ of the vector of contact $c$. The double sum "
             r"$\sum_{ll'}$ of Eq. (11b) counts each contact once; ordered pairs would double $D$ and break the Einstein "
             r"relation $\sigma = 2e^{2}\nu D$. The tests check it against Kirchhoff solutions of the network, including "
             r"random anisotropic lattices and lattices whose sublattices relax.",
    )
