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

from derive import claims
from derive.derivations.bosonization_fermi_surface import (
    as_jets, bracket_with_hamiltonian, fermi_surface_terms, liouville_2d, liouville_3d, m, p_F, phase_space_2d,
    phase_space_3d, quantum_correction_2d, v_F,
)
from derive.moyal import StarProduct, poisson_bracket, star, star_coefficients
from derive.pipeline import Argument, Export, Step
from derive.supermatrix import Str

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
    for name, expr, direction in (("liouville_2d", liouville_2d(t2, s2), ("phi",)),
                                  ("liouville_3d", liouville_3d(t3, s3), ("n_1", "n_2", "n_3"))):
        jet_expr, jets = as_jets(expr.subs(m, p_F / v_F))
        extra = [sympy.Symbol(n, real=True) for n in direction]
        args = tuple(Argument(str(s), s) for s in jets) + tuple(Argument(str(s), s) for s in extra) + (
            Argument("v_F", v_F), Argument("p_F", p_F))
        exports.append(Export(name, jet_expr, args, doc=(
            "(v_F n·∇_r − p_F⁻¹ ∇_rU·∇_n) t on the Fermi surface, from the jets of t and U "
            + ("(∇_n = e_φ ∂_φ)" if name.endswith("2d") else "(∇_n = (1 − n n)·∂_n)"))))
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


def step_quantum_correction() -> Step:
    s2 = phase_space_2d()
    density = quantum_correction_2d(s2)
    jet_expr, jets = as_jets(density)
    args = tuple(Argument(str(s), s, description="matrix (..., n, n)" if not s.is_commutative else "")
                 for s in jets) + (Argument("phi", sympy.Symbol("phi", real=True)), Argument("m", m),
                                   Argument("p_F", p_F))
    K = sympy.Function("K_2")
    return Step(
        id="eq10-quantum-correction", title="The ħ² quantum correction to Eq. (10)", paper=PAPER, equation="(10)",
        result=sympy.Eq(K(s2.on_fermi_surface("t"), s2.on_fermi_surface("tbar")), density),
        claims=(
            claims.all_zero("T̄*(iħ{H,T}) = iħ T̄{H,T} − (ħ²/2){T̄,{H,T}} through ħ² (d = 2, generic T, T̄)",
                            lambda: [_second_order_density_defect()]),
            claims.all_zero("{A,B} = ∂_r(A ∂_pB) − ∂_p(A ∂_rB): the ħ² term integrates to zero over the whole "
                            "phase space with constant Λ, but not over the Fermi surface alone",
                            lambda: [_poisson_is_divergence()]),
        ),
        exports=(Export("quantum_correction_2d", jet_expr, args, doc=(
            "K₂ = −½{T̄,{H,T}} at p = p_F(cos φ, sin φ); the ħ² term of F is (iπν/2)∫Str[Λ K₂] (ħ = 1). "
            "Matrix arguments multiply in order (t̄-jet left of t-jet).")),),
        note="Gradient terms such as (1/2m)∂T̄·∂T appear at ħ²; the paper's Eq. (10) keeps only the Liouville "
             "(ħ¹) term.",
    )


def _poisson_is_divergence() -> sympy.Expr:
    r, p = sympy.symbols("r p")
    A, B = (sympy.Function(n, commutative=False)(r, p) for n in "AB")
    divergence = sympy.diff(A * sympy.diff(B, p), r) - sympy.diff(A * sympy.diff(B, r), p)
    return sympy.expand(poisson_bracket(A, B, r, p) - divergence)


def eq10_steps() -> tuple[Step, ...]:
    return step_cyclic_form(), step_liouville(), step_quantum_correction()
