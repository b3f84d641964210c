"""Eqs. (11a), (13)-(14) at T <~ delta: the winding sectors of an isolated grain and the exact number projection.

One grain, g_T = 0, q = 0, charging only through the neutrality term delta N^2/(4T) (E_C -> 0: pure number
projection). At the minima Q = sign(eps_n - 2 pi T w_s) with a winding w_s for each spin s, (11b) costs
pi^2 T (w_up - w_down)^2/delta: the spin-symmetric minima of the paper are degenerate, the spin-split ones
are not. For equidistant spin-degenerate levels the number projection is exact in the same sectors:
per spin the grand partition function at imaginary potential phi is a theta function (Jacobi's triple
product), Poisson-resummed into Gaussians about the winding points phi = 2 pi k; the product of the two
spins regroups into the relative winding m = k_up - k_down with weight e^{-pi^2 m^2 T/delta}. The m = 0
sector is the thermodynamic (Legendre plus Gaussian) free energy; the m != 0 sectors add
-T ln sum_m (-1)^{mN} e^{-pi^2 m^2 T/delta}, the even-odd effect, which is what survives at T <~ delta.
"""
from __future__ import annotations

from functools import partial

import sympy
from sympy import I, Symbol, pi
from sympy.codegen.cfunctions import log1p

from derive.derivations.granular.notation import T, delta
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import signed_matsubara_sum
from derive.model import Argument, Export, Step

M = Symbol("M", integer=True, positive=True)  # Matsubara cutoff n = -M .. M-1
w_up, w_down = Symbol(r"w_\uparrow", integer=True), Symbol(r"w_\downarrow", integer=True)
n = Symbol("n", integer=True)  # the charge of one spin species, relative to the closed shell
N = Symbol("N", integer=True)  # electrons added to the half-filled (closed-shell) grain
# The export's N: real, so that cos(pi N) stays a cosine (SymPy turns it into (-1)^N for an integer symbol, which
# numpy evaluates to nan at a non-integer float); at integer N both are (-1)^N.
N_argument = Symbol("N", real=True)
phi = Symbol("phi", real=True)
k_up, k_down, m = (Symbol(name, integer=True) for name in (r"k_\uparrow", r"k_\downarrow", "m"))
z = Symbol("z", real=True)  # the charge as a continuous variable of the Poisson integral
v = Symbol("v", positive=True)  # T/delta: the grand-canonical number variance of one spin species
r = Symbol("r", positive=True)  # T/delta in the exported form
x, y = Symbol("x", positive=True), Symbol("y", real=True)

DIRECT_TERMS = 9  # e^{-pi^2 m^2 r} at r >= 1/8: m = 10 is below 1e-53 of the m = 0 term
DUAL_TERMS = 7  # e^{-j^2/r} at r <= 1/2: j = 8 is below 1e-55
SWITCH = sympy.Rational(1, 8)
JACOBI_ORDER = 16


def spin_split_action() -> sympy.Expr:
    """S(w_up, w_down) - S(0, 0) of (11b) at q = 0, g_T = 0: -(pi/delta) Tr[eps Q] + delta N^2/(4T), one replica."""
    def per_spin(w: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
        energy = -pi / delta * pi * T * signed_matsubara_sum(lambda n: 2 * n + 1, w, M)
        return energy, signed_matsubara_sum(lambda n: 1, w, M)

    (e_up, tr_up), (e_down, tr_down) = per_spin(w_up), per_spin(w_down)
    charge = -I * pi * T / delta * (tr_up + tr_down)
    action = e_up + e_down + delta / (4 * T) * charge**2
    return action - action.subs({w_up: 0, w_down: 0})


def _jacobi_residual() -> sympy.Expr:
    """prod_{j}(1 - x^{2j})(1 + x^{2j-1} y)(1 + x^{2j-1}/y) - sum_n x^{n^2} y^n through x^K (truncated as it multiplies)."""
    K = JACOBI_ORDER

    def truncate(expr: sympy.Expr) -> sympy.Expr:
        return sum((term for term in sympy.Add.make_args(sympy.expand(expr)) if sympy.degree(term, x) <= K), sympy.Integer(0))

    product = sympy.Integer(1)
    for j in range(1, K + 1):
        for factor in (1 - x ** (2 * j), 1 + x ** (2 * j - 1) * y, 1 + x ** (2 * j - 1) / y):
            product = truncate(product * factor)
    theta = sum(x ** (n**2) * y**n for n in range(-K, K + 1) if n**2 <= K)
    return sympy.expand(product - theta)


def sector_pair_exponent() -> sympy.Expr:
    """-(v/2)[(phi - 2 pi k_up)^2 + (phi - 2 pi k_down)^2]: the product of the two spins' Gaussians."""
    return -v / 2 * ((phi - 2 * pi * k_up) ** 2 + (phi - 2 * pi * k_down) ** 2)


def charge_state_projection() -> sympy.Integral:
    """int dphi/2pi e^{-i phi N - v phi^2} over the real line: one relative-winding sector, centre shifted to 0."""
    return sympy.Integral(sympy.exp(-I * phi * N - v * phi**2) / (2 * pi), (phi, -sympy.oo, sympy.oo))


def zero_sector_free_energy() -> sympy.Expr:
    """F of the m = 0 sector minus the sea: -2T ln C - (T/2) ln(pi T/delta) + delta N^2/4, C = prod (1 - x^{2m})^{-1}."""
    C = Symbol(r"\mathcal{C}", positive=True)
    return -2 * T * sympy.log(C) - T / 2 * sympy.log(pi * T / delta) + delta * N**2 / 4


def legendre_plus_gaussian() -> sympy.Expr:
    """The grand potential of the k = 0 Gaussian, Legendre-transformed at <N> = N, plus (T/2) ln(2 pi T dN/dmu)."""
    C, mu = Symbol(r"\mathcal{C}", positive=True), Symbol("mu", real=True)
    per_spin = sympy.log(C) + sympy.log(2 * pi * T / delta) / 2 + (T / delta) * mu**2 / (2 * T**2)  # ln z_0(mu)
    omega = -2 * T * per_spin
    mu_N = sympy.solve(sympy.Eq(-sympy.diff(omega, mu), N), mu)[0]
    compressibility = -sympy.diff(omega, mu, 2)
    return (omega + mu * N).subs(mu, mu_N) + T / 2 * sympy.log(2 * pi * T * compressibility)


def jacobi_triple_product() -> sympy.Eq:
    """prod_{j >= 1}(1 - x^{2j})(1 + x^{2j-1} y)(1 + x^{2j-1}/y) = sum_n x^{n^2} y^n, as a statement."""
    j = Symbol("j", integer=True, positive=True)
    product = sympy.Product((1 - x ** (2 * j)) * (1 + x ** (2 * j - 1) * y) * (1 + x ** (2 * j - 1) / y), (j, 1, sympy.oo))
    return sympy.Eq(product, sympy.Sum(x ** (n**2) * y**n, (n, -sympy.oo, sympy.oo)), evaluate=False)


def parity_gap() -> sympy.Expr:
    """F_{N+1} - F_N - delta(2N+1)/4 - (delta/4 - T ln 2) for even N, the sectors summed in their dual form."""
    odd = sympy.Sum(sympy.exp(-delta * (n - sympy.Rational(1, 2)) ** 2 / T), (n, -sympy.oo, sympy.oo))
    even = sympy.Sum(sympy.exp(-delta * n**2 / T), (n, -sympy.oo, sympy.oo))
    return -T * sympy.log(odd / even) - (delta / 4 - T * sympy.log(2))


def _parity_gap_limit() -> sympy.Expr:
    """The T -> 0+ limit of parity_gap with the sums truncated as the export truncates them (log1p-form branches)."""
    truncated = T * _as_log(_dual_branch(-1) - _dual_branch(1)).subs(r, T / delta)
    return sympy.limit(truncated - (delta / 4 - T * sympy.log(2)), T, 0, "+")


def exported_dual_form(parity: int) -> sympy.Eq:
    """The export's dual branch at N = parity (log1p as log) = -ln of the truncated dual sum, unevaluated sums."""
    half = sympy.Rational(parity, 2)
    low = -DUAL_TERMS if parity == 0 else -DUAL_TERMS + 1
    dual = sympy.sqrt(1 / (pi * r)) * sympy.Sum(sympy.exp(-((n - half) ** 2) / r), (n, low, DUAL_TERMS))
    if parity == 0:
        branch = sympy.log(pi * r) / 2 - sympy.log(1 + 2 * sympy.Sum(sympy.exp(-(n**2) / r), (n, 1, DUAL_TERMS)))
    else:
        branch = sympy.log(pi * r) / 2 - (sympy.log(2) - 1 / (4 * r)
                                          + sympy.log(1 + sympy.Sum(sympy.exp(-(n * (n + 1)) / r), (n, 1, DUAL_TERMS - 1))))
    return sympy.Eq(branch, -sympy.log(dual), evaluate=False)


def _exported_dual_residual(parity: int) -> str | None:
    """None when exported_dual_form(parity) is the export's branch and holds; else what is left over."""
    statement = exported_dual_form(parity)
    branch = _as_log(_dual_branch(1 - 2 * parity))
    if (mismatch := sympy.expand(statement.lhs.doit() - branch)) != 0:
        return f"the stated branch differs from the exported one by {mismatch}"
    residual = sympy.simplify(sympy.exp(-statement.lhs.doit()) - sympy.exp(-statement.rhs.doit()))
    return None if residual == 0 else f"residual = {residual}"


def _dual_branch(c: sympy.Expr) -> sympy.Expr:
    """-ln sqrt(1/(pi r)) sum_n e^{-(n - N/2)^2/r} for c = cos(pi N) = +-1, written so that nothing overflows at r -> 0 (per unit T)."""
    even = log1p(2 * sum(sympy.exp(-(j**2) / r) for j in range(1, DUAL_TERMS + 1)))
    odd = sympy.log(2) - 1 / (4 * r) + log1p(sum(sympy.exp(-(j * (j + 1)) / r) for j in range(1, DUAL_TERMS)))
    c = sympy.sympify(c)
    return sympy.log(pi * r) / 2 - (1 + c) / 2 * even - (1 - c) / 2 * odd


def _direct_branch(c: sympy.Expr) -> sympy.Expr:
    """-ln sum_m c^m e^{-pi^2 m^2 r}, |m| <= DIRECT_TERMS (per unit T)."""
    return -log1p(2 * sum(c**j * sympy.exp(-(pi**2) * j**2 * r) for j in range(1, DIRECT_TERMS + 1)))


def _as_log(expr: sympy.Expr) -> sympy.Expr:
    """log1p(a) -> log(1 + a), so that SymPy's limit and simplify see ordinary logarithms."""
    return expr.replace(log1p, lambda a: sympy.log(1 + a))


def _step(rho: sympy.Expr, low: sympy.Expr, high: sympy.Expr) -> sympy.Expr:
    """(1 + tanh)/2 rising from exactly 0 below rho = low to exactly 1 above rho = high in floats (|tanh| = 1 past 19.1)."""
    return (1 + sympy.tanh(2 * sympy.Float(19.1) / (high - low) * (rho - (low + high) / 2))) / 2


def winding_sector_free_energy_expr() -> sympy.Expr:
    """-T ln sum_m (-1)^{mN} e^{-pi^2 m^2 T/delta}: the m != 0 sectors, direct for large T/delta, Poisson-dual below.

    Both forms are exact (to rounding) for 1/8 <= r <= 1/2, r = T/delta; a step in rho = r/(1 + r) that is exactly 0
    or 1 in floats outside that overlap joins them, so neither is used where it is inaccurate. The dual form is
    finite at every r > 0; the direct form is evaluated at r + (1 - step)/8 >= 1/16, where its logarithm
    stays finite, and at r itself wherever it is used.
    """
    ratio = T / delta
    rho = ratio / (1 + ratio)
    c = sympy.cos(pi * N_argument)
    blend = _step(rho, sympy.Rational(1, 9), sympy.Rational(1, 3))  # r = 1/8 .. 1/2
    lifted = ratio + SWITCH * (1 - _step(rho, sympy.Rational(1, 17), sympy.Rational(1, 9)))  # >= 1/16; = r for r >= 1/8
    return T * (blend * _direct_branch(c).subs(r, lifted) + (1 - blend) * _dual_branch(c).subs(r, ratio))


def eq13_14_winding_sectors() -> Step:
    """The sectors of the isolated grain's winding sum at T <~ delta; export winding_sector_free_energy."""
    sector_sum = sympy.Sum((-1) ** (m * N) * sympy.exp(-(pi**2) * m**2 * T / delta), (m, -sympy.oo, sympy.oo))
    centred = 2 * (phi - pi * (k_up + k_down)) ** 2 + 2 * pi**2 * (k_up - k_down) ** 2
    return Step(
        **OUTLINE.header("eq13-14-winding-sectors"),
        result=sympy.Eq(Symbol("F_N"), zero_sector_free_energy() - T * sympy.log(sector_sum), evaluate=False),
        claims=(
            claims.equal(
                r"at the minima $Q = \operatorname{sign}(\varepsilon_n - 2\pi T w_s)$ with a winding $w_s$ for each spin, "
                r"the first two terms of (11b) cost $\pi^2 T(w_\uparrow - w_\downarrow)^2/\delta$ at $q = 0$: the "
                r"spin-symmetric minima are degenerate, the spin-split ones carry the weight $e^{-\pi^2 m^2 T/\delta}$, "
                r"$m = w_\uparrow - w_\downarrow$",
                lambda: sympy.expand(spin_split_action()),
                sympy.expand(pi**2 * T * (w_up - w_down) ** 2 / delta),
                method="simplify",
                formula=sympy.Eq(pi**2 * T * (w_up - w_down) ** 2 / delta, spin_split_action(), evaluate=False),
            ),
            claims.holds(
                r"for one spin species on equidistant levels $\pm\delta/2, \pm 3\delta/2, \dots$ the grand partition "
                r"function relative to the filled sea is Jacobi's triple product, "
                r"$\prod_{j \ge 1}(1 - x^{2j})(1 + x^{2j-1}y)(1 + x^{2j-1}/y) = \sum_n x^{n^2}y^n$ with "
                r"$x = e^{-\delta/2T}$, $y = e^{i\phi}$ (the coefficients agree through $x^{16}$): the charge $n$ costs "
                r"exactly $\delta n^2/2$, the rest are neutral particle-hole excitations",
                lambda: None if (residual := _jacobi_residual()) == 0 else f"residual = {residual}",
                rf"symbolic: the coefficients of both sides agree through $x^{{{JACOBI_ORDER}}}$, the product truncated as it multiplies",
                formula=jacobi_triple_product(),
            ),
            claims.equal(
                r"Poisson summation with $\int dz\, e^{-az^2 + i\phi z} = \sqrt{\pi/a}\, e^{-\phi^2/4a}$, $a = \delta/2T$: "
                r"$\sum_n e^{-\delta n^2/2T + i\phi n} = \sqrt{2\pi v}\sum_k e^{-v(\phi - 2\pi k)^2/2}$, $v = T/\delta$, "
                r"a Gaussian about each winding point $\phi = 2\pi k$ (the gauge copy $V^0 = 2\pi T k$)",
                lambda: sympy.integrate(sympy.exp(-delta / (2 * T) * z**2 + I * phi * z), (z, -sympy.oo, sympy.oo)),
                lambda: sympy.sqrt(2 * pi * T / delta) * sympy.exp(-T * phi**2 / (2 * delta)),
                method="simplify",
                formula=sympy.Eq(sympy.Integral(sympy.exp(-delta / (2 * T) * z**2 + I * phi * z), (z, -sympy.oo, sympy.oo)),
                                 sympy.sqrt(2 * pi * T / delta) * sympy.exp(-T * phi**2 / (2 * delta)), evaluate=False),
            ),
            claims.equal(
                r"the two spins' Gaussians about $2\pi k_\uparrow$ and $2\pi k_\downarrow$ combine about "
                r"$\pi(k_\uparrow + k_\downarrow)$ with the weight $e^{-\pi^2 v m^2}$, $m = k_\uparrow - k_\downarrow$; the "
                r"sum over $k_\uparrow + k_\downarrow$ at fixed $m$ tiles the projection interval $|\phi| < \pi$ into "
                r"the real line",
                lambda: sympy.expand(-2 * sector_pair_exponent() / v),
                lambda: sympy.expand(centred),
                formula=sympy.Eq(sector_pair_exponent(), -v / 2 * centred, evaluate=False),
            ),
            claims.equal(
                r"each sector's projection is $\int d\phi/2\pi\, e^{-i\phi N - v\phi^2} = e^{-N^2/4v}/\sqrt{4\pi v}$, and the "
                r"shift $\phi \to \phi - \pi m$ gives the sign $(-1)^{mN}$: $Z_N = \mathcal{C}^2\sqrt{\pi v}\,e^{-\delta N^2/4T}"
                r"\sum_m (-1)^{mN}e^{-\pi^2 m^2 T/\delta}$ exactly, $\mathcal{C} = \prod_j (1 - x^{2j})^{-1}$",
                lambda: charge_state_projection().doit(),
                sympy.exp(-(N**2) / (4 * v)) / sympy.sqrt(4 * pi * v),
                method="simplify",
                formula=sympy.Eq(charge_state_projection(), sympy.exp(-(N**2) / (4 * v)) / sympy.sqrt(4 * pi * v), evaluate=False),
            ),
            claims.equal(
                r"the $m = 0$ sector alone is the grand-canonical result: the Legendre transform of the grand potential of "
                r"the $k = 0$ Gaussians plus the saddle-point term $(T/2)\ln(2\pi T\,\partial N/\partial\mu)$ is "
                r"$-2T\ln \mathcal{C} - (T/2)\ln(\pi T/\delta) + \delta N^2/4$",
                legendre_plus_gaussian,
                zero_sector_free_energy(),
                method="simplify",
                formula=sympy.Eq(legendre_plus_gaussian(), zero_sector_free_energy(), evaluate=False),
            ),
            claims.equal(
                r"for $T \le \delta$ all $|m|$ up to about $\sqrt{\delta/T}/\pi$ matter; Poisson summation over $m$ "
                r"(transform $\int dm\, e^{-\pi^2 r m^2 + 2\pi i m z} = e^{-z^2/r}/\sqrt{\pi r}$, $r = T/\delta$) turns the "
                r"sector sum into $\sqrt{\delta/\pi T}\sum_n e^{-\delta(n - N/2)^2/T}$, the charge states $(n, N - n)$ of "
                r"the two spins",
                lambda: sympy.integrate(sympy.exp(-(pi**2) * r * m**2 + 2 * pi * I * m * y), (m, -sympy.oo, sympy.oo)),
                lambda: sympy.exp(-(y**2) / r) / sympy.sqrt(pi * r),
                method="simplify",
                formula=sympy.Eq(sympy.Integral(sympy.exp(-(pi**2) * r * m**2 + 2 * pi * I * m * y), (m, -sympy.oo, sympy.oo)),
                                 sympy.exp(-(y**2) / r) / sympy.sqrt(pi * r), evaluate=False),
            ),
            claims.holds(
                r"so at $T \ll \delta$ the sectors give the parity gap $F_{N+1} - F_N - \delta(2N+1)/4 \to "
                r"\delta/4 - T\ln 2$ for even $N$ (one unpaired electron: half a level spacing above the smooth "
                r"$\delta N^2/4$, and its spin)",
                lambda: None if (gap := _parity_gap_limit()) == 0 else f"limit = {gap}",
                rf"SymPy's limit of the sums truncated at $|n| \le {DUAL_TERMS}$ (the exported form, next claims), whose "
                r"remainder vanishes faster than either sum as $T \to 0$",
                formula=sympy.Eq(sympy.Limit(parity_gap(), T, 0, "+"), 0, evaluate=False),
            ),
            *(
                claims.holds(
                    rf"the exported form for {name} $N$ and $T/\delta \le 1/2$: {form} equals $-\ln$ of the dual sum "
                    rf"truncated at $|n| \le {DUAL_TERMS}$",
                    partial(_exported_dual_residual, parity),
                    "symbolic: the left-hand side expands to the exported branch, and the exponentials of both sides "
                    "simplify to the same sum",
                    formula=exported_dual_form(parity),
                )
                for parity, name, form in (
                    (0, "even", r"$\tfrac12\ln(\pi r)$ minus the logarithm of the even sum"),
                    (1, "odd", r"$\tfrac12\ln(\pi r)$ minus the logarithm of the odd sum with $e^{-1/4r}$ taken out"),
                )
            ),
        ),
        exports=(
            Export(
                "winding_sector_free_energy",
                winding_sector_free_energy_expr(),
                (
                    Argument("N", N_argument, description="electrons added to the half-filled grain, an integer (its parity enters as cos(pi N))"),
                    Argument("T", T),
                    Argument("delta", delta, description="mean level spacing per spin"),
                ),
                "-T ln sum_m (-1)^{mN} exp(-pi^2 m^2 T/delta): the free energy of the winding sectors m != 0 (spin-split "
                "minima) of an isolated grain, exact for equidistant levels; -> 0 for T >> delta, -> (delta/4 - T ln 2) "
                "+ (T/2) ln(pi T/delta) for odd N at T << delta. Finite for 1e-300 < T/delta < 1e300.",
            ),
        ),
        note=(
            r"Only the isolated grain ($g_T = 0$, $q = 0$) with the neutrality term alone ($E_C \to 0$); exact for "
            r"equidistant levels. For random-matrix levels the minima carry the same weights, but at $T \le \delta$ "
            r"the fluctuations about them are not small: the sectors are then a partial description (numbers in the notes)."
        ),
    )
