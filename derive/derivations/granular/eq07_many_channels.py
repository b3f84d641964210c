"""Eq. (7) for a contact of many channels: -Tr ln to all orders is a sum over transmission eigenvalues.

With t = U diag(tau_c) V^dagger (channels c = 1..N, U and V orthonormal columns) and the quasiclassical
channel sums U^dagger G_1 U = -i pi Q_1/(L delta) 1_N (likewise for grain 2), -Tr ln(1 - G t-hat) =
-sum_c Tr ln(1 + lambda_c Q~_1 Q_2), lambda_c = pi^2 tau_c^2/(L delta)^2. Using Q^2 = 1 this is Nazarov's form
-(1/2) sum_c Tr ln[1 + (T_c/4)({Q~_1, Q_2} - 2)] + const with T_c = 4 lambda_c/(1 + lambda_c)^2 <= 1; its first
order is Eq. (7) with g_T = 2 sum_c T_c. One channel (t_pk = t, the paper's model) has g_T <= 2: g_T >> 1
needs many channels, each of which may be weakly transmitting.
"""
from __future__ import annotations

import random
from functools import partial

import sympy
from sympy import I, MatrixSymbol, Rational, Symbol, Trace, adjoint, pi
from sympy.polys.domains import QQ_I
from sympy.polys.matrices import DomainMatrix

from derive.derivations.granular.notation import delta, size
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.trln import Tr
from derive.model import Step

lam = Symbol("lambda_c", positive=True)  # the tunneling strength of channel c


def transmission(coupling: sympy.Expr) -> sympy.Expr:
    """T = 4 lambda/(1 + lambda)^2: the transmission eigenvalue of a channel of tunneling strength lambda."""
    return 4 * coupling / (1 + coupling) ** 2


# A contact of L levels per grain and N_ch channels: t = U tau-hat V^dagger (U, V of N_ch orthonormal columns).
# The grains' Green functions G_l are D x D, as in the tunneling step.
CHANNELS = Symbol(r"N_{\mathrm{ch}}", integer=True, positive=True)
G_1, G_2 = (MatrixSymbol(f"G_{l}", size, size) for l in (1, 2))
U, V = (MatrixSymbol(name, size, CHANNELS) for name in ("U", "V"))
TAU_HAT = MatrixSymbol(r"\hat{\tau}", CHANNELS, CHANNELS)
POWER = Symbol("ell", integer=True, positive=True)


def _sylvester_statement() -> sympy.Eq:
    """Tr[(G_1 t G_2 t^dag)^k] = Tr[(tau V^dag G_2 V tau U^dag G_1 U)^k] for t = U tau V^dag (cyclicity, any k): the two
    matrices have the same nonzero eigenvalues, so det(1 - G_1 t G_2 t^dag) is the N_ch x N_ch channel determinant."""
    t = U * TAU_HAT * adjoint(V)
    channel = TAU_HAT * adjoint(V) * G_2 * V * TAU_HAT * adjoint(U) * G_1 * U
    return sympy.Eq(Trace((G_1 * t * G_2 * adjoint(t)) ** POWER), Trace(channel**POWER), evaluate=False)


def _sylvester_residual(statement: sympy.Eq) -> str | None:
    """The statement for ell = 1..4 and det(1 - G1 t G2 t^dag) = det(1 - tau V^dag G2 V tau U^dag G1 U), 4 levels and
    2 channels with random complex rational entries (exact arithmetic; the power sums up to the number of levels fix
    the determinant)."""
    rng = random.Random(5)

    def matrix(rows: int, cols: int) -> sympy.Matrix:
        return sympy.ImmutableMatrix(rows, cols, lambda i, j: Rational(rng.randint(-9, 9), rng.randint(1, 9))
                                     + I * Rational(rng.randint(-9, 9), rng.randint(1, 9)))

    levels, channels = 4, 2
    explicit = {U: matrix(levels, channels), V: matrix(levels, channels),
                TAU_HAT: sympy.ImmutableMatrix(sympy.diag(Rational(1, 3), Rational(2, 7))),
                G_1: sympy.ImmutableMatrix(sympy.diag(*matrix(1, levels))), G_2: sympy.ImmutableMatrix(sympy.diag(*matrix(1, levels)))}
    explicit = {**explicit, size: levels, CHANNELS: channels}
    # exact Gaussian-rational arithmetic (DomainMatrix over QQ_I): the entries never grow into unexpanded products
    bases = [DomainMatrix.from_Matrix(sympy.Matrix(side.arg.base.xreplace(explicit).doit()).applyfunc(sympy.expand)).convert_to(QQ_I)
             for side in (statement.lhs, statement.rhs)]
    for power in range(1, levels + 1):
        sides = [sum((base**power).to_Matrix().diagonal()) for base in bases]
        if sides[0] != sides[1]:
            return f"power {power}: {sides[0]} != {sides[1]}"
    t = explicit[U] * explicit[TAU_HAT] * explicit[V].H
    full = (sympy.eye(levels) - explicit[G_1] * t * explicit[G_2] * t.H).det()
    reduced = (sympy.eye(channels) - explicit[TAU_HAT] * explicit[V].H * explicit[G_2] * explicit[V] * explicit[TAU_HAT]
               * explicit[U].H * explicit[G_1] * explicit[U]).det()
    difference = sympy.simplify(full - reduced)
    return None if difference == 0 else f"det difference {difference}"


# Two involutions (sigma^2 = 1; in the contact they are Q~_1 and Q_2) and the transmission eigenvalue of a channel.
sigma_1, sigma_2 = sympy.symbols("sigma_1 sigma_2", commutative=False)
TRANSMISSION = Symbol(r"\mathcal{T}_c", positive=True)  # its transmission eigenvalue


def _nazarov_sides() -> tuple[sympy.Expr, sympy.Expr]:
    """((1 + lambda s1 s2)(1 + lambda s2 s1), (1 + lambda)^2 [1 + (T/4)({s1,s2} - 2)]): equal when s1^2 = s2^2 = 1."""
    q1, q2 = sigma_1, sigma_2
    return (1 + lam * q1 * q2) * (1 + lam * q2 * q1), (1 + lam) ** 2 * (1 + transmission(lam) / 4 * (q1 * q2 + q2 * q1 - 2))


def _nazarov_residual() -> sympy.Expr:
    """The difference of the _nazarov_sides with s1^2 = s2^2 = 1 (zero)."""
    q1, q2 = sigma_1, sigma_2
    product, nazarov = _nazarov_sides()
    product = sympy.expand(sympy.expand(product).subs(q2**2, 1)).subs(q1**2, 1)
    return sympy.simplify(sympy.expand(product - nazarov))


def _similarity_residual() -> sympy.Expr:
    """s2 (s1 s2) s2^-1 = s2 s1 with s2^-1 = s2: Tr ln(1 + lambda s1 s2) = Tr ln(1 + lambda s2 s1)."""
    q1, q2 = sigma_1, sigma_2
    return sympy.expand(q2 * (q1 * q2) * q2).subs(q2**2, 1) - q2 * q1


def eq07_many_channels() -> Step:
    """Eq. (7) from the all-orders contact action of N channels; g_T = 2 sum_c T_c."""
    c, N = Symbol("c", integer=True, positive=True), CHANNELS
    T_c = sympy.Function(r"\mathcal{T}")(c)  # a function of the channel: an IndexedBase would print its label alike
    X = sigma_1 * sigma_2 + sigma_2 * sigma_1 - 2  # {Q~_1, Q_2} - 2 for the involutions of the contact
    x = Symbol("X")
    q1, q2 = sigma_1, sigma_2
    return Step(
        **OUTLINE.header("eq7-many-channels"),
        result=sympy.Eq(
            Symbol(r"\mathcal{F}_t"),
            -sympy.Rational(1, 2) * sympy.Sum(Tr(sympy.log(1 + T_c / 4 * X)), (c, 1, N)),
            evaluate=False,
        ),
        claims=(
            claims.holds(
                r"for $t = U\hat\tau V^\dagger$ the contact's $\det(1 - G_1 t G_2 t^\dagger)$ is the $N_{\mathrm{ch}}\times N_{\mathrm{ch}}$ "
                r"channel determinant $\det(1 - \hat\tau V^\dagger G_2 V \hat\tau U^\dagger G_1 U)$ (Sylvester's identity): the "
                r"two matrices have the same power sums, for every $\ell$",
                partial(_sylvester_residual, _sylvester_statement()),
                r"exact rational arithmetic: 4 levels, 2 channels, random complex entries, $k = 1, \dots, 4$",
                formula=_sylvester_statement(),
            ),
            claims.equal(
                r"with $U^\dagger G_l U = -i\pi Q_l/L\delta$ per channel, $1 - \tau_c^2 g_1 g_2 = 1 + \lambda_c\tilde Q_1 Q_2$, "
                r"$\lambda_c = \pi^2\tau_c^2/(L\delta)^2$",
                (1 - Symbol("tau_c") ** 2 * (-I * pi / (Symbol("L", positive=True) * delta)) ** 2),
                1 + pi**2 * Symbol("tau_c") ** 2 / (Symbol("L", positive=True) * delta) ** 2,
                formula=sympy.Eq(1 - Symbol("tau_c") ** 2 * sympy.Pow(-I * pi / (Symbol("L", positive=True) * delta), 2, evaluate=False),
                                 1 + pi**2 * Symbol("tau_c") ** 2 / (Symbol("L", positive=True) * delta) ** 2, evaluate=False),
            ),
            claims.equal(
                r"for involutions $\sigma_1^2 = \sigma_2^2 = 1$ (in the contact $\tilde Q_1$ and $Q_2$), "
                r"$\operatorname{Tr}\ln(1 + \lambda_c\sigma_1\sigma_2) = \operatorname{Tr}\ln(1 + \lambda_c\sigma_2\sigma_1)$ "
                r"(the two are similar by $\sigma_2 = \sigma_2^{-1}$)",
                _similarity_residual,
                0,
                formula=sympy.Eq(Tr(sympy.log(1 + lam * q1 * q2)), Tr(sympy.log(1 + lam * q2 * q1)), evaluate=False),
            ),
            claims.equal(
                r"with $\sigma^2 = 1$, $(1 + \lambda_c\sigma_1\sigma_2)(1 + \lambda_c\sigma_2\sigma_1) = "
                r"(1 + \lambda_c)^2[1 + (\mathcal{T}_c/4)(\{\sigma_1, \sigma_2\} - 2)]$, "
                r"$\mathcal{T}_c = 4\lambda_c/(1 + \lambda_c)^2$, so $-\operatorname{Tr}\ln(1 + \lambda_c\sigma_1\sigma_2) = "
                r"-\frac12\operatorname{Tr}\ln[1 + (\mathcal{T}_c/4)(\{\sigma_1, \sigma_2\} - 2)] - D\ln(1 + \lambda_c)$ "
                r"for $D\times D$ matrices",
                _nazarov_residual,
                0,
                formula=sympy.Eq(*_nazarov_sides(), evaluate=False),
            ),
            claims.equal(
                r"to first order, $-\frac12\operatorname{Tr}\ln(1 + (\mathcal{T}_c/4)X) = -(\mathcal{T}_c/8)\operatorname{Tr}X + "
                r"O(\mathcal{T}_c^2)$ with $\operatorname{Tr}X = 2\operatorname{Tr}[\tilde Q_1 Q_2] - 2D$: "
                r"$-(\mathcal{T}_c/4)\operatorname{Tr}[\tilde Q_1 Q_2]$ per channel, which is Eq. (7) with "
                r"$g_T = 2\sum_c \mathcal{T}_c$; for one eigenvalue of $X$",
                lambda: sympy.series(-sympy.log(1 + x * TRANSMISSION / 4) / 2, TRANSMISSION, 0, 2).removeO(),
                -TRANSMISSION * x / 8,
                formula=sympy.Eq(-sympy.log(1 + x * TRANSMISSION / 4) / 2, -TRANSMISSION * x / 8 + sympy.O(TRANSMISSION ** 2),
                                 evaluate=False),
            ),
            claims.equal(
                r"$1 - \mathcal{T}_c = [(1 - \lambda_c)/(1 + \lambda_c)]^2 \ge 0$: a channel transmits at most 1, so one channel gives "
                r"$g_T \le 2$",
                1 - transmission(lam),
                ((1 - lam) / (1 + lam)) ** 2,
                method="simplify",
                formula=sympy.Eq(1 - transmission(lam), ((1 - lam) / (1 + lam)) ** 2, evaluate=False),
            ),
            claims.equal(
                r"and $2\mathcal{T}_c = 8\lambda_c + O(\lambda_c^2)$: for weak channels $g_T = 8\pi^2\sum_c\tau_c^2/(L\delta)^2$, "
                r"the $8\pi^2 t^2/\delta^2$ of Eq. (7) for the one channel $t_{pk} = t$ ($\tau = Lt$ for $L$ levels)",
                lambda: sympy.series(2 * transmission(lam), lam, 0, 2).removeO(),
                8 * lam,
                formula=sympy.Eq(2 * transmission(lam), 8 * lam + sympy.O(lam**2), evaluate=False),
            ),
        ),
        note=(
            r"In the result $\sigma_1 = \tilde Q_1$ and $\sigma_2 = Q_2$. Here $g_T = 2\sum_c \mathcal{T}_c$ (spin in the trace, "
            r"units of $e^2/h$). The quasiclassical channel sum "
            r"holds for many levels within the broadening ($\Gamma \gg \delta$); the tests check the whole statement "
            r"against the determinant of two grains with random $t_{pk}$ of rank $N_{\mathrm{ch}}$."
        ),
    )
