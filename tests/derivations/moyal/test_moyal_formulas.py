"""The moyal claims state their mathematics: every claim carries a formula, the formula reads back, one printed
name is one object, and a claim verified from its formula fails when the formula is wrong.

The polynomial claims of the derivation use sparse random polynomials (so that each statement fits a line);
here the same two statements are checked on dense ones, every monomial of the degree present.
"""
from __future__ import annotations

import random

import pytest
import sympy

from derive.derivations import build
from derive.derivations.moyal.eq07_moyal_bracket import _commutator_statement, _through
from derive.derivations.moyal.eq07_polynomials import random_polynomial
from derive.derivations.moyal.references import hbar, p, phase_space_symbols, r, weyl_operator_on
from derive.emit.latex.roundtrip import hidden_structure, read_back, symbols_printed_alike
from derive.engines.moyal import star


@pytest.fixture(scope="module")
def moyal():
    return build("moyal")


def test_every_claim_has_a_formula_that_reads_back(moyal) -> None:
    for step in moyal.steps:
        for index, claim in enumerate(step.claims):
            assert claim.formula is not None, f"{step.id} claim {index + 1} has no formula"
            assert read_back(f"{step.id}/{index}", claim.formula).complete
            assert not hidden_structure(claim.formula)
        assert not hidden_structure(step.result), step.id


def test_one_printed_name_is_one_object(moyal) -> None:
    assert symbols_printed_alike(moyal) == {}


def test_a_wrong_bracket_statement_fails() -> None:
    statement = _commutator_statement(2, 3)
    assert _through(statement, 2) == [0]
    wrong = sympy.Eq(statement.lhs, statement.rhs + hbar**2 * sympy.Symbol("x"), evaluate=False)
    assert _through(wrong, 2) != [0]


@pytest.mark.parametrize("d, degrees", [(1, (3, 2)), (2, (2, 3))])
def test_dense_polynomials_terminate(d: int, degrees: tuple[int, int]) -> None:
    rng = random.Random(11)
    A, B = (random_polynomial(rng, degree, d) for degree in degrees)
    rs, ps = phase_space_symbols(d)
    assert sympy.expand(star(A, B, rs, ps, 3, hbar) - star(A, B, rs, ps, 6, hbar)) == 0
    # and the truncation below the lower degree does not: the hbar^2 terms are there
    assert sympy.expand(star(A, B, rs, ps, 1, hbar) - star(A, B, rs, ps, 6, hbar)) != 0


def test_dense_polynomials_op_homomorphism() -> None:
    rng = random.Random(13)
    A, B = random_polynomial(rng, 3, 1), random_polynomial(rng, 2, 1)
    psi = sympy.Function("psi")(r)
    left = weyl_operator_on(star(A, B, r, p, 3, hbar), psi, r)
    right = weyl_operator_on(A, weyl_operator_on(B, psi, r), r)
    assert sympy.expand(left - right) == 0
    assert sympy.expand(weyl_operator_on(star(B, A, r, p, 3, hbar), psi, r) - right) != 0  # the order matters
