"""The symbol route of the associativity claims: it proves the identity and sees a wrong truncation."""
from __future__ import annotations

import pytest

from derive.derivations.moyal.eq07_associativity import associativity_symbol_defect


@pytest.mark.parametrize("d, order", [(1, 1), (1, 2), (2, 1)])
def test_the_symbol_vanishes_through_the_order_of_truncation(d: int, order: int) -> None:
    assert associativity_symbol_defect(d, order) == []


@pytest.mark.parametrize("d, order", [(1, 1), (1, 2), (2, 1)])
def test_one_order_beyond_the_truncation_the_symbol_does_not_vanish(d: int, order: int) -> None:
    # the truncated products differ at hbar^(order + 1), so the route can fail
    assert associativity_symbol_defect(d, order, through=order + 1)

