"""Eq. (10) of the bosonization paper on the Fermi surface: Poisson brackets with H in Cartesian phase
space, restricted to p = p_F n, for supermatrices T that depend on p only through its direction.

d = 2: T(r, p) = t(x, y, φ(p)), φ = atan2(p_y, p_x). d = 3: T(r, p) = t(r, p/|p|), a function of the
Cartesian components of the unit vector (any extension off the sphere: only the tangential gradient
(1 − n n)·∂_n t survives). H = p²/2m − ε_F + U(r).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.moyal import poisson_bracket
from derive.trln import expand_terms

m, p_F, eps_F, v_F = sympy.symbols("m p_F epsilon_F v_F", positive=True)
phi = sympy.Symbol("phi", real=True)


@dataclass(frozen=True)
class PhaseSpace:
    """Cartesian r, p; the direction variables of T; the on-shell substitution p → p_F n."""

    r: tuple[sympy.Symbol, ...]
    p: tuple[sympy.Symbol, ...]
    direction_of_p: tuple[sympy.Expr, ...]       # φ(p) in d = 2, p/|p| in d = 3
    direction: tuple[sympy.Symbol, ...]          # φ, or (n1, n2, n3)
    on_shell: dict

    def potential(self) -> sympy.Expr:
        return sympy.Function("U")(*self.r)

    def hamiltonian(self) -> sympy.Expr:
        return sum(k**2 for k in self.p) / (2 * m) - eps_F + self.potential()

    def supermatrix_field(self, name: str, commutative: bool = False) -> sympy.Expr:
        """T(r, p) = t(r, direction(p))."""
        return sympy.Function(name, commutative=commutative)(*self.r, *self.direction_of_p)

    def on_fermi_surface(self, function_name: str, commutative: bool = False) -> sympy.Expr:
        return sympy.Function(function_name, commutative=commutative)(*self.r, *self.direction)


def phase_space_2d() -> PhaseSpace:
    x, y, px, py = sympy.symbols("x y p_x p_y", real=True)
    return PhaseSpace((x, y), (px, py), (sympy.atan2(py, px),), (phi,),
                      {px: p_F * sympy.cos(phi), py: p_F * sympy.sin(phi)})


def phase_space_3d() -> PhaseSpace:
    r = sympy.symbols("x y z", real=True)
    p = sympy.symbols("p_x p_y p_z", real=True)
    n = sympy.symbols("n_1 n_2 n_3", real=True)
    length = sympy.sqrt(sum(k**2 for k in p))
    return PhaseSpace(r, p, tuple(k / length for k in p), n, {k: p_F * nk for k, nk in zip(p, n)})


def _unit_sphere(expr: sympy.Expr, space: PhaseSpace) -> sympy.Expr:
    """Impose n·n = 1 on a coefficient (d = 3) and tidy trigonometry (d = 2)."""
    if len(space.direction) == 3:
        n1, n2, n3 = space.direction
        expr = sympy.powdenest(expr.subs(n3**2, 1 - n1**2 - n2**2), force=True)
        expr = expr.subs(sympy.sqrt(p_F**2), p_F)
    return sympy.simplify(sympy.trigsimp(expr))


def fermi_surface_terms(expr: sympy.Expr, space: PhaseSpace) -> dict[tuple, sympy.Expr]:
    """{word of derivatives of t: commutative coefficient} of expr at p = p_F n (order of t's kept)."""
    named = expr.subs(dict(zip(space.direction_of_p, space.direction))).subs(space.on_shell).doit()
    if len(space.direction) == 3:
        named = named.subs(dict(zip((k.subs(space.on_shell) for k in space.direction_of_p), space.direction)))
    terms = {}
    for word, coeff in expand_terms(sympy.expand(named)).items():
        reduced = _unit_sphere(coeff, space)
        if reduced != 0:
            terms[word] = reduced
    return terms


def bracket_with_hamiltonian(space: PhaseSpace, T: sympy.Expr) -> sympy.Expr:
    """{H, T} in Cartesian phase space (order of noncommutative factors kept)."""
    return poisson_bracket(space.hamiltonian(), T, space.r, space.p)


def liouville_2d(t: sympy.Expr, space: PhaseSpace) -> sympy.Expr:
    """(v_F n·∇_r − p_F⁻¹ ∇_rU·∇_n) t in d = 2, ∇_n = e_φ ∂_φ, v_F = p_F/m."""
    x, y = space.r
    U = space.potential()
    along = sympy.cos(phi) * sympy.diff(t, x) + sympy.sin(phi) * sympy.diff(t, y)
    force = -sympy.sin(phi) * sympy.diff(U, x) + sympy.cos(phi) * sympy.diff(U, y)
    return p_F / m * along - force * sympy.diff(t, phi) / p_F


def liouville_3d(t: sympy.Expr, space: PhaseSpace) -> sympy.Expr:
    """(v_F n·∇_r − p_F⁻¹ ∇_rU·(1 − n n)·∂_n) t in d = 3."""
    n, U = space.direction, space.potential()
    along = sum(nk * sympy.diff(t, xk) for nk, xk in zip(n, space.r))
    grad_n = [sympy.diff(t, nk) for nk in n]
    radial = sum(nk * g for nk, g in zip(n, grad_n))
    tangential = [g - nk * radial for nk, g in zip(n, grad_n)]
    return p_F / m * along - sum(sympy.diff(U, xk) * tk for xk, tk in zip(space.r, tangential)) / p_F


def quantum_correction_2d(space: PhaseSpace) -> sympy.Expr:
    """−½ {T̄, {H, T}} (the ħ² term of T̄ * [H, T]_* / (iħ)·iħ) on the Fermi surface, d = 2."""
    T, Tbar = space.supermatrix_field("t"), space.supermatrix_field("tbar")
    inner = bracket_with_hamiltonian(space, T)
    terms = fermi_surface_terms(-poisson_bracket(Tbar, inner, space.r, space.p) / 2, space)
    return sympy.Add(*(coeff * sympy.Mul(*word) for word, coeff in sorted(
        terms.items(), key=lambda item: sympy.default_sort_key(sympy.Mul(*item[0])))))


def jet_symbol(derivative: sympy.Basic, commutative: bool) -> sympy.Symbol:
    """Name for a derivative of t, tbar or U: t_x, tbar_phi, U_xy, t_phiphi, ..."""
    if isinstance(derivative, sympy.Derivative):
        base = derivative.expr.func.__name__
        suffix = "".join(str(v) * k for v, k in derivative.variable_count)
    else:
        base, suffix = derivative.func.__name__, ""
    return sympy.Symbol(f"{base}_{suffix}" if suffix else base, commutative=commutative)


def as_jets(expr: sympy.Expr) -> tuple[sympy.Expr, list[sympy.Symbol]]:
    """Replace every derivative of t, tbar, U by a named symbol; return the expression and the symbols."""
    replacements = {}
    for node in sorted(expr.atoms(sympy.Derivative), key=sympy.default_sort_key):
        replacements[node] = jet_symbol(node, node.is_commutative)
    replaced = expr.xreplace(replacements)
    return replaced, sorted(set(replacements.values()), key=sympy.default_sort_key)
