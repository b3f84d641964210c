"""The arguments of the generated Fermi-surface functions: jet groups and the direction n."""
from __future__ import annotations

import sympy

from derive.model import Argument

__all__ = ["direction_argument", "jet_arguments"]


def jet_arguments(groups) -> tuple[Argument, ...]:
    """One argument per jet group: a scalar, or an array whose axis 0 runs over the listed derivatives."""
    arguments = []
    for group in groups:
        matrix = "" if group.symbols[0].is_commutative else "matrices (..., N, N); "
        if len(group.symbols) == 1:
            arguments.append(Argument(group.name, group.symbols[0], description=matrix.rstrip("; ")))
        else:
            arguments.append(Argument(group.name, group.symbols, description=f"{matrix}axis 0: {group.layout}"))
    return tuple(arguments)


def direction_argument(direction: tuple[sympy.Symbol, ...]) -> Argument:
    if len(direction) == 1:
        return Argument("phi", direction[0], description="angle of n = (cos φ, sin φ)")
    return Argument("n", direction, description="unit vector (n_1, n_2, n_3) along axis 0")
