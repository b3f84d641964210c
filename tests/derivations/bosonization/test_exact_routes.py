"""The cheaper exact routes of the heavy bosonization claims agree with the general ones and see errors."""
from __future__ import annotations

import itertools

import pytest
import sympy

from derive.derivations.bosonization import eq10_quantum_correction, eq12_optical_theorem
from derive.engines.transport import sphere_average_of_monomial


@pytest.mark.parametrize("d", [2, 3])
def test_sphere_monomial_averages_equal_the_gamma_formula(d: int) -> None:
    for powers in itertools.product(range(0, 7, 2), repeat=d):
        total = sum(powers)
        value = sympy.gamma(sympy.Rational(d, 2)) / sympy.gamma(sympy.Rational(total + d, 2))
        for a in powers:
            value *= sympy.gamma(sympy.Rational(a + 1, 2)) / sympy.sqrt(sympy.pi)
        assert sphere_average_of_monomial(powers) == sympy.nsimplify(value)
    assert sphere_average_of_monomial((1,) + (0,) * (d - 1)) == 0


def test_termwise_cosine_integral_equals_integrate_and_refuses_non_polynomials() -> None:
    c, x = sympy.Symbol("c", real=True), sympy.Symbol("x", real=True)
    polynomial = 3 * c**4 * sympy.exp(sympy.I * x) - c**3 * sympy.sin(x) + c**2 / 7 + 5
    assert sympy.expand(eq12_optical_theorem._half_integral_over_cosine(polynomial, c)
                        - sympy.integrate(polynomial, (c, -1, 1)) / 2) == 0
    with pytest.raises(ValueError, match="not a polynomial"):
        eq12_optical_theorem._half_integral_over_cosine(sympy.cos(c), c)


def test_the_half_angle_check_sees_a_small_error_and_accepts_trigonometric_rewriting(monkeypatch) -> None:
    original = eq10_quantum_correction.quantum_correction_by_chain_rule

    def shifted(epsilon):
        def terms(chart):
            (angle,) = chart.direction
            altered = dict(original(chart))
            word = sorted(altered, key=sympy.default_sort_key)[0]
            altered[word] += sympy.cos(angle) ** 2 + sympy.sin(angle) ** 2 - 1 + epsilon * sympy.sin(angle)
            return altered
        return terms

    monkeypatch.setattr(eq10_quantum_correction, "quantum_correction_by_chain_rule", shifted(sympy.Rational(1, 10**6)))
    assert "differs by" in eq10_quantum_correction._chain_rule_matches_cartesian_2d()
    monkeypatch.setattr(eq10_quantum_correction, "quantum_correction_by_chain_rule", shifted(0))
    assert eq10_quantum_correction._chain_rule_matches_cartesian_2d() is None
