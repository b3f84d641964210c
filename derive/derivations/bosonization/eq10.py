"""Eq. (10) of the bosonization paper: Str[H * Q] with Q = T*Λ*T̄ expanded through the Moyal product.

Under the phase-space integral ∫A*B = ∫AB, so ∫Str[H*T*Λ*T̄] = ∫Str[Λ (T̄*H*T)] = ∫Str[Λ T̄*[H,T]_*]
(T̄*T = 1, Str Λ = 0). For H = p²/2m − ε_F + U the Moyal commutator is iħ{H,T} + O(ħ³), and
T̄*(iħ{H,T}) = iħ T̄{H,T} − (ħ²/2){T̄,{H,T}} + O(ħ³). On the Fermi surface −{H,T} is the Liouville
operator of Eq. (10); the ħ² term is the first quantum correction, emitted explicitly for d = 2.
"""
from __future__ import annotations

from collections import defaultdict
from functools import partial

import sympy

from derive.engines import claims
from derive.engines.fermi_surface import (
    FermiSurfaceChart, bracket_with_hamiltonian, cartesian_quantum_correction, chart_2d, chart_3d, fermi_surface_terms,
    grouped_jets, liouville_2d, liouville_3d, m, on_chart, p_F, phase_space_2d, phase_space_3d,
    quantum_correction_by_chain_rule, quantum_correction_vector_form, v_F, words_to_expr,
)
from derive.engines.moyal import StarProduct, poisson_bracket, star, star_coefficients
from derive.model import Argument, Export, Step
from derive.engines.supermatrix import Str

PAPER = "bosonization"
hbar = sympy.Symbol("hbar", positive=True)
nc = partial(sympy.Symbol, commutative=False)


def _integrated_orders_cancel(d: int, order: int) -> str | None:
    """∫ ∂_r^α∂_p^β A ∂_p^α∂_r^β B = (−1)^n ∫ A ∂_r^γ ∂_p^γ B (γ = α+β): the coefficients per γ must sum to 0."""
    sums: dict[tuple, sympy.Rational] = defaultdict(lambda: sympy.Integer(0))
    for n, alpha, beta, coefficient in star_coefficients(d, order):
        if n > 0:
            sums[tuple(a + b for a, b in zip(alpha, beta))] += coefficient
    bad = {gamma: total for gamma, total in sums.items() if total != 0}
    return None if not bad else f"nonzero coefficient sums {bad}"


def _moyal_commutator_defect(order: int, quadratic_potential: bool = False) -> sympy.Expr:
    """[H,T]_* − iħ{H,T} through ħ^order in d = 2, T a noncommutative function of (x, y, p_x, p_y)."""
    space = phase_space_2d()
    T = sympy.Function("T", commutative=False)(*space.r, *space.p)
    hamiltonian = space.hamiltonian()
    if quadratic_potential:
        x, y = space.r
        a = sympy.symbols("a0:6")
        hamiltonian = hamiltonian.subs(space.potential(), a[0] + a[1] * x + a[2] * y + a[3] * x**2 + a[4] * x * y + a[5] * y**2)
    commutator = star(hamiltonian, T, space.r, space.p, order, hbar) - star(T, hamiltonian, space.r, space.p, order, hbar)
    return sympy.expand(commutator - sympy.I * hbar * poisson_bracket(hamiltonian, T, space.r, space.p))


def _second_order_density_defect() -> sympy.Expr:
    """T̄*(iħ{H,T}) through ħ² minus [iħ T̄{H,T} − (ħ²/2){T̄,{H,T}}], d = 2, generic noncommutative T, T̄."""
    space = phase_space_2d()
    T = sympy.Function("T", commutative=False)(*space.r, *space.p)
    Tbar = sympy.Function("Tbar", commutative=False)(*space.r, *space.p)
    inner = poisson_bracket(space.hamiltonian(), T, space.r, space.p)
    product = star(Tbar, sympy.I * hbar * inner, space.r, space.p, 1, hbar)
    expected = sympy.I * hbar * Tbar * inner - hbar**2 / 2 * poisson_bracket(Tbar, inner, space.r, space.p)
    return sympy.expand(product - expected)


def step_cyclic_form() -> Step:
    H, T, Tbar, Lam = nc("H"), nc("T"), nc("\\bar{T}"), nc("Lambda")
    x = sympy.Symbol("x")
    return Step(
        id="eq10-cyclic-form", title="Str[H*Q] under the phase-space integral", paper=PAPER, equation="(10)",
        result=sympy.Eq(sympy.Integral(Str(StarProduct(H, StarProduct(T, StarProduct(Lam, Tbar)))), x),
                        sympy.Integral(Str(Lam, StarProduct(Tbar, StarProduct(H, T) - StarProduct(T, H))), x)),
        claims=(
            *(claims.holds(f"∫(A*B − AB) dx = 0 order by order through ħ^4 in d = {d} (integration by parts)",
                           partial(_integrated_orders_cancel, d, 4), "coefficient sums per multi-index")
              for d in (1, 2, 3)),
            claims.equal("T̄HT − T̄[H,T] = T̄TH (= H since T̄*T = 1; Str ΛH = H Str Λ = 0)",
                         sympy.expand(Tbar * H * T - Tbar * (H * T - T * H)), Tbar * T * H),
            claims.all_zero("[H,T]_* = iħ{H,T} through ħ² (no ħ² term) for H = p²/2m − ε_F + U(r), d = 2",
                            lambda: [_moyal_commutator_defect(2)]),
            claims.all_zero("for a quadratic U the ħ³ term vanishes too: beyond ħ only U''' enters",
                            lambda: [_moyal_commutator_defect(3, quadratic_potential=True)]),
        ),
        note="Cyclicity of ∫Str[A*B] for even supermatrices follows from ∫A*B = ∫AB; the ħ-expansion of "
             "[H,T]_* is odd in ħ.",
    )


def step_liouville() -> Step:
    s2, s3 = phase_space_2d(), phase_space_3d()

    def defect(space, liouville) -> list[sympy.Expr]:
        got = fermi_surface_terms(bracket_with_hamiltonian(space, space.supermatrix_field("t")), space)
        want = fermi_surface_terms(-liouville(space.on_fermi_surface("t"), space), space)
        return [sympy.simplify(got.get(w, 0) - want.get(w, 0)) for w in sorted(set(got) | set(want), key=str)]

    t2 = s2.on_fermi_surface("t", commutative=True)
    t3 = s3.on_fermi_surface("t", commutative=True)
    exports = []
    for name, expr, space, label in (("liouville_2d", liouville_2d(t2, s2), s2, "phi"),
                                     ("liouville_3d", liouville_3d(t3, s3), s3, "n")):
        jet_expr, groups = grouped_jets(expr.subs(m, p_F / v_F), space.r, space.direction, label)
        args = (*jet_arguments(groups), direction_argument(space.direction), Argument("v_F", v_F), Argument("p_F", p_F))
        exports.append(Export(name, jet_expr, args, doc=(
            "(v_F n·∇_r − p_F⁻¹ ∇_rU·∇_n) t on the Fermi surface, from the jets of t and U "
            + ("(∇_n = e_φ ∂_φ)" if name.endswith("2d") else "(∇_n = (1 − n n)·∂_n, any extension of t off the sphere)"))))
    L = sympy.Function("L")
    nu = sympy.Symbol("nu", positive=True)
    coefficient_check = sympy.I / 2 * sympy.pi * nu * sympy.I * (-1)
    return Step(
        id="eq10-liouville", title="The Liouville operator on the Fermi surface", paper=PAPER, equation="(10)",
        result=sympy.Eq(L(t2), liouville_2d(t2, s2).subs(m, p_F / v_F)),
        claims=(
            claims.all_zero("−{H, T} at p = p_F n equals (v_F n·∇_r − p_F⁻¹ ∇U·∇_n) T in d = 2 (φ = atan2 p_y/p_x)",
                            lambda: defect(s2, liouville_2d)),
            claims.all_zero("... and in d = 3 (T a function of p/|p|, tangential ∇_n)",
                            lambda: defect(s3, liouville_3d)),
            claims.equal("(i/2)·πν·Str[Λ T̄ (iħ{H,T})] = (πν/2) Str[Λ T̄ L T] at ħ = 1: the prefactor of Eq. (10)",
                         coefficient_check, sympy.pi * nu / 2),
        ),
        exports=tuple(exports),
        note="The ξ-integral of g (Eq. 9) gives πΛν, the momentum in T is pinned to p_F n; the signs agree "
             "with Eq. (10) as printed.",
    )


def jet_arguments(groups) -> tuple[Argument, ...]:
    """One argument per jet group: a scalar, or an array whose axis 0 runs over the listed derivatives."""
    arguments = []
    for group in groups:
        matrix = "" if group.symbols[0].is_commutative else "matrices (..., N, N); "
        if len(group.symbols) == 1:
            arguments.append(Argument(group.name, group.symbols[0], description=matrix.rstrip("; ")))
        else:
            arguments.append(Argument(group.name, group.symbols, description=f"{matrix}axis 0: {group.layout}"))
    return tuple(arguments)


def direction_argument(direction: tuple[sympy.Symbol, ...]) -> Argument:
    if len(direction) == 1:
        return Argument("phi", direction[0], description="angle of n = (cos φ, sin φ)")
    return Argument("n", direction, description="unit vector (n_1, n_2, n_3) along axis 0")


def _coefficient_differences(left: dict, right: dict) -> list[sympy.Expr]:
    """Per word, the difference of two {word: coefficient} expansions (a word missing on one side counts 0)."""
    return [sympy.expand(left.get(w, 0) - right.get(w, 0)) for w in set(left) | set(right)]


def _chain_rule_matches_cartesian_2d() -> list[sympy.Expr]:
    chart = chart_2d()
    cartesian = {word: sympy.expand_trig(coeff) for word, coeff in cartesian_quantum_correction(phase_space_2d()).items()}
    return _coefficient_differences(quantum_correction_by_chain_rule(chart), chart.on_sphere(words_to_expr(cartesian)))


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
                for x, k in zip(r, p)), sympy.zeros(2, 2))


def _chain_rule_matches_cartesian_3d() -> list[sympy.Expr]:
    """K₂ from the chart formula against −½{T̄,{H,T}} with Cartesian brackets of T(r, p) = t(r, p/|p|),
    exactly, at rational points (p_F and n rational, |p| rational)."""
    chart = chart_3d()
    terms = quantum_correction_by_chain_rule(chart)
    t, tbar, U = _explicit_fields_3d(chart)
    p = sympy.symbols("p_x p_y p_z", real=True)
    length = sympy.sqrt(sum(k**2 for k in p))
    to_cartesian = {nk: pk / length for nk, pk in zip(chart.direction, p)}
    mass, fermi = sympy.Rational(3, 2), sympy.Rational(7, 5)
    H = sum(k**2 for k in p) / (2 * mass) + U
    T, Tbar = t.subs(to_cartesian), tbar.subs(to_cartesian)
    cartesian = -_matrix_bracket(Tbar, _matrix_bracket(H, T, chart.r, p), chart.r, p) / 2
    fields = {"t": t, "tbar": tbar}
    residuals = []
    for r0, n0 in (((sympy.Rational(1, 3), -sympy.Rational(1, 2), sympy.Rational(2, 5)), (sympy.Rational(2, 7), sympy.Rational(3, 7), sympy.Rational(6, 7))),
                   ((sympy.Rational(-3, 4), sympy.Rational(1, 5), 1), (sympy.Rational(-1, 3), sympy.Rational(2, 3), sympy.Rational(-2, 3)))):
        at = dict(zip(chart.r, r0)) | dict(zip(chart.direction, n0))
        direct = cartesian.subs(dict(zip(chart.r, r0)) | {k: fermi * nk for k, nk in zip(p, n0)})

        def value(factor):
            if isinstance(factor, sympy.Derivative):
                variables = [v for v, count in factor.variable_count for _ in range(count)]
                return sympy.diff(fields[factor.expr.func.__name__], *variables).subs(at)
            return fields[factor.func.__name__].subs(at)

        via_chart = sympy.zeros(2, 2)
        for word, coeff in terms.items():
            scalar = coeff.subs(chart.potential(), U).doit().subs(at).subs({m: mass, p_F: fermi})
            via_chart += scalar * sympy.Mul(*(value(f) for f in word))
        residuals.extend(sympy.simplify(direct - via_chart))
    return residuals


def _extension_ideal_is_preserved() -> list[sympy.Expr]:
    """Remainders mod n·n − 1 of ∇⊥(n·n − 1): zero means every chart derivative (∂_r, ∂_ρ, ∇⊥, and products
    by the Leibniz rule) maps multiples of n·n − 1 to multiples of n·n − 1."""
    chart = chart_3d()
    norm = sum(k**2 for k in chart.direction) - 1
    return [sympy.reduced(sympy.expand(component), [norm], *reversed(chart.direction))[1]
            for component in chart.tangential_gradient(norm)]


def _vector_form_matches(chart: FermiSurfaceChart) -> list[sympy.Expr]:
    vector = chart.on_sphere(on_chart(quantum_correction_vector_form(), chart))
    return _coefficient_differences(quantum_correction_by_chain_rule(chart), vector)


def step_quantum_correction() -> Step:
    exports = []
    for chart, label in ((chart_2d(), "phi"), (chart_3d(), "n")):
        density = words_to_expr(quantum_correction_by_chain_rule(chart))
        jet_expr, groups = grouped_jets(density, chart.r, chart.direction, label)
        args = (*jet_arguments(groups), direction_argument(chart.direction), Argument("m", m), Argument("p_F", p_F))
        exports.append(Export(f"quantum_correction_{chart.d}d", jet_expr, args, doc=(
            f"K₂ = −½{{T̄,{{H,T}}}} at p = p_F n in d = {chart.d}; the ħ² term of F is (iπν/2)∫Str[Λ K₂] "
            "(ħ = 1). Matrix arguments multiply in order (t̄-jet left of t-jet)."
            + (" Derivatives in n are Cartesian derivatives of any extension of t off the unit sphere."
               if chart.d == 3 else ""))))
    K = sympy.Symbol("K_2")
    return Step(
        id="eq10-quantum-correction", title="The ħ² quantum correction to Eq. (10)", paper=PAPER, equation="(10)",
        result=sympy.Eq(K, quantum_correction_vector_form()),
        claims=(
            claims.all_zero("T̄*(iħ{H,T}) = iħ T̄{H,T} − (ħ²/2){T̄,{H,T}} through ħ² (d = 2, generic T, T̄)",
                            lambda: [_second_order_density_defect()]),
            claims.all_zero("{A,B} = ∂_r(A ∂_pB) − ∂_p(A ∂_rB): the ħ² term integrates to zero over the whole "
                            "phase space with constant Λ, but not over the Fermi surface alone",
                            lambda: [_poisson_is_divergence()]),
            claims.all_zero("the chain rule in p = ρn(φ) gives the Cartesian −½{T̄,{H,T}} at p = p_F n, "
                            "all 16 coefficients (d = 2)", _chain_rule_matches_cartesian_2d),
            claims.all_zero("in d = 3 it equals −½{T̄,{H,T}} of T(r, p) = t(r, p/|p|) with Cartesian brackets, "
                            "exactly, for 2×2 polynomial t, t̄ and a cubic U at two rational phase-space points",
                            _chain_rule_matches_cartesian_3d),
            claims.all_zero("nothing depends on how t is extended off the sphere: ∇⊥(n·n) = 2n(1 − n·n) lies in "
                            "the ideal of n·n − 1, so K₂ (bilinear, built from ∂_r, ∂_ρ, ∇⊥) of (n·n − 1)h vanishes "
                            "on the sphere (d = 3)", _extension_ideal_is_preserved),
            *(claims.all_zero(f"the vector form above is the same density, coefficient by coefficient (d = {chart.d})",
                              partial(_vector_form_matches, chart)) for chart in (chart_2d(), chart_3d())),
        ),
        exports=tuple(exports),
        note=r"Sums over $i, k = 1 \ldots d$; $\partial_i = \partial/\partial r_i$, $\mathbf{n}\cdot\partial = n_k\partial_k$, "
             r"and $\nabla^{\perp}$ is the gradient on the unit sphere of directions ($\mathbf{e}_\varphi\partial_\varphi$ "
             r"in $d = 2$, $(1 - \mathbf{n}\mathbf{n})\cdot\partial_{\mathbf{n}}$ in $d = 3$); it acts on everything in its "
             r"bracket. The Liouville term of Eq. (10) is the order-$\hbar$ part. The $1/2m$ terms are gradient terms "
             r"such as $\partial_i\bar{t}\,\partial_i t$; the $1/p_F^2$ terms carry the force and the curvature of $U$, "
             r"as a regularizer of Refs. [8, 9] might.",
    )


def _poisson_is_divergence() -> sympy.Expr:
    r, p = sympy.symbols("r p")
    A, B = (sympy.Function(n, commutative=False)(r, p) for n in "AB")
    divergence = sympy.diff(A * sympy.diff(B, p), r) - sympy.diff(A * sympy.diff(B, r), p)
    return sympy.expand(poisson_bracket(A, B, r, p) - divergence)


def eq10_steps() -> tuple[Step, ...]:
    return step_cyclic_form(), step_liouville(), step_quantum_correction()
