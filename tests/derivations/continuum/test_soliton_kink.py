"""The soliton of (11b): the one-angle reduction checked on explicit Q matrices, then the kink minimised on a chain and a
square lattice of grains, its width and action against soliton_width / soliton_action over two decades of Gamma/T."""
import numpy as np
import pytest
import scipy.linalg
import scipy.optimize

from derive.generated import continuum, granular

T, DELTA, A_LATTICE = 1.0, 1.0, 1.0


def minimum_with_rotated_block(theta: float, M: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Q over (replica, spin, n = -M..M-1) at the minimum (w_1, w_2) = (1, 0), the n = 0 entries of replicas 1, 2 rotated."""
    eps = np.pi * T * (2 * np.arange(-M, M) + 1)
    signs = {1: np.sign(eps - 2 * np.pi * T), 0: np.sign(eps)}
    diagonal = np.concatenate([signs[w] for w in (1, 0) for _ in range(2)])  # replica-major, then spin, then n
    energies = np.tile(eps, 4)
    Q = np.diag(diagonal).astype(complex)
    zero = M  # index of n = 0
    for spin in range(2):
        i, j = spin * 2 * M + zero, (2 + spin) * 2 * M + zero  # replica 1 and replica 2, same spin, n = 0
        Q[np.ix_([i, j], [i, j])] = [[-np.cos(theta), np.sin(theta)], [np.sin(theta), np.cos(theta)]]
    return Q, energies


def grain_action(theta: float, M: int = 6) -> float:
    """-(pi/delta) Tr[eps Q] + (delta/4T) sum_j N_j^2 with N_j from the generated grain_charge (q = 0)."""
    Q, energies = minimum_with_rotated_block(theta, M)
    half = 4 * M  # one replica: 2 spins x 2M energies
    charges = [granular.grain_charge(Q[j * half:(j + 1) * half, j * half:(j + 1) * half], T, DELTA, 0.0) for j in (0, 1)]
    return float(np.real(-np.pi / DELTA * np.sum(energies * np.diag(Q)) + DELTA / (4 * T) * sum(N**2 for N in charges)))


def test_one_angle_reduction_of_the_lattice_action():
    thetas = np.linspace(0, np.pi, 9)
    potential = np.array([grain_action(t) for t in thetas]) - grain_action(0.0)
    assert np.allclose(potential, 2 * np.pi**2 * T / DELTA * np.sin(thetas) ** 2, atol=1e-10)
    g_T = 7.0
    for t1, t2 in [(0.3, 1.1), (0.0, np.pi), (2.0, 2.5)]:
        Q1, _ = minimum_with_rotated_block(t1)
        Q2, _ = minimum_with_rotated_block(t2)
        n = Q1.shape[0]
        cost = granular.tunneling_action(Q1, Q2, np.zeros(n), g_T) - granular.tunneling_action(Q1, Q1, np.zeros(n), g_T)
        assert cost == pytest.approx(g_T / 2 * (1 - np.cos(t1 - t2)), abs=1e-12)


def chain_action(inner: np.ndarray, g_T: float) -> tuple[float, np.ndarray]:
    """sum_l A sin^2 theta_l + (g_T/2) sum (1 - cos(theta_{l+1} - theta_l)), theta = 0 left and pi right, and its gradient."""
    theta = np.concatenate([[0.0], inner, [np.pi]])
    A = 2 * np.pi**2 * T / DELTA
    steps = np.diff(theta)
    value = A * np.sum(np.sin(inner) ** 2) + g_T / 2 * np.sum(1 - np.cos(steps))
    gradient = A * np.sin(2 * inner) + g_T / 2 * (np.sin(steps[:-1]) - np.sin(steps[1:]))
    return value, gradient


def minimised_chain(g_T: float) -> tuple[np.ndarray, float]:
    """L-BFGS from a linear ramp, then Newton steps on the exact tridiagonal Hessian: L-BFGS alone can stop on a
    failed line search (rounding of the action) before the gradient is small, depending on the machine's BLAS."""
    xi = np.sqrt(g_T * DELTA / (8 * np.pi**2 * T))
    sites = int(24 * xi) + 40
    start = np.linspace(0, np.pi, sites + 2)[1:-1]
    result = scipy.optimize.minimize(chain_action, start, args=(g_T,), jac=True, method="L-BFGS-B",
                                     options={"gtol": 1e-11, "ftol": 1e-15, "maxiter": 20000})
    inner = result.x
    A = 2 * np.pi**2 * T / DELTA
    for _ in range(20):
        value, gradient = chain_action(inner, g_T)
        if np.abs(gradient).max() < 1e-10 * g_T:
            break
        steps = np.diff(np.concatenate([[0.0], inner, [np.pi]]))
        banded = np.zeros((3, sites))
        banded[1] = 2 * A * np.cos(2 * inner) + g_T / 2 * (np.cos(steps[:-1]) + np.cos(steps[1:]))
        banded[0, 1:] = banded[2, :-1] = -g_T / 2 * np.cos(steps[1:-1])
        inner = inner - scipy.linalg.solve_banded((1, 1), banded, gradient)
    value, gradient = chain_action(inner, g_T)
    assert np.abs(gradient).max() < 1e-10 * g_T, "the chain minimisation did not converge"
    return inner, value


GAMMA_OVER_T = np.logspace(np.log10(300.0), np.log10(30000.0), 5)  # xi/a from 1.9 to 19.5


def test_chain_kink_width_and_action_against_the_continuum_prefactors():
    widths, actions, predicted_widths, predicted_actions = [], [], [], []
    for ratio in GAMMA_OVER_T:
        g_T = ratio * T / DELTA
        theta, action = minimised_chain(g_T)
        widths.append(A_LATTICE * np.sum(np.sin(theta)) / np.pi)  # int sin(theta) dx = pi xi for the kink
        actions.append(action)
        D = continuum.diffusion_tensor_chain(A_LATTICE)[0, 0] * g_T * DELTA
        predicted_widths.append(continuum.soliton_width(D, T))
        predicted_actions.append(continuum.soliton_action(D, T, 1 / (DELTA * A_LATTICE)))
    widths, actions = np.array(widths), np.array(actions)
    width_errors = np.abs(widths / np.array(predicted_widths) - 1)
    action_errors = np.abs(actions / np.array(predicted_actions) - 1)
    width_slope = np.polyfit(np.log(GAMMA_OVER_T), np.log(widths), 1)[0]
    action_slope = np.polyfit(np.log(GAMMA_OVER_T), np.log(actions), 1)[0]
    print(f"xi/a {widths}, errors {width_errors}; S {actions}, errors {action_errors}; "
          f"exponents {width_slope:.4f}, {action_slope:.4f}")
    assert width_errors[-1] < 1e-3 and action_errors[-1] < 1e-3
    assert np.all(np.diff(width_errors) < 0) and np.all(np.diff(action_errors) < 0)  # lattice corrections shrink
    discreteness = np.polyfit(np.log(widths), np.log(action_errors), 1)[0]
    assert discreteness == pytest.approx(-2.0, abs=0.3)  # corrections ~ (a/xi)^2
    assert width_slope == pytest.approx(0.5, abs=0.01) and action_slope == pytest.approx(0.5, abs=0.01)
    L_T = np.sqrt(continuum.diffusion_tensor_chain(A_LATTICE)[0, 0] * GAMMA_OVER_T[-1] * T / T)
    assert L_T / widths[-1] == pytest.approx(np.sqrt(2 * np.pi), rel=2e-3)  # the exported scale is 2.5 widths


def test_square_lattice_wall_relaxes_to_the_chain_kink():
    g_T, rows = 3000.0, 6
    xi = np.sqrt(g_T * DELTA / (8 * np.pi**2 * T))
    columns = int(24 * xi) + 40
    A = 2 * np.pi**2 * T / DELTA
    rng = np.random.default_rng(4)

    def action(flat: np.ndarray) -> tuple[float, np.ndarray]:
        inner = flat.reshape(rows, columns)
        theta = np.concatenate([np.zeros((rows, 1)), inner, np.full((rows, 1), np.pi)], axis=1)
        along = np.diff(theta, axis=1)
        across = np.roll(inner, -1, axis=0) - inner  # periodic in y
        value = A * np.sum(np.sin(inner) ** 2) + g_T / 2 * (np.sum(1 - np.cos(along)) + np.sum(1 - np.cos(across)))
        gradient = (A * np.sin(2 * inner) + g_T / 2 * (np.sin(along[:, :-1]) - np.sin(along[:, 1:]))
                    + g_T / 2 * (np.sin(np.roll(across, 1, axis=0)) - np.sin(across)))
        return value, gradient.ravel()

    start = np.linspace(0, np.pi, columns + 2)[1:-1][None, :] + 0.3 * rng.normal(size=(rows, columns))
    result = scipy.optimize.minimize(action, start.ravel(), jac=True, method="L-BFGS-B",
                                     options={"gtol": 1e-10, "ftol": 1e-15, "maxiter": 50000})
    theta = result.x.reshape(rows, columns)
    _, chain = minimised_chain(g_T)
    D = continuum.diffusion_tensor_square(A_LATTICE)[0, 0] * g_T * DELTA
    per_length = continuum.soliton_action(D, T, 1 / (DELTA * A_LATTICE**2))  # per unit length of the wall
    assert np.ptp(theta, axis=0).max() < 1e-4  # straight wall
    assert result.fun == pytest.approx(rows * chain, rel=1e-6)
    assert result.fun / (rows * A_LATTICE) == pytest.approx(per_length, rel=2e-3)
