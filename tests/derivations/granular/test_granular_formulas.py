"""The granular claims state their mathematics: formulas read back with real structure, one printed name is
one object, and claims verified from their formula fail when the formula is changed."""
from __future__ import annotations

import pytest
import sympy

from derive.derivations import build
from derive.derivations.granular import (
    eq03b_coulomb_decoupling,
    eq07_many_channels,
    eq11_12_v0_integral,
    eq13_14_canonical,
    eq13_replica_limit,
)
from derive.emit.latex.roundtrip import hidden_structure, read_back, symbols_printed_alike


@pytest.fixture(scope="module")
def granular():
    return build("granular")


def test_every_claim_has_a_formula_that_reads_back(granular) -> None:
    for step in granular.steps:
        for index, claim in enumerate(step.claims):
            assert claim.formula is not None, f"{step.id} claim {index + 1} has no formula"
            assert read_back(f"{step.id}/{index}", claim.formula).complete
            assert not hidden_structure(claim.formula)
        assert not hidden_structure(step.result), step.id


def test_one_printed_name_is_one_object(granular) -> None:
    assert symbols_printed_alike(granular) == {}


def _scaled(statement: sympy.Eq, factor: sympy.Expr) -> sympy.Eq:
    return sympy.Eq(statement.lhs, factor * statement.rhs, evaluate=False)


def test_wrong_statements_fail() -> None:
    coulomb = eq03b_coulomb_decoupling.coulomb_decoupling_statement()
    assert eq03b_coulomb_decoupling.coulomb_decoupling_residual(coulomb) == 0
    assert eq03b_coulomb_decoupling.coulomb_decoupling_residual(_scaled(coulomb, 2)) != 0

    resolvent = eq11_12_v0_integral._first_order_in_C_statement()
    assert eq11_12_v0_integral._first_order_residual(resolvent) is None
    assert eq11_12_v0_integral._first_order_residual(_scaled(resolvent, 2)) is not None

    eq13 = eq13_14_canonical._eq13_statement()
    assert eq13_14_canonical._eq13_residual(eq13) == 0
    assert eq13_14_canonical._eq13_residual(_scaled(eq13, sympy.Rational(5, 4))) != 0

    legendre = eq13_14_canonical._legendre_statement()
    assert eq13_14_canonical._legendre_residual(legendre) == 0
    assert eq13_14_canonical._legendre_residual(_scaled(legendre, 2)) != 0

    replica = eq13_replica_limit._eq13_statement()
    assert eq13_replica_limit._eq13_residual(replica) == 0
    assert eq13_replica_limit._eq13_residual(_scaled(replica, 2)) != 0


def test_sylvester_power_sums_fail_for_another_matrix() -> None:
    m = eq07_many_channels
    statement = m._sylvester_statement()
    assert m._sylvester_residual(statement) is None
    other = m.TAU_HAT * sympy.adjoint(m.V) * m.G_2 * m.V * m.TAU_HAT * sympy.adjoint(m.U) * m.G_2 * m.U  # G_1 -> G_2
    assert m._sylvester_residual(sympy.Eq(statement.lhs, sympy.Trace(other**m.POWER), evaluate=False)) is not None
