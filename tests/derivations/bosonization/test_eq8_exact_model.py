"""Eq. (8) on exactly solvable finite models: the superbosonized Q-integral over its true domain.

Model: N flavours of a (p|q) supervector, Z[J] = ∫Dψ exp(−Σ_n ψ̄_n 𝕄 ψ_n) with 𝕄 = −i(z − H + J),
z = E + iη, H acting on sites (identically on bosons and fermions), J = diag(J_B, J_F) a source. Exactly
Z = Sdet(𝕄)^{−N} = [det(z − H + J_F)/det(z − H + J_B)]^N and ⟨G⟩ = (z − H)^{−1}. The Q-side is
∫_D DQ Sdet(Q)^N e^{−Str 𝕄Q} with X = Q_BB > 0 Hermitian, Y = Q_FF ∈ U(q), normalised as in
derive.engines.superbosonization.
"""
from __future__ import annotations

from math import factorial

import numpy as np
import pytest

from derive.engines import superbosonization as sb
from derive.engines.supermatrix import Grading, superdeterminant

HOPPING = np.array([[0.3, 0.5], [0.5, -0.4]])      # two sites
ETA = 0.8
ENERGIES = (-1.0, 0.0, 0.6)


def _two_site_blocks(energy: float, j_boson: np.ndarray, j_fermion: np.ndarray):
    z = (energy + 1j * ETA) * np.eye(2)
    return -1j * (z - HOPPING + j_boson), -1j * (z - HOPPING + j_fermion), z


def test_odd_integral_factorises_and_its_constant():
    """∫DαDβ Sdet(Q)^N = c_N det(X)^{N−q} det(Y)^{−N−p} (exact Grassmann algebra, 8 generators for (2|2))."""
    rng = np.random.default_rng(3)
    for p in (1, 2):
        for flavours in (2, 3):
            x = rng.normal(size=(p, p)) + 1j * rng.normal(size=(p, p)) + 2 * np.eye(p)
            y = rng.normal(size=(p, p)) + 1j * rng.normal(size=(p, p)) + 2 * np.eye(p)
            c = sb.odd_constant(p, p, flavours)
            expected = c * np.linalg.det(x) ** (flavours - p) * np.linalg.det(y) ** (-flavours - p)
            assert abs(sb.odd_density(x, y, flavours) / expected - 1) < 1e-10
            wrong = c * np.linalg.det(x) ** flavours * np.linalg.det(y) ** (-flavours)   # no Jacobian
            assert abs(sb.odd_density(x, y, flavours) / wrong - 1) > 1e-2
    assert [sb.odd_constant(1, 1, n) for n in range(1, 5)] == [1, 2, 3, 4]
    assert [round(sb.odd_constant(2, 2, n).real) for n in range(1, 5)] == [0, 12, 72, 240]   # N²(N² − 1)


def test_eigenvalue_quadratures_reproduce_the_closed_forms():
    """Siegel's Γ_2(N) and ∫_{U(2)} det(Y)^{−N} e^{tr Y} dμ by the Weyl eigenvalue quadratures."""
    for flavours in (2, 3, 4):
        constants = sb.unitary_class_constants(2, flavours)
        xs, wx = sb.eigenvalue_nodes_positive(2, flavours - 2, 1.0, 40, sphere_order=4)
        assert abs(np.sum(wx * np.exp(-np.einsum("kii->k", xs))) / constants["siegel"] - 1) < 1e-12
        ys, wy = sb.eigenvalue_nodes_unitary(2, -flavours - 2, 24, sphere_order=4)
        assert abs(np.sum(wy * np.exp(np.einsum("kii->k", ys))) / constants["unitary"] - 1) < 1e-12
        # their product with c_N is 1: the normalisation is independent of N
        assert abs(constants["odd"] * constants["siegel"] * constants["unitary"] - 1) < 1e-12


def test_integral_over_a_is_one_beyond_perturbation_theory():
    """∫_D DQ Sdet(Q)^N e^{−Str Q} = 1 for (1|1), N = 1…4, and (2|2), N = 2…4 (the dual of ∫DA = 1)."""
    for p, flavours in [(1, 1), (1, 2), (1, 3), (1, 4), (2, 2), (2, 3), (2, 4)]:
        errors = [abs(sb.gaussian_superbosonized(np.eye(p), np.eye(p), flavours, order=order,
                                                  sphere_order=4) - 1) for order in (4, 8, 24)]
        assert errors[-1] < 1e-11, (p, flavours, errors)
    # below N = p the formula breaks down: the odd integral vanishes while Γ_2(1) = Γ(1)Γ(0) diverges
    assert sb.odd_constant(2, 2, 1) == 0
    with pytest.raises(ValueError, match="N ≥ p"):
        sb.gaussian_superbosonized(np.eye(2), np.eye(2), 1)


def _one_site(energy: float, sources: bool):
    blocks = sb.odd_blocks(1, 1, sources=2)
    algebra = blocks.algebra
    dim = algebra.dimension
    z = energy + 1j * 0.7
    m = np.zeros((2, 2, dim, dim), dtype=complex)
    m[0, 0], m[1, 1] = -1j * (z - 0.05) * np.eye(dim), -1j * (z - 0.5) * np.eye(dim)
    if sources:                               # Grassmann sources in the odd entries of 𝕄
        m[0, 1], m[1, 0] = 0.7 * algebra.generator(2), (0.4 - 0.2j) * algebra.generator(3)
    return algebra, m


def _exact_one_site(algebra, m, flavours):
    exact = sb.algebra_power(superdeterminant(m, Grading((0, 1))), -flavours)
    return {word: value for word, value in sb.berezin_integral(algebra, exact, 0).items()
            if all(index >= 2 for index in word)}


def test_one_site_with_grassmann_sources():
    """(1|1), every node's odd integral in the algebra: Z = Sdet(𝕄)^{−N} including its στ coefficient."""
    for flavours in (1, 2, 3, 4):
        for energy in ENERGIES:
            algebra, m = _one_site(energy, sources=True)
            exact = _exact_one_site(algebra, m, flavours)
            assert abs(exact[(2, 3)]) > 0.05                    # the source term is not negligible
            result = sb.superbosonized_11(m, flavours, algebra, order=40)
            error = max(abs(result[w] - exact[w]) for w in exact) / abs(exact[()])
            assert error < 1e-10, (flavours, energy, error)
    algebra, m = _one_site(-1.0, sources=True)
    exact = _exact_one_site(algebra, m, 3)
    errors = [max(abs(sb.superbosonized_11(m, 3, algebra, order=n)[w] - exact[w]) for w in exact)
              for n in (10, 20, 40)]
    assert errors[0] > 10 * errors[1] > 100 * errors[2]           # quadrature convergence
    # the fermion–fermion cycle: any circle around 0 works (Cauchy) ...
    shrunk = sb.superbosonized_11(m, 3, algebra, order=40, radius=0.4)
    assert max(abs(shrunk[w] - exact[w]) for w in exact) < 1e-10
    # ... a cycle that does not wind around Y = 0 (e.g. the boson-like domain) gives nothing
    moved = sb.superbosonized_11(m, 3, algebra, order=40, center=2.0, fermion_order=120)
    assert abs(moved[()]) < 1e-6 * abs(exact[()])
    # a wrong power of Sdet gives Sdet(𝕄)^{−N'}
    wrong = sb.superbosonized_11(m, 2, algebra, order=40)
    assert abs(wrong[()] - exact[()]) > 0.1 * abs(exact[()])


def test_one_site_compact_boson_block_fails():
    """Control: a compact boson–boson block (x on a circle) gives 0 instead of Sdet(𝕄)^{−N}."""
    mb, mf = -1j * (0.3 + 0.7j), -1j * (-0.2 + 0.7j)
    phases = 2 * np.pi * np.arange(64) / 64
    x, y = np.exp(1j * phases), np.exp(1j * phases)
    flavours = 2
    # odd integral of Sdet^N = N x^{N−1} y^{−N−1}; ∮dx/(2πi) on a circle instead of ∫_0^∞ dx
    compact = np.mean(x * flavours * x ** (flavours - 1) * np.exp(-mb * x)) * np.mean(
        y * y ** (-flavours - 1) * np.exp(mf * y))
    assert abs(compact) < 1e-12 and abs((mf / mb) ** flavours) > 0.5


@pytest.mark.parametrize("flavours", [2, 3, 4])
def test_two_site_model_generating_function(flavours):
    """(2|2): two sites, Z[J] = [det(z − H + J_F)/det(z − H + J_B)]^N at three energies."""
    j_boson, j_fermion = np.diag([0.2, -0.1]), np.diag([-0.15, 0.25])
    for energy in ENERGIES:
        m_boson, m_fermion, z = _two_site_blocks(energy, j_boson, j_fermion)
        exact = (np.linalg.det(z - HOPPING + j_fermion) / np.linalg.det(z - HOPPING + j_boson)) ** flavours
        value = sb.gaussian_superbosonized(m_boson, m_fermion, flavours, order=48, sphere_order=14)
        assert abs(value / exact - 1) < 1e-8, (flavours, energy, abs(value / exact - 1))
        if energy == 0.0:        # control: one flavour too many
            wrong = sb.gaussian_superbosonized(m_boson, m_fermion, flavours + 1, order=48, sphere_order=14)
            assert abs(wrong / exact - 1) > 1e-2


def test_two_site_green_function_and_convergence():
    """⟨Q_BB,11⟩ = i N G_11(z) with G = (z − H)^{−1}; exponential convergence in the coset quadrature."""
    zero = np.zeros((2, 2))
    for energy in (-1.0, 0.6):
        m, _, z = _two_site_blocks(energy, zero, zero)
        green = np.linalg.inv(z - HOPPING)[0, 0]
        value = sb.gaussian_superbosonized(m, m, 3, order=48, sphere_order=14, observable=lambda xs: xs[:, 0, 0])
        assert abs(value / (3j * green) - 1) < 1e-8
    m_boson, m_fermion, z = _two_site_blocks(0.0, np.diag([0.2, -0.1]), np.diag([-0.15, 0.25]))
    exact = (np.linalg.det(z - HOPPING + np.diag([-0.15, 0.25])) / np.linalg.det(z - HOPPING + np.diag([0.2, -0.1]))) ** 4
    errors = [abs(sb.gaussian_superbosonized(m_boson, m_fermion, 4, order=40, sphere_order=s) / exact - 1)
              for s in (4, 8, 12)]
    assert errors[0] > 100 * errors[1] > 1e4 * errors[2]


def _fourier_on_the_line(power: int, sign: int) -> complex:
    """∫_ℝ da (i − a)^{−power} e^{sign·i a} by QAWF (both half-lines)."""
    from scipy.integrate import quad

    total = 0j
    for direction in (1, -1):
        for take, unit in ((np.real, 1), (np.imag, 1j)):
            def part(t: float, d: int = direction, take=take) -> float:
                return float(take((1j - d * t) ** (-power)))
            cos_part = quad(part, 0, np.inf, weight="cos", wvar=1.0)[0]
            sin_part = quad(part, 0, np.inf, weight="sin", wvar=1.0)[0]
            total += unit * (cos_part + 1j * sign * direction * sin_part)
    return total


def test_naive_hermitian_domain_of_a_gives_zero():
    """With A Hermitian in both blocks the (1|1) integral ∫DA Sdet(i − A)^{−N} e^{−i Str A} vanishes.

    Its odd coefficient is N (i − a)^{−N−1} (i − b)^{N−1} e^{−ia + ib}; the a-integral over ℝ closes in the
    lower half plane (pole at a = i above): 0. Control: with e^{+ia} the residue at a = i gives
    2π (−i)^{N+1} e^{−1}/N! ≠ 0, which the same quadrature finds.
    """
    for flavours in (1, 2, 3):
        assert abs(_fourier_on_the_line(flavours + 1, -1)) < 1e-8
        expected = 2 * np.pi * (-1j) ** (flavours + 1) * np.exp(-1) / factorial(flavours)
        assert abs(_fourier_on_the_line(flavours + 1, +1) - expected) < 1e-8 and abs(expected) > 0.3


def test_charge_conjugated_weight_is_the_unitary_one():
    """(4|4) in the unitary class: Q₈ = diag(Q, Q^{st}) has Sdet(Q₈)^{1/2} = Sdet Q (random odd entries over
    5 generators), so Eq. (8)'s Sdet^{1/2} is the (2|2) weight with N = 1 — the case N < p above."""
    from derive.engines.supermatrix import GrassmannAlgebra, random_even_supermatrix

    rng = np.random.default_rng(11)
    grading = Grading.retarded_advanced(1, 1)
    algebra = GrassmannAlgebra(5)
    body = np.diag([1.1, 0.8, 1.9, 1.4]) + 0.3 * rng.normal(size=(4, 4))
    q = random_even_supermatrix(rng, algebra, grading, body=body)
    doubled, grading8 = sb.charge_conjugation_double(q, grading)
    sdet4 = superdeterminant(q, grading)
    root = sb.algebra_power(superdeterminant(doubled, grading8), 0.5)
    assert np.max(np.abs(root - sdet4)) < 1e-9 * np.max(np.abs(sdet4))
    assert np.max(np.abs(sdet4 - sdet4[0, 0] * np.eye(algebra.dimension))) > 1e-2     # Grassmann part present


def _double_quadrature(integral, flavours: int, extra_power: int = 0) -> complex:
    """A displayed two-fold sympy Integral at N = flavours by scipy's dblquad, times (outer variable)^extra_power."""
    import scipy.integrate
    import sympy

    from derive.derivations.bosonization.eq08_exact_model import N

    (inner, *inner_limits), (outer, *outer_limits) = integral.limits
    integrand = sympy.lambdify((outer, inner), integral.function.subs(N, flavours) * outer**extra_power, "numpy")
    limits = [float(bound) if bound.is_finite else np.inf for bound in (*outer_limits, *inner_limits)]
    real, imaginary = (scipy.integrate.dblquad(lambda y, x, part=part: part(complex(integrand(x, y))), *limits,
                                               epsabs=1e-13)[0] for part in (np.real, np.imag))
    return complex(real, imaginary)


@pytest.mark.parametrize("flavours", [2, 3, 4])
def test_displayed_block_integrals_by_quadrature(flavours):
    """The integrals the appendix displays for the (2|2) blocks, done by 2D quadrature, not by residues."""
    from derive.derivations.bosonization import eq08_exact_model as eq8

    for integral, closed in ((eq8._weyl_u2_integral(), 1 / (factorial(flavours) * factorial(flavours + 1))),
                             (eq8._siegel_2_integral(), factorial(flavours - 1) * factorial(flavours - 2))):
        value = _double_quadrature(integral, flavours)
        assert abs(value.real / closed - 1) < 1e-9 and abs(value.imag) < 1e-11
        wrong = _double_quadrature(integral, flavours, extra_power=1)   # the control: one more power
        assert abs(wrong / closed - 1) > 1e-3
