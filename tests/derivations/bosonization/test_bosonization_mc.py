"""Monte Carlo check of D = v_F² τ_tr / d: run-and-tumble particles against derive.bosonization.

Particles fly at speed v_F and scatter at the total rate n_i ∫ w dn' (computed here by quadrature),
into a direction drawn from w(n·n'). The diffusion constant is measured from the growth of ⟨r²⟩
between two late times, where ⟨r²(t)⟩ = 2dD t + const up to terms ∝ e^{−t/τ_tr}; the statistical
error is the standard error of the per-particle estimates. Nothing here uses the symbolic result.
"""
import numpy as np
import pytest
import sympy

from derive.engines.transport import cos_theta, diffusion_constant, scattering_rate, transport_rate

V_F, N_I = 1.3, 0.7
PARTICLES = 60_000
KERNELS = {   # (kernel, d) -> w(cos θ); the forward ones have ⟨cos θ⟩ = 10/11, i.e. τ_tr = 11 τ
    ("isotropic", 2): sympy.Integer(2),
    ("isotropic", 3): sympy.Integer(2),
    ("forward", 2): 3 * ((1 + cos_theta) / 2) ** 10,
    ("forward", 3): 3 * ((1 + cos_theta) / 2) ** 20,
}


def _angle_sampler(w, d: int, grid_points: int = 20_001, table_points: int = 8_193):
    """Inverse-CDF sampler of the scattering angle (table lookup), and ∫ w dn', ⟨cos θ⟩ by quadrature."""
    w_numeric = sympy.lambdify(cos_theta, w, "numpy")
    if d == 2:
        angles = np.linspace(0.0, 2 * np.pi, grid_points)
        density, cosines, weight_of_circle = w_numeric(np.cos(angles)), np.cos(angles), 1.0
    else:
        angles = np.linspace(-1.0, 1.0, grid_points)      # here: cos θ, with dn' = 2π d(cos θ)
        density, cosines, weight_of_circle = w_numeric(angles), angles, 2 * np.pi
    density = density * np.ones_like(angles)
    trapezoids = lambda f: np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(angles))])
    cumulative = trapezoids(density)
    mean_cos = trapezoids(density * cosines)[-1] / cumulative[-1]
    table = np.interp(np.linspace(0, 1, table_points) * cumulative[-1], cumulative, angles)

    def draw(u: np.ndarray) -> np.ndarray:
        position = u * (table_points - 1)
        index = np.minimum(position.astype(np.int64), table_points - 2)
        return table[index] + (position - index) * (table[index + 1] - table[index])

    return draw, weight_of_circle * cumulative[-1], mean_cos


def _rotate(directions: np.ndarray, draw_angle, rng) -> np.ndarray:
    """New unit directions (shape (d, N)) at the drawn scattering angle; uniform azimuth in 3D."""
    count = directions.shape[1]
    if directions.shape[0] == 2:
        theta = draw_angle(rng.random(count))
        c, s = np.cos(theta), np.sin(theta)
        x, y = directions
        return np.stack([c * x - s * y, s * x + c * y])
    c = draw_angle(rng.random(count))
    s, phi = np.sqrt(np.clip(1 - c * c, 0, None)), 2 * np.pi * rng.random(count)
    x, y, z = directions
    # e1 = n × ẑ / |n × ẑ| (or n × x̂ near the poles), e2 = n × e1: an orthonormal frame around n
    near_pole = np.abs(z) > 0.9
    e1 = np.where(near_pole, np.stack([0 * x, z, -y]), np.stack([y, -x, 0 * x]))
    e1 /= np.sqrt((e1 * e1).sum(0))
    e2 = np.stack([y * e1[2] - z * e1[1], z * e1[0] - x * e1[2], x * e1[1] - y * e1[0]])
    new = c * directions + s * (np.cos(phi) * e1 + np.sin(phi) * e2)
    return new / np.sqrt((new * new).sum(0))


def _positions_at(times, rate, draw_angle, d: int, rng) -> list[np.ndarray]:
    """Event-driven flights of all particles at once; positions (d, N) at each of the increasing times."""
    position, clock = np.zeros((d, PARTICLES)), np.zeros(PARTICLES)
    start = np.zeros((d, PARTICLES))
    start[0] = 1.0
    direction = _rotate(start, lambda u: 2 * np.pi * u if d == 2 else 2 * u - 1, rng)   # isotropic start
    recorded = [np.zeros((d, PARTICLES)) for _ in times]
    while clock.min() < times[-1]:
        flight = rng.exponential(1.0 / rate, PARTICLES)
        arrival = clock + flight
        for record, t in zip(recorded, times, strict=True):
            crossing = (clock < t) & (arrival >= t)
            record[:, crossing] = position[:, crossing] + V_F * (t - clock[crossing]) * direction[:, crossing]
        position += V_F * flight * direction
        clock = arrival
        direction = _rotate(direction, draw_angle, rng)
    return recorded


def measure_diffusion(w, d: int, seed: int) -> tuple[float, float, float, float]:
    """(D, its standard error, τ, τ_tr) from the simulation; τ's from quadrature, not from derive."""
    draw_angle, total, mean_cos = _angle_sampler(w, d)
    rate = N_I * total
    tau, tau_tr = 1 / rate, 1 / (rate * (1 - mean_cos))
    early, late = 6 * tau_tr, 30 * tau_tr
    r_early, r_late = _positions_at((early, late), rate, draw_angle, d, np.random.default_rng(seed))
    per_particle = ((r_late**2).sum(0) - (r_early**2).sum(0)) / (2 * d * (late - early))
    return per_particle.mean(), per_particle.std(ddof=1) / np.sqrt(PARTICLES), tau, tau_tr


@pytest.mark.parametrize("kernel, d", sorted(KERNELS))
def test_monte_carlo_diffusion_constant_matches_v_squared_tau_tr_over_d(kernel, d):
    w = KERNELS[(kernel, d)]
    measured, error, tau, tau_tr = measure_diffusion(w, d, seed=17 + d)
    derived = float(diffusion_constant(w, d, V_F, N_I))
    assert error < 0.01 * derived                          # the check is sharp: 1 % or better
    assert abs(measured - derived) < 4 * error, (measured, derived, error)
    # the quadrature rates the simulation used agree with derive's symbolic ones
    assert np.isclose(1 / tau, N_I * float(scattering_rate(w, d)), rtol=1e-6)
    assert np.isclose(1 / tau_tr, N_I * float(transport_rate(w, d)), rtol=1e-6)
    if kernel == "forward":                                # the total time would be badly wrong
        assert abs(measured - V_F**2 * tau / d) > 50 * error
        assert np.isclose(tau_tr / tau, 11.0, rtol=1e-4)
