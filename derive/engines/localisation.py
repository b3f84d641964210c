"""The A-integral of Eq. (6)-(8), B = ∫DA exp(½ Str[ln(i − A) − iA]) = 1, order by order in perturbation theory.

Since i − A = i(1 + iA) and Str 1 = 0, the exponent is ½ Str[ln(1 + iA) − iA] = Σ_{n≥2} s_n Str Aⁿ with
s_n = ½(−1)^{n+1} iⁿ/n: no linear term, and s_2 Str A² = ¼ Str A² is the Gaussian weight. Counting the
cubic and higher terms with g^{n−2}, B(g) = ⟨exp(Σ_{n≥3} g^{n−2} s_n Str Aⁿ)⟩ is a formal power series whose
coefficients are Gaussian moments. Supersymmetric localisation says B(g) = 1 exactly; here it is checked
coefficient by coefficient for a (1|1) supermatrix A = [[a, α], [β, b]] with Grassmann α, β.

Supertraces carry the paper's sign, Str = −(Tr_BB − Tr_FF) (derive.supermatrix computes the bracket), so
the weight is exp(−a²/4 + b²/4 − αβ/2): ⟨a^{2k}⟩ = 2^k (2k−1)!!, ⟨b^{2k}⟩ = (−2)^k (2k−1)!! (formal), and
⟨c₀ + c₂ αβ⟩ = c₀ − 2c₂ for the normalised Berezin integral.
"""
from __future__ import annotations

import sympy
from sympy.polys.domains import QQ_I
from sympy.polys.rings import PolyRing

a, b, g = sympy.symbols("a b g")

# Entries of a (1|1) supermatrix over the Grassmann algebra of α, β:
# ("even", x0, x2) = x0 + x2 αβ and ("odd", p, q) = pα + qβ, with x0, x2, p, q in Q(i)[a, b, g].
Entry = tuple
_RING = PolyRing((a, b, g), QQ_I)
_A, _B, _G = _RING.gens
_ZERO, _ONE = _RING.zero, _RING.one


def _multiply_entries(x: Entry, y: Entry, anticommuting: bool) -> Entry:
    kind_x, *u = x
    kind_y, *v = y
    if kind_x == "even" and kind_y == "even":
        return ("even", u[0] * v[0], u[0] * v[1] + u[1] * v[0])
    if kind_x == "even":
        return ("odd", u[0] * v[0], u[0] * v[1])
    if kind_y == "even":
        return ("odd", u[0] * v[0], u[1] * v[0])
    # (pα + qβ)(rα + sβ) = ps αβ + qr βα, and βα = −αβ (or +αβ for the commuting control)
    # u[0] * 0: the zero of the entries' own kind (ring elements here, SymPy or numbers in the tests)
    return ("even", u[0] * 0, u[0] * v[1] + (-1 if anticommuting else 1) * u[1] * v[0])


def _add_entries(x: Entry, y: Entry) -> Entry:
    return (x[0], x[1] + y[1], x[2] + y[2])


def _matrix_product(left: list, right: list, anticommuting: bool) -> list:
    return [[_add_entries(_multiply_entries(left[i][0], right[0][j], anticommuting),
                          _multiply_entries(left[i][1], right[1][j], anticommuting))
             for j in range(2)] for i in range(2)]


def _gaussian_moment(power: int, variance: int) -> sympy.Expr:
    return sympy.Integer(0) if power % 2 else variance ** (power // 2) * sympy.factorial2(power - 1)


def localisation_series(order: int, anticommuting: bool = True, fermion_block: bool = True) -> list[sympy.Expr]:
    """Coefficients of g^0 … g^order of B(g) for A = [[a, α], [β, b]].

    ``anticommuting=False`` treats α, β as commuting numbers, ``fermion_block=False`` keeps only the
    boson-boson entry a (a 1×1 bosonic A): the two controls, for which B ≠ 1. The arithmetic is exact,
    in the polynomial ring Q(i)[a, b, g], truncated after g^order at every product.
    """
    A = [[("even", _A, _ZERO), ("odd", _ONE, _ZERO) if fermion_block else ("odd", _ZERO, _ZERO)],
         [("odd", _ZERO, _ONE) if fermion_block else ("odd", _ZERO, _ZERO), ("even", _B if fermion_block else _ZERO, _ZERO)]]
    body, soul, power = _ZERO, _ZERO, A           # exponent = body + soul·αβ
    for n in range(2, order + 3):
        power = _matrix_product(power, A, anticommuting)
        if n >= 3:
            coefficient = _RING(QQ_I.from_sympy(-sympy.Rational(1, 2) * (-1) ** (n + 1) * sympy.I**n / n)) * _G ** (n - 2)
            body += coefficient * (power[0][0][1] - power[1][1][1])
            soul += coefficient * (power[0][0][2] - power[1][1][2])

    def truncate(element):
        return _RING({monomial: c for monomial, c in element.terms() if monomial[2] <= order})

    # exp(body + soul αβ) = e^body (1 + soul αβ), αβ nilpotent
    exp_body, term = _ONE, _ONE
    for k in range(1, order + 1):
        term = truncate(term * body * QQ_I.from_sympy(sympy.Rational(1, k)))
        exp_body += term
    grassmann_average = exp_body - 2 * truncate(exp_body * soul)
    coefficients = [sympy.Integer(0)] * (order + 1)
    for (i, j, k), c in grassmann_average.terms():
        coefficients[k] += QQ_I.to_sympy(c) * _gaussian_moment(i, 2) * _gaussian_moment(j, -2)
    return [sympy.expand(c) for c in coefficients]


def exponent_series(order: int) -> sympy.Expr:
    """½[ln(i − x) − ix] − ½ ln i for a number x, through x^order: the eigenvalue form of the exponent."""
    x = sympy.Symbol("x")
    return sympy.series((sympy.log(1 + sympy.I * x) - sympy.I * x) / 2, x, 0, order + 1).removeO()
