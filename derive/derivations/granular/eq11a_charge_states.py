"""Eq. (11a): the winding-number sum at the minima is the sum over charge states (Poisson resummation).

One grain, one replica, at the minima Q = sign(eps_n - 2 pi T w) of Eq. (9): the fermion term of (11b) and
the exact Gaussian V0 integral (Eq. 11-12 step, with C/(2e^2) = 1/(4 E_C)) give a Gaussian in w; its
Poisson resummation is a sum over integers n with energies E_C (n - q)^2 + delta n^2/4. The printed
(11b) + (11c), first order in delta/E_C, give (E_C - delta/4)(n - q)^2 + delta n^2/4 instead.
"""
from __future__ import annotations

import sympy
from sympy import I, Symbol, pi

from derive.derivations.granular.eq09_winding_minima import isolated_grain_terms
from derive.derivations.granular.notation import T, delta
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.model import Argument, Export, Step

E_C = Symbol("E_C", positive=True)
w = Symbol("w", integer=True)
n = Symbol("n", integer=True)
q = Symbol("q", real=True)


def charging_energy_expr() -> sympy.Expr:
    """E_C (n - q)^2 + delta n^2/4: the energy of charge state n at gate charge q (exact V0 integral)."""
    return E_C * (n - q) ** 2 + delta * n**2 / 4


def winding_action_uncollected(inverse_compressibility: sympy.Expr) -> sympy.Expr:
    """S(w) - S(0) at the minimum w: fermion term of (11b) plus N^2 inverse_compressibility/T (N of Eq. 12)."""
    energy, printed_charging = isolated_grain_terms(w, q)
    N_squared = printed_charging * 4 * T / delta  # isolated_grain_terms returns delta N^2/(4T)
    action = energy + N_squared * inverse_compressibility / T
    return action - action.subs(w, 0)


def winding_action(inverse_compressibility: sympy.Expr) -> sympy.Expr:
    """winding_action_uncollected, expanded."""
    return sympy.expand(winding_action_uncollected(inverse_compressibility))


EXACT = 1 / (4 * (1 / delta + 1 / (4 * E_C)))  # (1/4T) N (1/delta + C/2e^2)^-1 N, C/2e^2 = 1/(4 E_C)
PRINTED = delta / 4 - delta**2 / (16 * E_C)  # delta/(4T) N^2 - (delta^2/4) N (C/2e^2) N/T of (11b)-(11c)


def gaussian_in_w(inverse_compressibility: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """(A, q'): S(w) - S(0) = A w^2 - 2 pi i q' w."""
    action = winding_action(inverse_compressibility)
    A = sympy.simplify(action.coeff(w, 2))
    q_eff = sympy.simplify(action.coeff(w, 1) / (-2 * pi * I))
    return A, q_eff


def resummed_energy_uncollected(inverse_compressibility: sympy.Expr) -> sympy.Expr:
    """T times the exponent of the n-th Poisson term, plus the w-independent charging term at w = 0."""
    A, q_eff = gaussian_in_w(inverse_compressibility)
    constant = q**2 * inverse_compressibility / T  # N(w = 0) = -q
    return T * (pi**2 * (n - q_eff) ** 2 / A + constant)


def resummed_energy(inverse_compressibility: sympy.Expr) -> sympy.Expr:
    """resummed_energy_uncollected, expanded."""
    return sympy.expand(resummed_energy_uncollected(inverse_compressibility))


def _gaussian_over_w(A: sympy.Expr, x: sympy.Expr) -> sympy.Integral:
    """int dw e^{-A w^2 + 2 pi i x w}, unevaluated: the statement _poisson_transform evaluates."""
    v = Symbol("v", real=True)
    return sympy.Integral(sympy.exp(-A * v**2 + 2 * pi * I * x * v), (v, -sympy.oo, sympy.oo))


def _poisson_transform(A: sympy.Expr, x: sympy.Expr) -> sympy.Expr:
    """int dw e^{-A w^2 + 2 pi i x w} over real w, by SymPy's integrator."""
    return _gaussian_over_w(A, x).doit()


def eq11a_charge_states() -> Step:
    """Eq. (11a) at the minima: the winding sum Poisson-resummed into charge states; export charging_energy."""
    A, x = Symbol("A", positive=True), Symbol("y", real=True)
    weight = sympy.exp(-charging_energy_expr() / T)
    return Step(
        **OUTLINE.header("eq11a-charge-states"),
        result=sympy.Eq(
            sympy.Sum(sympy.exp(-sympy.Function("S")(w)), (w, -sympy.oo, sympy.oo)),
            Symbol("c_0") * sympy.Sum(weight, (n, -sympy.oo, sympy.oo)),
            evaluate=False,
        ),
        claims=(
            claims.equal(
                r"with the exact integral over $V^0$, the action at the minimum $w$ is "
                r"$S(0) + 4\pi^2 T w^2/(4E_C + \delta) - 2\pi i q' w$, $q' = 4E_C q/(4E_C + \delta)$ "
                r"(the fermion term of (11b) plus $(1/4T)\,N(1/\delta + 1/4E_C)^{-1}N$)",
                lambda: winding_action(EXACT),
                sympy.expand(4 * pi**2 * T * w**2 / (4 * E_C + delta) - 2 * pi * I * w * 4 * E_C * q / (4 * E_C + delta)),
                method="simplify",
                formula=sympy.Eq(winding_action_uncollected(EXACT),
                                 4 * pi**2 * T * w**2 / (4 * E_C + delta) - 2 * pi * I * w * 4 * E_C * q / (4 * E_C + delta),
                                 evaluate=False),
            ),
            claims.equal(
                r"Poisson summation, $\sum_w f(w) = \sum_n \hat f(n)$, with the Gaussian's transform "
                r"$\int dw\, e^{-Aw^2 + 2\pi i y w} = \sqrt{\pi/A}\, e^{-\pi^2 y^2/A}$",
                lambda: _poisson_transform(A, x),
                sympy.sqrt(pi / A) * sympy.exp(-pi**2 * x**2 / A),
                method="simplify",
                formula=sympy.Eq(_gaussian_over_w(A, x), sympy.sqrt(pi / A) * sympy.exp(-pi**2 * x**2 / A), evaluate=False),
            ),
            claims.equal(
                r"so the winding sum is $\sum_n e^{-E_n/T}$ over charge states $n$, with $E_n = E_C(n - q)^2 + \delta n^2/4$",
                lambda: resummed_energy(EXACT),
                lambda: sympy.expand(charging_energy_expr()),
                method="simplify",
                formula=sympy.Eq(resummed_energy_uncollected(EXACT), charging_energy_expr(), evaluate=False),
            ),
            claims.equal(
                r"with the printed (11b) and (11c) (first order in $\delta/E_C$) the same steps give "
                r"$(E_C - \delta/4)(n - q)^2 + \delta n^2/4$: the truncation shifts $E_C$ by $-\delta/4$",
                lambda: resummed_energy(PRINTED),
                sympy.expand((E_C - delta / 4) * (n - q) ** 2 + delta * n**2 / 4),
                method="simplify",
                formula=sympy.Eq(resummed_energy_uncollected(PRINTED) / T, ((E_C - delta / 4) * (n - q) ** 2 + delta * n**2 / 4) / T,
                                 evaluate=False),
            ),
        ),
        exports=(
            Export(
                "charging_energy",
                charging_energy_expr(),
                (
                    Argument("n", n, description="charge state (integer number of extra electrons)"),
                    Argument("q", q, description="gate (background) charge q_l"),
                    Argument("E_C", E_C, description="charging energy e^2/(2C)"),
                    Argument("delta", delta, description="mean level spacing per spin"),
                ),
                "E_C (n - q)^2 + delta n^2/4: energy of charge state n from the exact V0 integral (Eq. 11a resummed).",
            ),
        ),
        note=(
            r"At the minima of Eq. (9) only ($T \gg \delta$: the Gaussian fluctuations about them are not included). "
            r"$c_0$ is independent of $q$; the Matsubara cutoff $M$ enters $S(0)$ only. $\delta n^2/4$ is the level-filling energy of $n$ electrons "
            r"on spin-degenerate levels; the printed first-order (11c) gives $E_C - \delta/4$ in place of $E_C$."
        ),
        printed=sympy.Eq(sympy.Sum(sympy.exp(-sympy.Function("S")(w)), (w, -sympy.oo, sympy.oo)), Symbol("c_0") * sympy.Sum(
            sympy.exp(-((E_C - delta / 4) * (n - q) ** 2 + delta * n**2 / 4) / T), (n, -sympy.oo, sympy.oo)), evaluate=False),
        erratum=r"the notes on the granular paper, difference 5: this is what the printed Eqs. (11b) and (11c), first order in $\delta/E_C$, give",
    )

