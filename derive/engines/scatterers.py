"""Model impurities beyond the Born approximation: isotropic, hard disk (d=2), hard sphere (d=3).

Units ħ = m = 1 and impurity radius a = 1, so k = k_F a = x and v_F = x. Exact partial waves:
tan δ_l = j_l(x)/y_l(x) (sphere), tan δ_m = J_m(x)/Y_m(x) (disk), δ_{−m} = δ_m. Cross sections, in
units of a^{d−1}:

    d = 3:  σ = (4π/x²) Σ_l (2l+1) sin²δ_l,       σ_tr = (4π/x²) Σ_l (l+1) sin²(δ_l − δ_{l+1})
    d = 2:  σ = (4/x) Σ_{m∈Z} sin²δ_m,            σ_tr = (4/x) Σ_{m≥0} sin²(δ_m − δ_{m+1})

The paper's amplitude f (Eq. 12) is minus the on-shell T-matrix, f = (2π/m) f_sc in d = 3 and
f = (2/m) Σ_m e^{iδ_m} sin δ_m e^{imθ} in d = 2, with ν = m k/(2π²) resp. m/(2π) (one spin); then the
optical theorem reads Im f(n, n) = π ν ⟨|f(n, n')|²⟩_{n'} (angular average) and τ⁻¹ = n_i v_F σ.
Numeric functions here use scipy.special (imported when called); ``*_symbolic`` build the SymPy sums
the derivation exports.
"""
from __future__ import annotations

import numpy as np
import sympy


def _check_dimension(d: int) -> None:
    if d not in (2, 3):
        raise ValueError(f"hard-core scatterers exist here for d = 2 (disk) and d = 3 (sphere), not d = {d!r}")


def phase_shifts(d: int, x: np.ndarray, count: int) -> np.ndarray:
    """δ_l (d=3) or δ_m (d=2), l, m = 0..count−1, of a hard core of radius 1 at k = x; shape (count, ...)."""
    import scipy.special as special

    _check_dimension(d)
    orders = np.arange(count).reshape((count,) + (1,) * np.ndim(x))
    if d == 3:
        regular, irregular = special.spherical_jn(orders, x), special.spherical_yn(orders, x)
    else:
        regular, irregular = special.jv(orders, x), special.yv(orders, x)
    return np.arctan(regular / irregular)


def cross_sections(d: int, x: np.ndarray, count: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """(σ, σ_tr) in units a^{d−1} from the partial-wave sums above, with ``count`` partial waves."""
    delta = phase_shifts(d, x, count + 1)
    steps = np.sin(delta[:-1] - delta[1:]) ** 2
    if d == 3:
        orders = np.arange(count).reshape((count,) + (1,) * np.ndim(x))
        total = 4 * np.pi / x**2 * ((2 * orders + 1) * np.sin(delta[:-1]) ** 2).sum(0)
        return total, 4 * np.pi / x**2 * ((orders + 1) * steps).sum(0)
    multiplicity = np.where(np.arange(count) == 0, 1.0, 2.0).reshape((count,) + (1,) * np.ndim(x))
    return 4 / x * (multiplicity * np.sin(delta[:-1]) ** 2).sum(0), 4 / x * steps.sum(0)


def paper_amplitude(d: int, x: float, cos_angle: np.ndarray, count: int = 60) -> np.ndarray:
    """The paper's f(n, n') = −T (m = 1) as a function of cos θ = n·n' (θ itself in d = 2)."""
    import scipy.special as special

    delta = phase_shifts(d, np.asarray(x, dtype=float), count)
    partial = np.exp(1j * delta) * np.sin(delta)
    if d == 3:
        legendre = np.array([special.eval_legendre(l, cos_angle) for l in range(count)])
        return 2 * np.pi / x * np.tensordot((2 * np.arange(count) + 1) * partial, legendre, axes=1)
    theta = np.arccos(np.clip(cos_angle, -1, 1))
    harmonics = np.array([np.cos(m * theta) * (1 if m == 0 else 2) for m in range(count)])
    return 2 * np.tensordot(partial, harmonics, axes=1)


def density_of_states(d: int, x: float) -> float:
    """ν per spin at k = x (m = 1): x/(2π²) in d = 3, 1/(2π) in d = 2."""
    _check_dimension(d)
    return x / (2 * np.pi**2) if d == 3 else 1 / (2 * np.pi)


# --- symbolic partial-wave sums for the generated numpy functions ------------------------------------

def _sin_squared_of_phase(regular: sympy.Expr, irregular: sympy.Expr) -> sympy.Expr:
    """sin²δ with tan δ = regular/irregular."""
    return regular**2 / (regular**2 + irregular**2)


def _sin_squared_of_difference(j0, y0, j1, y1) -> sympy.Expr:
    """sin²(δ − δ') for tan δ = j0/y0, tan δ' = j1/y1, without branch choices."""
    return (j0 * y1 - y0 * j1) ** 2 / ((j0**2 + y0**2) * (j1**2 + y1**2))


def cross_sections_symbolic(d: int, x: sympy.Symbol, count: int) -> tuple[sympy.Expr, sympy.Expr]:
    """(σ, σ_tr)/a^{d−1} as explicit partial-wave sums of Bessel functions of x = k a (count waves)."""
    _check_dimension(d)
    if d == 3:
        regular = [sympy.jn(l, x) for l in range(count + 1)]
        irregular = [sympy.yn(l, x) for l in range(count + 1)]
    else:
        regular = [sympy.besselj(m, x) for m in range(count + 1)]
        irregular = [sympy.bessely(m, x) for m in range(count + 1)]
    sines = [_sin_squared_of_phase(regular[l], irregular[l]) for l in range(count)]
    steps = [_sin_squared_of_difference(regular[l], irregular[l], regular[l + 1], irregular[l + 1])
             for l in range(count)]
    if d == 3:
        total = 4 * sympy.pi / x**2 * sympy.Add(*[(2 * l + 1) * sines[l] for l in range(count)])
        return total, 4 * sympy.pi / x**2 * sympy.Add(*[(l + 1) * steps[l] for l in range(count)])
    total = 4 / x * (sines[0] + 2 * sympy.Add(*sines[1:]))
    return total, 4 / x * sympy.Add(*steps)


# --- the same sums in a form that stays finite in single precision ----------------------------------------

def consecutive_cross_product(d: int, x: sympy.Symbol) -> sympy.Expr:
    """j_l y_{l+1} − y_l j_{l+1} (sphere) or J_m Y_{m+1} − Y_m J_{m+1} (disk), the same for every order:
    −1/x² and −2/(πx) (``cross_product_base_case`` and ``cross_product_recurrence_step`` prove it)."""
    _check_dimension(d)
    return -1 / x**2 if d == 3 else -2 / (sympy.pi * x)


def _bessel_pair(d: int, order: int | sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    return (sympy.jn(order, x), sympy.yn(order, x)) if d == 3 else (sympy.besselj(order, x), sympy.bessely(order, x))


def cross_product_base_case(d: int, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    """(residual, limit) for order 0: in d = 3 the residual x²(j_0 y_1 − y_0 j_1) + 1 vanishes identically; in d = 2
    d/dx[x(J_0 Y_1 − Y_0 J_1)] vanishes (Bessel's equation) and the constant is its x → 0 limit, −2/π."""
    (j0, y0), (j1, y1) = _bessel_pair(d, 0, x), _bessel_pair(d, 1, x)
    cross = j0 * y1 - y0 * j1
    if d == 3:
        return sympy.simplify(sympy.expand_func(x**2 * cross) + 1), sympy.Integer(-1)
    return sympy.simplify(sympy.diff(x * cross, x)), sympy.limit(x * cross, x, 0)


def cross_product_recurrence_step(d: int) -> sympy.Expr:
    """C_{l+1} − C_l for any two solutions f, g of the three-term recurrence of the order-l functions,
    f_{l+2} = ((2l+3)/x) f_{l+1} − f_l (spherical) or f_{m+2} = (2(m+1)/x) f_{m+1} − f_m (cylinder): zero, so
    the cross product C_l = f_l g_{l+1} − g_l f_{l+1} of consecutive orders does not depend on the order."""
    _check_dimension(d)
    l, x = sympy.Symbol("l", integer=True, nonnegative=True), sympy.Symbol("x", positive=True)
    f0, f1, g0, g1 = sympy.symbols("f_0 f_1 g_0 g_1")
    factor = (2 * l + 3) / x if d == 3 else 2 * (l + 1) / x
    f2, g2 = factor * f1 - f0, factor * g1 - g0
    return sympy.expand((f1 * g2 - g1 * f2) - (f0 * g1 - g0 * f1))


def cross_sections_for_arrays(d: int, x: sympy.Symbol, count: int) -> tuple[sympy.Expr, sympy.Expr]:
    """(σ, σ_tr)/a^{d−1} equal to ``cross_sections_symbolic`` but finite in float32 at small k a, for the exports.

    Y_l of high order overflows single precision for k a of a few (Y_39(1) ≈ 10⁵⁶); the plain form then
    multiplies inf by 0. Here sin²δ_l = (j_l/|h_l|)² with |h_l| = hypot(j_l, y_l), and the numerator of
    sin²(δ_l − δ_{l+1}) is the order-independent cross product, so a term whose Y overflows is 0, as it is in
    exact arithmetic to far below single precision."""
    from sympy.codegen.cfunctions import hypot

    _check_dimension(d)
    pairs = [_bessel_pair(d, l, x) for l in range(count + 1)]
    moduli = [hypot(regular, irregular) for regular, irregular in pairs]
    sines = [(pairs[l][0] / moduli[l]) ** 2 for l in range(count)]
    steps = [consecutive_cross_product(d, x) ** 2 / (moduli[l] ** 2 * moduli[l + 1] ** 2) for l in range(count)]
    if d == 3:
        total = 4 * sympy.pi / x**2 * sympy.Add(*[(2 * l + 1) * sines[l] for l in range(count)])
        return total, 4 * sympy.pi / x**2 * sympy.Add(*[(l + 1) * steps[l] for l in range(count)])
    return 4 / x * (sines[0] + 2 * sympy.Add(*sines[1:])), 4 / x * sympy.Add(*steps)
