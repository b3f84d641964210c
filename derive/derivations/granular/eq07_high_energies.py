"""The text before Eq. (7): high Matsubara energies frozen at Lambda, the trace Tr' over the low ones.

The paper replaces Q by Lambda where |epsilon_n| >> 1/tau and keeps the sigma-model only at low energies (Tr').
For a GUE grain (weight e^{-Tr H^2/2}, N_H levels, semicircle radius 2 sqrt(N_H), which plays 1/tau here) the dual
integral of step `massive-modes` has, at one energy epsilon = y sqrt(N_H), the action s(lambda; y) = lambda^2/2 - ln(lambda + y) for an eigenvalue lambda of q.
At y = O(1) its two stationary points are far apart, so that energy sits at the one of sign(epsilon), with a
Gaussian (massive) fluctuation; the modes between it and any other energy are massive too, with mass
1 + lambda_a lambda_b.
Towards y -> 0 the mass between opposite signs vanishes linearly in the energy difference: those modes are the
manifold of Eq. (8). Integrating the high energies' modes leaves the low energies' manifold integral times a factor
that does not depend on the point U of the manifold (the low-high masses 1 + lambda_h lambda_a depend on the spectrum of
U Lambda U^dagger only). tests/derivations/granular/test_granular_high_energies.py checks this against the exact
average (Brezin-Hikami), error falling as 1/N_H.
"""
from __future__ import annotations

import sympy
from sympy import I, sqrt

from derive.derivations.granular.eq06_08_massive_modes import N_H, b1, b2, eta, h, lam, rho, y
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Step

Y = sympy.Symbol("Y", positive=True)                             # the high pair epsilon = +-Y sqrt(N_H)
lam_Y = sympy.Symbol(r"\lambda_Y", positive=True)                  # the stationary point at y = Y, 0 < lambda_Y < 1
lam_a, lam_b = lam, sympy.Symbol(r"\lambda_b", real=True)        # stationary points of two energies
u_a, u_b = sympy.symbols("u_a u_b", real=True)                   # energies of the low pair, rho = h u
lam_h = sympy.Symbol(r"\lambda_h", real=True)                      # the stationary point of a high energy
n_L = sympy.Symbol("n_L", integer=True, nonnegative=True)        # number of low energies (even)
n_vector = sympy.symbols("n_1 n_2 n_3", real=True)              # U Lambda U^dagger = n . sigma for U(2), |n| = 1
high_energy_factor = sympy.Function(r"\mathcal{F}")


def single_energy_action(energy: sympy.Expr = y) -> sympy.Expr:
    return lam**2 / 2 - sympy.log(lam + energy)


def stationary_points(energy: sympy.Expr = y) -> tuple[sympy.Expr, sympy.Expr]:
    """lambda_+ (the one of epsilon > 0) and lambda_-: the roots of lambda^2 + y lambda - 1 = 0."""
    return (-energy + sqrt(energy**2 + 4)) / 2, (-energy - sqrt(energy**2 + 4)) / 2


def _derivative_factorised() -> sympy.Expr:
    plus, minus = stationary_points()
    return (lam - plus) * (lam - minus) / (lam + y)


def _pair_action() -> sympy.Expr:
    """S = Tr q^2/2 - ln det(q + Y) for q = diag(lambda_a, lambda_b) + eta x (off-diagonal), at the energies
    y = 1/lambda - lambda."""
    energies = sympy.diag(1 / lam_a - lam_a, 1 / lam_b - lam_b)
    matrix = sympy.Matrix([[lam_a, eta * (b1 + I * b2)], [eta * (b1 - I * b2), lam_b]])
    return sympy.expand((matrix * matrix).trace() / 2) - sympy.log(sympy.expand((matrix + energies).det()))


def _pair_second_order() -> sympy.Expr:
    at_saddle = (lam_a**2 + lam_b**2) / 2 + sympy.log(lam_a * lam_b)
    return at_saddle + eta**2 * (1 + lam_a * lam_b) * (b1**2 + b2**2) + sympy.Order(eta**3)


def _pair_residual() -> list[sympy.Expr]:
    expansion = sympy.series(_pair_action(), eta, 0, 3).removeO()
    return [sympy.simplify(sympy.expand_log(expansion - _pair_second_order().removeO(), force=True))]


def _hyperbolic_residuals() -> list[sympy.Expr]:
    """y = 2 sinh rho: lambda_+ = e^{-rho} and lambda_- = -e^{rho} are the roots of lambda^2 + y lambda - 1 (the
    stationary points of the first claim), and at three points the first is lambda_+ and the second lambda_-."""
    y_rho = (sympy.exp(rho) - sympy.exp(-rho))     # 2 sinh rho, written out so the residual is a Laurent polynomial
    residuals = [sympy.expand(root**2 + y_rho * root - 1) for root in (sympy.exp(-rho), -sympy.exp(rho))]
    # which root is which: at rho = ln k, k = 2, 3, 1/5 (2 sinh rho = k - 1/k rational, the square roots exact)
    # lambda_+ of the first claim is e^{-rho} = 1/k and lambda_- is -e^{rho} = -k
    at_points = [root - hyperbolic
                 for k in (sympy.Integer(2), sympy.Integer(3), sympy.Rational(1, 5))
                 for root, hyperbolic in zip(stationary_points(k - 1 / k), (1 / k, -k), strict=True)]
    return residuals + at_points


def _soft_mass() -> sympy.Expr:
    """1 + lambda_+(y_a) lambda_-(y_b) = 1 - e^{rho_b - rho_a}, y = 2 sinh rho, rho = h u: both energies going to 0."""
    return 1 - sympy.exp(h * (u_b - u_a))


def _soft_mass_series() -> sympy.Expr:
    return h * (u_a - u_b) + sympy.Order(h**2)


def _soft_mass_residuals() -> list[sympy.Expr]:
    """With the hyperbolic form of the stationary points (claim before): 1 + e^{-rho_a} (-e^{rho_b}), and its
    first order in h."""
    exact = 1 + sympy.exp(-h * u_a) * (-sympy.exp(h * u_b))
    return [sympy.expand(sympy.powsimp(exact) - _soft_mass()),
            sympy.series(_soft_mass(), h, 0, 2).removeO() - _soft_mass_series().removeO()]


def _cross_block_determinant() -> sympy.Determinant:
    """The low-high block's quadratic form d -> d + lam_h (U Lambda U^dagger) d for one high energy and two low ones,
    U Lambda U^dagger = n . sigma with n a unit vector (every point of U(2)/U(1)^2)."""
    n1, n2, n3 = n_vector
    return sympy.Determinant(sympy.ImmutableMatrix([[1 + lam_h * n3, lam_h * (n1 - I * n2)],
                                                    [lam_h * (n1 + I * n2), 1 - lam_h * n3]]))


def high_pair_pieces() -> sympy.Expr:
    """The factor of a high pair +-Y sqrt(N_H) as assembled: per energy i^{N_H} N_H^{N_H/2} (lambda + y)^{N_H}
    e^{-N_H lambda^2/2} / sqrt(s''), s'' = 1 + lambda^2; the pair's mutual mode 1/(1 + lambda_+ lambda_-); for each high energy and
    each low one the mode 1/(1 + lambda_h lambda_a), n_L/2 of them at lambda_a = +1 and n_L/2 at -1."""
    out = sympy.Integer(1)
    for sign in (1, -1):
        lam_high, energy = sign * lam_Y, sign * Y
        out *= (I**N_H * N_H ** (N_H / 2) * (lam_high + energy) ** N_H * sympy.exp(-N_H * lam_high**2 / 2)
                / sqrt(1 + lam_high**2))
        out *= ((1 + lam_high) * (1 - lam_high)) ** (-n_L / 2)
    return out / (1 + lam_Y * (-lam_Y))


def high_pair_closed_form() -> sympy.Expr:
    """F = N_H^{N_H} lambda_Y^{-2 N_H} e^{-N_H lambda_Y^2} / ((1 + lambda_Y^2)(1 - lambda_Y^2)^{n_L + 1})."""
    return (N_H**N_H * lam_Y ** (-2 * N_H) * sympy.exp(-N_H * lam_Y**2)
            / ((1 + lam_Y**2) * (1 - lam_Y**2) ** (n_L + 1)))


def _pieces_over_closed_form() -> sympy.Expr:
    """lambda_Y + Y = 1/lambda_Y at the stationary point, so the ratio is free of Y."""
    ratio = (high_pair_pieces() / high_pair_closed_form()).subs(Y, 1 / lam_Y - lam_Y)
    return sympy.powsimp(sympy.powdenest(sympy.simplify(ratio), force=True), force=True)


def eq07_high_energies() -> Step:
    """Tr': the high energies frozen at Lambda with their massive modes integrated; the manifold stays at low energies."""
    plus, minus = stationary_points()
    plus_Y = stationary_points(Y)[0]
    return Step(
        **OUTLINE.header("eq7-high-energies"),
        result=sympy.Eq(high_energy_factor(N_H, Y, n_L), high_pair_closed_form(), evaluate=False),
        claims=(
            claims.equal(r"one energy $\varepsilon = y \sqrt{N_H}$: $s(\lambda_a) = \lambda_a^2/2 - \ln(\lambda_a + y)$ is stationary at the "
                         r"two roots $\lambda_\pm$ of $\lambda^2 + y \lambda - 1$, so $\lambda_+ \lambda_- = -1$; at $y = O(1)$ they are far apart",
                         lambda: sympy.diff(single_energy_action(), lam), _derivative_factorised, method="simplify",
                         formula=sympy.Eq(sympy.Derivative(single_energy_action(), lam), _derivative_factorised(),
                                          evaluate=False)),
            claims.equal(r"at the stationary point $1/(\lambda + y) = \lambda$, so $s'' = 1 + \lambda^2$ and the high pair's $\lambda_Y$ "
                         r"solves $\lambda_Y (\lambda_Y + Y) = 1$",
                         lambda: sympy.Matrix([plus * (plus + y), minus * (minus + y), plus_Y * (plus_Y + Y)]),
                         sympy.Matrix([1, 1, 1]), method="simplify",
                         formula=sympy.Eq(lam_Y, plus_Y, evaluate=False)),
            claims.all_zero(r"with $y = 2 \sinh \rho$ the two stationary points are $\lambda_+ = e^{-\rho}$ and $\lambda_- = -e^{\rho}$",
                            _hyperbolic_residuals,
                            formula=sympy.Eq(stationary_points(2 * sympy.sinh(rho))[0], sympy.exp(-rho), evaluate=False)),
            claims.all_zero(r"between two energies at their stationary points $\lambda_a, \lambda_b$ the off-diagonal mode "
                            r"costs $(1 + \lambda_a \lambda_b)|x|^2$ ($x = b_1 + i b_2$): massive unless $\lambda_a \lambda_b = -1$",
                            _pair_residual,
                            formula=sympy.Eq(_pair_action(), _pair_second_order(), evaluate=False)),
            claims.all_zero(r"as both energies go to zero ($\rho = h u$) the mass between $\lambda_+(y_a)$ and $\lambda_-(y_b)$, "
                            r"$1 + \lambda_+ \lambda_- = 1 - e^{\rho_b - \rho_a}$, vanishes as $h (u_a - u_b)$: with "
                            r"$\rho \approx \varepsilon/(2\sqrt{N_H})$, $N_H$ times it is $(\pi/\delta)(\varepsilon_a - \varepsilon_b)/2$, "
                            r"the Gaussian weight of the manifold of Eq. (8), which its Duistermaat--Heckman integral "
                            r"(step massive-modes) takes exactly",
                            _soft_mass_residuals,
                            formula=sympy.Eq(_soft_mass(), _soft_mass_series(), evaluate=False)),
            claims.equal(r"the low--high modes of a high energy $\lambda_h$ have the determinant $\prod_a (1 + \lambda_h \lambda_a)$ "
                         r"at every point $U \Lambda U^\dagger = \mathbf{n} \cdot \boldsymbol{\sigma}$ of the low "
                         r"energies' manifold: for $U(2)$, $1 - \lambda_h^2$ on the whole sphere $|\mathbf{n}| = 1$",
                         lambda: sympy.expand(_cross_block_determinant().doit()),
                         1 - lam_h**2 * sum(c**2 for c in n_vector),
                         formula=sympy.Eq(_cross_block_determinant(), 1 - lam_h**2 * sum(c**2 for c in n_vector),
                                          evaluate=False)),
            claims.equal(r"a high pair $\varepsilon = \pm Y \sqrt{N_H}$ frozen at $\Lambda = \pm 1$: its two Gaussian "
                         r"integrals $i^{N_H} N_H^{N_H/2} (\lambda + y)^{N_H} e^{-N_H \lambda^2/2}/\sqrt{1 + \lambda^2}$, its mutual mode "
                         r"$1/(1 - \lambda_Y^2)$, and $1/(1 - \lambda_Y^2)^{n_L/2}$ for each of them from the low--high modes, combine "
                         r"into the display",
                         _pieces_over_closed_form, 1,
                         formula=sympy.Eq(high_pair_pieces().subs(Y, 1 / lam_Y - lam_Y), high_pair_closed_form(),
                                          evaluate=False)),
        ),
        note=(
            r"At a high Matsubara energy $|\varepsilon| \sim \sqrt{N_H}$ (the semicircle radius is $2\sqrt{N_H}$, "
            r"which plays the role of $1/\tau$) the grain's dual matrix integral is frozen at the stationary point of "
            r"sign $\varepsilon$, and every mode connecting it to another energy is massive. The Gaussian integral over "
            r"them multiplies the low energies' integral by $\mathcal{F}$, independently of where on the manifold "
            r"$U \Lambda U^\dagger$ of the low energies one is: so $\langle \prod_{L \cup H} \det(i\varepsilon - H)\rangle "
            r"= \mathcal{F}\, \langle \prod_{L} \det(i\varepsilon - H)\rangle (1 + O(1/N_H))$, and the $\sigma$-model "
            r"(Eq. (8), $U$ different from 1 only at low energies) is the integral over the low ones alone: the paper's "
            r"$\operatorname{Tr}'$. Checked against the exact average (tests): error $\propto 1/N_H$ at fixed $Y$. "
            r"The two descriptions meet at $\varepsilon \sim 1$ in the GUE's units ($\varepsilon/\delta \sim \sqrt{N_H}/\pi$): "
            r"there the manifold's action, linear in $\varepsilon$, misses terms of order $\varepsilon^2$, and the frozen "
            r"Gaussian misses terms of order $1/\varepsilon^2$; that crossover is not derived."
        ),
    )

