"""The bosonization derivation: claims, and its generated numpy functions against independent numerics.

Liouville operator: the time derivative of T(r, p) = t(r, p/|p|) along the exact Hamiltonian flow
(solve_ivp), by central differences. ħ² correction: nested finite-difference Poisson brackets in
Cartesian phase space with 2×2 matrix test functions. τ, τ_tr: quadrature of |f|² of the exact amplitude.
"""
import time

import numpy as np
import pytest
import scipy.integrate
import sympy

from derive.derivations import build
from derive.engines.scatterers import density_of_states, paper_amplitude
from derive.generated import bosonization as generated
from derive.pipeline import verify

M, P_F = 1.3, 1.7
V_F = P_F / M
x, y, z, phi = sympy.symbols("x y z phi", real=True)
n1, n2, n3 = sympy.symbols("n_1 n_2 n_3", real=True)
POTENTIAL_2D = 0.3 * sympy.cos(x) + 0.2 * x * y + 0.1 * y**2
POTENTIAL_3D = 0.3 * sympy.cos(x) * sympy.sin(z) + 0.2 * x * y + 0.1 * z**2


def test_all_claims_hold():
    start = time.perf_counter()
    verdicts = verify(build("bosonization"))
    elapsed = time.perf_counter() - start
    assert len(verdicts) >= 50
    print(f"bosonization: {len(verdicts)} claims in {elapsed:.1f} s")


def _flow_derivative(hamiltonian_gradient, observable, start: np.ndarray, step: float) -> float:
    """(O(z(h)) − O(z(−h))) / 2h along ż = (∂_p H, −∂_r H), integrated to 1e-13."""
    values = []
    for s in (step, -step):
        solution = scipy.integrate.solve_ivp(lambda _, state: hamiltonian_gradient(state), (0, s), start,
                                             method="DOP853", rtol=1e-13, atol=1e-13)
        values.append(observable(solution.y[:, -1]))
    return (values[0] - values[1]) / (2 * step)


def _slope_and_errors(errors, steps):
    return np.polyfit(np.log(steps), np.log(errors), 1)[0]


def test_liouville_2d_is_the_derivative_along_the_hamiltonian_flow():
    t = sympy.sin(x) * sympy.cos(2 * y) * sympy.exp(sympy.cos(phi)) + x * y * sympy.sin(3 * phi)
    t_num = sympy.lambdify((x, y, phi), t)
    grad_U = sympy.lambdify((x, y), [sympy.diff(POTENTIAL_2D, v) for v in (x, y)])
    point, angle = (0.4, -0.7), 0.9
    jets = {name: float(sympy.diff(t, v).subs({x: point[0], y: point[1], phi: angle}))
            for name, v in (("t_x", x), ("t_y", y), ("t_phi", phi))}
    U_x, U_y = grad_U(*point)
    derived = generated.liouville_2d([U_x, U_y], [jets["t_x"], jets["t_y"]], jets["t_phi"], angle, V_F, P_F)

    def gradient(state):
        gx, gy = grad_U(state[0], state[1])
        return [state[2] / M, state[3] / M, -gx, -gy]

    start = np.array([*point, P_F * np.cos(angle), P_F * np.sin(angle)])
    observable = lambda s: t_num(s[0], s[1], np.arctan2(s[3], s[2]))
    steps = np.array([0.08, 0.04, 0.02, 0.01])
    errors = [abs(_flow_derivative(gradient, observable, start, h) - derived) for h in steps]
    print("liouville FD errors", errors, _slope_and_errors(errors, steps))
    assert abs(_slope_and_errors(errors, steps) - 2) < 0.2, errors
    assert errors[-1] < 1e-4 * max(1.0, abs(derived))
    # the paper's sign of the force term matters: flipping it is far off
    wrong = generated.liouville_2d([-U_x, -U_y], [jets["t_x"], jets["t_y"]], jets["t_phi"], angle, V_F, P_F)
    assert abs(wrong - derived) > 1e3 * errors[-1]


def test_liouville_3d_is_the_derivative_along_the_hamiltonian_flow():
    t = sympy.sin(x + 2 * y) * n1 + sympy.cos(z) * n2 * n3 + sympy.exp(n3) * y
    t_num = sympy.lambdify((x, y, z, n1, n2, n3), t)
    grad_U = sympy.lambdify((x, y, z), [sympy.diff(POTENTIAL_3D, v) for v in (x, y, z)])
    point = (0.3, -0.5, 0.8)
    direction = np.array([0.48, -0.6, 0.64])
    subs = dict(zip((x, y, z, n1, n2, n3), (*point, *direction), strict=True))
    t_r = [float(sympy.diff(t, v).subs(subs)) for v in (x, y, z)]
    t_n = [float(sympy.diff(t, v).subs(subs)) for v in (n1, n2, n3)]
    derived = generated.liouville_3d(grad_U(*point), t_r, t_n, direction, V_F, P_F)

    def gradient(state):
        return [*(state[3:] / M), *(-np.array(grad_U(*state[:3])))]

    start = np.array([*point, *(P_F * direction)])
    observable = lambda s: t_num(*s[:3], *(s[3:] / np.linalg.norm(s[3:])))
    steps = np.array([0.08, 0.04, 0.02, 0.01])
    errors = [abs(_flow_derivative(gradient, observable, start, h) - derived) for h in steps]
    print("liouville FD errors", errors, _slope_and_errors(errors, steps))
    assert abs(_slope_and_errors(errors, steps) - 2) < 0.2, errors


def _matrix_test_functions():
    """2×2 noncommuting t(x, y, φ), t̄(x, y, φ) (numeric) and their sympy forms."""
    t = sympy.Matrix([[sympy.sin(x + phi), x * y], [sympy.cos(2 * phi) * y, sympy.exp(0.3 * x) * sympy.cos(phi)]])
    tbar = sympy.Matrix([[y * sympy.sin(phi), sympy.cos(x - y)], [x + sympy.sin(2 * phi), 0.5 * y * y]])
    return t, tbar


def _jets(F, subs, groups):
    """Stacked derivatives of F at ``subs``: one array per group of variable tuples (axis 0 = the group)."""
    return [np.array([np.array(sympy.diff(F, *vs).subs(subs), dtype=float) for vs in group]) for group in groups]


def _nested_poisson_bracket(A, B, h, d):
    """{A, B} by central differences in 2d-dimensional phase space (matrix products in order)."""
    def value(s):
        total = 0
        for i in range(d):
            e_r, e_p = np.eye(2 * d)[i] * h, np.eye(2 * d)[i + d] * h
            diff = lambda F, e: (np.asarray(F(s + e)) - np.asarray(F(s - e))) / (2 * h)
            a_r, a_p, b_r, b_p = diff(A, e_r), diff(A, e_p), diff(B, e_r), diff(B, e_p)
            total = total + (a_r @ b_p - a_p @ b_r if np.ndim(a_r) else a_r * b_p - a_p * b_r)
        return total
    return value


def _quantum_correction_by_finite_differences(H, T, Tbar, start, d, steps):
    return [-0.5 * _nested_poisson_bracket(Tbar, _nested_poisson_bracket(H, T, h, d), h, d)(start) for h in steps]


def test_quantum_correction_2d_matches_nested_finite_difference_poisson_brackets():
    t, tbar = _matrix_test_functions()
    t_num, tbar_num = sympy.lambdify((x, y, phi), t), sympy.lambdify((x, y, phi), tbar)
    U_num = sympy.lambdify((x, y), POTENTIAL_2D)
    point, angle = np.array([0.4, -0.3]), 0.7
    T = lambda s: np.array(t_num(s[0], s[1], np.arctan2(s[3], s[2])), dtype=float)
    Tbar = lambda s: np.array(tbar_num(s[0], s[1], np.arctan2(s[3], s[2])), dtype=float)
    H = lambda s: (s[2] ** 2 + s[3] ** 2) / (2 * M) + U_num(s[0], s[1])
    subs = {x: point[0], y: point[1], phi: angle}
    U_r, U_rr = _jets(POTENTIAL_2D, subs, [[(x,), (y,)], [(x, x), (x, y), (y, y)]])
    t_r, t_phi, t_rr, t_rphi, t_phiphi = _jets(t, subs, [
        [(x,), (y,)], [(phi,)], [(x, x), (x, y), (y, y)], [(x, phi), (y, phi)], [(phi, phi)]])
    tbar_r, tbar_phi = _jets(tbar, subs, [[(x,), (y,)], [(phi,)]])
    derived = generated.quantum_correction_2d(U_r, U_rr, t_r, t_phi[0], t_rr, t_rphi, t_phiphi[0], tbar_r,
                                              tbar_phi[0], angle, M, P_F)
    start = np.array([*point, P_F * np.cos(angle), P_F * np.sin(angle)])
    steps = np.array([0.04, 0.02, 0.01])
    errors = [np.max(np.abs(v - derived)) for v in _quantum_correction_by_finite_differences(H, T, Tbar, start, 2, steps)]
    print("quantum correction 2d FD errors", errors, _slope_and_errors(errors, steps))
    assert abs(_slope_and_errors(errors, steps) - 2) < 0.3, errors
    assert errors[-1] < 1e-3 * np.max(np.abs(derived))


def _jets_3d(t, tbar, point, direction):
    """The grouped jets quantum_correction_3d takes (U_r, U_rr, t_r, t_n, t_rr, t_rn, t_nn, tbar_r, tbar_n) of the
    3D potential and of the matrix fields t, tbar of (r, n) at a phase-space point on the Fermi surface."""
    r, n = (x, y, z), (n1, n2, n3)
    subs = dict(zip((*r, *n), (*point, *direction), strict=True))
    pairs = [(u, v) for u in r for v in n]
    ordered = lambda a: [(a[i], a[j]) for i in range(3) for j in range(i, 3)]
    singles = lambda a: [(v,) for v in a]
    return (*_jets(POTENTIAL_3D, subs, [singles(r), ordered(r)]),
            *_jets(t, subs, [singles(r), singles(n), ordered(r), pairs, ordered(n)]),
            *_jets(tbar, subs, [singles(r), singles(n)]))


def test_quantum_correction_3d_matches_nested_finite_difference_poisson_brackets():
    """T(r, p) = t(r, p/|p|) with t a 2×2 matrix that is not homogeneous in n: the generated K₂ takes the
    Cartesian n-derivatives of this extension and must still give the brackets of T."""
    t = sympy.Matrix([[sympy.sin(x + 2 * n1) + y * n3**2, x * z * n2], [sympy.cos(y - n3) * n1, sympy.exp(0.3 * z) * n2**2]])
    tbar = sympy.Matrix([[z * n1 - y * n2, sympy.cos(x + n3)], [x * y + n2 * n3, 0.5 * n1 + z]])
    variables = (x, y, z, n1, n2, n3)
    t_num, tbar_num = sympy.lambdify(variables, t), sympy.lambdify(variables, tbar)
    U_num = sympy.lambdify((x, y, z), POTENTIAL_3D)
    point, direction = np.array([0.3, -0.5, 0.8]), np.array([0.48, -0.6, 0.64])
    on_shell = lambda F: lambda s: np.array(F(*s[:3], *(s[3:] / np.linalg.norm(s[3:]))), dtype=float)
    H = lambda s: s[3:] @ s[3:] / (2 * M) + U_num(*s[:3])
    U_r, U_rr, t_r, t_n, t_rr, t_rn, t_nn, tbar_r, tbar_n = _jets_3d(t, tbar, point, direction)
    derived = generated.quantum_correction_3d(U_r, U_rr, t_r, t_n, t_rr, t_rn, t_nn, tbar_r, tbar_n, direction, M, P_F)
    start = np.array([*point, *(P_F * direction)])
    steps = np.array([0.04, 0.02, 0.01])
    values = _quantum_correction_by_finite_differences(H, on_shell(t_num), on_shell(tbar_num), start, 3, steps)
    errors = [np.max(np.abs(v - derived)) for v in values]
    print("quantum correction 3d FD errors", errors, _slope_and_errors(errors, steps))
    assert abs(_slope_and_errors(errors, steps) - 2) < 0.3, errors
    assert errors[-1] < 1e-3 * np.max(np.abs(derived))
    # the order of the matrix factors matters: transposed inputs, transposed back, put every t-jet left of
    # its t̄-jet, and that is far off
    T_ = lambda a: np.swapaxes(a, -1, -2)
    reversed_order = T_(generated.quantum_correction_3d(U_r, U_rr, T_(t_r), T_(t_n), T_(t_rr), T_(t_rn), T_(t_nn),
                                                         T_(tbar_r), T_(tbar_n), direction, M, P_F))
    assert np.max(np.abs(reversed_order - derived)) > 100 * errors[-1]


@pytest.mark.parametrize("d, name", [(2, "hard_disk"), (3, "hard_sphere")])
@pytest.mark.parametrize("k_F_a", [0.3, 2.0, 7.5])
def test_generated_times_against_quadrature_of_the_exact_amplitude(d, name, k_F_a):
    """1/(n_i τ) = 2πν⟨|f|²⟩, 1/(n_i τ_tr) = 2πν⟨|f|²(1 − cos θ)⟩ in units ħ = m = a = 1 (v_F = k_F a)."""
    nu = density_of_states(d, k_F_a)
    if d == 2:
        average = lambda g: scipy.integrate.quad(lambda th: g(np.cos(th)), 0, 2 * np.pi, limit=400)[0] / (2 * np.pi)
    else:
        average = lambda g: scipy.integrate.quad(g, -1, 1, limit=400)[0] / 2
    modulus = lambda c: abs(paper_amplitude(d, k_F_a, np.array(c))) ** 2
    n_i = 0.37
    rate = n_i * 2 * np.pi * nu * average(modulus)
    rate_tr = n_i * 2 * np.pi * nu * average(lambda c: (1 - c) * modulus(c))
    assert np.isclose(getattr(generated, f"tau_{name}")(k_F_a, 1.0, n_i, k_F_a), 1 / rate, rtol=1e-8)
    assert np.isclose(getattr(generated, f"tau_tr_{name}")(k_F_a, 1.0, n_i, k_F_a), 1 / rate_tr, rtol=1e-8)


def test_s_wave_times_and_diffusion_constant():
    # s-wave point scatterer: unitary limit σ = 4/k (d = 2), 4π/k² (d = 3)
    assert np.isclose(generated.tau_s_wave_3d(np.pi / 2, 2.0, 0.5, 3.0), 1 / (0.5 * 3.0 * np.pi))
    assert np.isclose(generated.tau_s_wave_2d(np.pi / 2, 2.0, 0.5, 3.0), 1 / (0.5 * 3.0 * 2.0))
    assert np.isclose(generated.diffusion_constant(1.5, 0.2, 3), 1.5**2 * 0.2 / 3)


def test_the_printed_collision_coefficient_would_halve_D():
    """With Eq. (13) as printed (c = 1) the Gaussian integral gives v_F² τ_tr / 2d, not v_F² τ_tr / d."""
    from derive.derivations.bosonization.eq01_gaussian_integration import GaussianProblem
    from derive.derivations.bosonization.symbols import c_coll

    problem = GaussianProblem(2)
    printed = problem.minimum().subs(c_coll, 1)
    assert sympy.simplify(printed - problem.eq1_form(sympy.Rational(1, 2)).subs(c_coll, 1)) != 0
    assert sympy.simplify(printed - problem.eq1_form(1).subs(c_coll, 1)) == 0
    assert sympy.simplify(problem.minimum().subs(c_coll, sympy.Rational(1, 2))
                          - problem.eq1_form(sympy.Rational(1, 2))) == 0


def _pointwise_k2_by_finite_differences(H, T, start, d, steps):
    """−½{T⁻¹,{H,T}} + ½{T⁻¹,T}T⁻¹{H,T} with T⁻¹ = numpy's inverse, by nested central differences."""
    Tinv = lambda s: np.linalg.inv(T(s))
    values = []
    for h in steps:
        flow = _nested_poisson_bracket(H, T, h, d)
        first = -0.5 * _nested_poisson_bracket(Tinv, flow, h, d)(start)
        second = 0.5 * _nested_poisson_bracket(Tinv, T, h, d)(start) @ Tinv(start) @ flow(start)
        values.append(first + second)
    return values


def test_star_inverse_correction_2d_completes_k2_with_the_pointwise_inverse():
    """quantum_correction_2d(t̄ = t⁻¹) + star_inverse_correction_2d is the ħ² term of T̄*(iħ{H,T}) written with
    the pointwise inverse (step eq10-star-inverse); the correction alone is a sizeable part of it."""
    t = sympy.Matrix([[2 + sympy.sin(x + phi), x * y], [sympy.cos(2 * phi) * y, 1.5 + sympy.exp(0.3 * x) * sympy.cos(phi)]])
    tinv = t.inv()
    t_num = sympy.lambdify((x, y, phi), t)
    U_num = sympy.lambdify((x, y), POTENTIAL_2D)
    point, angle = np.array([0.4, -0.3]), 0.7
    T = lambda s: np.array(t_num(s[0], s[1], np.arctan2(s[3], s[2])), dtype=float)
    H = lambda s: (s[2] ** 2 + s[3] ** 2) / (2 * M) + U_num(s[0], s[1])
    subs = {x: point[0], y: point[1], phi: angle}
    U_r, U_rr = _jets(POTENTIAL_2D, subs, [[(x,), (y,)], [(x, x), (x, y), (y, y)]])
    t_r, t_phi, t_rr, t_rphi, t_phiphi = _jets(t, subs, [
        [(x,), (y,)], [(phi,)], [(x, x), (x, y), (y, y)], [(x, phi), (y, phi)], [(phi, phi)]])
    tinv_r, tinv_phi = _jets(tinv, subs, [[(x,), (y,)], [(phi,)]])
    tinv_value = np.array(tinv.subs(subs), dtype=float)
    bracket_part = generated.quantum_correction_2d(U_r, U_rr, t_r, t_phi[0], t_rr, t_rphi, t_phiphi[0], tinv_r,
                                                   tinv_phi[0], angle, M, P_F)
    correction = generated.star_inverse_correction_2d(U_r, t_r, t_phi[0], tinv_value, angle, M, P_F)
    derived = bracket_part + correction
    start = np.array([*point, P_F * np.cos(angle), P_F * np.sin(angle)])
    steps = np.array([0.04, 0.02, 0.01])
    errors = [np.max(np.abs(v - derived)) for v in _pointwise_k2_by_finite_differences(H, T, start, 2, steps)]
    print("pointwise K2 2d FD errors", errors, _slope_and_errors(errors, steps))
    assert abs(_slope_and_errors(errors, steps) - 2) < 0.3, errors
    assert errors[-1] < 1e-3 * np.max(np.abs(derived))
    assert np.max(np.abs(correction)) > 100 * errors[-1]          # leaving it out is visibly wrong


def test_star_inverse_correction_3d_completes_k2_with_the_pointwise_inverse():
    t = sympy.Matrix([[2 + sympy.sin(x + 2 * n1) + y * n3**2, x * z * n2],
                      [sympy.cos(y - n3) * n1, 1.5 + sympy.exp(0.3 * z) * n2**2]])
    tinv = t.inv()
    variables = (x, y, z, n1, n2, n3)
    t_num = sympy.lambdify(variables, t)
    U_num = sympy.lambdify((x, y, z), POTENTIAL_3D)
    point, direction = np.array([0.3, -0.5, 0.8]), np.array([0.48, -0.6, 0.64])
    T = lambda s: np.array(t_num(*s[:3], *(s[3:] / np.linalg.norm(s[3:]))), dtype=float)
    H = lambda s: s[3:] @ s[3:] / (2 * M) + U_num(*s[:3])
    U_r, U_rr, t_r, t_n, t_rr, t_rn, t_nn, tinv_r, tinv_n = _jets_3d(t, tinv, point, direction)
    tinv_value = np.array(tinv.subs(dict(zip(variables, (*point, *direction), strict=True))), dtype=float)
    derived = (generated.quantum_correction_3d(U_r, U_rr, t_r, t_n, t_rr, t_rn, t_nn, tinv_r, tinv_n, direction, M, P_F)
               + generated.star_inverse_correction_3d(U_r, t_r, t_n, tinv_value, direction, M, P_F))
    start = np.array([*point, *(P_F * direction)])
    steps = np.array([0.04, 0.02, 0.01])
    errors = [np.max(np.abs(v - derived)) for v in _pointwise_k2_by_finite_differences(H, T, start, 3, steps)]
    print("pointwise K2 3d FD errors", errors, _slope_and_errors(errors, steps))
    assert abs(_slope_and_errors(errors, steps) - 2) < 0.3, errors
    assert errors[-1] < 1e-3 * np.max(np.abs(derived))


def test_quadratic_hbar2_density_is_minus_n_grad_w_squared_plus_liouville_terms_in_3d():
    """Step eq10-no-regularizer checks d = 2; d = 3 (7 s of SymPy) here, and the identity is not vacuous."""
    from derive.derivations.bosonization.eq10_no_regularizer import quadratic_density_residual
    from derive.engines.fermi_surface import chart_3d

    chart = chart_3d()
    assert quadratic_density_residual(chart) == {}
    W = chart.field("W")
    assert chart.on_sphere(chart.bracket(W, chart.bracket(chart.hamiltonian(), W)))
