"""Eq. (13) in the sigma-model: Gaussian fluctuations W about Lambda, exact Wick sums, and the replica limit."""
from __future__ import annotations

from functools import partial

import sympy
from sympy import MatrixSymbol, Symbol, Trace, pi

from derive.derivations.granular.claim_forms import limit_claim
from derive.derivations.granular.notation import SPIN, T, delta, size
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.engines.gaussian import complex_gaussian_expectation, variances_from_action
from derive.model import Step


def replica_fluctuations(replicas: int, cutoff: int):
    """Explicit W over (replica, spin, n), n = -cutoff..cutoff-1: W_xy = z_xy (x+, y-), W_yx = -conj(z_xy).

    Returns (indices, Lambda, eps, W as a dict, z, zbar). {Lambda, W} = 0 by construction; Q is
    Lambda (1 + W)(1 - W)^-1 = Lambda (1 + 2 W + 2 W^2 + ...), Hermitian for this W.
    """
    indices = [(r, s, n) for r in range(replicas) for s in range(SPIN) for n in range(-cutoff, cutoff)]
    lam = {a: 1 if a[2] >= 0 else -1 for a in indices}
    eps = {a: pi * T * (2 * a[2] + 1) for a in indices}
    pairs = [(x, y) for x in indices for y in indices if lam[x] > 0 > lam[y]]
    z = [Symbol(f"z_{k}") for k in range(len(pairs))]
    zbar = [Symbol(f"zbar_{k}") for k in range(len(pairs))]
    W = {}
    for (x, y), zk, zbk in zip(pairs, z, zbar, strict=True):
        W[(x, y)], W[(y, x)] = zk, -zbk
    return indices, lam, eps, W, z, zbar


def _trace_P_Lambda_W_power(indices, lam, W, j: int, power: int) -> sympy.Expr:
    """Tr[P_j Lambda W^power] for power 1 or 2, from the explicit entries."""
    if power == 1:
        return sympy.Add(*(lam[a] * W.get((a, a), 0) for a in indices if a[0] == j))
    return sympy.Add(*(lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices if a[0] == j for b in indices))


# The symbols of the statements: Q's blocks as n x n matrices, one pair (x+, y-) of W's entries, replica labels.
P_j, LAMBDA, W_MATRIX = (MatrixSymbol(name, size, size) for name in ("P_j", "Lambda", "W"))
W_xy = Symbol("W_{xy}")
eps_x, eps_y = Symbol("epsilon_x", real=True), Symbol("epsilon_y", real=True)
alpha = Symbol("alpha")
j = Symbol("j", integer=True, positive=True)
n, m = Symbol("n", integer=True), Symbol("m", integer=True)


def _pair_sum(cutoff: sympy.Expr) -> sympy.Expr:
    """S = 2^2 sum_{n = 0}^{cutoff - 1} sum_{m = -cutoff}^{-1} (delta/2 pi (eps_n - eps_m))^2 (spins and n >= 0 > m)."""
    energy = lambda k: pi * T * (2 * k + 1)  # noqa: E731
    return SPIN**2 * sympy.Sum((delta / (2 * pi * (energy(n) - energy(m)))) ** 2, (m, -cutoff, -1), (n, 0, cutoff - 1))


def _model_action(indices, lam, eps, W) -> sympy.Expr:
    return -(2 * pi / delta) * sympy.Add(*(eps[a] * lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices for b in indices))


def _variances_statement() -> sympy.Eq:
    return sympy.Eq(sympy.ImmutableMatrix([Trace(P_j * LAMBDA * W_MATRIX), Average(sympy.Abs(W_xy) ** 2)]),
                    sympy.ImmutableMatrix([0, delta / (2 * pi * (eps_x - eps_y))]), evaluate=False)


def _variances_residual(statement: sympy.Eq) -> str | None:
    """Every variance of the explicit model (2 replicas, 2 spins, 4 energies) from its action, and Tr[P_j Lambda W]."""
    indices, lam, eps, W, z, zbar = replica_fluctuations(2, 2)
    pairs = [(x, y) for x in indices for y in indices if lam[x] > 0 > lam[y]]
    trace_value, variance_value = statement.rhs
    for variance, (x, y) in zip(variances_from_action(_model_action(indices, lam, eps, W), z, zbar), pairs, strict=True):
        if sympy.simplify(variance - variance_value.subs({eps_x: eps[x], eps_y: eps[y]})) != 0:
            return f"variance of z_{x}{y} is {variance}"
    if any(_trace_P_Lambda_W_power(indices, lam, W, replica, 1) != trace_value for replica in range(2)):
        return "Tr[P_j Lambda W] is not zero"
    return None


def _moments_statement() -> sympy.Eq:
    trace = Trace(P_j * LAMBDA * W_MATRIX**2)
    return sympy.Eq(sympy.ImmutableMatrix([Average(trace), Average(trace**2)]),
                    sympy.ImmutableMatrix([0, 2 * (alpha - 1) * _pair_sum(Symbol("M", integer=True, positive=True))]),
                    evaluate=False)


def _wick_moment_residual(statement: sympy.Eq) -> str | None:
    """<Tr[P_j Lambda W^2]> and <(Tr[P_j Lambda W^2])^2> by exact Wick sums, against the statement at (alpha, M)."""
    cutoff_symbol = Symbol("M", integer=True, positive=True)
    for replicas, cutoff in ((2, 1), (3, 1), (2, 2)):
        indices, lam, eps, W, z, zbar = replica_fluctuations(replicas, cutoff)
        variances = variances_from_action(_model_action(indices, lam, eps, W), z, zbar)
        trace = _trace_P_Lambda_W_power(indices, lam, W, 0, 2)
        moments = (complex_gaussian_expectation(trace, z, zbar, variances),
                   complex_gaussian_expectation(trace**2, z, zbar, variances))
        for moment, expected in zip(moments, statement.rhs, strict=True):
            residual = sympy.simplify(moment - expected.subs({alpha: replicas, cutoff_symbol: cutoff}).doit())
            if residual != 0:
                return f"alpha = {replicas}, M = {cutoff}: moment {moment}, residual {residual}"
    return None


def _replica_label_statement() -> sympy.Eq:
    r_1, r_2 = Symbol("r_1", integer=True, positive=True), Symbol("r_2", integer=True, positive=True)
    c = sympy.KroneckerDelta(r_2, j) - sympy.KroneckerDelta(r_1, j)
    return sympy.Eq(sympy.ImmutableMatrix([sympy.Sum(c, (r_1, 1, alpha), (r_2, 1, alpha)),
                                           sympy.Sum(c**2, (r_1, 1, alpha), (r_2, 1, alpha))]),
                    sympy.ImmutableMatrix([0, 2 * (alpha - 1)]), evaluate=False)


def _replica_label_sums(statement: sympy.Eq) -> list[sympy.Expr]:
    """The statement's sums over replica labels for symbolic alpha = j + p >= j, evaluated, minus its right side."""
    spare = Symbol("p", integer=True, nonnegative=True)
    at = {alpha: j + spare}  # any number of replicas containing replica j
    return [sympy.simplify(sympy.Sum(sympy.expand(total.function), *total.limits).subs(at).doit() - value.subs(at))
            for total, value in zip(statement.lhs, statement.rhs, strict=True)]


def _exponential_statement() -> sympy.Eq:
    return sympy.Eq(Average(sympy.Abs(W_xy) ** 4) - Average(sympy.Abs(W_xy) ** 2) ** 2, Average(sympy.Abs(W_xy) ** 2) ** 2,
                    evaluate=False)


def _exponential_moment_residual(statement: sympy.Eq) -> sympy.Expr:
    """The statement with <|W|^4> and <|W|^2> of a complex Gaussian z (Wick engine): the variance of |z|^2 is its
    mean squared."""
    z, zbar = (Symbol("z_0"),), (Symbol("zbar_0"),)
    variances = variances_from_action(z[0] * zbar[0] / Symbol("v", positive=True), z, zbar)
    moments = {Average(sympy.Abs(W_xy) ** (2 * k)): complex_gaussian_expectation((z[0] * zbar[0]) ** k, z, zbar, variances)
               for k in (1, 2)}
    return sympy.simplify((statement.lhs - statement.rhs).xreplace(moments))


def _eq13_statement() -> sympy.Eq:
    """lim_{alpha -> 0} of Eq. (13) per unit pair sum X = sum_{n>=0>m} (eps_n - eps_m)^-2, with
    <(Tr Q P_j)^2> = 4 * 2(alpha - 1) S and S = 2^2 (delta/2 pi)^2 X: Delta F = 2 delta T^2 X."""
    S_over_pairs = SPIN**2 * delta**2 / (4 * pi**2)
    eq13 = -delta / 4 * (pi * T / delta) ** 2 / alpha * sympy.Sum(4 * 2 * (alpha - 1) * S_over_pairs, (j, 1, alpha))
    return sympy.Eq(sympy.Limit(eq13, alpha, 0), 2 * delta * T**2, evaluate=False)


def _eq13_residual(statement: sympy.Eq) -> sympy.Expr:
    return sympy.simplify(statement.lhs.doit() - statement.rhs)


def eq13_replica_limit() -> Step:
    """Eq. (13) by exact Wick sums over Gaussian W about Lambda, then alpha -> 0."""
    P = Symbol("P", integer=True, positive=True)
    p = Symbol("p", integer=True, positive=True)
    harmonic_form = 2 * delta * T**2 * sympy.summation(p / (2 * pi * T * p) ** 2, (p, 1, P))
    variances, moments, labels = _variances_statement(), _moments_statement(), _replica_label_statement()
    exponential, eq13 = _exponential_statement(), _eq13_statement()
    return Step(
        **OUTLINE.header("eq13-sigma-model"),
        result=sympy.Eq(Symbol(r"\Delta F"), delta / (2 * pi**2) * sympy.harmonic(P)),
        claims=(
            claims.holds(
                r"for $Q = \Lambda(1 + W)(1 - W)^{-1}$ with $\{\Lambda, W\} = 0$ the action "
                r"$-(\pi/\delta)\operatorname{Tr}[\varepsilon Q]$ at order $W^2$ is "
                r"$\sum(2\pi/\delta)(\varepsilon_x - \varepsilon_y)|W_{xy}|^2$ ($x$ of positive, $y$ of negative energy), so",
                partial(_variances_residual, variances),
                r"exact: every pair of an explicit $W$ over 2 replicas, 2 spins and 4 Matsubara energies",
                formula=variances,
            ),
            claims.holds(
                r"with $S$ the sum over spins and $n \ge 0 > m$ of $\langle|W|^2\rangle^2$ (Matsubara cutoff $M$), "
                r"for $(\alpha, M) = (2, 1), (3, 1), (2, 2)$",
                partial(_wick_moment_residual, moments),
                r"exact Wick enumeration over an explicit complex Gaussian $W$",
                formula=moments,
            ),
            claims.equal(
                r"in the explicit $W$ above $\operatorname{Tr}[P_j\Lambda W^2] = \sum_{x+,y-}c_{xy}|W_{xy}|^2$ with "
                r"$c_{xy} = [y\in j] - [x\in j]$, a sum of independent $|W_{xy}|^2$, each of variance its mean squared",
                partial(_exponential_moment_residual, exponential),
                0,
                formula=exponential,
            ),
            claims.all_zero(
                r"$\langle|W_{xy}|^2\rangle$ depends on the energies only, so $\langle\operatorname{Tr}[P_j\Lambda W^2]\rangle$ "
                r"is $\sum_{r_1,r_2}c$ times an energy sum, which vanishes, and the second moment is "
                r"$(\sum_{r_1,r_2}c^2)S$, with $c = \delta_{r_2 j} - \delta_{r_1 j}$ over replica labels "
                r"$r_1, r_2 = 1, \dots, \alpha$ and $j \le \alpha$ symbolic",
                partial(_replica_label_sums, labels),
                method="simplify",
                formula=labels,
            ),
            claims.equal(
                r"with $\operatorname{Tr}[QP_j] = 2\operatorname{Tr}[P_j\Lambda W^2] + O(W^3)$, Eq. (13) in the limit "
                r"$\alpha \to 0$ gives $\Delta F = 2\delta T^2\sum_{n\ge 0>m}(\varepsilon_n - \varepsilon_m)^{-2}$: "
                r"the coefficient of the sum is",
                partial(_eq13_residual, eq13),
                0,
                formula=eq13,
            ),
            claims.equal(
                r"cutting $\varepsilon_n - \varepsilon_m = 2\pi T p$ at $p \le P \sim E_T/2\pi T$ ($p$ pairs for each $p$): "
                r"$\Delta F = (\delta/2\pi^2)H_P$",
                harmonic_form,
                delta / (2 * pi**2) * sympy.harmonic(P),
                method="simplify",
                formula=sympy.Eq(2 * delta * T**2 * sympy.Sum(p / (2 * pi * T * p) ** 2, (p, 1, P)),
                                 delta / (2 * pi**2) * sympy.harmonic(P), evaluate=False),
            ),
            limit_claim(
                r"$H_P - \ln P \to \gamma$ (Euler's constant): $\Delta F = (\delta/2\pi^2)[\ln(E_T/2\pi T) + \gamma]$, "
                r"the slope $-\delta/2\pi^2$ in $\ln T$ of the real-energy form",
                sympy.Limit(sympy.harmonic(P) - sympy.log(P), P, sympy.oo),
                sympy.EulerGamma,
            ),
        ),
        note=(
            r"The $\alpha$-independent part comes from pairs with one end in replica $j$ and one in another replica; "
            r"$\alpha - 1 \to -1$ fixes the sign. Leading order in $\delta/T$; the cutoff constant ($\gamma$ here, 1 in "
            r"the real-energy form) depends on the cutoff's shape."
        ),
    )
