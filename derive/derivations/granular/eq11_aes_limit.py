"""Eq. (11b) for T >> Gamma, delta -> 0: Q frozen at Lambda leaves the AES phase action, and its instantons.

With Q_l = Lambda the tunneling term of (11b) depends on the phase difference chi(tau) of a contact only:
-(g_T/8)(Tr[e^{i chi} Lambda e^{-i chi} Lambda] - Tr[Lambda^2]) = (g_T/4) int int T^2/sin^2(pi T(tau - tau'))
[1 - cos(chi(tau) - chi(tau'))], the Ambegaokar-Eckern-Schoen kernel (spin included). For u = e^{i chi} with
Fourier coefficients u_j the same term is (g_T/2) sum_j |j| |u_j|^2; a phase of winding k has sum_j j |u_j|^2 = k,
so the action is at least g_T |k|/2, reached by every Blaschke product prod_j (z - a_j)/(1 - conj(a_j) z),
z = e^{2 pi i T tau}, whatever the centres a_j (Korshunov's instantons).
"""
from __future__ import annotations

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


def _winding_count_residual() -> str | None:
    """sum_n (1 - s_{n+k} s_n) = 2|k|, and the pairs n >= 0 > m with n - m = j number j (enumerated)."""
    def sign(index: int) -> int:
        return 1 if index >= 0 else -1

    indices = range(-60, 60)
    for k in range(-5, 6):
        total = sum(1 - sign(m + k) * sign(m) for m in indices)
        if total != 2 * abs(k):
            return f"uniform winding k = {k}: sum = {total}"
    for j in range(1, 8):
        pairs = sum(1 for m in indices if m < 0 <= m + j)
        if pairs != j:
            return f"shift j = {j}: {pairs} pairs"
    return None


def _blaschke_residues(k: int) -> str | None:
    """u'/u of prod_{j<=k} (z - a_j)/(1 - conj(a_j) z) has residue 1 at every a_j: the winding is k."""
    z = Symbol("z")
    centres = sympy.symbols(f"a_1:{k + 1}")
    conjugates = sympy.symbols(f"abar_1:{k + 1}")
    u = sympy.Mul(*((z - a) / (1 - b * z) for a, b in zip(centres, conjugates, strict=True)))
    log_derivative = sympy.cancel(sympy.diff(u, z) / u)
    for a in centres:
        residue = sympy.cancel(sympy.cancel((z - a) * log_derivative).subs(z, a))  # simple pole at a
        if residue != 1:
            return f"k = {k}: residue at {a} is {residue}"
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
    return Step(
        **OUTLINE.header("aes-limit"),
        result=sympy.Eq(Symbol(r"S_t[\chi_k] - S_t[0]"), g_T * sympy.Abs(k) / 2),
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
                _winding_count_residual,
                r"exact integer enumeration ($|k| \le 5$, $j \le 7$)",
            ),
            claims.holds(
                r"a Blaschke product of $k$ factors (any centres $|a_j| < 1$) is analytic in the disc ($u_{-j} = 0$) and "
                r"winds $k$ times: the residue of $u'/u$ at each $a_j$ is 1, so $\sum_j j|u_j|^2 = k$ and $S = g_T k/2$",
                lambda: next((r for r in (_blaschke_residues(m) for m in (1, 2, 3)) if r), None),
                r"symbolic: residues of $u'/u$ for $k = 1, 2, 3$ with symbolic centres",
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
