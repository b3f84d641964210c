"""Eq. (8) on an exactly solvable model: superbosonization over its true domain, done symbolically for (1|1).

N flavours of a (p|q) supervector, ∫Dψ F(Σ_n ψ_n ψ̄_n) = ∫_D DQ Sdet(Q)^N F(Q) (p = q, N ≥ p), with the
boson–boson block of Q positive Hermitian, the fermion–fermion block unitary (Littelmann, Sommers,
Zirnbauer 2008; Bunder et al. 2007). Cheap symbolic pieces here: the (1|1) identity for a Gaussian F
(a radial integral times a residue), the Jacobians of the eigenvalue coordinates, the N-independence of
the (2|2) normalisation, and controls that fail. The quadratures over the (1|1) and (2|2) domains with
the Grassmann algebra are in tests/derivations/bosonization/test_eq8_exact_model.py.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import sympy

from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import Q, Sdet, nc, theta
from derive.engines import claims
from derive.engines.superbosonization import charge_conjugation_double
from derive.engines.supermatrix import Grading, GrassmannAlgebra, random_even_supermatrix, superdeterminant
from derive.model import Step

__all__ = ["eq08_exact_model"]

x, x1, x2 = sympy.symbols("x x_1 x_2", positive=True)
y, z1, z2, eps = sympy.symbols(r"y z_1 z_2 \epsilon")
m_b, m_f, a, rho = sympy.symbols(r"m_B m_F a \varrho", positive=True)
phi, phi1, phi2 = sympy.symbols(r"\phi \phi_1 \phi_2", real=True)
N = sympy.Symbol("N", integer=True, positive=True)
# diag(Q, Q^{st}): the charge-conjugation doubling of the paper's 8 × 8 Q; Q^{st} the supertranspose of Q
diag = sympy.Function(r"\operatorname{diag}")
Q_supertransposed = nc("Q^{st}")
FLAVOURS = (1, 2, 3, 4)


def _sdet_11(power) -> sympy.Expr:
    """Sdet(Q)^N for Q = [[x, α], [β, y]] with αβ written as the nilpotent ε: ((x − ε/y)/y)^N."""
    return ((x - eps / y) / y) ** power


def _odd_coefficient(power) -> sympy.Expr:
    """The coefficient of αβ (ε² = 0): the Berezin integral of Sdet(Q)^N up to the sign (−1)^p."""
    return sympy.diff(_sdet_11(power), eps).subs(eps, 0)


@cache
def _radial_moment() -> sympy.Expr:
    """∫_0^∞ x^{k} e^{−m x} dx for a symbolic integer k ≥ 0 (one SymPy integral, reused)."""
    k = sympy.Symbol("k", integer=True, nonnegative=True)
    return sympy.Lambda((k, m_b), sympy.integrate(x**k * sympy.exp(-m_b * x), (x, 0, sympy.oo)))


def _radial(polynomial: sympy.Expr, variable: sympy.Symbol, rate: sympy.Expr) -> sympy.Expr:
    """∫_0^∞ d(variable) polynomial · e^{−rate · variable}, monomial by monomial."""
    terms = sympy.Poly(sympy.expand(polynomial), variable).terms()
    return sympy.Add(*(c * _radial_moment()(k, rate) for (k,), c in terms))


def _residue_times_exp(laurent: sympy.Expr, variable: sympy.Symbol, rate: sympy.Expr) -> sympy.Expr:
    """Res_{v=0} L(v) e^{rate·v} for a Laurent polynomial L: Σ_j L_{−1−j} rate^j / j! (Cauchy on a circle)."""
    total = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(laurent)):
        coefficient, exponent = term.as_coeff_exponent(variable)
        j = -1 - exponent                           # the power of v that e^{rate v} must supply
        if j >= 0:
            total += coefficient * rate**j / sympy.factorial(j)
    return total


def _superbosonized_11(power: int) -> sympy.Expr:
    """∫_0^∞ dx ∮ dy/(2πi) (−∂_α ∂_β)[Sdet(Q)^power e^{−m_B x + m_F y}], by integration and residue."""
    density = sympy.expand(-_odd_coefficient(power))            # power · x^{power−1} y^{−power−1}
    x_part = _radial(density * y ** (power + 1), x, m_b)
    y_part = _residue_times_exp(y ** (-power - 1), y, m_f)
    return sympy.simplify(x_part * y_part)


def _hermitian_jacobian_matrix() -> sympy.ImmutableMatrix:
    """∂(X₁₁, X₂₂, Re X₁₂, Im X₁₂)/∂(a, ϱ, φ, θ) for X = a + ϱ n·σ."""
    coordinates = sympy.Matrix([a + rho * sympy.cos(theta), a - rho * sympy.cos(theta),
                                rho * sympy.sin(theta) * sympy.cos(phi), rho * sympy.sin(theta) * sympy.sin(phi)])
    return sympy.ImmutableMatrix(coordinates.jacobian([a, rho, phi, theta]))


def _hermitian_jacobian() -> sympy.Expr:
    return _hermitian_jacobian_matrix().det()


def _weyl_u2_integral() -> sympy.Integral:
    """∫_{U(2)} dμ(Y) det(Y)^{−N} e^{tr Y} in the eigenphases: Haar measure |Δ|² dφ₁ dφ₂/(2! (2π)²)."""
    weight = (1 - sympy.cos(phi1 - phi2)) / (4 * sympy.pi**2)  # |e^{iφ₁} − e^{iφ₂}|² = 2 − 2 cos(φ₁ − φ₂)
    integrand = weight * sympy.Mul(*(sympy.exp(sympy.exp(sympy.I * phi) - sympy.I * N * phi) for phi in (phi1, phi2)))
    return sympy.Integral(integrand, (phi1, 0, 2 * sympy.pi), (phi2, 0, 2 * sympy.pi))


def _siegel_2_integral() -> sympy.Integral:
    """∫_{X > 0} dX det(X)^{N−2} e^{−tr X} in the eigenvalues, d²X₁₂/π (the integrand of _siegel_2)."""
    integrand = (x1 - x2) ** 2 * (x1 * x2) ** (N - 2) * sympy.exp(-x1 - x2) / 2
    return sympy.Integral(integrand, (x1, 0, sympy.oo), (x2, 0, sympy.oo))


def _weyl_u2(flavours: int) -> sympy.Expr:
    """∫_{U(2)} dμ det(Y)^{−N} e^{tr Y} = ½ Res Res [−(z₁ − z₂)²/(z₁z₂) (z₁z₂)^{−N−1} e^{z₁ + z₂}]."""
    laurent = sympy.expand(-(z1 - z2) ** 2 * (z1 * z2) ** (-flavours - 2) / 2)
    return _residue_times_exp(_residue_times_exp(laurent, z2, 1), z1, 1)


def _siegel_2(flavours: int) -> sympy.Expr:
    """∫∫_{(0,∞)²} ½ (x₁ − x₂)² (x₁x₂)^{N−2} e^{−x₁−x₂} dx₁ dx₂: the (2|2) boson–boson block, d²X₁₂/π."""
    integrand = sympy.expand((x1 - x2) ** 2 * (x1 * x2) ** (flavours - 2) / 2)
    inner = sum((_radial(term, x2, 1) for term in sympy.Add.make_args(integrand)), sympy.Integer(0))
    return sympy.expand(_radial(inner, x1, 1))


def _one_flavour_diverges() -> str | None:
    value = sympy.integrate(sympy.exp(-x) / x, (x, 0, sympy.oo))
    return None if value == sympy.oo else f"the integral is {value}, not +oo"


def _charge_conjugation_halves() -> str | None:
    """Sdet(diag(Q, Q^{st})) = (Sdet Q)² for a Grassmann-valued (2|2) Q; the plain transpose fails."""
    rng = np.random.default_rng(5)
    algebra, grading = GrassmannAlgebra(4), Grading.retarded_advanced(1, 1)
    q = random_even_supermatrix(rng, algebra, grading, body=np.diag([1.3, 0.7, 2.1, 0.9]) + 0.2 * rng.normal(size=(4, 4)))
    doubled, grading8 = charge_conjugation_double(q, grading)
    sdet = superdeterminant(q, grading)
    error = float(np.max(np.abs(superdeterminant(doubled, grading8) - sdet @ sdet)))
    naive = doubled.copy()
    naive[4:, 4:] = q.transpose(1, 0, 2, 3)
    control = float(np.max(np.abs(superdeterminant(naive, grading8) - sdet @ sdet)))
    if error > 1e-10 or control < 1e-3:
        return f"deviation {error:.3g}, control {control:.3g}"
    return None


def eq08_exact_model() -> Step:
    circle = sympy.Integral(sympy.exp(m_f * sympy.exp(sympy.I * phi) - sympy.I * N * phi), (phi, 0, 2 * sympy.pi))
    radial = sympy.Integral(x ** (N - 1) * sympy.exp(-m_b * x), (x, 0, sympy.oo))
    identity = sympy.Eq(N * radial * circle / (2 * sympy.pi), (m_f / m_b) ** N, evaluate=False)
    fact = sympy.factorial
    normalisation_22 = N**2 * (N**2 - 1) * fact(N - 1) * fact(N - 2) / (fact(N) * fact(N + 1))
    unit = sympy.exp(sympy.I * phi1) - sympy.exp(sympy.I * phi2)
    odd_derivative = -N * (x - eps / y) ** (N - 1) / y ** (N + 1)
    return Step(
        **OUTLINE.header("eq8-exact-model"),
        result=identity,
        claims=(
            claims.equal(r"the odd part of $\operatorname{Sdet}(Q)^N$ for a $(1|1)$ supermatrix $Q$ with off-diagonal "
                         r"Grassmann entries $\alpha$, $\beta$ ($\epsilon = \alpha \beta$, $\epsilon^2 = 0$): "
                         r"its $\epsilon$-coefficient, the derivative at $\epsilon = 0$, is $-N x^{N-1}/y^{N+1}$",
                         lambda: sympy.Matrix([sympy.diff(_sdet_11(N), eps), _odd_coefficient(N)]),
                         sympy.Matrix([odd_derivative, -N * x ** (N - 1) / y ** (N + 1)]), method="simplify",
                         formula=sympy.Eq(sympy.Derivative(_sdet_11(N), eps), odd_derivative, evaluate=False)),
            claims.equal(r"superbosonization for $(1|1)$ and $N = 1, \dots, 4$ flavours: $x > 0$, $y$ on the unit "
                         r"circle, $\int d\alpha\, d\beta$ exact, equal to the Gaussian superintegral "
                         r"$\operatorname{Sdet}(M)^{-N} = (m_F/m_B)^N$ (continued to $\operatorname{Re} m_B > 0$)",
                         lambda: sympy.Matrix([_superbosonized_11(n) for n in FLAVOURS]),
                         sympy.Matrix([(m_f / m_b) ** n for n in FLAVOURS]), method="simplify",
                         formula=identity),
            claims.equal(r"control: a compact boson--boson block ($x$ on a circle) gives $0$: the radial integrand is entire",
                         lambda: sympy.Matrix([_residue_times_exp(x ** (n - 1), x, -m_b) for n in FLAVOURS]),
                         sympy.zeros(len(FLAVOURS), 1),
                         formula=sympy.Eq(sympy.Integral(sympy.exp(sympy.I * N * phi - m_b * sympy.exp(sympy.I * phi)),
                                                         (phi, 0, 2 * sympy.pi)), 0, evaluate=False)),
            claims.equal(r"control: the power $N + 1$ of $\operatorname{Sdet} Q$ gives $\operatorname{Sdet}(M)^{-N-1}$, "
                         r"not the $N$-flavour integral",
                         lambda: sympy.Matrix([_superbosonized_11(n + 1) for n in FLAVOURS[:2]]),
                         sympy.Matrix([(m_f / m_b) ** (n + 1) for n in FLAVOURS[:2]]), method="simplify",
                         formula=sympy.Eq((N + 1) * radial.subs(N, N + 1) * circle.subs(N, N + 1) / (2 * sympy.pi),
                                          (m_f / m_b) ** (N + 1), evaluate=False)),
            claims.equal(r"eigenvalue coordinates of a Hermitian $2 \times 2$ matrix $X = a + \varrho\, n \cdot \sigma$: "
                         r"$dX = 2 \varrho^2 \sin\theta\, da\, d\varrho\, d\phi\, d\theta = \tfrac{\pi}{2} (x_1 - x_2)^2 dx_1 dx_2 "
                         r"\tfrac{d\Omega}{4\pi}$ with $x_{1,2} = a \pm \varrho$",
                         _hermitian_jacobian, 2 * rho**2 * sympy.sin(theta), method="simplify",
                         formula=sympy.Eq(sympy.Determinant(_hermitian_jacobian_matrix()), 2 * rho**2 * sympy.sin(theta),
                                          evaluate=False)),
            claims.equal(r"on the unit circle $|e^{i\phi_1} - e^{i\phi_2}|^2 = -(z_1 - z_2)^2/(z_1 z_2)$, "
                         r"the holomorphic form of the $U(2)$ Weyl weight",
                         lambda: unit * sympy.conjugate(unit),
                         lambda: -unit**2 * sympy.exp(-sympy.I * (phi1 + phi2)),
                         formula=sympy.Eq(sympy.Abs(unit, evaluate=False) ** 2, -unit**2 * sympy.exp(-sympy.I * (phi1 + phi2)),
                                          evaluate=False)),
            claims.equal(r"the compact block of $(2|2)$: $\int_{U(2)} d\mu(Y) \det(Y)^{-N} e^{\operatorname{tr} Y} = "
                         r"1/(N!\,(N+1)!)$ for $N = 2, 3, 4$ (Weyl, residues)",
                         lambda: sympy.Matrix([_weyl_u2(n) for n in (2, 3, 4)]),
                         sympy.Matrix([1 / (sympy.factorial(n) * sympy.factorial(n + 1)) for n in (2, 3, 4)]),
                         formula=sympy.Eq(_weyl_u2_integral(), 1 / (fact(N) * fact(N + 1)), evaluate=False)),
            claims.equal(r"the non-compact block of $(2|2)$: $\int_{X > 0} dX \det(X)^{N-2} e^{-\operatorname{tr} X} = "
                         r"(N-1)!\,(N-2)!$ for $N = 2, 3, 4$ (eigenvalues)",
                         lambda: sympy.Matrix([_siegel_2(n) for n in (2, 3, 4)]),
                         sympy.Matrix([fact(n - 1) * fact(n - 2) for n in (2, 3, 4)]),
                         formula=sympy.Eq(_siegel_2_integral(), fact(N - 1) * fact(N - 2), evaluate=False)),
            claims.equal(r"with the odd constant $N^2 (N^2 - 1)$ of $(2|2)$ the normalisation is $1$ for every $N \ge 2$: "
                         r"the analogue of $\int DA = 1$ does not depend on $N$",
                         normalisation_22, 1, method="simplify", formula=sympy.Eq(normalisation_22, 1, evaluate=False)),
            claims.holds(r"one flavour for a $(2|2)$ matrix, $N = 1 < p$ (one $\psi$ and $Q$ over two sites, as in the paper): "
                         r"the non-compact block diverges, $\int dX \det(X)^{-1} e^{-\operatorname{tr} X}$ contains "
                         r"$\int_0^\infty dx\, e^{-x}/x$, while the odd constant $N^2(N^2 - 1)$ vanishes",
                         _one_flavour_diverges, "symbolic: SymPy's definite integral is infinite",
                         formula=sympy.Eq(sympy.Integral(sympy.exp(-x) / x, (x, 0, sympy.oo)), sympy.oo, evaluate=False)),
            claims.holds(r"charge conjugation in the unitary class: for $Q_8 = \operatorname{diag}(Q, Q^{st})$ (the "
                         r"doubled $Q$ commuting with $\tau_3$) $\operatorname{Sdet} Q_8 = (\operatorname{Sdet} Q)^2$, so the "
                         r"paper's $\operatorname{Sdet}(Q_8)^{1/2}$ is the $(2|2)$ weight $\operatorname{Sdet} Q$ with $N = 1$; "
                         r"with the plain transpose instead of $Q^{st}$ it fails",
                         _charge_conjugation_halves, "explicit Grassmann algebra of 4 generators, random $(2|2)$ entries",
                         formula=sympy.Eq(Sdet(diag(Q, Q_supertransposed)), Sdet(Q) ** 2, evaluate=False)),
        ),
        note=r"The domain of Eq. (8) for $N$ flavours of a $(p|p)$ supervector: the boson--boson block of $Q$ is a "
             r"positive Hermitian matrix, the fermion--fermion block a unitary matrix (a cycle around $0$), the "
             r"odd blocks Grassmann; the power of $\operatorname{Sdet} Q$ is $N$ and the formula needs $N \ge p$. "
             r"With the normalisation used here $\int DQ\, \operatorname{Sdet}(Q)^N e^{-\operatorname{Str} Q} = 1$ "
             r"for all $N$, the dual of the paper's $\int DA = 1$.",
    )
