"""The one word algebra: products against matrix products, the cyclic canonical form against numeric traces."""
import dataclasses
import itertools
import random

import numpy as np
import pytest
import sympy

from derive.engines import freealgebra
from derive.engines.words import FREE, WordRules, cancel_adjacent_pairs, canonical_rotation, expand_terms, sort_key

SIZE = 3


def random_matrices(rng: np.random.Generator, letters: str) -> dict[str, np.ndarray]:
    return {x: rng.normal(size=(SIZE, SIZE)) + 1j * rng.normal(size=(SIZE, SIZE)) for x in letters}


def product(word, matrices) -> np.ndarray:
    result = np.eye(SIZE, dtype=complex)
    for letter in word:
        result = result @ matrices[letter]
    return result


def evaluate_trace(terms, matrices) -> complex:
    return sum(complex(coefficient) * np.trace(product(word, matrices)) for word, coefficient in terms.items())


def test_products_of_polynomials_are_matrix_products():
    rng = np.random.default_rng(1)
    matrices = random_matrices(rng, "abc")
    left = {("a",): sympy.Integer(2), ("b", "c"): sympy.Rational(-1, 3)}
    right = {("c",): sympy.I, (): sympy.Integer(5)}
    expected = (2 * matrices["a"] - matrices["b"] @ matrices["c"] / 3) @ (1j * matrices["c"] + 5 * np.eye(SIZE))
    got = sum(complex(c) * product(w, matrices) for w, c in FREE.multiply(left, right).items())
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_every_rotation_has_the_same_canonical_form_and_the_trace_is_kept():
    rng, draw = np.random.default_rng(2), random.Random(2)
    matrices = random_matrices(rng, "abcd")
    for _ in range(40):
        word = tuple(draw.choice("abcd") for _ in range(draw.randint(1, 7)))
        forms = {canonical_rotation(word[i:] + word[:i]) for i in range(len(word))}
        assert len(forms) == 1, (word, forms)
        (form,) = forms
        assert canonical_rotation(form) == form
        assert np.isclose(np.trace(product(form, matrices)), np.trace(product(word, matrices)))
        assert [sort_key(x) for x in form] == min([sort_key(x) for x in word[i:] + word[:i]] for i in range(len(word)))


def test_non_cyclic_permutations_stay_apart():
    assert canonical_rotation(("a", "b", "c")) != canonical_rotation(("a", "c", "b"))


def test_cancelling_pairs_are_removed_across_the_boundary_until_none_is_left():
    inverse = {("x", "X"), ("X", "x"), ("y", "Y"), ("Y", "y")}

    def cancels(left, right):
        return (left, right) in inverse

    assert cancel_adjacent_pairs(("x", "y", "Y", "a", "X"), cancels) == ("a",)
    assert cancel_adjacent_pairs(("x", "a", "X"), cancels, cyclic=False) == ("x", "a", "X")
    assert cancel_adjacent_pairs(("x", "a", "X"), cancels) == ("a",)


def test_inverse_pairs_inside_traces_against_matrices():
    rng, draw = np.random.default_rng(3), random.Random(3)
    matrices = random_matrices(rng, "ab")
    for name in "xy":
        matrices[name] = rng.normal(size=(SIZE, SIZE)) + 3 * np.eye(SIZE)
        matrices[name.upper()] = np.linalg.inv(matrices[name])
    rules = WordRules(cancels=lambda left, right: left != right and left.lower() == right.lower() and left in "xyXY")
    for _ in range(40):
        word = tuple(draw.choice("abxyXY") for _ in range(draw.randint(1, 8)))
        traced = rules.trace({word: sympy.Integer(1)})
        assert np.isclose(evaluate_trace(traced, matrices), np.trace(product(word, matrices))), (word, traced)
        for form in traced:
            assert cancel_adjacent_pairs(form, rules.cancels) == form


def test_sign_rule_a_trace_equal_to_minus_itself_vanishes():
    # L squares to 1 and anticommutes with P: Tr(L P) = Tr(P L) = -Tr(L P).
    def push(word):
        sign, result, pending = 1, [], 0
        for letter in word:
            if letter == "L":
                pending ^= 1
            elif letter == "P":
                sign = -sign if pending else sign
                result.append(letter)
            else:
                result += ["L"] * pending + [letter]
                pending = 0
        return sign, tuple(result + ["L"] * pending)

    rules = WordRules(normal_form=push, cancels=lambda left, right: left == right == "L")
    assert rules.trace_word(("L", "P")) == (0, ())
    assert rules.trace_word(("L", "P", "P")) == (0, ())        # Tr(P L P) = Tr(L P P) and P L P = -L P P
    assert rules.trace_word(("Q", "L", "P", "Q")) == (-1, ("P", "L", "Q", "Q"))  # L < Q; = -Tr(P Q Q L)
    # L = diag(1, -1), P off-diagonal: a faithful pair of matrices for the relations
    lam, p, q = np.diag([1.0, -1.0]), np.array([[0.0, 2.0], [3.0, 0.0]]), np.array([[1.0, 2.0], [5.0, 7.0]])
    matrices = {"L": lam, "P": p, "Q": q}
    for word in itertools.product("LPQ", repeat=4):
        sign, form = rules.trace_word(word)
        direct = np.trace(np.linalg.multi_dot([matrices[x] for x in word]))
        canonical = sign * np.trace(np.linalg.multi_dot([np.eye(2)] * 2 + [matrices[x] for x in form]))
        assert np.isclose(direct, canonical), (word, sign, form)


@pytest.mark.parametrize("seed", range(3))
def test_contact_letters_commuting_diagonals_and_involutions_against_matrices(seed):
    """freealgebra.CONTACT: X, E, F diagonal (E F = 1), R0 and Q0 involutions; traces agree with matrices."""
    rng, draw = np.random.default_rng(seed), random.Random(seed)
    chi = rng.normal(size=SIZE)
    matrices = {"X1": np.diag(rng.normal(size=SIZE)), "E": np.diag(np.exp(1j * chi)), "F": np.diag(np.exp(-1j * chi)),
                "Q1": rng.normal(size=(SIZE, SIZE))}
    for name in ("Q0", "R0"):
        rotation = np.linalg.qr(rng.normal(size=(SIZE, SIZE)))[0]
        matrices[name] = rotation @ np.diag([1.0, -1.0, 1.0]) @ rotation.T  # squares to 1
    letters = list(matrices)
    for _ in range(40):
        word = tuple(draw.choice(letters) for _ in range(draw.randint(1, 7)))
        traced = freealgebra.reduce_involutions(freealgebra.trace({word: sympy.Integer(1)}), ("Q0", "R0"))
        assert np.isclose(evaluate_trace(traced, matrices), np.trace(product(word, matrices))), (word, traced)
        rotations = {freealgebra.trace_key(word[i:] + word[:i]) for i in range(len(word))}
        assert len(rotations) == 1, (word, rotations)


def test_contact_rules_reach_the_fixed_point_of_cancellations():
    # Q0 E F Q0: E F = 1 brings Q0 Q0 together, which is 1 as well.
    rules = dataclasses.replace(freealgebra.CONTACT, cancels=lambda left, right: left == right == "Q0")
    assert rules.trace_word(("Q0", "E", "F", "Q0", "Q1")) == (1, ("Q1",))


def test_expand_terms_of_sympy_operators():
    a, b = sympy.symbols("a b", commutative=False)
    assert expand_terms((a + 2 * b) * a) == {(a, a): 1, (b, a): 2}
    assert expand_terms(sympy.Integer(0)) == {}
