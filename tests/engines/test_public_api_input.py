"""Bad input to the public symbolic engines is a ValueError or TypeError naming the argument, never an error
from inside SymPy (issue 16): property tests throw generated wrong types, orders and vector sets at them."""
from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.lattices import diffusion_tensor
from derive.trln import trln_series

G, V = sympy.symbols("G V", commutative=False)
not_an_operator = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5), st.lists(st.integers(), max_size=3),
    st.just(sympy.Symbol("x")), st.just(sympy.Integer(3)),
)
bad_order = st.one_of(st.integers(max_value=0), st.floats(), st.text(max_size=3), st.none(), st.booleans())


def assert_named_error(call, *names: str) -> None:
    with pytest.raises((ValueError, TypeError)) as caught:
        call()
    message = str(caught.value)
    assert message and any(name in message for name in names), message


@settings(max_examples=60, deadline=None)
@given(operand=not_an_operator, position=st.sampled_from(["G", "V"]))
def test_trln_series_names_an_operand_that_is_not_an_operator(operand, position) -> None:
    arguments = {"G": G, "V": V, position: operand}
    assert_named_error(lambda: trln_series(arguments["G"], arguments["V"], 2), position)


@settings(max_examples=60, deadline=None)
@given(order=bad_order)
def test_trln_series_names_a_bad_order(order) -> None:
    assert_named_error(lambda: trln_series(G, V, order), "order")


vector = st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=4)
neighbours = st.one_of(
    st.none(), st.integers(), st.text(max_size=6), st.lists(vector, max_size=5),
    st.lists(st.lists(st.text(max_size=2), min_size=1, max_size=3), min_size=1, max_size=3),
)


@settings(max_examples=80, deadline=None)
@given(candidate=neighbours)
def test_diffusion_tensor_refuses_what_is_not_a_centrosymmetric_neighbour_set(candidate) -> None:
    try:
        gamma = diffusion_tensor(candidate)
    except (ValueError, TypeError) as error:
        assert "neighbour" in str(error) or "lattice" in str(error), str(error)
        return
    # Accepted input must have been a valid set: closed under e -> -e, one length, giving a symmetric tensor.
    vectors = [tuple(v) for v in candidate]
    assert all(tuple(-x for x in v) in vectors for v in vectors)
    assert gamma == gamma.T


@settings(max_examples=60, deadline=None)
@given(w=st.one_of(not_an_operator.filter(lambda v: not isinstance(v, (int, float, sympy.Integer, sympy.Symbol))),
                   st.just(sympy.Function("f")(sympy.Symbol("cos_theta"))), st.just(sympy.Matrix([1, 2]))),
       d=st.integers(min_value=2, max_value=4))
def test_transport_rate_names_a_kernel_it_cannot_interpret(w, d) -> None:
    from derive.bosonization import diffusion_constant, transport_rate

    assert_named_error(lambda: transport_rate(w, d), "w")
    assert_named_error(lambda: diffusion_constant(w, d, 1, 1), "w")


@settings(max_examples=60, deadline=None)
@given(d=st.one_of(st.integers(max_value=1), st.floats(), st.text(max_size=3), st.none()))
def test_transport_rate_names_a_bad_dimension(d) -> None:
    from derive.bosonization import cos_theta, transport_rate

    assert_named_error(lambda: transport_rate(1 + cos_theta, d), "d", "dimension")
