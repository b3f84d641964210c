"""Issue 13, item 2: the one-angle kink theta = 2 arctan e^{x/xi} is the minimum of the lattice action (11b) over general Q.

A chain of grains; the end grains are held at the minima (w_1, w_2) = (1, 0) and (0, 1) of Eq. (9); every interior
grain is a general Q = U Q_0 U^dag on the manifold (two replicas, both spins, the Matsubara energies n = -window ..
window - 1; the energies outside the window stay at the minimum, where they are the same for both ends). The action is
-(pi/delta) Tr[eps Q] + (delta/4T) sum_j N_j^2 per grain and -(g_T/8) Tr[Q_l Q_l'] per contact (chi = 0), written out
here and checked once against the generated grain_charge and tunneling_action. Its gradient on the manifold is exact
(Cayley chart U = (1 + K)(1 - K)^{-1}, K in the tangent space), so L-BFGS minimises in all directions at once.
"""
import numpy as np
import pytest
import scipy.optimize

from derive.generated import granular

T = DELTA = 1.0


def chain(window: int, g_T: float, grains: int) -> dict:
    """Basis (replica j, n, spin); epsilon_n = pi T(2n + 1); the two boundary minima."""
    labels = [(j, n, spin) for j in range(2) for n in range(-window, window) for spin in range(2)]
    energies = np.array([np.pi * T * (2 * n + 1) for (_, n, _) in labels])
    replicas = np.array([[1.0 if jj == j else 0.0 for (jj, _, _) in labels] for j in range(2)])

    def minimum(w: tuple[int, int]) -> np.ndarray:
        return np.diag([np.sign(np.pi * T * (2 * n + 1) - 2 * np.pi * T * w[j]) for (j, n, _) in labels]).astype(complex)

    return dict(labels=labels, energies=energies, replicas=replicas, left=minimum((1, 0)), right=minimum((0, 1)),
                g_T=g_T, grains=grains)


def action(Q: np.ndarray, s: dict) -> float:
    """(11b) on the chain Q of shape (grains, d, d), q = 0, chi = 0."""
    diagonal = np.einsum("lii->li", Q).real
    traces = diagonal @ s["replicas"].T  # Tr[Q P_j], N_j = -i (pi T/delta) Tr[Q P_j]
    grains = -np.pi / DELTA * (diagonal @ s["energies"]).sum() - np.pi**2 * T / (4 * DELTA) * (traces**2).sum()
    return grains - s["g_T"] / 8 * np.einsum("lij,lji->", Q[:-1], Q[1:]).real


def action_change(Q: np.ndarray, Q0: np.ndarray, s: dict) -> float:
    """action(Q) - action(Q0), each term written as a difference: exact to rounding of the change, not of the action
    (about 6e3 here), so that the minimiser can resolve the soft translation mode of the kink."""
    dQ = Q - Q0
    diagonal, diagonal0 = np.einsum("lii->li", Q).real, np.einsum("lii->li", Q0).real
    traces, traces0 = diagonal @ s["replicas"].T, diagonal0 @ s["replicas"].T
    grains = -np.pi / DELTA * ((diagonal - diagonal0) @ s["energies"]).sum() - np.pi**2 * T / (4 * DELTA) * (
        (traces - traces0) * (traces + traces0)).sum()
    contacts = np.einsum("lij,lji->", dQ[:-1], Q[1:]) + np.einsum("lij,lji->", Q0[:-1], dQ[1:])
    return grains - s["g_T"] / 8 * contacts.real


def euclidean_gradient(Q: np.ndarray, s: dict) -> np.ndarray:
    """dS/dQ^T for the interior grains."""
    d = Q.shape[1]
    traces = np.einsum("lii->li", Q).real @ s["replicas"].T
    G = np.zeros_like(Q)
    G[:, np.arange(d), np.arange(d)] = -np.pi / DELTA * s["energies"][None, :] - np.pi**2 * T / (2 * DELTA) * traces @ s["replicas"]
    G[1:] -= s["g_T"] / 8 * Q[:-1]
    G[:-1] -= s["g_T"] / 8 * Q[1:]
    return G[1:-1]


def one_angle(theta: np.ndarray, s: dict) -> np.ndarray:
    """The ansatz: -cos theta tau_z + sin theta tau_x in the (replica 1, n = 0), (replica 2, n = 0) block, each spin."""
    Q = np.repeat(s["left"][None], len(theta), axis=0)
    for spin in range(2):
        a, b = s["labels"].index((0, 0, spin)), s["labels"].index((1, 0, spin))
        Q[:, a, a], Q[:, b, b] = -np.cos(theta), np.cos(theta)
        Q[:, a, b] = Q[:, b, a] = np.sin(theta)
    return Q


def one_angle_kink(s: dict) -> np.ndarray:
    """Minimum of the one-angle action sum (2 pi^2 T/delta) sin^2 theta + (g_T/2)(1 - cos(theta' - theta))."""
    A, g = 2 * np.pi**2 * T / DELTA, s["g_T"]

    def f(interior):
        theta = np.concatenate([[0.0], interior, [np.pi]])
        step = np.diff(theta)
        value = A * np.sum(np.sin(theta) ** 2) + g / 2 * np.sum(1 - np.cos(step))
        gradient = A * np.sin(2 * theta) + g / 2 * (np.append(0.0, np.sin(step)) - np.append(np.sin(step), 0.0))
        return value, gradient[1:-1]

    xi = np.sqrt(g / (8 * np.pi**2))
    start = 2 * np.arctan(np.exp((np.arange(1, s["grains"] - 1) - (s["grains"] - 1) / 2) / xi))
    result = scipy.optimize.minimize(f, start, jac=True, method="BFGS", options=dict(gtol=1e-12))
    return np.concatenate([[0.0], result.x, [np.pi]])


def tangent_basis(Q: np.ndarray) -> np.ndarray:
    """Anti-Hermitian generators X with [X, Q] spanning the tangent space (the blocks between the +1 and -1 eigenspaces)."""
    values, vectors = np.linalg.eigh(Q)
    basis = []
    for a in np.flatnonzero(values > 0):
        for b in np.flatnonzero(values < 0):
            for entry, mirror in ((1.0, -1.0), (1j, 1j)):
                E = np.zeros(Q.shape, complex)
                E[a, b], E[b, a] = entry, mirror
                basis.append(vectors @ E @ vectors.conj().T)
    return np.array(basis)


def chart(Q0: np.ndarray, s: dict):
    """S and its exact gradient in the Cayley coordinates c about Q0: Q_l = U Q0_l U^dag, U = (1 + K)(1 - K)^{-1}."""
    B = np.array([tangent_basis(Q) for Q in Q0[1:-1]])
    count, per_grain, d = B.shape[:3]
    eye = np.eye(d)

    def configuration(c):
        K = np.einsum("la,laij->lij", c.reshape(count, per_grain), B)
        inverse = np.linalg.inv(eye - K)
        U = (eye + K) @ inverse
        Q = Q0.copy()
        Q[1:-1] = U @ Q0[1:-1] @ np.conj(np.swapaxes(U, 1, 2))
        return Q, U, inverse

    def value_and_gradient(c):
        Q, U, inverse = configuration(c)
        # dS = 2 Re Tr[G dU Q0 U^dag], dU = (1 + U) dK (1 - K)^{-1}
        M = inverse @ Q0[1:-1] @ np.conj(np.swapaxes(U, 1, 2)) @ euclidean_gradient(Q, s) @ (eye + U)
        return action_change(Q, Q0, s), 2 * np.einsum("lij,laji->la", M, B).real.ravel()

    return value_and_gradient, configuration, count * per_grain


def minimise(Q: np.ndarray, s: dict, restarts: int = 20) -> tuple[np.ndarray, float]:
    """L-BFGS in the chart, re-centred on the current Q after each run (the chart stays well conditioned)."""
    for _ in range(restarts):
        f, configuration, n = chart(Q, s)
        result = scipy.optimize.minimize(f, np.zeros(n), jac=True, method="L-BFGS-B", options=dict(gtol=1e-10, ftol=1e-15, maxiter=400))
        Q = configuration(result.x)[0]
        Q = (Q + np.conj(np.swapaxes(Q, 1, 2))) / 2
        if np.abs(result.jac).max() < 1e-8:
            break
    return Q, action(Q, s)


XI = 1.5  # kink width in grains: g_T = 8 pi^2 xi^2


def test_chain_action_is_the_generated_one():
    s = chain(1, 8 * np.pi**2 * XI**2, 6)
    rng = np.random.default_rng(0)
    Q0 = one_angle(np.linspace(0, np.pi, 6), s)
    f, configuration, n = chart(Q0, s)
    Q = configuration(rng.normal(size=n) * 0.4)[0]
    half = Q.shape[1] // 2  # replica-major basis
    grains = sum(-np.pi / DELTA * np.sum(s["energies"] * np.diag(Ql).real)
                 + DELTA / (4 * T) * sum(granular.grain_charge(Ql[j * half:(j + 1) * half, j * half:(j + 1) * half], T, DELTA, 0.0) ** 2
                                         for j in (0, 1)) for Ql in Q)
    contacts = sum(granular.tunneling_action(Q[l], Q[l + 1], np.zeros(Q.shape[1]), s["g_T"]) for l in range(len(Q) - 1))
    assert action(Q, s) == pytest.approx(float(np.real(grains + contacts)), rel=1e-12)
    assert action_change(Q, Q0, s) == pytest.approx(action(Q, s) - action(Q0, s), rel=1e-10)
    c, e = rng.normal(size=n) * 0.2, np.zeros(n)
    e[7] = 1e-6
    value, gradient = f(c)
    assert gradient[7] == pytest.approx((f(c + e)[0] - f(c - e)[0]) / 2e-6, rel=1e-6)


def test_one_angle_kink_is_a_stable_critical_point_of_the_full_action():
    s = chain(1, 8 * np.pi**2 * XI**2, 24)
    kink = one_angle(one_angle_kink(s), s)
    f, _, n = chart(kink, s)
    assert np.abs(f(np.zeros(n))[1]).max() < 1e-5  # critical in every direction of the manifold, not only along theta
    h, hessian = 1e-5, np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        hessian[:, i] = (f(e)[1] - f(-e)[1]) / (2 * h)
    eigenvalues = np.linalg.eigvalsh((hessian + hessian.T) / 2)
    scale = eigenvalues[-1]
    print(f"Hessian at the kink ({n} directions): lowest {eigenvalues[:6]}, largest {scale:.1f}")
    zero = np.abs(eigenvalues) < 1e-8 * scale
    # the zero modes: U(2) rotations of one replica's spin space, which leave both ends and the action invariant
    assert zero.sum() == 4 and np.all(eigenvalues[~zero] > 0)
    assert eigenvalues[4] < 0.05 * eigenvalues[5]  # the soft translation mode, lifted by the lattice and the ends


@pytest.mark.parametrize("window, grains, trials", [(1, 24, 3), (2, 20, 1)])
def test_no_lower_action_from_random_general_Q(window, grains, trials):
    s = chain(window, 8 * np.pi**2 * XI**2, grains)
    kink = one_angle(one_angle_kink(s), s)
    S_kink = action(kink, s)
    _, configuration, n = chart(kink, s)
    rng = np.random.default_rng(window)
    for _ in range(trials):
        start = configuration(rng.normal(size=n) * 0.1)[0]
        _, S = minimise(start, s)
        print(f"window {window}: start {action(start, s) - S_kink:.1f} above the kink, minimum found {S - S_kink:.2e}")
        assert action(start, s) - S_kink > 100  # a generic rotation of every interior grain, far from the kink
        assert -1e-7 < S - S_kink < 1e-2  # back to the kink's action, never below it
