"""Eq. (14) regularised: the double pole as a Hadamard finite part, correlations cut at the Thouless energy."""
from __future__ import annotations

import sympy
from sympy import Symbol, pi
from sympy.codegen.cfunctions import expm1, log1p

from derive.derivations.granular.claim_forms import limit_claim
from derive.derivations.granular.notation import E_T, T, delta
from derive.derivations.granular.outline import OUTLINE
from derive.engines import claims
from derive.engines.matsubara import fermi, fermi_derivative_fourier_by_residues
from derive.model import Argument, Export, Step


def delta_F_expr() -> sympy.Expr:
    """(delta/2 pi^2)[a coth a - ln(2 sinh a)], a = pi T/E_T: the regularised Delta F."""
    a = pi * T / E_T
    return delta / (2 * pi**2) * (a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a)))


def stable_closed_form(a: sympy.Expr) -> sympy.Expr:
    """a coth a - ln(2 sinh a) = 2a x/s - ln(1 - x), x = e^{-2a}, s = 1 - x = -expm1(-2a), in a form exact in floats.

    ln(1 - x) = log1p(-x s) - log1p(x^2/s) (since 1 - x s = s + x^2): both arguments are small where
    that log1p needs them small, so every term keeps its relative precision for 0 < a < oo; at a = 300
    the terms underflow to 0 (the true value is 601 e^{-600}), at a -> 0 it grows as -ln(2a).
    """
    x, s = sympy.exp(-2 * a), -expm1(-2 * a)
    return 2 * a * x / s - log1p(-x * s) + log1p(x**2 / s)


_x = Symbol("x", positive=True)


def _exported_form_in_x(a: sympy.Expr) -> sympy.Expr:
    x = sympy.exp(-2 * a)
    return 2 * a * x / (1 - x) - sympy.log(1 - x)


def delta_F_stable_expr() -> sympy.Expr:
    """The exported Delta F: delta_F_expr() in the float-stable form (no overflow, no nan for T, E_T > 0)."""
    return delta / (2 * pi**2) * stable_closed_form(pi * T / E_T)


def _closed_form_derivative_residual() -> sympy.Expr:
    a = Symbol("a", positive=True)
    closed = a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a))
    return sympy.simplify(sympy.diff(closed, a) + a / sympy.sinh(a) ** 2)


def eq14_delta_f_regularised() -> Step:
    """Eq. (14) made finite: the closed form (delta/2 pi^2)[a coth a - ln(2 sinh a)] and the export delta_F."""
    k, omega, a = Symbol("kappa", positive=True), Symbol("omega", real=True), Symbol("a", positive=True)
    closed = a * sympy.coth(a) - sympy.log(2 * sympy.sinh(a))
    z = Symbol("z", real=True)
    z2, f = Symbol("z'", real=True), sympy.Function("f")   # the printed Eq. (14): f is the Fermi function
    return Step(
        **OUTLINE.header("eq14-delta-F-regularised"),
        result=sympy.Eq(Symbol(r"\Delta F"), delta_F_expr()),
        claims=(
            claims.equal(
                r"$\int dz\, f'(z)e^{i\kappa z} = -\pi\kappa T/\sinh(\pi\kappa T)$ ($\kappa > 0$), by residues at $z = i\varepsilon_n$",
                lambda: fermi_derivative_fourier_by_residues(k, T).rewrite(sympy.exp),
                lambda: (-pi * k * T / sympy.sinh(pi * k * T)).rewrite(sympy.exp),
                method="simplify",
                formula=sympy.Eq(sympy.Integral(sympy.diff(fermi(z, T), z) * sympy.exp(sympy.I * k * z), (z, -sympy.oo, sympy.oo)),
                                 -pi * k * T / sympy.sinh(pi * k * T), evaluate=False),
            ),
            claims.equal(
                r"the double pole as a Hadamard finite part: $\mathrm{FP}\int d\omega\, e^{i\kappa\omega}/\omega^2 = "
                r"-\int d\omega\,(1 - \cos \kappa\omega)/\omega^2 = -\pi|\kappa|$, so $-1/2\pi^2\omega^2$ has the transform $|\kappa|/2\pi$",
                lambda: -sympy.integrate((1 - sympy.cos(k * omega)) / omega**2, (omega, -sympy.oo, sympy.oo)),
                -pi * k,
                formula=sympy.Eq(-sympy.Integral((1 - sympy.cos(k * omega)) / omega**2, (omega, -sympy.oo, sympy.oo)), -pi * k,
                                 evaluate=False),
            ),
            claims.equal(
                r"$\operatorname{Var}\sum f = \int (d\kappa/2\pi)\,|\hat f|^2|\kappa|/2\pi$ over $|\kappa| > 1/E_T$ equals "
                r"$(1/2\pi^2)\int_a^\infty du\, u/\sinh^2 u$, $a = \pi T/E_T$ (the integrands agree under $u = \pi\kappa T$)",
                lambda: 2 / (2 * pi) * (1 / k**2) * (pi * k * T / sympy.sinh(pi * k * T)) ** 2 * k / (2 * pi),
                lambda: (1 / (2 * pi**2)) * (pi * k * T) / sympy.sinh(pi * k * T) ** 2 * pi * T,
                formula=sympy.Eq(2 / (2 * pi) * (1 / k**2) * (pi * k * T / sympy.sinh(pi * k * T)) ** 2 * k / (2 * pi),
                                 (1 / (2 * pi**2)) * (pi * k * T) / sympy.sinh(pi * k * T) ** 2 * pi * T, evaluate=False),
            ),
            claims.equal(
                r"$\frac{d}{da}[a\coth a - \ln(2\sinh a)] = -a/\sinh^2 a$",
                _closed_form_derivative_residual,
                0,
                formula=sympy.Eq(sympy.Derivative(closed, a), -a / sympy.sinh(a) ** 2, evaluate=False),
            ),
            limit_claim(r"$a\coth a - \ln(2\sinh a) \to 0$ as $a \to \infty$ (so it is $\int_a^\infty du\, u/\sinh^2 u$)",
                         sympy.Limit(closed, a, sympy.oo), 0),
            claims.equal(
                r"the exported form: with $x = e^{-2a}$, $2ax/(1 - x) - \ln(1 - x)$ has the same derivative $-a/\sinh^2 a$",
                lambda: sympy.simplify((sympy.diff(_exported_form_in_x(a), a) + a / sympy.sinh(a) ** 2).rewrite(sympy.exp)),
                0,
                formula=sympy.Eq(sympy.Derivative(_exported_form_in_x(a), a), -a / sympy.sinh(a) ** 2, evaluate=False),
            ),
            limit_claim(r"and the same limit 0 as $a \to \infty$, so it equals $a\coth a - \ln(2\sinh a)$",
                         sympy.Limit(_exported_form_in_x(a), a, sympy.oo), 0),
            claims.equal(
                r"$\ln(1 - x) = \ln(1 - xs) - \ln(1 + x^2/s)$ with $s = 1 - x = 1 - e^{-2a}$, since $(1 - xs)/(1 + x^2/s) = s$ "
                "(the form evaluated without cancellation)",
                lambda: (1 - _x * (1 - _x)) / (1 + _x**2 / (1 - _x)),
                1 - _x,
                method="simplify",
                formula=sympy.Eq((1 - _x * (1 - _x)) / (1 + _x**2 / (1 - _x)), 1 - _x, evaluate=False),
            ),
            claims.equal(
                r"for $T \ll E_T$, $a\coth a - \ln(2\sinh a) = 1 - \ln 2a + a^2/6 + O(a^4)$, that is "
                r"$\Delta F = (\delta/2\pi^2)[1 + \ln(E_T/2\pi T)]$",
                lambda: sympy.series(closed, a, 0, 4).removeO(),
                1 - sympy.log(2) - sympy.log(a) + a**2 / 6,
                method="simplify",
                formula=sympy.Eq(closed, 1 - sympy.log(2) - sympy.log(a) + a**2 / 6 + sympy.O(a**4), evaluate=False),
            ),
        ),
        exports=(
            Export(
                "delta_F",
                delta_F_stable_expr(),
                (
                    Argument("T", T),
                    Argument("delta", delta, description="mean level spacing per spin"),
                    Argument("E_T", E_T, description="Thouless energy (cutoff of the spectral correlations)"),
                ),
                "Canonical-ensemble correction Delta F = (delta/2pi^2)[a coth a - ln(2 sinh a)], a = pi T/E_T (delta << T); "
                "evaluated as 2a x/s - log1p(-x s) + log1p(x^2/s), x = e^{-2a}, s = -expm1(-2a): finite for T, E_T > 0.",
            ),
        ),
        note=(
            r"The printed double integral diverges at $e = e'$ and at large energies; as a finite part with the "
            r"correlations cut at times shorter than $1/E_T$ it is finite. The constant depends on the cutoff's shape, "
            r"the slope $-\delta/2\pi^2$ in $\ln T$ does not."
        ),
        printed=sympy.Eq(Symbol(r"\Delta F"), -delta / (2 * pi**2) * sympy.Integral(f(z) * f(z2) / (z - z2) ** 2, z, z2), evaluate=False),
        erratum="the notes on the granular paper, difference 8: the printed double integral diverges",
    )
