"""The public Moyal API: documented examples, dimensions, operator order, and bad input."""
from __future__ import annotations

import pytest
import sympy

from derive.engines.moyal import moyal_bracket, poisson_bracket, star

r, p, hbar = sympy.symbols("r p hbar")


def test_readme_example() -> None:
    assert sympy.expand(star(r**2, p**2, r, p, 2, hbar) - (r**2 * p**2 + 2 * sympy.I * hbar * r * p - hbar**2 / 2)) == 0


def test_truncation_drops_exactly_the_higher_orders() -> None:
    assert sympy.expand(star(r**2, p**2, r, p, 1, hbar) - (r**2 * p**2 + 2 * sympy.I * hbar * r * p)) == 0


def test_default_hbar_is_one() -> None:
    assert sympy.expand(star(r, p, r, p, 1) - star(p, r, r, p, 1)) == sympy.I


def test_three_dimensional_commutators() -> None:
    rs, ps = sympy.symbols("x y z"), sympy.symbols("k_x k_y k_z")
    for i in range(3):
        for j in range(3):
            commutator = star(rs[i], ps[j], rs, ps, 1, hbar) - star(ps[j], rs[i], rs, ps, 1, hbar)
            assert sympy.expand(commutator) == (sympy.I * hbar if i == j else 0)


def test_noncommutative_symbols_keep_their_order() -> None:
    A, B = sympy.symbols("A B", commutative=False)
    product = star(A * r, B * p, r, p, 1, hbar)
    assert sympy.expand(product - (A * B * r * p + sympy.I * hbar / 2 * A * B)) == 0
    assert sympy.expand(product - star(B * p, A * r, r, p, 1, hbar)) != 0


def test_matrix_symbols_multiply_in_order() -> None:
    M, N = sympy.MatrixSymbol("M", 3, 3), sympy.MatrixSymbol("N", 3, 3)
    result = star(r * M, p * N, r, p, 1, hbar)
    expected = (r * p + sympy.I * hbar / 2) * M * N
    assert sympy.expand((result - expected).doit().as_explicit()) == sympy.zeros(3, 3)


def test_moyal_bracket_of_matrix_valued_symbols_keeps_the_commutator() -> None:
    A, B = sympy.symbols("A B", commutative=False)
    bracket = moyal_bracket(A, B, r, p, 0, hbar)
    assert sympy.expand(bracket - (A * B - B * A) / (sympy.I * hbar)) == 0


def test_moyal_bracket_of_scalars_is_poisson_at_lowest_order() -> None:
    f, g = sympy.Function("f")(r, p), sympy.Function("g")(r, p)
    assert sympy.expand(moyal_bracket(f, g, r, p, 0, hbar) - poisson_bracket(f, g, r, p)) == 0


@pytest.mark.parametrize("order", [-1, 1.5, "2", True, None])
def test_bad_orders_are_refused(order: object) -> None:
    with pytest.raises((ValueError, TypeError), match="order must be a non-negative integer"):
        star(r, p, r, p, order)


def test_mismatched_phase_space_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        star(r, p, (r,), sympy.symbols("p q"), 1)
    with pytest.raises(ValueError, match="distinct"):
        star(r, p, r, r, 1)
    with pytest.raises(TypeError, match="Symbol"):
        star(r, p, "r", p, 1)
