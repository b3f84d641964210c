"""Eq. (10) at ħ²: K₂ = −½{T̄,{H,T}} on the Fermi surface in d = 2 and 3 by a chart chain rule."""
from __future__ import annotations

import functools
from functools import partial

import sympy

from derive.derivations.bosonization.jet_arguments import (
    direction_argument,
    jet_arguments,
)
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    H_phase,
    T,
    Tbar,
    hbar,
    poisson,
)
from derive.engines import claims
from derive.engines.fermi_surface import (
    FermiSurfaceChart,
    SphereGradient,
    chart_2d,
    chart_3d,
    grouped_jets,
    m,
    on_chart,
    p_F,
    phase_space_2d,
    quantum_correction_by_chain_rule,
    quantum_correction_vector_form,
    words_to_expr,
)
from derive.engines.moyal import StarProduct, poisson_bracket, star
from derive.engines.trln import expand_terms
from derive.model import Argument, Export, Step

__all__ = ["eq10_quantum_correction"]


def _second_order_density_defect() -> sympy.Expr:
    """T̄*(iħ{H,T}) through ħ² minus [iħ T̄{H,T} − (ħ²/2){T̄,{H,T}}], d = 2, generic noncommutative T, T̄."""
    space = phase_space_2d()
    T = sympy.Function("T", commutative=False)(*space.r, *space.p)
    Tbar = sympy.Function("Tbar", commutative=False)(*space.r, *space.p)
    inner = poisson_bracket(space.hamiltonian(), T, space.r, space.p)
    product = star(Tbar, sympy.I * hbar * inner, space.r, space.p, 1, hbar)
    expected = sympy.I * hbar * Tbar * inner - hbar**2 / 2 * poisson_bracket(Tbar, inner, space.r, space.p)
    return sympy.expand(product - expected)


def _coefficient_differences(left: dict, right: dict) -> list[sympy.Expr]:
    """Per word, the difference of two {word: coefficient} expansions (a word missing on one side counts 0)."""
    return [sympy.expand(left.get(w, 0) - right.get(w, 0)) for w in set(left) | set(right)]


def _chain_rule_matches_cartesian_2d() -> str | None:
    """Per word, the Cartesian coefficient at p = p_F n minus the chart's, as a rational function of
    u = tan(φ/2): cos φ = (1 − u²)/(1 + u²), sin φ = 2u/(1 + u²) make both rational in u, p_F, m and the
    jets of U, so cancellation decides the identity exactly (for every φ ≠ π, hence all φ by continuity)."""
    space, chart = phase_space_2d(), chart_2d()
    T, Tbar = space.supermatrix_field("t"), space.supermatrix_field("tbar")
    cartesian = -poisson_bracket(Tbar, poisson_bracket(space.hamiltonian(), T, space.r, space.p), space.r, space.p) / 2
    on_shell = cartesian.subs(dict(zip(space.direction_of_p, space.direction, strict=True))).subs(space.on_shell).doit()
    left, right = expand_terms(sympy.expand(on_shell)), quantum_correction_by_chain_rule(chart)
    u = sympy.Symbol("u", real=True)
    (angle,) = chart.direction
    half_angle = {sympy.cos(angle): (1 - u**2) / (1 + u**2), sympy.sin(angle): 2 * u / (1 + u**2)}
    for word in set(left) | set(right):
        difference = sympy.cancel((left.get(word, 0) - right.get(word, 0)).xreplace(half_angle))
        if difference != 0:
            return f"the coefficient of {word} differs by {difference}"
    return None


def _explicit_fields_3d(chart: FermiSurfaceChart):
    """2×2 polynomial t, t̄ in (r, n), deliberately not homogeneous in n, and a cubic U."""
    (x, y, z), n = chart.r, chart.direction
    t = sympy.Matrix([[x * n[0] + n[1] ** 2 * y + 1, z * n[2] * n[0] + x * y],
                      [n[1] - 2 * n[2] ** 2 * x, y * z + n[0] * n[1] * n[2]]])
    tbar = sympy.Matrix([[n[2] * x - y, n[0] ** 2 + z], [x * y * n[1], n[0] + 2 * n[2] * z]])
    U = x**3 / 3 + x * y * z - y**2 * z / 2 + sympy.Rational(1, 5) * z**2
    return t, tbar, U


def _matrix_bracket(A, B, r, p) -> sympy.Matrix:
    lift = lambda X: X if isinstance(X, sympy.MatrixBase) else X * sympy.eye(2)
    return sum((lift(sympy.diff(A, x)) * sympy.diff(B, k) - lift(sympy.diff(A, k)) * sympy.diff(B, x)
                for x, k in zip(r, p, strict=True)), sympy.zeros(2, 2))


def _chain_rule_matches_cartesian_3d() -> list[sympy.Expr]:
    """K₂ from the chart formula against −½{T̄,{H,T}} with Cartesian brackets of T(r, p) = t(r, p/|p|),
    exactly, at rational points (p_F and n rational, |p| rational)."""
    chart = chart_3d()
    terms = quantum_correction_by_chain_rule(chart)
    t, tbar, U = _explicit_fields_3d(chart)
    p = sympy.symbols("p_x p_y p_z", real=True)
    length = sympy.sqrt(sum(k**2 for k in p))
    to_cartesian = {nk: pk / length for nk, pk in zip(chart.direction, p, strict=True)}
    mass, fermi = sympy.Rational(3, 2), sympy.Rational(7, 5)
    H = sum(k**2 for k in p) / (2 * mass) + U
    T, Tbar = t.subs(to_cartesian), tbar.subs(to_cartesian)
    cartesian = -_matrix_bracket(Tbar, _matrix_bracket(H, T, chart.r, p), chart.r, p) / 2
    fields = {"t": t, "tbar": tbar}
    # the same jets and coefficients recur across words and points: each is computed once
    derivatives = functools.cache(lambda name, variables: sympy.diff(fields[name], *variables))
    coefficients = [(word, coeff.subs(chart.potential(), U).doit().subs({m: mass, p_F: fermi}))
                    for word, coeff in terms.items()]
    residuals = []
    for r0, n0 in (((sympy.Rational(1, 3), -sympy.Rational(1, 2), sympy.Rational(2, 5)), (sympy.Rational(2, 7), sympy.Rational(3, 7), sympy.Rational(6, 7))),
                   ((sympy.Rational(-3, 4), sympy.Rational(1, 5), 1), (sympy.Rational(-1, 3), sympy.Rational(2, 3), sympy.Rational(-2, 3)))):
        at = dict(zip(chart.r, r0, strict=True)) | dict(zip(chart.direction, n0, strict=True))
        # xreplace, not subs: every free symbol becomes a rational, so the rebuilt expression evaluates exactly
        direct = cartesian.xreplace(dict(zip(chart.r, r0, strict=True)) | {k: fermi * nk for k, nk in zip(p, n0, strict=True)})

        @functools.cache
        def value(factor, at=at):
            if isinstance(factor, sympy.Derivative):
                variables = tuple(v for v, count in factor.variable_count for _ in range(count))
                return derivatives(factor.expr.func.__name__, variables).xreplace(at)
            return fields[factor.func.__name__].xreplace(at)

        via_chart = sympy.zeros(2, 2)
        for word, coeff in coefficients:
            via_chart += coeff.xreplace(at) * sympy.Mul(*(value(f) for f in word))
        residuals.extend(sympy.simplify(direct - via_chart))
    return residuals


def _extension_ideal_is_preserved() -> list[sympy.Expr]:
    """Remainders mod n·n − 1 of ∇⊥(n·n − 1): zero means every chart derivative (∂_r, ∂_ρ, ∇⊥, and products
    by the Leibniz rule) maps multiples of n·n − 1 to multiples of n·n − 1."""
    chart = chart_3d()
    norm = sum(k**2 for k in chart.direction) - 1
    gradient = chart.tangential_gradient(norm)
    stated = [sympy.expand(g - 2 * (1 - (norm + 1)) * n) for g, n in zip(gradient, chart.direction, strict=True)]
    return stated + [sympy.reduced(sympy.expand(component), [norm], *reversed(chart.direction))[1] for component in gradient]


def _vector_form_matches(chart: FermiSurfaceChart) -> list[sympy.Expr]:
    vector = chart.on_sphere(on_chart(quantum_correction_vector_form(), chart))
    return _coefficient_differences(quantum_correction_by_chain_rule(chart), vector)


def eq10_quantum_correction() -> Step:
    exports = []
    for chart, label in ((chart_2d(), "phi"), (chart_3d(), "n")):
        density = words_to_expr(quantum_correction_by_chain_rule(chart))
        jet_expr, groups = grouped_jets(density, chart.r, chart.direction, label)
        args = (*jet_arguments(groups), direction_argument(chart.direction), Argument("m", m), Argument("p_F", p_F))
        exports.append(Export(f"quantum_correction_{chart.d}d", jet_expr, args, doc=(
            f"K₂ = −½{{T̄,{{H,T}}}} at p = p_F n in d = {chart.d} (ħ = 1). The ħ² term of F is (iπν/2)∫Str[Λ K₂] "
            "only if the O(ħ) part of the star inverse T̄ is kept in the Liouville term; with t̄ = t⁻¹ "
            f"(pointwise) add star_inverse_correction_{chart.d}d. Matrix arguments multiply in order "
            "(t̄-jet left of t-jet)."
            + (" Derivatives in n are Cartesian derivatives of any extension of t off the unit sphere."
               if chart.d == 3 else ""))))
    K = sympy.Symbol("K_2")
    flow = poisson(H_phase, T)
    expansion = sympy.Eq(StarProduct(Tbar, sympy.I * hbar * flow),
                         sympy.expand(sympy.I * hbar * Tbar * flow - hbar**2 / 2 * poisson(Tbar, flow)) + sympy.O(hbar**3),
                         evaluate=False)
    on_the_sphere = sympy.Eq(K, sympy.expand(-poisson(Tbar, flow) / 2))
    n1, n2, n3 = chart_3d().direction
    norm = n1**2 + n2**2 + n3**2
    ideal = sympy.Eq(sympy.Matrix([SphereGradient(norm, k) for k in (1, 2, 3)]), 2 * (1 - norm) * sympy.Matrix([n1, n2, n3]))
    vector_form = sympy.Eq(K, quantum_correction_vector_form())
    return Step(
        **OUTLINE.header("eq10-quantum-correction"),
        result=sympy.Eq(K, quantum_correction_vector_form()),
        claims=(
            claims.all_zero(r"$\bar{T} \star (i \hbar \{H, T\}) = i \hbar \bar{T} \{H, T\} - \tfrac{\hbar^2}{2} "
                            r"\{\bar{T}, \{H, T\}\}$ through $\hbar^2$ ($d = 2$, generic $T$ and $\bar{T}$)",
                            lambda: [_second_order_density_defect()], formula=expansion),
            claims.all_zero(r"the Poisson bracket is a divergence: the $\hbar^2$ term integrates to zero over the whole "
                            r"phase space with constant $\Lambda$, but not over the Fermi surface alone",
                            lambda: [_poisson_is_divergence()],
                            formula=sympy.Eq(*_poisson_bracket_and_divergence(), evaluate=False)),
            claims.holds(r"the chain rule in $p = \rho n(\varphi)$ gives the Cartesian "
                         r"$-\tfrac{1}{2} \{\bar{T}, \{H, T\}\}$ at $p = p_F n$, all 16 coefficients ($d = 2$)",
                         _chain_rule_matches_cartesian_2d,
                         r"symbolic: with $u = \tan(\varphi/2)$, $\cos\varphi = (1 - u^2)/(1 + u^2)$ and "
                         r"$\sin\varphi = 2u/(1 + u^2)$, the difference of each coefficient is a rational function "
                         r"of $u$ that cancels to zero", formula=on_the_sphere),
            claims.all_zero(r"in $d = 3$ it equals $-\tfrac{1}{2} \{\bar{T}, \{H, T\}\}$ of $T(r, p) = t(r, p/|p|)$ with "
                            r"Cartesian brackets, exactly, for $2 \times 2$ polynomial $t$, $\bar{t}$ and a cubic $U$ at two "
                            r"rational phase-space points",
                            _chain_rule_matches_cartesian_3d, formula=on_the_sphere),
            claims.all_zero(r"nothing depends on how $t$ is extended off the sphere: "
                            r"$\nabla^{\perp} (n \cdot n) = 2 n (1 - n \cdot n)$ lies in the ideal of $n \cdot n - 1$, so "
                            r"$K_2$ (bilinear, built from $\partial_r$, $\partial_\rho$, $\nabla^{\perp}$) of "
                            r"$(n \cdot n - 1) h$ vanishes on the sphere ($d = 3$)", _extension_ideal_is_preserved,
                            formula=ideal),
            *(claims.all_zero(f"the vector form above is the same density, coefficient by coefficient ($d = {chart.d}$)",
                              partial(_vector_form_matches, chart), formula=vector_form) for chart in (chart_2d(), chart_3d())),
        ),
        exports=tuple(exports),
        note=r"Sums over $i, k = 1 \ldots d$; $\partial_i = \partial/\partial r_i$, $\mathbf{n}\cdot\partial = n_k\partial_k$, "
             r"and $\nabla^{\perp}$ is the gradient on the unit sphere of directions ($\mathbf{e}_\varphi\partial_\varphi$ "
             r"in $d = 2$, $(1 - \mathbf{n}\mathbf{n})\cdot\partial_{\mathbf{n}}$ in $d = 3$); it acts on everything in its "
             r"bracket. The Liouville term of Eq. (10) is the order-$\hbar$ part. The $1/2m$ terms are gradient terms "
             r"such as $\partial_i\bar{t}\,\partial_i t$; the $1/p_F^2$ terms carry the force and the curvature of $U$. "
             r"$\bar{T}$ is the star inverse of $T$ (next step); at quadratic order the term mixes no "
             r"classical orbits (the step after).",
    )


def _poisson_bracket_and_divergence() -> tuple[sympy.Expr, sympy.Expr]:
    """{u, v} and ∂_r(u ∂_p v) − ∂_p(u ∂_r v) for noncommutative u(r, p), v(r, p)."""
    r, p = sympy.symbols("r p")
    u, v = (sympy.Function(n, commutative=False)(r, p) for n in "uv")
    divergence = sympy.Derivative(u * sympy.Derivative(v, p), r) - sympy.Derivative(u * sympy.Derivative(v, r), p)
    return poisson_bracket(u, v, r, p), divergence


def _poisson_is_divergence() -> sympy.Expr:
    bracket, divergence = _poisson_bracket_and_divergence()
    return sympy.expand(bracket - divergence.doit())
