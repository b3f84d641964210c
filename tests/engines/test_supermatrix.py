"""Supermatrix identities checked with an explicit Grassmann algebra (odd entries really anticommute)."""
import numpy as np
import pytest
import scipy.linalg
import sympy

from derive.engines.supermatrix import (
    Grading,
    GrassmannAlgebra,
    algebra_determinant,
    algebra_log,
    from_operator,
    lambda_matrix,
    multiply,
    random_even_supermatrix,
    superdeterminant,
    supertrace,
    to_operator,
)

ALGEBRA = GrassmannAlgebra(4)
GRADING = Grading.retarded_advanced(bosons=1, fermions=1)   # (B, F, B, F): a (2|2) supermatrix


def _norm(element: np.ndarray) -> float:
    return float(np.max(np.abs(element)))


def test_generators_anticommute_and_square_to_zero():
    thetas = [ALGEBRA.generator(i) for i in range(ALGEBRA.generators)]
    for i, a in enumerate(thetas):
        assert _norm(a @ a) == 0
        for b in thetas[i + 1:]:
            assert _norm(a @ b + b @ a) == 0
            assert _norm(a @ b) > 0          # the algebra is not trivial: products survive


def test_embedding_is_a_homomorphism():
    rng = np.random.default_rng(1)
    a, b = (random_even_supermatrix(rng, ALGEBRA, GRADING) for _ in range(2))
    assert np.allclose(to_operator(multiply(a, b)), to_operator(a) @ to_operator(b))
    assert np.array_equal(from_operator(to_operator(a), GRADING.size), a)


def test_supertrace_is_cyclic_for_even_supermatrices_and_the_trace_is_not():
    rng = np.random.default_rng(2)
    a, b = (random_even_supermatrix(rng, ALGEBRA, GRADING) for _ in range(2))
    str_ab, str_ba = supertrace(multiply(a, b), GRADING), supertrace(multiply(b, a), GRADING)
    assert _norm(str_ab - str_ba) < 1e-12 * _norm(str_ab)
    # the ordinary trace fails by terms bilinear in the odd (anticommuting) blocks: the test can fail
    trace = lambda m: sum(m[i, i] for i in range(GRADING.size))
    assert _norm(trace(multiply(a, b)) - trace(multiply(b, a))) > 0.1


def test_log_superdeterminant_equals_supertrace_of_log():
    rng = np.random.default_rng(3)
    body = np.eye(GRADING.size) + 0.3 * rng.normal(size=(GRADING.size, GRADING.size))
    m = random_even_supermatrix(rng, ALGEBRA, GRADING, body=body)
    str_log = supertrace(from_operator(scipy.linalg.logm(to_operator(m)), GRADING.size), GRADING)
    log_sdet = scipy.linalg.logm(superdeterminant(m, GRADING))
    assert _norm(str_log - log_sdet) < 1e-10
    assert _norm(log_sdet - log_sdet[0, 0] * np.eye(ALGEBRA.dimension)) > 1e-3   # Grassmann parts present


@pytest.mark.parametrize("body", [1.7, 0.4, -2.0])
def test_algebra_log_is_the_matrix_logarithm_and_inverts_exp(body):
    rng = np.random.default_rng(5)
    element = ALGEBRA.random_element(rng, 0, body)
    log = algebra_log(element)
    assert _norm(log - scipy.linalg.logm(element.astype(complex))) < 1e-10
    assert _norm(scipy.linalg.expm(log) - element) < 1e-10
    assert _norm(log - log[0, 0] * np.eye(ALGEBRA.dimension)) > 1e-3   # a nilpotent part, not just ln(body)


def test_superdeterminant_is_multiplicative():
    rng = np.random.default_rng(4)
    a, b = (random_even_supermatrix(rng, ALGEBRA, GRADING, body=np.eye(4) + rng.normal(size=(4, 4)))
            for _ in range(2))
    product = superdeterminant(multiply(a, b), GRADING)
    assert np.allclose(product, superdeterminant(a, GRADING) @ superdeterminant(b, GRADING), atol=1e-9)


def test_algebra_determinant_matches_numpy_on_numbers():
    rng = np.random.default_rng(5)
    numbers = rng.normal(size=(4, 4))
    as_algebra = numbers[:, :, None, None] * np.eye(ALGEBRA.dimension)
    assert np.allclose(algebra_determinant(as_algebra), np.linalg.det(numbers) * np.eye(ALGEBRA.dimension))


def test_symbolic_supertrace_and_superdeterminant_of_block_matrices():
    a, b, s, r = sympy.symbols("a b s r")
    grading = Grading((0, 1))
    m = sympy.Matrix([[a, s], [r, b]])
    assert supertrace(m, grading) == a - b
    assert sympy.simplify(superdeterminant(m, grading) - (a - s * r / b) / b) == 0


def test_lambda_is_diag_one_minus_one_and_supertraceless():
    grading = Grading.retarded_advanced(bosons=2, fermions=2)
    lam = lambda_matrix(grading)
    assert lam == sympy.diag(1, 1, 1, 1, -1, -1, -1, -1)
    assert supertrace(lam, grading) == 0
    assert lam * lam == sympy.eye(8)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="parities"):
        Grading((0, 2))
    with pytest.raises(ValueError, match="does not fit"):
        supertrace(sympy.eye(3), GRADING)
    with pytest.raises(ValueError, match="retarded/advanced"):
        lambda_matrix(Grading((0, 1, 1)))


def test_symbolic_supertrace_canonical_form_agrees_with_explicit_supermatrices():
    """Str of random words, canonicalised with Λ² = 1, ΛP = −PΛ, V V̄ = 1, against Grassmann-valued matrices."""
    import random

    from derive.engines.supermatrix import SupertraceRules, invert, supertrace_of

    lam, p, q, a, v, vbar = sympy.symbols("Lambda P Q A V Vbar", commutative=False)
    rules = SupertraceRules(lam, frozenset({p, q}), ((v, vbar),))
    rng = np.random.default_rng(6)
    algebra, grading = GrassmannAlgebra(3), Grading.retarded_advanced(1, 1)
    lam_value = np.array(lambda_matrix(grading), dtype=float)[:, :, None, None] * np.eye(algebra.dimension)
    off_diagonal = np.kron([[0, 1], [1, 0]], np.ones((2, 2)))[:, :, None, None]
    values = {lam: lam_value, a: random_even_supermatrix(rng, algebra, grading),
              p: off_diagonal * random_even_supermatrix(rng, algebra, grading),
              q: off_diagonal * random_even_supermatrix(rng, algebra, grading),
              v: random_even_supermatrix(rng, algebra, grading, body=np.eye(4) + 0.4 * rng.normal(size=(4, 4)))}
    values[vbar] = invert(values[v])

    def evaluate_word(word) -> np.ndarray:
        product = np.eye(4)[:, :, None, None] * np.eye(algebra.dimension)
        for factor in word:
            product = multiply(product, values[factor])
        return supertrace(product, grading)

    chooser = random.Random(8)
    letters = [lam, p, q, a, v, vbar]
    for _ in range(60):
        word = [chooser.choice(letters) for _ in range(chooser.randint(1, 6))]
        canonical = supertrace_of(sympy.Mul(*word), rules)
        expected = evaluate_word(word)
        got = sum((float(term.as_coeff_Mul()[0]) * evaluate_word(term.as_coeff_Mul()[1].args)
                   for term in sympy.Add.make_args(canonical) if term != 0), start=0 * expected)
        assert _norm(got - expected) < 1e-9 * max(1.0, _norm(expected)), (word, canonical)
