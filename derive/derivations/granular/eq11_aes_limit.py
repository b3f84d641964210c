"""Eq. (11b) for T >> Gamma, delta -> 0: Q frozen at Lambda leaves the AES phase action, and its instantons.

With Q_l = Lambda the tunneling term of (11b) depends on the phase difference chi(tau) of a contact only:
-(g_T/8)(Tr[e^{i chi} Lambda e^{-i chi} Lambda] - Tr[Lambda^2]) = (g_T/4) int int T^2/sin^2(pi T(tau - tau'))
[1 - cos(chi(tau) - chi(tau'))], the Ambegaokar-Eckern-Schoen kernel (spin included). For u = e^{i chi} with
Fourier coefficients u_j the same term is (g_T/2) sum_j |j| |u_j|^2; a phase of winding k has sum_j j |u_j|^2 = k,
so the action is at least g_T |k|/2, reached by every Blaschke product prod_j (z - a_j)/(1 - conj(a_j) z),
z = e^{2 pi i T tau}, whatever the centres a_j (Korshunov's instantons).
"""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, Symbol, pi

from derive.derivations.granular.notation import SPIN, T, g_T
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import matsubara_energy
from derive.model import Step

tau = Symbol("tau", positive=True)


def lambda_in_time() -> sympy.Expr:
    """T sum_n sign(eps_n) e^{-i eps_n tau}: the two geometric series (tau -> tau -+ i0) summed."""
    r = sympy.exp(-2 * pi * I * T * tau)
    positive = T * sympy.exp(-pi * I * T * tau) / (1 - r)  # n >= 0
    negative = T * sympy.exp(pi * I * T * tau) / (1 - 1 / r)  # n < 0: sum over m = -n-1 >= 0 of r^{-m}
    return positive - negative


def _kernel_residual() -> sympy.Expr:
    """-(g_T/8) SPIN (e^{i Delta} - 1) Lambda(s) Lambda(-s), symmetrised in Delta, minus the AES integrand."""
    trace_term, aes = _kernel_sides()
    return sympy.simplify((trace_term - aes).rewrite(sympy.exp))


def _kernel_sides() -> tuple[sympy.Expr, sympy.Expr]:
    """(the trace term at s = tau - tau', Delta = chi(tau) - chi(tau'), the AES integrand)."""
    s, Delta = Symbol("s", positive=True), Symbol("Delta", real=True)
    lam = -I * T / sympy.sin(pi * T * s)
    product = lam * lam.subs(s, -s)
    trace_term = -g_T / 8 * SPIN * ((sympy.exp(I * Delta) - 1) + (sympy.exp(-I * Delta) - 1)) / 2 * product
    aes = g_T / 4 * T**2 / sympy.sin(pi * T * s) ** 2 * (1 - sympy.cos(Delta))
    return trace_term, aes


def _matsubara_sign(index: sympy.Expr) -> sympy.Expr:
    """s_n = sign(eps_n) = sign(2n + 1)."""
    return sympy.sign(2 * index + 1)


def _winding_count_statement(k: sympy.Symbol, j: sympy.Symbol) -> sympy.Eq:
    """sum_n (1 - s_{n+k} s_n) = 2|k| (a uniform winding k changes 2|k| signs) and sum_m [m < 0 <= m + j] = j
    (the pairs n >= 0 > m with n - m = j), the indicator written with signs."""
    m = Symbol("m", integer=True)
    changes = sympy.Sum(1 - _matsubara_sign(m + k) * _matsubara_sign(m), (m, -sympy.oo, sympy.oo))
    pairs = sympy.Sum((1 - _matsubara_sign(m)) * (1 + _matsubara_sign(m + j)) / 4, (m, -sympy.oo, sympy.oo))
    return sympy.Eq(sympy.ImmutableMatrix([changes, pairs]), sympy.ImmutableMatrix([2 * sympy.Abs(k), j]), evaluate=False)


def _winding_count_residual(statement: sympy.Eq, k: sympy.Symbol, j: sympy.Symbol) -> str | None:
    """Both sums of the statement term by term over |m| <= 60 (their terms vanish for |m| > |k|, j), |k| <= 5, j <= 7."""
    window = 60
    for row, variable, values in ((0, k, range(-5, 6)), (1, j, range(1, 8))):
        total, expected = statement.lhs[row], statement.rhs[row]
        (index, _, _), = total.limits
        for value in values:
            enumerated = sum(total.function.xreplace({index: sympy.Integer(m), variable: sympy.Integer(value)})
                             for m in range(-window, window))
            if enumerated != expected.subs(variable, value):
                return f"{variable} = {value}: the sum is {enumerated}, not {expected.subs(variable, value)}"
    return None


def _blaschke_statement() -> sympy.Eq:
    """lim_{zeta -> a_i} (zeta - a_i) d/dzeta ln u = 1 for u = prod_{i<=k} (zeta - a_i)/(1 - abar_i zeta), k = 1, 2, 3."""
    zeta = Symbol("zeta")
    centres, conjugates = sympy.symbols("a_1:4"), sympy.symbols("abar_1:4")
    rows = []
    for k in (1, 2, 3):
        u = sympy.Mul(*((zeta - a) / (1 - b * zeta) for a, b in zip(centres[:k], conjugates[:k], strict=True)))
        rows += [sympy.Limit((zeta - a) * sympy.Derivative(sympy.log(u), zeta), zeta, a) for a in centres[:k]]
    return sympy.Eq(sympy.ImmutableMatrix(rows), sympy.ones(len(rows), 1).as_immutable(), evaluate=False)


def _blaschke_residues(statement: sympy.Eq) -> str | None:
    """Each limit of the statement: the simple pole of u'/u at a_i cancelled, then zeta = a_i."""
    for limit, expected in zip(statement.lhs, statement.rhs, strict=True):
        expression, variable, point = limit.args[0], limit.args[1], limit.args[2]
        residue = sympy.cancel(sympy.cancel(expression.doit()).subs(variable, point))
        if residue != expected:
            return f"the residue at {point} is {residue}"
    return None


def _partial_sum_statement() -> sympy.Eq:
    """(1 - r)^2 sum_{j<=J} j r^{j-1} = 1 - (J+1) r^J + J r^{J+1}: what the induction step proves."""
    r, J, j = Symbol("r", positive=True), Symbol("J", integer=True, positive=True), Symbol("j", integer=True, positive=True)
    return sympy.Eq((1 - r) ** 2 * sympy.Sum(j * r ** (j - 1), (j, 1, J)), 1 - (J + 1) * r**J + J * r ** (J + 1), evaluate=False)


def _partial_sum_step() -> sympy.Expr:
    """F(J) - F(J-1) - (1 - r)^2 J r^{J-1} with F(J) = 1 - (J+1) r^J + J r^{J+1} = (1 - r)^2 sum_{j<=J} j r^{j-1}."""
    r, J = Symbol("r", positive=True), Symbol("J", integer=True, positive=True)

    def F(m: sympy.Expr) -> sympy.Expr:
        return 1 - (m + 1) * r**m + m * r ** (m + 1)

    return sympy.expand(sympy.powsimp(sympy.expand(F(J) - F(J - 1) - (1 - r) ** 2 * J * r ** (J - 1))))


def eq11_aes_limit() -> Step:
    """Eq. (11b) with Q = Lambda: the AES kernel, and the instanton action g_T |k|/2."""
    k, m = Symbol("k", integer=True), Symbol("n", integer=True)
    j = Symbol("j", integer=True, positive=True)
    counts, blaschke = _winding_count_statement(k, j), _blaschke_statement()
    return Step(
        **OUTLINE.header("aes-limit"),
        result=sympy.Eq(sympy.Function("S_t")(Symbol("chi_k")) - sympy.Function("S_t")(0), g_T * sympy.Abs(k) / 2),
        claims=(
            claims.equal(
                r"$\Lambda(\tau) = T\sum_n\operatorname{sign}(\varepsilon_n)e^{-i\varepsilon_n\tau} = -iT/\sin(\pi T\tau)$ "
                r"for $0 < \tau < 1/T$ (a geometric series)",
                lambda: lambda_in_time().rewrite(sympy.exp),
                (-I * T / sympy.sin(pi * T * tau)).rewrite(sympy.exp),
                method="simplify",
                formula=sympy.Eq(T * sympy.Sum(sympy.sign(matsubara_energy(m, T)) * sympy.exp(-I * matsubara_energy(m, T) * tau),
                                               (m, -sympy.oo, sympy.oo)),
                                 -I * T / sympy.sin(pi * T * tau), evaluate=False),
            ),
            claims.equal(
                r"so $-(g_T/8)(\operatorname{Tr}[e^{i\chi}\Lambda e^{-i\chi}\Lambda] - \operatorname{Tr}\Lambda^2)$ has the AES "
                r"integrand $(g_T/4)\,T^2[1 - \cos(\chi(\tau) - \chi(\tau'))]/\sin^2(\pi T(\tau - \tau'))$ (spin 2; "
                r"$s = \tau - \tau'$, $\Delta = \chi(\tau) - \chi(\tau')$)",
                _kernel_residual,
                0,
                formula=sympy.Eq(*_kernel_sides(), evaluate=False),
            ),
            claims.holds(
                r"in the Matsubara basis the term is $(g_T/8)\cdot 2\sum_{nm}|u_{n-m}|^2(1 - s_n s_m) = (g_T/2)\sum_j|j||u_j|^2$ "
                r"($j$ pairs $n \ge 0 > m$ per shift $j$); a uniform winding $e^{2\pi i k T\tau}$ gives $2|k|$ sign changes",
                partial(_winding_count_residual, counts, k, j),
                r"exact integer enumeration ($|k| \le 5$, $j \le 7$)",
                formula=counts,
            ),
            claims.holds(
                r"a Blaschke product $u$ of $k$ factors in $\zeta = e^{2\pi iT\tau}$ (any centres $|a_i| < 1$) is analytic in the disc "
                r"($u_{-j} = 0$) and winds $k$ times: the residue of $u'/u$ at each $a_i$ is 1, so $\sum_j j|u_j|^2 = k$ and "
                r"$S = g_T k/2$",
                partial(_blaschke_residues, blaschke),
                r"symbolic: residues of $u'/u$ for $k = 1, 2, 3$ with symbolic centres",
                formula=blaschke,
            ),
            claims.equal(
                r"one factor explicitly, $u_j = (1 - |a|^2)\bar a^{j-1}$: $(1 - r)^2\sum_{j\le J} j r^{j-1} = "
                r"1 - (J + 1)r^J + J r^{J+1}$ ($r = |a|^2$; by induction, $F(0) = 0$), which tends to 1 for any $|a| < 1$",
                _partial_sum_step,
                0,
                formula=_partial_sum_statement(),
            ),
        ),
        note=(
            r"For a general phase of winding $k$, $\sum_j|j||u_j|^2 \ge |\sum_j j|u_j|^2| = |k|$, so $g_T|k|/2$ is the "
            r"minimum of the tunneling term in sector $k$, reached by the analytic (Blaschke) phases whose centres "
            r"are free: the instantons' positions cost nothing. The charging term $(C/2e^2)\int\dot\chi^2$ of (11c) "
            r"and the $\theta$ term $-2\pi i q k$ of the winding-number minima complete the AES action."
        ),
    )
