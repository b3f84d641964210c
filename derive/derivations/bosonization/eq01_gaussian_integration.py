"""Eq. (1) from Eq. (13): the Gaussian integration over P in angular harmonics, d = 2 and 3."""
from __future__ import annotations

import functools
from functools import partial

import sympy

from derive.derivations.bosonization.collision import average_words, collision_operator
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    F2_of,
    F_of,
    Lam,
    V,
    Vbar,
    c_coll,
    direction,
    n_i,
    nc,
    nu,
    v_F,
    w_coefficients,
)
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.engines.fermi_surface import chart_3d
from derive.engines.supermatrix import (
    Str,
    SupertraceRules,
    supertrace_of,
)
from derive.engines.transport import (
    angular_harmonics,
    cos_theta,
    sphere_average,
    transport_rate,
)
from derive.model import Argument, Export, Step

__all__ = ["GaussianProblem", "collect_supertraces", "eq01_gaussian_integration"]


def collect_supertraces(expr: sympy.Expr) -> sympy.Expr:
    """Group by supertrace and cancel each (rational) coefficient, in a deterministic order."""
    expanded = sympy.expand(expr)
    traces = sorted(expanded.atoms(Str), key=sympy.default_sort_key)
    rest = sympy.cancel(expanded.subs({t: 0 for t in traces}))
    return rest + sympy.Add(*(sympy.cancel(expanded.coeff(t)) * t for t in traces))


class GaussianProblem:
    """The quadratic functional of the harmonic coefficients P_a, and its stationary point."""

    def __init__(self, d: int):
        self.d = d
        self.n = sympy.symbols(f"n1:{d + 1}", real=True)
        self.n_prime = sympy.symbols(f"m1:{d + 1}", real=True)
        self.harmonics = angular_harmonics(self.n)
        self.P = [nc(f"P_{name}") for name, _ in self.harmonics]
        self.dP = [nc(f"\\delta P_{name}") for name, _ in self.harmonics]
        self.A = [nc(f"A_{i + 1}") for i in range(d)]
        self.X = [a * Lam - Lam * a for a in self.A]
        self.rules = SupertraceRules(Lam, frozenset(self.P + self.dP), ((V, Vbar),))
        self.w = sum(w_coefficients[k] * sum(a * b for a, b in zip(self.n, self.n_prime, strict=True)) ** k
                     for k in range(len(w_coefficients)))
        self.functional = supertrace_of(self._integrand(), self.rules)
        self.M, self.beta = self._quadratic_form(), self._linear_coefficients()

    def field(self, vector) -> sympy.Expr:
        return sum((h.subs(dict(zip(self.n, vector, strict=True)), simultaneous=True) * p
                    for (_, h), p in zip(self.harmonics, self.P, strict=True)), sympy.Integer(0))

    def _integrand(self) -> sympy.Expr:
        n_dot_A = sum((k * a for k, a in zip(self.n, self.A, strict=True)), sympy.Integer(0))
        Pn = self.field(self.n)
        gradient = average_words(sympy.I * v_F * Lam * (Pn * n_dot_A - n_dot_A * Pn), [self.n])
        collided = collision_operator(self.field, self.w, self.n, self.n_prime)
        collision = average_words(2 * Pn * collided, [self.n])        # = n_i⟨⟨w (P_n − P_n')²⟩⟩
        return sympy.pi * nu / 2 * (gradient + c_coll * collision)

    def _quadratic_form(self) -> sympy.Matrix:
        size = len(self.P)
        M = sympy.zeros(size, size)
        for term in sympy.Add.make_args(self.functional):
            coeff, trace = term.as_independent(Str)
            if isinstance(trace, Str) and len(trace.args) == 2 and all(f in self.P for f in trace.args):
                a, b = (self.P.index(f) for f in trace.args)
                M[a, b] += coeff / (1 if a == b else 2)
                M[b, a] += 0 if a == b else coeff / 2
        return M

    def _linear_coefficients(self) -> sympy.Matrix:
        """β with linear part = Σ β_ai Str(P_a X_i); a ValueError if the linear part has another form."""
        beta = sympy.Matrix(len(self.P), self.d, lambda a, i: sympy.Symbol(f"beta_{a}_{i}"))
        linear = sympy.Add(*(t for t in sympy.Add.make_args(self.functional)
                             if sum(f in self.P for f in t.as_independent(Str)[1].args) == 1))
        ansatz = supertrace_of(sum(beta[a, i] * self.P[a] * self.X[i]
                                   for a in range(len(self.P)) for i in range(self.d)), self.rules)
        difference = sympy.expand(ansatz - linear)
        equations = [difference.coeff(trace) for trace in difference.atoms(Str)]
        solution = sympy.solve(equations, list(beta), dict=True)
        if len(solution) != 1:
            raise ValueError("the linear term is not of the form Σ β Str(P X)")
        return beta.subs(solution[0]).subs({b: 0 for b in beta})

    @functools.cache  # noqa: B019 - one problem per step, alive as long as its claims
    def stationary_point(self) -> list[sympy.Expr]:
        """P*_a = −½ Σ_b (M⁻¹)_ab Σ_i β_bi X_i."""
        # M is block diagonal (harmonics of different l do not mix): inverting block by block is exact
        # and avoids eliminating over the whole symbolic matrix
        inverse = sympy.diag(*(block.inv() for block in self.M.get_diag_blocks()))
        return [sympy.expand(-sum(inverse[a, b] * self.beta[b, i] * self.X[i]
                                  for b in range(len(self.P)) for i in range(self.d)) / 2)
                for a in range(len(self.P))]

    def substituted(self, mapping: dict) -> sympy.Expr:
        """The functional with P_a replaced (letter by letter inside every supertrace)."""
        total = sympy.Integer(0)
        for term in sympy.Add.make_args(self.functional):
            coeff, trace = term.as_independent(Str)
            total += coeff * supertrace_of(sympy.Mul(*(mapping.get(f, f) for f in trace.args)), self.rules)
        return collect_supertraces(total)

    @functools.cache  # noqa: B019 - as stationary_point
    def minimum(self) -> sympy.Expr:
        return self.substituted(dict(zip(self.P, self.stationary_point(), strict=True)))

    def stationarity_defect(self) -> sympy.Expr:
        shifted = self.substituted({p: s + dp for p, s, dp in zip(self.P, self.stationary_point(), self.dP, strict=True)})
        quadratic = self.substituted({**dict(zip(self.P, self.dP, strict=True)), **{a: 0 for a in self.A}})
        return collect_supertraces(shifted - self.minimum() - quadratic)

    def transport_time(self) -> sympy.Expr:
        """τ_tr with τ_tr⁻¹ = n_i ⟨w(1 − n·n')⟩ (normalised average), from derive.bosonization."""
        w = sum(w_coefficients[k] * cos_theta**k for k in range(len(w_coefficients)))
        solid_angle = 2 * sympy.pi if self.d == 2 else 4 * sympy.pi
        return solid_angle / (n_i * transport_rate(w, self.d))

    def eq1_form(self, c: sympy.Expr) -> sympy.Expr:
        """(πν/8) D Σ_i Str X_i² with D = v_F² τ_tr / (2 c d)."""
        D = v_F**2 * self.transport_time() / (2 * c * self.d)
        return collect_supertraces(sympy.pi * nu / 8 * D * supertrace_of(sum(x * x for x in self.X), self.rules))


def _gradient_of_Q() -> tuple[sympy.Expr, sympy.Expr, SupertraceRules]:
    """∇Q = ∇V Λ V̄ + V Λ ∇V̄ with ∇V = V A, ∇V̄ = −V̄∇V V̄ (V̄V = 1), and V X V̄ with X = AΛ − ΛA."""
    A = nc("A")
    gradient_V = V * A                                   # ∇V = V (V̄∇V)
    gradient_Vbar = -Vbar * gradient_V * Vbar
    gradient_Q = sympy.expand(gradient_V * Lam * Vbar + V * Lam * gradient_Vbar)
    X = A * Lam - Lam * A
    return gradient_Q.subs(Vbar * V, 1), V * X * Vbar, SupertraceRules(Lam, inverses=((V, Vbar),))


def _gradient_of_Q_defect() -> list[sympy.Expr]:
    """∇Q − V X V̄, and Str(∇Q)² − Str X²."""
    gradient_Q, conjugated, rules = _gradient_of_Q()
    X = Vbar * conjugated * V
    return [sympy.expand(gradient_Q - conjugated),
            supertrace_of(gradient_Q * gradient_Q, rules) - supertrace_of(X * X, rules)]


def _gradient_couplings(d: int) -> sympy.Matrix:
    """⟨n_k h(n)⟩ for the l = 2 harmonics h (rows) and k = 1..d (columns), unevaluated averages over n."""
    n = chart_3d().direction[:d]
    return sympy.Matrix([[Average(n[k] * h, direction) for k in range(d)] for name, h in angular_harmonics(n) if len(name) > 1])


def eq01_gaussian_integration(d: int) -> Step:
    problem = GaussianProblem(d)
    l2 = [a for a, (name, _) in enumerate(problem.harmonics) if len(name) > 1]
    couplings = _gradient_couplings(d)
    # Σ_{a,k} ⟨n_k h_a⟩² = 0: every coupling vanishes (a sum, so that the display breaks in a narrow column)
    only_l1 = sympy.Eq(sympy.Add(*(entry**2 for entry in couplings)), 0)
    directions = chart_3d().direction[:d]
    P_star, P_delta = nc("P^{*}"), nc("\\delta P")
    no_linear_term = sympy.Eq(F_of(P_star + P_delta), F_of(P_star) + F2_of(P_delta))
    tau_symbol = sympy.Symbol("tau_tr", positive=True)
    eq1 = sympy.Eq(F_of(P_star), sympy.pi * nu / 8 * v_F**2 * tau_symbol / (2 * c_coll * d)
                   * sympy.Add(*(Str(x**2) for x in problem.X)))
    D, tau_tr, dimension = sympy.symbols("D tau_tr d", positive=True)
    exports = () if d == 2 else (Export(
        "diffusion_constant", v_F**2 * tau_tr / dimension,
        (Argument("v_F", v_F), Argument("tau_tr", tau_tr), Argument("d", dimension, description="2 or 3")),
        doc="D = v_F² τ_tr / d (Eq. 1 from Eq. 13 with the collision term (πν/4) n_i ∫∫ w Str(P_n − P_n')²)"),)
    return Step(
        **OUTLINE.header(f"eq1-gaussian-integration-d{d}"),
        result=sympy.Eq(D, v_F**2 * tau_tr / (2 * c_coll * d)),
        claims=(
            claims.all_zero(f"only the $l = 1$ harmonics couple to the gradient ($d = {d}$): the coefficients of "
                            r"$\operatorname{Str}(P_a X_k)$ vanish for the $l = 2$ harmonics $h_a$, since all averages vanish",
                            lambda: [problem.beta[a, i] for a in l2 for i in range(d)]
                            + [sphere_average(entry.args[0], directions) for entry in couplings], formula=only_l1),
            claims.all_zero(r"at $P^* = -\tfrac{1}{2} M^{-1} \beta X$ no linear term is left",
                            lambda: [problem.stationarity_defect()], formula=no_linear_term),
            claims.equal(r"with $X_k = A_k \Lambda - \Lambda A_k$, $\tau_{tr}^{-1} = n_i \langle w (1 - n \cdot n') \rangle$, "
                         f"$w$ cubic in $n \\cdot n'$ ($d = {d}$): this is $D = v_F^2 \\tau_{{tr}}/(2 c d)$",
                         problem.minimum, partial(problem.eq1_form, c_coll), "simplify", formula=eq1),
            claims.all_zero(r"$\nabla Q$ for $Q = V \Lambda \bar{V}$ and $A = \bar{V} \nabla V$, hence "
                            r"$\sum_i \operatorname{Str} X_i^2 = \operatorname{Str}(\nabla Q)^2$", _gradient_of_Q_defect,
                            formula=sympy.Eq(*_gradient_of_Q()[:2], evaluate=False)),
        ),
        exports=exports,
        note=r"The Gaussian superintegral over $P$ equals the exponential of the stationary value "
             r"($\operatorname{Sdet}$ of the quadratic form is 1 by supersymmetry), which is Eq. (1): "
             r"$\tfrac{\pi \nu}{8} \int \operatorname{Str}[D (\nabla Q)^2 + 2 i \omega \Lambda Q]$. With $c = 1/2$ "
             r"(the Boltzmann normalisation above) $D = v_F^2 \tau_{tr}/d$.",
    )
