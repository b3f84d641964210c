"""Independent routes the moyal claims compare the star product against.

None of these uses the multi-index expansion of derive.moyal: Eq. (7) applied literally to two
independent copies of phase space, operators in McCoy's symmetric (Weyl) ordering acting on a test
function, and truncation of a series by counting powers of hbar.
"""
from __future__ import annotations

import math

import sympy

hbar = sympy.Symbol("hbar", positive=True)
r, p = sympy.symbols("r p", real=True)


def phase_space_symbols(d: int) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    """(r,), (p,) in d = 1; (r_1..r_d), (p_1..p_d) otherwise."""
    if d == 1:
        return (r,), (p,)
    return sympy.symbols(f"r_1:{d + 1}", real=True), sympy.symbols(f"p_1:{d + 1}", real=True)


def truncate(expr: sympy.Basic, order: int) -> sympy.Basic:
    """Keep the terms of ``expr`` (expanded) whose power of hbar is at most ``order``."""
    kept = [term for term in sympy.Add.make_args(sympy.expand(expr)) if hbar_power(term) <= order]
    return sympy.Add(*kept)


def hbar_power(term: sympy.Basic) -> int:
    """The power of hbar in one product term (0 when hbar does not appear)."""
    power = 0
    for factor in sympy.Mul.make_args(term):
        if factor == hbar:
            power += 1
        elif factor.is_Pow and factor.base == hbar:
            power += int(factor.exp)
    return power


def star_by_operator_exponential(A: sympy.Expr, B: sympy.Expr, d: int, order: int) -> sympy.Expr:
    """Sum_n (i hbar/2)^n / n! Lambda^n [A(x1) B(x2)] at x1 = x2 = x: Eq. (7) taken literally."""
    rs, ps = phase_space_symbols(d)
    r1, p1 = sympy.symbols(f"u_1:{d + 1}"), sympy.symbols(f"k_1:{d + 1}")
    r2, p2 = sympy.symbols(f"v_1:{d + 1}"), sympy.symbols(f"q_1:{d + 1}")
    # xreplace, not subs: renaming plain symbols must not wrap derivatives in unevaluated Subs.
    left = A.xreplace(dict(zip(rs + ps, r1 + p1, strict=True)))
    right = B.xreplace(dict(zip(rs + ps, r2 + p2, strict=True)))
    power, total = left * right, left * right
    for n in range(1, order + 1):
        power = sympy.Add(*(sympy.diff(power, r1[m], p2[m]) - sympy.diff(power, p1[m], r2[m]) for m in range(d)))
        total += (sympy.I * hbar / 2) ** n / math.factorial(n) * power
    back = dict(zip(r1 + p1 + r2 + p2, rs + ps + rs + ps, strict=True))
    return total.xreplace(back)


def weyl_operator_on(symbol: sympy.Expr, psi: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """Apply the Weyl-ordered operator of a polynomial symbol in (r, p) to psi(x) (d = 1).

    McCoy's rule: Op(r^a p^b) = 2^-a sum_k C(a, k) r^k p^b r^(a-k), with p = -i hbar d/dx.
    """
    polynomial = sympy.Poly(sympy.expand(symbol), r, p)
    result = sympy.S.Zero
    for (a, b), coefficient in polynomial.terms():
        for k in range(a + 1):
            inner = sympy.diff(x ** (a - k) * psi, x, b) * (-sympy.I * hbar) ** b
            result += coefficient * sympy.binomial(a, k) / 2**a * x**k * inner
    return result


# What the symbols of the section mean (its table of symbols), keyed by SymPy or printed name.
MEANINGS: dict[str, str] = {
    "hbar": "Planck's constant, the expansion parameter of the star product", "A": "phase-space function (Weyl symbol)",
    "B": "phase-space function (Weyl symbol)", "C": "phase-space function (Weyl symbol)", "r": "position", "p": "momentum",
    "U": "potential", "m": "mass", "M": "constant matrix", "N": "constant matrix",
}
