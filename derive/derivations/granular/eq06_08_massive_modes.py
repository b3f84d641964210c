"""Eqs. (6)-(8) for a random-matrix grain: the massive modes about the saddle point and their Gaussian integral.

A GUE grain (weight e^{-Tr H^2/2}, N_H levels) at n = 2 mu Matsubara energies: by the duality
<prod_j det(x_j - H)> = <det(X + iQ)^{N_H}>_Q (Q an n x n GUE matrix) and Q = sqrt(N_H) q, the integrand is
exp(-N_H S(q)), S = Tr q^2/2 - Tr ln q at epsilon = 0. Its stationary points are q = U Lambda U^dagger with
Lambda = diag(+-1); the Hessian is 2 on the same-sign blocks (massive) and 0 between them (the manifold of Eq. (8)).
Integrating the massive modes leaves the manifold integral times the factor M(N_H, mu) of this step's display.
The test tests/derivations/granular/test_granular_massive_modes.py checks the whole leading order against the exact
average (Brezin-Hikami), error falling as 1/N_H.
"""
from __future__ import annotations

import sympy
from sympy import I, Rational, pi

from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Step

N_H = sympy.Symbol("N_H", integer=True, positive=True)      # levels of the grain's random matrix H
mu = sympy.Symbol(r"\mu", integer=True, positive=True)      # half the number of Matsubara energies, n = 2 mu
nu_plus = sympy.Symbol(r"\nu", integer=True, nonnegative=True)   # eigenvalues of q at +1 in a sector
eta = sympy.Symbol(r"\eta", positive=True)                   # size of the fluctuation dq = eta D; N_H in the orbit average
d1, d2, b1, b2 = sympy.symbols("d_1 d_2 b_1 b_2", real=True)   # D = [[d_1, b_1 + i b_2], [b_1 - i b_2, d_2]]
u1, u2 = sympy.symbols("u_1 u_2", real=True)                 # eigenvalue shifts inside one cluster
lam = sympy.Symbol(r"\lambda_a", real=True)                  # an eigenvalue of q
vartheta = sympy.Symbol(r"\vartheta", positive=True)         # polar angle of U Lambda U^dagger = n . sigma, n = 2
y1, y2 = sympy.symbols("y_1 y_2", real=True)                 # the energies, in the units of q
ell = sympy.Symbol("l", integer=True, positive=True)
massive_mode_factor = sympy.Function(r"\mathcal{M}")


def _superfactorial(top: sympy.Expr) -> sympy.Product:
    return sympy.Product(sympy.factorial(ell), (ell, 1, top))


def massive_mode_closed_form() -> sympy.Expr:
    """M(N_H, mu) = (2 N_H)^{mu^2} C(2 mu, mu) (prod_{l <= mu} l!)^2 / prod_{l <= 2 mu} l!, the pieces combined."""
    return (2 * N_H) ** (mu**2) * sympy.binomial(2 * mu, mu) * _superfactorial(mu) ** 2 / _superfactorial(2 * mu)


def massive_mode_powers() -> sympy.Expr:
    """The powers in M(N_H, mu) as assembled, the factorials left out (they are common to both forms): the measure's
    pi^{mu(2mu - 1)}, the clusters' distance 2^{2 mu^2}, two Mehta integrals' (2N_H)^{-mu^2/2} (2 pi)^{mu/2}, over
    the normalisation (2 pi/N_H)^{mu} (pi/N_H)^{mu(2mu - 1)} of the dual GUE (module docstring)."""
    n = 2 * mu
    cluster = (2 * N_H) ** (-mu**2 / 2) * (2 * pi) ** (mu / 2)
    normalisation = (2 * pi / N_H) ** mu * (pi / N_H) ** (mu * (n - 1))
    return pi ** (mu * (n - 1)) * 2 ** (2 * mu**2) * cluster**2 / normalisation


def massive_mode_pieces() -> sympy.Expr:
    """M(N_H, mu) as assembled: measure C_n = pi^{n(n-1)/2}/prod_{l <= n} l!, the C(2 mu, mu) fillings of the clusters,
    their distance, two Mehta integrals (each with prod_{l <= mu} l!), over the normalisation."""
    return massive_mode_powers() * sympy.binomial(2 * mu, mu) * _superfactorial(mu) ** 2 / _superfactorial(2 * mu)


def _action(lambdas: tuple[int, int]) -> sympy.Expr:
    """S(Lambda + eta D) = Tr(Lambda + eta D)^2 / 2 - ln det(Lambda + eta D) for a 2 x 2 Hermitian D."""
    q = sympy.Matrix([[lambdas[0] + eta * d1, eta * (b1 + I * b2)], [eta * (b1 - I * b2), lambdas[1] + eta * d2]])
    return sympy.expand((q * q).trace() / 2) - sympy.log(sympy.expand(q.det()))


def _second_order(lambdas: tuple[int, int]) -> sympy.Expr:
    """S(Lambda) plus (1/2) sum_ab (1 + lambda_a lambda_b) |D_ab|^2 eta^2 + O(eta^3): the Hessian of S at Lambda."""
    hessian = Rational(1, 2) * ((1 + lambdas[0] ** 2) * d1**2 + (1 + lambdas[1] ** 2) * d2**2
                                + 2 * (1 + lambdas[0] * lambdas[1]) * (b1**2 + b2**2))
    at_lambda = Rational(lambdas[0] ** 2 + lambdas[1] ** 2, 2) - sympy.log(lambdas[0] * lambdas[1])
    return at_lambda + eta**2 * hessian + sympy.Order(eta**3)


def _pieces_over_closed_form() -> sympy.Expr:
    """The assembled factor over the display, factorials included (the display's formula shows the powers only)."""
    return sympy.powsimp(sympy.expand_power_base(massive_mode_pieces() / massive_mode_closed_form(), force=True),
                         force=True)


def _series_residual(lambdas: tuple[int, int]) -> list[sympy.Expr]:
    expansion = sympy.series(_action(lambdas), eta, 0, 3).removeO()
    return [sympy.expand(expansion - _second_order(lambdas).removeO())]


def _cluster_integral() -> sympy.Integral:
    """Two eigenvalues of one cluster: int du_1 du_2 (u_1 - u_2)^2 e^{-N_H (u_1^2 + u_2^2)} (Hessian 2)."""
    return sympy.Integral((u1 - u2) ** 2 * sympy.exp(-N_H * (u1**2 + u2**2)), (u1, -sympy.oo, sympy.oo),
                          (u2, -sympy.oo, sympy.oo))


def _orbit_average() -> sympy.Integral:
    """<e^{eta Tr[U Lambda U^dagger diag(y_1, y_2)]}>_{U(2)}: U Lambda U^dagger = n . sigma, n uniform on the sphere."""
    return sympy.Integral(sympy.sin(vartheta) * sympy.exp(eta * (y1 - y2) * sympy.cos(vartheta)) / 2,
                          (vartheta, 0, pi))


def _duistermaat_heckman_2() -> sympy.Expr:
    """K eta^{-mu^2} DH at n = 2: K = 1/2, the fixed points sign patterns (+, -) and (-, +)."""
    return Rational(1, 2) / eta * (sympy.exp(eta * (y1 - y2)) / (y1 - y2) + sympy.exp(eta * (y2 - y1)) / (y2 - y1))


def _sector_power(plus: sympy.Expr) -> sympy.Expr:
    """Power of N_H of the sector with `plus` eigenvalues at +1: (2N_H)^{-(k^2 + (n - k)^2)/2} from the clusters;
    the orbit integral is O(1) (its N_H^{-k(n-k)} from HCIZ against N_H^{k(n-k)/2} from the energy differences,
    twice)."""
    return -(plus**2 + (2 * mu - plus) ** 2) / 2


# --- The first correction in the energies (1/N_H), from the stationary points lambda_+ = e^{-rho}, lambda_- = -e^{rho},
# y = 2 sinh rho (step eq7-high-energies): the saddle value to second order, the masses to first order.
y = sympy.Symbol("y", real=True)                             # one energy in the units of q: epsilon/sqrt(N_H)
h = sympy.Symbol("h", positive=True)                         # the scale of the energies, h -> 0
rho_a, rho_b = sympy.symbols(r"\rho_a \rho_b", real=True)   # y_a = 2 sinh rho_a
rho = sympy.Symbol(r"\rho", real=True)


def saddle_value_plus() -> sympy.Expr:
    """-s(lambda_+; y) = rho - e^{-2 rho}/2 at rho = asinh(y/2)."""
    return sympy.asinh(y / 2) - sympy.exp(-2 * sympy.asinh(y / 2)) / 2


def _saddle_value_series(sign: int) -> sympy.Expr:
    return Rational(-1, 2) + sign * y - y**2 / 4 + sympy.Order(y**3)


def _saddle_value_residuals() -> list[sympy.Expr]:
    minus = -sympy.asinh(y / 2) - sympy.exp(2 * sympy.asinh(y / 2)) / 2   # -s(lambda_-), besides the i pi of ln(-1)
    return [sympy.series(value, y, 0, 3).removeO() - _saddle_value_series(sign).removeO()
            for value, sign in ((saddle_value_plus(), 1), (minus, -1))]


def _log_series(expr: sympy.Expr) -> sympy.Expr:
    return sympy.series(expr, h, 0, 2).removeO()


MASS_LOGARITHMS = (   # ln(mass) about the stationary points of sign +, to first order; the sign - mirrors them
    (sympy.log(1 + sympy.exp(-2 * h * rho)), sympy.log(2) - h * rho),                                   # eigenvalue
    (sympy.log(1 + sympy.exp(-h * (rho_a + rho_b))), sympy.log(2) - h * (rho_a + rho_b) / 2),            # same sign
    (sympy.log((1 - sympy.exp(h * (rho_b - rho_a))) / (h * (rho_a - rho_b))), -h * (rho_a - rho_b) / 2),  # soft / DH
)


def _mass_residuals() -> list[sympy.Expr]:
    """Each logarithm's series against its first order; rho_a = rho_b + d, so the soft pair's series sees one
    difference (three times faster, same statement)."""
    d = sympy.Symbol("d", real=True)
    return [sympy.expand(_log_series(expr.subs(rho_a, rho_b + d)) - series.subs(rho_a, rho_b + d))
            for expr, series in MASS_LOGARITHMS]


def one_loop_coupling_squared() -> sympy.Expr:
    """c^2 in exp(c Tr[eps U Lambda U^dagger]) after the first correction: N_H + mu (= N_H + n/2)."""
    return N_H + mu


def _coupling_statement() -> sympy.Eq:
    """sqrt(N_H + mu) = sqrt(N_H) + mu/(2 sqrt(N_H)) + ..., written with h = 1/sqrt(N_H)."""
    return sympy.Eq(sympy.sqrt(1 + mu * h**2) / h, 1 / h + mu * h / 2 + sympy.Order(h**3), evaluate=False)


def eq06_08_massive_modes() -> Step:
    """The Gaussian integral over the massive modes of a GUE grain: the factor M(N_H, mu) in front of the manifold."""
    scalar_action = lam**2 / 2 - sympy.log(lam)
    return Step(
        **OUTLINE.header("massive-modes"),
        result=sympy.Eq(massive_mode_factor(N_H, mu), massive_mode_closed_form(), evaluate=False),
        claims=(
            claims.equal(r"the eigenvalues of $q$: $s(\lambda_a) = \lambda_a^2/2 - \ln \lambda_a$ is stationary at "
                         r"$\lambda_a = \pm 1$ with $s'' = 2$ there, so $\Lambda = \operatorname{diag}(\pm 1)$ is a saddle "
                         r"point and the eigenvalues are massive",
                         lambda: sympy.Matrix([sympy.diff(scalar_action, lam).subs(lam, v) for v in (1, -1)]
                                              + [sympy.diff(scalar_action, lam, 2) - (1 + 1 / lam**2)]),
                         sympy.Matrix([0, 0, 0]),
                         formula=sympy.Eq(sympy.Derivative(lam**2 / 2 - sympy.log(lam), (lam, 2)),
                                          1 + 1 / lam**2, evaluate=False)),
            claims.all_zero(r"between eigenvalues of opposite sign the fluctuation costs nothing: "
                            r"$\Lambda = \operatorname{diag}(1, -1)$, the off-diagonal $b_1 + i b_2$ is a direction "
                            r"of the manifold $U \Lambda U^\dagger$ of Eq. (8)",
                            lambda: _series_residual((1, -1)),
                            formula=sympy.Eq(_action((1, -1)), _second_order((1, -1)), evaluate=False)),
            claims.all_zero(r"between eigenvalues of equal sign it costs $2 |D_{ab}|^2$: "
                            r"$\Lambda = \operatorname{diag}(1, 1)$, a massive mode",
                            lambda: _series_residual((1, 1)),
                            formula=sympy.Eq(_action((1, 1)), _second_order((1, 1)), evaluate=False)),
            claims.equal(r"the Mehta integral of a cluster of two eigenvalues with the massive Hessian 2: "
                         r"$(2N_H)^{-\mu^2/2} (2\pi)^{\mu/2} \prod_{l \le \mu} l!$ at $\mu = 2$",
                         lambda: _cluster_integral().doit(),
                         (2 * N_H) ** -2 * 2 * pi * 2,
                         formula=sympy.Eq(_cluster_integral(), pi / N_H**2, evaluate=False)),
            claims.equal(r"the orbit average for $n = 2$ is $K \eta^{-\mu^2}$ times the Duistermaat--Heckman sum "
                         r"over the two sign patterns, with $K = 1/2$",
                         lambda: _orbit_average().doit(conds="none"), _duistermaat_heckman_2, method="simplify",
                         formula=sympy.Eq(_orbit_average(), _duistermaat_heckman_2(), evaluate=False)),
            claims.equal(r"the pieces combine into the display: the measure $C_n = \pi^{\mu(2\mu - 1)}/\prod_{l \le 2\mu} l!$, "
                         r"the $\binom{2\mu}{\mu}$ fillings of the clusters at $\pm 1$, their distance $2^{2\mu^2}$, two Mehta "
                         r"integrals $(2N_H)^{-\mu^2/2} (2\pi)^{\mu/2} \prod_{l \le \mu} l!$, over the normalisation "
                         r"$(2\pi/N_H)^{\mu} (\pi/N_H)^{\mu(2\mu - 1)}$ of the dual GUE; the factorials are common to both "
                         r"forms, the powers combine to $(2N_H)^{\mu^2}$",
                         _pieces_over_closed_form, 1,
                         formula=sympy.Eq(massive_mode_powers(), (2 * N_H) ** (mu**2), evaluate=False)),
            claims.equal(r"a sector with $\nu \ne \mu$ eigenvalues at $+1$ is smaller by $N_H^{-(\nu - \mu)^2}$: "
                         r"so $\operatorname{Tr} \Lambda = 0$ dominates",
                         lambda: _sector_power(nu_plus) - _sector_power(mu), -(nu_plus - mu) ** 2,
                         formula=sympy.Eq(_sector_power(nu_plus) - _sector_power(mu), -(nu_plus - mu) ** 2,
                                          evaluate=False)),
            claims.all_zero(r"the first correction in the energies, the saddle value: with $\lambda_+ = e^{-\rho}$, "
                            r"$y = 2\sinh\rho$, $-s(\lambda_+) = \rho - e^{-2\rho}/2 = -1/2 + y - y^2/4 + O(y^3)$, and "
                            r"$-s(\lambda_-) = -1/2 - y - y^2/4 + O(y^3)$ (besides the phase of $\ln(-1)$): "
                            r"$N_H y^2/4 = \varepsilon^2/4$ is the same at every fixed point, a factor "
                            r"$e^{-\sum_k \varepsilon_k^2/4}$",
                            _saddle_value_residuals,
                            formula=sympy.Eq(saddle_value_plus(), _saddle_value_series(1), evaluate=False)),
            claims.all_zero(r"the masses to first order in the energies (every $\rho$ scaled by $h \to 0$): the eigenvalue's "
                            r"$\ln(1 + \lambda^2) = \ln 2 - h\rho$; a same-sign pair's $\ln(1 + \lambda_a \lambda_b) = "
                            r"\ln 2 - h(\rho_a + \rho_b)/2$; a soft pair's $1 + \lambda_a \lambda_b = 1 - e^{h(\rho_b - \rho_a)}$ "
                            r"is $h(\rho_a - \rho_b)$, the Duistermaat--Heckman weight, times $e^{-h(\rho_a - \rho_b)/2}$",
                            _mass_residuals,
                            formula=sympy.Eq(MASS_LOGARITHMS[2][0], MASS_LOGARITHMS[2][1] + sympy.Order(h**2),
                                             evaluate=False)),
            claims.equal(r"so each energy $a$ gains $e^{\Lambda_a \rho_a/2}$ from its eigenvalue, "
                         r"$e^{(\mu - 1)\Lambda_a \rho_a/2}$ from its same-sign partners and $e^{\mu \Lambda_a \rho_a/2}$ "
                         r"from its soft partners: $e^{\mu \Lambda_a \rho_a}$, $\rho_a = \varepsilon_a/(2\sqrt{N_H})$, "
                         r"which turns $\sqrt{N_H}$ in the manifold's exponent into $\sqrt{N_H + \mu}$ "
                         r"($h = 1/\sqrt{N_H}$; $\mu = n/2$)",
                         lambda: sympy.series(_coupling_statement().lhs, h, 0, 3).removeO(),
                         _coupling_statement().rhs.removeO(),
                         formula=_coupling_statement()),
        ),
        note=(
            r"A grain modelled as an $N_H \times N_H$ GUE matrix $H$ (weight $e^{-\operatorname{Tr} H^2/2}$) at "
            r"$n = 2\mu$ Matsubara energies: $\langle \prod_j \det(i\varepsilon_j - H) \rangle$ is the $n \times n$ matrix "
            r"integral $\langle \det(i\hat\varepsilon + iQ)^{N_H} \rangle_Q$, and with $Q = \sqrt{N_H}\, q$ its integrand is "
            r"$e^{-N_H S(q)}$, $S = \operatorname{Tr} q^2/2 - \operatorname{Tr} \ln q$ at $\varepsilon = 0$. The saddle "
            r"points $q = U \Lambda U^\dagger$ form the manifold of Eq. (8); the massive modes are the eigenvalues and "
            r"the blocks of equal sign. Integrating them (flat measure $C_n \Delta(\lambda)^2 d^n\lambda\, d\mu(U)$, the "
            r"clusters at $\pm 1$, their Mehta integrals, the normalisation of the dual GUE) leaves "
            r"$i^{nN_H} (-1)^{N_H \mu} N_H^{n N_H/2} e^{-n N_H/2}\, \mathcal{M}(N_H, \mu)$ times the manifold integral "
            r"of $e^{\sqrt{N_H} \operatorname{Tr}[\hat\varepsilon U \Lambda U^\dagger]}$, where $\sqrt{N_H} = \pi/\delta$ "
            r"at the band centre. Against the exact average (a determinant of Hermite polynomials) this leading order "
            r"is off by $0.2$--$0.6\,\%$ at $N_H = 3200$, the error falling as $1/N_H$ (tests). The last three claims "
            r"give the first correction in the energies: $e^{-\sum_k \varepsilon_k^2/4}$ and $\sqrt{N_H} \to "
            r"\sqrt{N_H + \mu}$ (one loop: the masses' linear terms, the cubic couplings left out). With them the "
            r"temperature dependence is 60 to $10^4$ times closer to the exact one at every $N_H$ tested, still with an "
            r"error $\propto 1/N_H$ from what is left out; the temperature-independent constant at order $1/N_H$ is "
            r"not derived. Energies at a finite fraction of the band are the next step's."
        ),
    )
