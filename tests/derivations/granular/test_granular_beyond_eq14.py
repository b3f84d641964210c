"""Issue 13 checks: a float-stable Delta F, charge states from the winding sum, AES instantons, many-channel contacts."""
import mpmath
import numpy as np
import pytest
import scipy.integrate
import scipy.linalg

from derive.generated import granular as generated

# --- Delta F at any argument ---------------------------------------------------------------------


def closed_form_reference(a: float) -> float:
    """2a x/(1 - x) - ln(1 - x), x = e^{-2a}, in 50-digit arithmetic (= a coth a - ln 2 sinh a)."""
    with mpmath.workdps(50):
        a = mpmath.mpf(float(a))
        x = mpmath.exp(-2 * a)
        return float(2 * a * x / (1 - x) - mpmath.log1p(-x))


def test_delta_F_is_finite_and_accurate_at_every_ratio():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is the right answer
        a = np.logspace(-12, np.log10(300.0), 80)
        values = generated.delta_F(a / np.pi, 1.0, 1.0) * 2 * np.pi**2
        reference = np.array([closed_form_reference(x) for x in a])
        assert np.max(np.abs(values / reference - 1)) < 1e-13
        extreme = np.logspace(-300, 300, 121)
        for values in (generated.delta_F(extreme, 1.0, 1.0), generated.delta_F(1.0, 1.0, extreme),
                       generated.delta_F(extreme, 1e-3, 1e3)):
            assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert generated.delta_F(300.0, 1.0, 1.0) == pytest.approx(0.0, abs=1e-300)
    assert np.diff(generated.delta_F(np.logspace(-6, 1, 40), 1.0, 1.0)).max() < 0  # decreasing in T


# --- charge states: the winding sum against the charge-state sum ----------------------------------


def winding_sum(q: float, T: float, E_C: float, delta: float, M: int, inverse: str) -> float:
    """sum over |w| <= M of exp(-S(w)): fermion term from isolated_grain_terms, V0 integrated by quadrature."""
    total = 0.0
    reference, _ = generated.isolated_grain_terms(0.0, T, delta, q, float(M))  # the w-independent -(4 pi^2 T/delta) M^2
    for w in range(-M, M + 1):
        energy, _ = generated.isolated_grain_terms(float(w), T, delta, q, float(M))
        energy = energy - reference
        N = 4j * np.pi * T * w / delta - q  # N of Eq. (12) at the minimum, isolated_grain_terms' charge
        if inverse == "exact":  # int dV0 exp(-alpha V0^2 + i V0 N/T) by quadrature, normalised at N = 0
            alpha, b = (1 / delta + 1 / (4 * E_C)) / T, N.imag / T
            shift = b**2 / (4 * alpha)  # exp(-alpha v^2 - b v) = exp(shift) exp(-alpha (v + b/2 alpha)^2)
            real = scipy.integrate.quad(lambda v, alpha=alpha, b=b, N=N: np.exp(-alpha * (v + b / (2 * alpha)) ** 2) * np.cos(N.real * v / T),
                                        -np.inf, np.inf, epsabs=0, epsrel=1e-13, limit=200)[0]
            if real != 0:  # 0 when the Gaussian's weight underflows: the term is negligible
                total += np.sign(real) * np.exp(-energy.real + shift + np.log(abs(real) * np.sqrt(alpha / np.pi)))
        else:  # the printed first-order (11b) + (11c); w and -w are complex conjugates, so the sum is real
            total += np.exp(-energy - (delta / 4 - delta**2 / (16 * E_C)) * N**2 / T).real
    return total


def charge_state_sum(q: float, T: float, E_C: float, delta: float) -> float:
    n = np.arange(-40, 41)
    return np.sum(np.exp(-generated.charging_energy(n, q, E_C, delta) / T))


@pytest.mark.parametrize("T, E_C, delta", [(0.5, 1.0, 0.5), (2.0, 1.0, 2.0), (0.3, 1.0, 0.1)])
def test_winding_sum_is_the_charge_state_sum(T, E_C, delta):
    qs = np.linspace(0.0, 1.0, 7)
    M = 12
    windings = np.array([winding_sum(q, T, E_C, delta, M, "exact") for q in qs])
    charges = np.array([charge_state_sum(q, T, E_C, delta) for q in qs])
    ratio = windings / charges
    assert np.max(np.abs(ratio / ratio[0] - 1)) < 1e-9  # the same function of q up to a q-independent factor
    printed = np.array([winding_sum(q, T, E_C, delta, M, "printed") for q in qs])
    shifted = np.array([charge_state_sum(q, T, E_C - delta / 4, delta) for q in qs])
    printed_ratio = printed / shifted
    assert np.max(np.abs(printed_ratio / printed_ratio[0] - 1)) < 1e-9  # printed truncation: E_C -> E_C - delta/4
    assert np.max(np.abs((printed / printed[0]) / (windings / windings[0]) - 1)) > 1e-3 * delta


# --- AES limit: instantons with several centres cost g_T |k|/2 --------------------------------------


def blaschke(z: np.ndarray, centres) -> np.ndarray:
    u = np.ones_like(z)
    for a in centres:
        u = u * (z - a) / (1 - np.conj(a) * z)
    return u


CENTRES = {1: [[0.0], [0.5], [-0.3 + 0.6j]], 2: [[0.2, -0.4j], [0.7, 0.7j], [0.0, 0.0]], 3: [[0.3, -0.5, 0.6j]]}


def aes_kernel_action(centres, g_T: float, points: int) -> float:
    """(g_T/4) int int T^2/sin^2(pi T (tau - tau')) [1 - cos(chi - chi')] on a periodic grid (T = 1)."""
    tau = (np.arange(points) + 0.5) / points
    u = blaschke(np.exp(2j * np.pi * tau), centres)
    s = tau[:, None] - tau[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        kernel = np.where(s == 0, 0.0, 1 / np.sin(np.pi * s) ** 2)
    integrand = kernel * (1 - np.real(u[:, None] * np.conj(u[None, :])))
    # the diagonal: 1 - cos(chi - chi') ~ chi'^2 s^2/2, and 1/sin^2 ~ 1/(pi s)^2: limit |u'|^2/(2 pi^2)
    derivative = np.gradient(u, tau, edge_order=2)
    integrand[np.diag_indices(points)] = np.abs(derivative) ** 2 / (2 * np.pi**2)
    return g_T / 4 * integrand.sum() / points**2


@pytest.mark.parametrize("k", [1, 2, 3])
def test_aes_kernel_action_of_blaschke_instantons_is_g_T_k_over_2(k):
    g_T = 3.0
    for centres in CENTRES[k]:
        errors = [abs(aes_kernel_action(centres, g_T, p) - g_T * k / 2) for p in (200, 400, 800)]
        slope = np.polyfit(np.log([200, 400, 800]), np.log(errors), 1)[0]
        assert errors[-1] < 1e-5 * g_T and slope < -2.5  # the midpoint rule with its diagonal term: error ~ h^3


def matsubara_action(centres, g_T: float, M: int, points: int = 4096) -> float:
    """Generated tunneling_action with Q = Lambda rotated by u = e^{i chi} (Toeplitz u_{n-m}), n = -M..M-1."""
    tau = np.arange(points) / points
    coefficients = np.fft.fft(blaschke(np.exp(2j * np.pi * tau), centres)) / points  # u_j at index j mod points
    index = np.arange(-M, M)
    U = coefficients[(index[:, None] - index[None, :]) % points]
    Lam = np.diag(np.where(index >= 0, 1.0, -1.0))
    zero = np.zeros(2 * M)
    rotated = generated.tunneling_action(U @ Lam @ U.conj().T, Lam, zero, g_T)
    reference = generated.tunneling_action(U @ U.conj().T, np.eye(2 * M), zero, g_T)  # Tr[U U^dag], no jump
    return 2 * float(np.real(rotated - reference))  # spin


@pytest.mark.parametrize("k", [1, 2, 3])
def test_generated_tunneling_action_of_instantons_is_independent_of_the_centres(k):
    g_T = 3.0
    for centres in CENTRES[k]:
        errors = [abs(matsubara_action(centres, g_T, M) - g_T * k / 2) for M in (8, 16, 32, 64)]
        assert errors[-1] < 1e-6
    uniform = matsubara_action([0.0] * k, g_T, 8)
    assert uniform == pytest.approx(g_T * k / 2, abs=1e-12)
    two_centres = [0.5, 0.5j]  # winding 2 with both zeros off the centre: still g_T, at a small cutoff M = 32
    assert matsubara_action(two_centres, g_T, 32) == pytest.approx(g_T, abs=1e-6)


# --- many-channel contacts: the exact determinant against Nazarov's sum over transmissions -------------


def haar(rng, rows: int, cols: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(rows, cols)) + 1j * rng.normal(size=(rows, cols)))
    return q * (np.diag(r) / np.abs(np.diag(r)))


def sigma_Q(rng, n: int) -> np.ndarray:
    U = haar(rng, n, n)
    return U @ np.diag(np.tile([1.0, -1.0], n // 2)) @ U.conj().T


def contact_minus_tr_ln(Q1, Q2, tau, levels: int, rng) -> complex:
    """-ln det(1 - G_1 t G_2 t^dag), G_l(p) = (i Gamma Q_l - xi_p)^-1, t = U diag(tau) V^dag random of rank N."""
    n = Q1.shape[0]
    xi = np.arange(-levels // 2, levels // 2) + 0.5
    gamma = 0.1 * levels

    def blocks(Q):
        w, V = np.linalg.eigh(Q)
        return scipy.linalg.block_diag(*[V @ np.diag(1 / (1j * gamma * w - x)) @ V.conj().T for x in xi])

    t = (haar(rng, levels, len(tau)) * tau) @ haar(rng, levels, len(tau)).conj().T
    T, Td = np.kron(t, np.eye(n)), np.kron(t.conj().T, np.eye(n))
    sign, logdet = np.linalg.slogdet(np.eye(levels * n) - blocks(Q1) @ T @ blocks(Q2) @ Td)
    return -(np.log(sign) + logdet)


def nazarov(Q1, Q2, lam) -> complex:
    """-(1/2) sum_c Tr ln[1 + (T_c/4)({Q1, Q2} - 2)] - n sum_c ln(1 + lambda_c), T_c = 4 lambda_c/(1 + lambda_c)^2."""
    n = Q1.shape[0]
    total = 0.0
    for transmission, coupling in zip(4 * lam / (1 + lam) ** 2, lam, strict=True):
        sign, logdet = np.linalg.slogdet(np.eye(n) + transmission / 4 * (Q1 @ Q2 + Q2 @ Q1 - 2 * np.eye(n)))
        total += -0.5 * (np.log(sign) + logdet) - n * np.log(1 + coupling)
    return total


@pytest.mark.parametrize("couplings", [(0.01, 0.05), (0.2, 0.6)])
def test_many_channel_contact_is_a_sum_over_transmissions(couplings):
    rng = np.random.default_rng(11)
    n, channels = 2, 30
    Q1, Q2 = sigma_Q(rng, n), sigma_Q(rng, n)
    lam = rng.uniform(*couplings, channels)
    transmissions = 4 * lam / (1 + lam) ** 2
    g_T = 2 * transmissions.sum()
    errors = []
    for levels in (100, 200, 400):
        # the finite band's channel sum (1/M) sum_p G = -i c Q: lambda_c scales with (c M/pi)^2
        xi = np.arange(-levels // 2, levels // 2) + 0.5
        c = np.sum(0.1 * levels / (xi**2 + (0.1 * levels) ** 2)) / np.pi
        tau = levels * np.sqrt(lam) / (np.pi * c)
        exact = contact_minus_tr_ln(Q1, Q2, tau, levels, np.random.default_rng(levels)) - contact_minus_tr_ln(
            Q1, Q1, tau, levels, np.random.default_rng(levels))
        predicted = nazarov(Q1, Q2, lam) - nazarov(Q1, Q1, lam)
        errors.append(abs(exact - predicted) / abs(predicted))
    slope = np.polyfit(np.log([100, 200, 400]), np.log(errors), 1)[0]
    eq7 = generated.tunneling_action(Q1, Q2, np.zeros(n), g_T) - generated.tunneling_action(Q1, Q1, np.zeros(n), g_T)
    eq7_error = abs(eq7 - predicted) / abs(predicted)
    print(f"lambda in {couplings}: g_T = {g_T:.2f}, max T_c = {transmissions.max():.3f}, errors {errors}, "
          f"slope {slope:.2f}, Eq. (7) off by {eq7_error:.4f}")
    assert slope < -0.8 and errors[-1] < 0.1  # the quasiclassical channel sums converge with the band
    if couplings[1] < 0.1:  # every channel weak, g_T = 2 sum T_c >> 1: Eq. (7) is the leading term
        assert g_T > 5 and errors[-1] < 5e-3 and eq7_error < 2 * transmissions.max()
    else:  # strong channels: Eq. (7) with g_T = 2 sum T_c misses the higher orders, Nazarov's form does not
        assert eq7_error > 2 * errors[-1]


# --- Eqs. (13)-(14) at any T/delta: exact number projection over GUE spectra -------------------------


def test_number_projection_recursion_against_brute_force():
    import itertools

    from granular_numerics import projected_minus_grand

    rng = np.random.default_rng(1)
    for T, N in [(0.7, 6), (0.2, 5), (3.0, 8)]:
        levels = np.sort(rng.normal(size=(1, 6)) * 2, axis=1)
        states = np.repeat(levels[0], 2)
        Z = sum(np.exp(-states[list(c)].sum() / T) for c in itertools.combinations(range(12), N))
        omega = -2 * T * np.sum(np.log1p(np.exp(-levels[0] / T)))
        assert projected_minus_grand(levels, T, N)[0] == pytest.approx(-T * np.log(Z) - omega, rel=1e-12)


def test_exact_projection_is_the_thermodynamic_delta_F_down_to_T_of_order_delta():
    """F_N - Omega(0) - (T/2) ln(2 pi T dN/dmu) against the Legendre transform, per GUE sample, T/delta = 0.1 .. 4."""
    from granular_numerics import (
        canonical_chemical_potential,
        canonical_minus_grand,
        number_variance,
        projected_minus_grand,
        unfolded_gue_levels,
    )

    levels, n = unfolded_gue_levels(200, 1000, seed=11), 200
    temperatures = np.array([0.1, 0.25, 0.5, 1.0, 2.0, 4.0])
    differences, errors = [], []
    for T in temperatures:
        mu = canonical_chemical_potential(levels, T, float(n))
        projected = projected_minus_grand(levels, T, n) - 0.5 * T * np.log(2 * np.pi * number_variance(levels, T, mu))
        legendre = canonical_minus_grand(levels, T, float(n))
        differences.append(np.mean(projected - legendre))
        errors.append(np.std(projected, ddof=1) / np.sqrt(len(levels)))
    differences, errors = np.abs(differences), np.array(errors)
    print(f"T/delta {temperatures}: |projected - Legendre| {differences}, statistical errors {errors}")
    high = temperatures >= 1.0
    assert np.all(differences[high] < 0.05 * errors[high])  # indistinguishable from the Legendre (thermodynamic) Delta F
    slope = np.polyfit(np.log(temperatures[high]), np.log(differences[high]), 1)[0]
    assert slope < -3  # the saddle point in the number-projection angle becomes exact fast
    assert differences[0] > 10 * errors[0]  # T = delta/10: the discrete charge, not the Legendre transform
