"""Eq. (13) in the sigma-model: Gaussian fluctuations W about Lambda, exact Wick sums, and the replica limit."""
from __future__ import annotations

import sympy
from sympy import Symbol, pi

from derive.derivations.granular.notation import SPIN, T, delta
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
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


def replica_pair_sum(cutoff: int) -> sympy.Expr:
    """S = sum over spins and n >= 0 > m (one replica each) of (delta/(2 pi (eps_n - eps_m)))^2."""
    return SPIN**2 * sympy.Add(*(
        (delta / (2 * pi * (pi * T * (2 * n + 1) - pi * T * (2 * m + 1)))) ** 2
        for n in range(cutoff) for m in range(-cutoff, 0)
    ))


def _wick_moment_residual() -> str | None:
    """<Tr[P_j Lambda W^2]> = 0 and <(Tr[P_j Lambda W^2])^2> = 2 (alpha - 1) S, exact Wick sums."""
    for replicas, cutoff in ((2, 1), (3, 1), (2, 2)):
        indices, lam, eps, W, z, zbar = replica_fluctuations(replicas, cutoff)
        action = -(2 * pi / delta) * sympy.Add(*(eps[a] * lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices for b in indices))
        variances = variances_from_action(action, z, zbar)
        trace = _trace_P_Lambda_W_power(indices, lam, W, 0, 2)
        mean = complex_gaussian_expectation(trace, z, zbar, variances)
        second = complex_gaussian_expectation(trace**2, z, zbar, variances)
        residual = sympy.simplify(second - 2 * (replicas - 1) * replica_pair_sum(cutoff))
        if sympy.simplify(mean) != 0 or residual != 0:
            return f"alpha = {replicas}, M = {cutoff}: mean {mean}, second-moment residual {residual}"
    return None


def _variances_residual() -> str | None:
    """The action -(pi/delta) Tr[eps Q] at order W^2 is sum (2 pi/delta)(eps_x - eps_y) |z_xy|^2."""
    indices, lam, eps, W, z, zbar = replica_fluctuations(2, 2)
    action = -(2 * pi / delta) * sympy.Add(*(eps[a] * lam[a] * W.get((a, b), 0) * W.get((b, a), 0) for a in indices for b in indices))
    pairs = [(x, y) for x in indices for y in indices if lam[x] > 0 > lam[y]]
    for variance, (x, y) in zip(variances_from_action(action, z, zbar), pairs, strict=True):
        if sympy.simplify(variance - delta / (2 * pi * (eps[x] - eps[y]))) != 0:
            return f"variance of z_{x}{y} is {variance}"
    if any(_trace_P_Lambda_W_power(indices, lam, W, j, 1) != 0 for j in range(2)):
        return "Tr[P_j Lambda W] is not zero"
    return None


def _replica_label_sums() -> list[sympy.Expr]:
    """sum_{r, r'=1}^alpha c and c^2 - 2(alpha - 1), c = delta_{r' j} - delta_{r j}, for symbolic alpha >= j."""
    j = Symbol("j", integer=True, positive=True)
    spare = Symbol("p", integer=True, nonnegative=True)
    alpha = j + spare  # any number of replicas containing replica j
    r, s = Symbol("r", integer=True, positive=True), Symbol("s", integer=True, positive=True)
    c = sympy.KroneckerDelta(s, j) - sympy.KroneckerDelta(r, j)
    first = sympy.Sum(c, (r, 1, alpha), (s, 1, alpha)).doit()
    second = sympy.Sum(sympy.expand(c**2), (r, 1, alpha), (s, 1, alpha)).doit()
    return [sympy.simplify(first), sympy.simplify(second - 2 * (alpha - 1))]


def _exponential_moment_residual() -> sympy.Expr:
    """<|z|^4> - 2 <|z|^2>^2 for a complex Gaussian z (Wick engine): the variance of |z|^2 is its mean squared."""
    z, zbar = (Symbol("z_0"),), (Symbol("zbar_0"),)
    variances = variances_from_action(z[0] * zbar[0] / Symbol("v", positive=True), z, zbar)
    fourth = complex_gaussian_expectation((z[0] * zbar[0]) ** 2, z, zbar, variances)
    second = complex_gaussian_expectation(z[0] * zbar[0], z, zbar, variances)
    return sympy.simplify(fourth - 2 * second**2)


def eq13_replica_limit() -> Step:
    """Eq. (13) by exact Wick sums over Gaussian W about Lambda, then alpha -> 0."""
    alpha, P, X = Symbol("alpha"), Symbol("P", integer=True, positive=True), Symbol("X", positive=True)
    p = Symbol("p", integer=True, positive=True)
    S_general = SPIN**2 * delta**2 / (4 * pi**2) * X  # X = sum_{n>=0>m} (eps_n - eps_m)^-2
    limit_of_replica_sum = (4 * 2 * (alpha - 1) * S_general).subs(alpha, 0)  # (1/alpha) sum_j, alpha -> 0
    eq13 = -delta / 4 * (pi * T / delta) ** 2 * limit_of_replica_sum
    harmonic_form = 2 * delta * T**2 * sympy.summation(p / (2 * pi * T * p) ** 2, (p, 1, P))
    return Step(
        **OUTLINE.header("eq13-sigma-model"),
        result=sympy.Eq(Symbol(r"\Delta F"), delta / (2 * pi**2) * sympy.harmonic(P)),
        claims=(
            claims.holds(
                r"for $Q = \Lambda(1 + W)(1 - W)^{-1}$ with $\{\Lambda, W\} = 0$, $\operatorname{Tr}[P_j\Lambda W] = 0$, and the "
                r"action $-(\pi/\delta)\operatorname{Tr}[\varepsilon Q]$ at order $W^2$ is "
                r"$\sum(2\pi/\delta)(\varepsilon_x - \varepsilon_y)|W_{xy}|^2$, so "
                r"$\langle|W_{xy}|^2\rangle = \delta/2\pi(\varepsilon_x - \varepsilon_y)$",
                _variances_residual,
                r"symbolic: an explicit $W$ over 2 replicas, 2 spins and 4 Matsubara energies",
            ),
            claims.holds(
                r"$\langle\operatorname{Tr}[P_j\Lambda W^2]\rangle = 0$ and "
                r"$\langle(\operatorname{Tr}[P_j\Lambda W^2])^2\rangle = 2(\alpha - 1)S$, with $S$ the sum over spins and "
                r"$n \ge 0 > m$ of $\langle|W|^2\rangle^2$, for $(\alpha, M) = (2, 1), (3, 1), (2, 2)$",
                _wick_moment_residual,
                r"exact Wick enumeration over an explicit complex Gaussian $W$",
            ),
            claims.equal(
                r"for any $\alpha$, $\operatorname{Tr}[P_j\Lambda W^2] = \sum_{x+,y-}c_{xy}|W_{xy}|^2$ with "
                r"$c_{xy} = [y\in j] - [x\in j]$ (the explicit $W$ above); the $|W_{xy}|^2$ are independent with "
                r"variance $\langle|W|^2\rangle^2$",
                _exponential_moment_residual,
                0,
            ),
            claims.all_zero(
                r"$\langle|W_{xy}|^2\rangle$ depends on the energies only, so $\langle\operatorname{Tr}[P_j\Lambda W^2]\rangle$ "
                r"is $\sum_{r,r'}c$ times an energy sum, which vanishes, and the second moment is "
                r"$(\sum_{r,r'}c^2)S = 2(\alpha - 1)S$ for symbolic $\alpha$ (sums over replica labels "
                r"$r, r' = 1, \dots, \alpha$, $j \le \alpha$)",
                _replica_label_sums,
                method="simplify",
            ),
            claims.equal(
                r"with $\operatorname{Tr}[QP_j] = 2\operatorname{Tr}[P_j\Lambda W^2] + O(W^3)$, Eq. (13) in the limit "
                r"$\alpha \to 0$ gives $\Delta F = 2\delta T^2\sum_{n\ge 0>m}(\varepsilon_n - \varepsilon_m)^{-2}$",
                eq13,
                2 * delta * T**2 * X,
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
            claims.equal(
                r"$H_P - \ln P \to \gamma$ (Euler's constant): $\Delta F = (\delta/2\pi^2)[\ln(E_T/2\pi T) + \gamma]$, "
                r"the slope $-\delta/2\pi^2$ in $\ln T$ of the real-energy form",
                lambda: sympy.limit(sympy.harmonic(P) - sympy.log(P), P, sympy.oo),
                sympy.EulerGamma,
            ),
        ),
        note=(
            r"The $\alpha$-independent part comes from pairs with one end in replica $j$ and one in another replica; "
            r"$\alpha - 1 \to -1$ fixes the sign. Leading order in $\delta/T$; the cutoff constant ($\gamma$ here, 1 in "
            r"the real-energy form) depends on the cutoff's shape."
        ),
    )
