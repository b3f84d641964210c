"""Eq. (13) -> Eq. (14): first order in the charge-neutrality term, and the canonical-ensemble correction Delta F."""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, MatrixSymbol, Symbol, Trace, pi

from derive.derivations.granular.notation import SPIN, T, delta, size
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.model import Step

alpha, j = Symbol("alpha"), Symbol("j", integer=True, positive=True)
Q, P_j = MatrixSymbol("Q", size, size), MatrixSymbol("P_j", size, size)


def _eq13_statement() -> sympy.Eq:
    """T alpha^-1 sum_j <S_2> at first order in S_2 = delta/(4T) N_j^2, N_j = -i (pi T/delta) Tr[Q P_j] (q = 0): Eq. (13)."""
    charge = -I * pi * T / delta * Trace(Q * P_j)
    first_order = T / alpha * sympy.Sum(Average(delta / (4 * T) * charge**2), (j, 1, alpha))
    eq13 = -delta / 4 * (pi * T / delta) ** 2 / alpha * sympy.Sum(Average(Trace(Q * P_j) ** 2), (j, 1, alpha))
    return sympy.Eq(first_order, eq13, evaluate=False)


def _constants_out(expr: sympy.Expr) -> sympy.Expr:
    """<c X> = c <X> for every factor c free of Q (the average is linear)."""
    def linear(average: Average) -> sympy.Expr:
        constant, rest = sympy.expand(average.expr).as_independent(Q)
        return constant * Average(rest)
    return expr.replace(lambda node: isinstance(node, Average), linear)


def _eq13_residual(statement: sympy.Eq) -> sympy.Expr:
    """Both sides of the statement with the constants taken out of the averages, the sums over j done, expanded."""
    return sympy.expand((_constants_out(statement.lhs) - _constants_out(statement.rhs)).doit())


MU, DELTA_N = Symbol("mu", real=True), Symbol(r"\Delta N", real=True)
N_0, KAPPA, KAPPA_3 = Symbol("N_0", real=True), Symbol("kappa", positive=True), Symbol("kappa_3", real=True)


def _legendre_statement() -> sympy.Eq:
    """Omega(mu) + mu N - Omega(0) at the stationary mu = -Delta N/kappa, N = N_0 - Delta N, for the grand potential
    Omega(mu) - Omega(0) = -N_0 mu - kappa mu^2/2 - kappa_3 mu^3/6 (dN/dmu = kappa at mu = 0): Delta N^2/(2 kappa) + O(Delta N^3)."""
    def grand_potential(mu: sympy.Expr) -> sympy.Expr:
        return -N_0 * mu - KAPPA * mu**2 / 2 - KAPPA_3 * mu**3 / 6

    stationary = -DELTA_N / KAPPA
    legendre = grand_potential(stationary) + stationary * (N_0 - DELTA_N)
    return sympy.Eq(legendre, DELTA_N**2 / (2 * KAPPA) + sympy.O(DELTA_N**3), evaluate=False)


def _legendre_residual(statement: sympy.Eq) -> sympy.Expr:
    """The statement's left side expanded in Delta N, through Delta N^2, minus its right side; and the stationarity of
    the grand potential plus mu N at mu = -Delta N/kappa to first order."""
    expansion = sympy.series(statement.lhs, DELTA_N, 0, 3).removeO()
    target = -N_0 * MU - KAPPA * MU**2 / 2 - KAPPA_3 * MU**3 / 6 + MU * (N_0 - DELTA_N)
    slope = sympy.series(sympy.diff(target, MU).subs(MU, -DELTA_N / KAPPA), DELTA_N, 0, 2).removeO()
    return sympy.expand(expansion - statement.rhs.removeO()) + sympy.expand(slope)


E, E_PRIME = Symbol("epsilon_1", real=True), Symbol("epsilon_2", real=True)  # level energies


def _level_variance_statement() -> sympy.Eq:
    """(delta/4) Var N with N = 2 sum_i f(e_i) and the unitary correlator -1/(2 pi^2 (e - e')^2) of sum_i f
    (both integrals over the real line, as Eq. (14) prints them)."""
    f = sympy.Function("f")
    correlator = -1 / (2 * pi**2 * (E - E_PRIME) ** 2)
    variance_of_N = SPIN**2 * sympy.Integral(f(E) * f(E_PRIME) * correlator, E, E_PRIME)
    printed = -delta / (2 * pi**2) * sympy.Integral(f(E) * f(E_PRIME) / (E - E_PRIME) ** 2, E, E_PRIME)
    return sympy.Eq(delta / 4 * variance_of_N, printed, evaluate=False)


def _level_variance_residual(statement: sympy.Eq) -> sympy.Expr:
    """The two sides with the constant factors taken out of the double integrals."""
    def constants_out(integral: sympy.Integral) -> sympy.Expr:
        constant, rest = integral.function.as_independent(E, E_PRIME)
        return constant * sympy.Integral(rest, *integral.limits)
    return sympy.expand((statement.lhs - statement.rhs).replace(lambda node: isinstance(node, sympy.Integral), constants_out))


def eq13_14_canonical() -> Step:
    """Eq. (13) from first order in S_2 and Eq. (14) from the Legendre transform at fixed N."""
    kappa = 2 / delta
    eq13, legendre, levels = _eq13_statement(), _legendre_statement(), _level_variance_statement()
    return Step(
        **OUTLINE.header("eq13-eq14-canonical"),
        result=sympy.Eq(Symbol(r"\Delta F"), Average(DELTA_N**2) / (2 * kappa)),
        claims=(
            claims.equal(
                r"the first order in $(\delta/4T)\sum N^2$ ($q = 0$), averaged over $\alpha$ equal replicas, gives Eq. (13)",
                partial(_eq13_residual, eq13),
                0,
                formula=eq13,
            ),
            claims.equal(
                r"the canonical free energy (the Legendre transform of $\Omega$ at fixed $N = N_0 - \Delta N$) exceeds "
                r"$\Omega$ by $(\Delta N)^2/(2\,dN/d\mu) + O(\Delta N^3)$, $dN/d\mu = \kappa$; $\kappa = 2/\delta$ (spin) "
                r"gives Eq. (14), $(\delta/4)\langle(\Delta N)^2\rangle$",
                partial(_legendre_residual, legendre),
                0,
                formula=legendre,
            ),
            claims.equal(
                r"on spin-degenerate levels $N = 2\sum_i f(e_i)$, so $(\delta/4)\operatorname{Var}N = \delta\operatorname{Var}\sum_i f$; "
                r"with the unitary correlator $-1/2\pi^2(e - e')^2$ this is the printed double integral of Eq. (14)",
                partial(_level_variance_residual, levels),
                0,
                formula=levels,
            ),
        ),
        note=r"Eq. (14) holds with $\Delta N$ the total number (both spins), $\delta$ the level spacing per spin, and the "
             r"average taken in the grand-canonical ensemble at $\mu$.",
    )
