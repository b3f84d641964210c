"""The ħ² term K₂ against exact two-dimensional quantum mechanics.

The exact operator T̂⁻¹[Ĥ, T̂] (= −iħ T̂⁻¹ dT̂/dt under T̂(t) = e^{iĤt/ħ}T̂e^{−iĤt/ħ}) for H = p²/2m + U(r)
is built from exactly Weyl-quantised symbols on a torus (derive.engines.weyl_grid: plane waves in a window
of momentum space, sparse LU), and its Weyl symbol on the slice p = p₀ (all r, as Fourier coefficients) is
compared with iħ T̄{H,T} + ħ²K₂ for a sequence of ħ. The residual must fall as ħ³; leaving K₂ out, or
writing K₂ with the pointwise inverse but without ½{T⁻¹,T}T⁻¹{H,T}, must leave a residual ∝ ħ².
Cartesian phase space uses the derivation's own SymPy expressions (star_inverse_first_order,
matrix_poisson_bracket); the Fermi surface uses the generated exports, with T = t(r, n) near |p| = p_F.
"""
import time

import numpy as np
import pytest
import sympy

from derive.engines.star_inverse import matrix_poisson_bracket, star_inverse_first_order
from derive.engines.weyl_grid import (
    centred_coefficients,
    momentum_window,
    numeric_symbol,
    position_grid,
    symbol_coefficients,
    symbol_of_inverse_commutator,
)
from derive.generated import bosonization as generated

x, y, px, py = sympy.symbols("x y p_x p_y", real=True)
hbar = sympy.Symbol("hbar")
VARIABLES, R, P = (x, y, px, py), (x, y), (px, py)
MASS = 1.3
POTENTIAL = 0.3 * sympy.cos(x) + 0.2 * sympy.sin(y) + 0.15 * sympy.cos(x - y)
HAMILTONIAN = (px**2 + py**2) / (2 * MASS) + POTENTIAL
HBARS = 0.3 / np.arange(1, 7)              # 2p₀/ħ is an integer vector for every p₀ below
HALF_WIDTH, READ = 12, 3                   # window k ∈ c + [−12, 12]², Fourier modes |μ_i| ≤ 3 compared


def _slope(errors, hbars=HBARS) -> float:
    """Fitted exponent of error ∝ ħ^slope over the five smallest ħ."""
    return np.polyfit(np.log(hbars[1:]), np.log(errors[1:]), 1)[0]


def _exact_symbols(T: sympy.Matrix, p0, t_degree: int, half_width: int = HALF_WIDTH, hbars=HBARS) -> list[np.ndarray]:
    """Fourier coefficients at p₀ of the exact symbol of T̂⁻¹[Ĥ, T̂], one array per ħ."""
    T_num, H_num = numeric_symbol(T, VARIABLES), numeric_symbol(HAMILTONIAN, VARIABLES)
    return [symbol_of_inverse_commutator(T_num, H_num, momentum_window(h, p0, half_width), (t_degree, 1), READ,
                                         T.shape[0]) for h in hbars]


def _coefficients(expr: sympy.Matrix, p0) -> np.ndarray:
    return symbol_coefficients(numeric_symbol(expr, VARIABLES), p0, READ)


def _residuals(exact: list[np.ndarray], series: list[np.ndarray]) -> np.ndarray:
    """max_μ |ŝ_μ − Σ_k ħ^k c_k,μ| per ħ, for the series' coefficient arrays c_1, c_2, ... (c_0 = 0)."""
    return np.array([np.max(np.abs(s - sum(h ** (k + 1) * c for k, c in enumerate(series))))
                     for s, h in zip(exact, HBARS, strict=True)])


def _cartesian_series(T: sympy.Matrix, p0) -> dict[str, list[np.ndarray]]:
    """ħ¹ and ħ² coefficients of the predicted symbol: iħT̄{H,T} − (ħ²/2){T̄,{H,T}} with T̄ the star inverse
    through O(ħ) (expanded in ħ; its ħ³ part is beyond the order tested), the pointwise form with
    ½{T⁻¹,T}T⁻¹{H,T}, and the two controls."""
    flow = matrix_poisson_bracket(HAMILTONIAN * sympy.eye(T.shape[0]), T, R, P)
    star_inverse = star_inverse_first_order(T, R, P, hbar)
    inverse, first_order = star_inverse.subs(hbar, 0), sympy.diff(star_inverse, hbar)
    c = lambda e: _coefficients(e, p0)
    liouville, shift = c(sympy.I * inverse * flow), c(sympy.I * first_order * flow)
    k2 = c(-matrix_poisson_bracket(inverse, flow, R, P) / 2)
    correction = c(matrix_poisson_bracket(inverse, T, R, P) * inverse * flow / 2)
    return {"star inverse": [liouville, shift + k2],
            "pointwise + correction": [liouville, k2 + correction],
            "without K2": [liouville, shift],
            "pointwise, no correction": [liouville, k2]}


def _report(name: str, residuals: dict[str, np.ndarray], elapsed: float) -> None:
    print(f"\n{name} ({elapsed:.1f} s), ħ = {np.array2string(HBARS, precision=4)}")
    for label, errors in residuals.items():
        print(f"  {label:26s} slope {_slope(errors):.2f}  errors {' '.join(f'{e:.2e}' for e in errors)}")


def _assert_orders(residuals: dict[str, np.ndarray], right: tuple[str, ...], wrong: tuple[str, ...],
                   margin: float = 10) -> None:
    """Slope 3 for the right series; slope 2 and a residual ``margin`` times larger at the smallest ħ for the wrong."""
    for label in right:
        assert abs(_slope(residuals[label]) - 3) < 0.25, (label, residuals[label])
    for label in wrong:
        assert abs(_slope(residuals[label]) - 2) < 0.3, (label, residuals[label])
        assert residuals[label][-1] > margin * max(residuals[r][-1] for r in right), label


def test_scalar_symbol_k2_against_exact_quantum_evolution():
    """Scalar T: {T⁻¹, T} = 0, so the star inverse adds nothing at O(ħ); dropping K₂ must fail."""
    start = time.perf_counter()
    T = sympy.Matrix([[2.5 + sympy.cos(x) * sympy.sin(py) + 0.6 * sympy.sin(x + y) * sympy.cos(px - py / 2)]])
    p0 = (-0.75, 0.45)
    exact = _exact_symbols(T, p0, 1)
    series = _cartesian_series(T, p0)
    residuals = {label: _residuals(exact, series[label]) for label in ("star inverse", "without K2")}
    # the window is wide enough: a wider one changes the symbol by far less than the ħ³ residual
    wider = _exact_symbols(T, p0, 1, HALF_WIDTH + 4, HBARS[-1:])[0]
    window_error = np.max(np.abs(wider - exact[-1]))
    _report("scalar T, Cartesian", residuals, time.perf_counter() - start)
    print(f"  window half-width {HALF_WIDTH} vs {HALF_WIDTH + 4} at ħ = {HBARS[-1]:.3f}: {window_error:.1e}")
    assert window_error < 1e-3 * residuals["star inverse"][-1]
    _assert_orders(residuals, ("star inverse",), ("without K2",))


def _unit_determinant(a: sympy.Expr, b: sympy.Expr) -> tuple[sympy.Matrix, sympy.Matrix]:
    """T = [[1, 0], [b, 1]]·[[1, a], [0, 1]] and its inverse: det T = 1, noncommuting derivatives."""
    lower, upper = sympy.Matrix([[1, 0], [b, 1]]), sympy.Matrix([[1, a], [0, 1]])
    return lower * upper, sympy.Matrix([[1, -a], [0, 1]]) * sympy.Matrix([[1, 0], [-b, 1]])


def test_matrix_symbol_k2_needs_the_star_inverse():
    """2×2 T(r, p) with radial and angular p-dependence, Cartesian brackets: both routes to the ħ² term
    (T̄ the star inverse; pointwise inverse plus ½{T⁻¹,T}T⁻¹{H,T}) agree with quantum mechanics to O(ħ³),
    and K₂ with the pointwise inverse alone misses a term of order ħ²."""
    start = time.perf_counter()
    a = 0.8 * sympy.cos(x) * sympy.sin(py) + 0.5 * sympy.sin(y) * sympy.cos(px)
    b = 0.6 * sympy.sin(x + y) * sympy.cos(py - px) + 0.4 * sympy.cos(y)
    T, _ = _unit_determinant(a, b)
    p0 = (0.6, -0.9)
    exact = _exact_symbols(T, p0, 2)
    series = _cartesian_series(T, p0)
    residuals = {label: _residuals(exact, terms) for label, terms in series.items()}
    _report("2×2 T, Cartesian", residuals, time.perf_counter() - start)
    _assert_orders(residuals, ("star inverse", "pointwise + correction"), ("without K2", "pointwise, no correction"))


# --- On the Fermi surface: the generated exports -------------------------------------------------------

P_F, DIRECTION = 1.5, (0.6, 0.8)
phi, n1, n2 = sympy.symbols("phi n_1 n_2", real=True)


def _flat_radial_profile() -> sympy.Expr:
    """μ(|p|²) with g(s) = s μ(s²) = 1 + O((s − p_F)³): p μ(|p|²) = n g(|p|) is smooth at p = 0, bounded,
    and T(r, p) = t(r, p μ(|p|²)) has the ρ-derivatives of t(r, p/|p|) through second order at |p| = p_F."""
    q, s = sympy.symbols("q s", positive=True)
    coefficients = sympy.symbols("c0:3")
    mu = sum(c * q**k for k, c in enumerate(coefficients)) / (1 + q) ** 3
    g = s * mu.subs(q, s**2)
    conditions = [sympy.diff(g, s, k).subs(s, P_F) - (1 if k == 0 else 0) for k in range(3)]
    return mu.subs(sympy.solve(conditions, coefficients)).subs(q, px**2 + py**2)


def _jets_on_the_circle(t: sympy.Matrix, tinv: sympy.Matrix, grid: int) -> dict[str, np.ndarray]:
    """The jets the exports take, of t(r, φ) and t⁻¹ at every point of the r-grid, n = DIRECTION."""
    circle = {n1: sympy.cos(phi), n2: sympy.sin(phi)}
    fields = {"t": t.subs(circle), "tinv": tinv.subs(circle)}
    X, Y = position_grid(grid)
    angle = np.arctan2(DIRECTION[1], DIRECTION[0])

    def value(name, *variables):
        expr = sympy.diff(fields[name], *variables) if variables else fields[name]
        return np.array(numeric_symbol(expr, (x, y, phi, sympy.Dummy()))(X, Y, angle, 0).real)

    group = lambda name, pairs: np.array([value(name, *v) for v in pairs])
    scalar_jet = lambda pairs: np.array([np.broadcast_to(sympy.lambdify((x, y), sympy.diff(POTENTIAL, *v))(X, Y), X.shape)
                                         for v in pairs])
    return {"U_r": scalar_jet([(x,), (y,)]), "U_rr": scalar_jet([(x, x), (x, y), (y, y)]),
            "t_r": group("t", [(x,), (y,)]), "t_phi": value("t", phi),
            "t_rr": group("t", [(x, x), (x, y), (y, y)]), "t_rphi": group("t", [(x, phi), (y, phi)]),
            "t_phiphi": value("t", phi, phi), "tinv_r": group("tinv", [(x,), (y,)]), "tinv_phi": value("tinv", phi),
            "tinv": value("tinv"), "phi": np.full(X.shape, angle)}


def _fermi_surface_series(t: sympy.Matrix, tinv: sympy.Matrix) -> dict[str, list[np.ndarray]]:
    """The predicted symbol at p₀ = p_F n from the generated liouville_2d, quantum_correction_2d (t̄ = t⁻¹)
    and star_inverse_correction_2d, and the two controls."""
    j = _jets_on_the_circle(t, tinv, 16)
    entries = range(t.shape[0])
    liouville = np.stack([np.stack([generated.liouville_2d(j["U_r"], j["t_r"][..., a, b], j["t_phi"][..., a, b], j["phi"],
                                                           P_F / MASS, P_F) for b in entries], -1) for a in entries], -2)
    k2 = lambda U_rr, mass: generated.quantum_correction_2d(j["U_r"], U_rr, j["t_r"], j["t_phi"], j["t_rr"], j["t_rphi"],
                                                            j["t_phiphi"], j["tinv_r"], j["tinv_phi"], j["phi"], mass, P_F)
    bracket = k2(j["U_rr"], MASS)
    correction = generated.star_inverse_correction_2d(j["U_r"], j["t_r"], j["t_phi"], j["tinv"], j["phi"], MASS, P_F)
    # {H, T} = −L t on the Fermi surface, so iħT⁻¹{H,T} = −iħ t⁻¹ L t
    # two more controls, each one group of K₂'s terms left out: the curvature of U, and the 1/2m gradient terms
    no_curvature, no_gradient = k2(0 * j["U_rr"], MASS) - bracket, k2(j["U_rr"], np.inf) - bracket
    first, k2_, added, curvature, gradient = (centred_coefficients(v, READ) for v in (
        -1j * j["tinv"] @ liouville, bracket, correction, no_curvature, no_gradient))
    return {"exports": [first, k2_ + added], "without K2": [first], "pointwise, no correction": [first, k2_],
            "K2 without U''": [first, k2_ + added + curvature], "K2 without 1/m terms": [first, k2_ + added + gradient]}


@pytest.mark.parametrize("components", [1, 2])
def test_fermi_surface_exports_against_exact_quantum_evolution(components):
    """T(r, p) = t(r, n) near |p| = p_F (scalar, or 2×2 with det t = 1); the symbol read at p₀ = p_F n against
    iħ t⁻¹{H,T} + ħ²[quantum_correction_2d(t̄ = t⁻¹) + star_inverse_correction_2d]."""
    start = time.perf_counter()
    a = 0.8 * sympy.cos(x) * n2 + 0.5 * sympy.sin(y) * n1**2
    b = 0.6 * sympy.sin(x + y) * n1 + 0.4 * sympy.cos(y) * n1 * n2
    if components == 1:
        t = sympy.Matrix([[4 + a + b]])
        tinv = t.inv()
    else:
        t, tinv = _unit_determinant(a, b)
    direction_only = _flat_radial_profile()
    T = t.subs({n1: px * direction_only, n2: py * direction_only})
    exact = _exact_symbols(T, (P_F * DIRECTION[0], P_F * DIRECTION[1]), 2)
    series = _fermi_surface_series(t, tinv)
    if components == 1:
        del series["pointwise, no correction"]            # {t⁻¹, t} = 0: nothing to miss
    residuals = {label: _residuals(exact, terms) for label, terms in series.items()}
    _report(f"{components}×{components} t on the Fermi surface", residuals, time.perf_counter() - start)
    term_groups = ("K2 without U''", "K2 without 1/m terms")
    _assert_orders(residuals, ("exports",), tuple(label for label in residuals if label not in ("exports", *term_groups)))
    # each group of K₂'s terms is seen by the grid: without it the order drops to ħ² (the curvature term is
    # small here, 3.4× the ħ³ residual at the smallest ħ for the 2×2 t, so its margin is 3)
    _assert_orders(residuals, ("exports",), term_groups, margin=3)
