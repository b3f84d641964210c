"""Eq. (10) of the bosonization paper on the Fermi surface: Poisson brackets with H in Cartesian phase
space, restricted to p = p_F n, for supermatrices T that depend on p only through its direction.

d = 2: T(r, p) = t(x, y, φ(p)), φ = atan2(p_y, p_x). d = 3: T(r, p) = t(r, p/|p|), a function of the
Cartesian components of the unit vector (any extension off the sphere: only the tangential gradient
(1 − n n)·∂_n t survives). H = p²/2m − ε_F + U(r).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy
from sympy.core.function import AppliedUndef

from derive.engines.moyal import poisson_bracket
from derive.engines.trln import expand_terms

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
    return PhaseSpace(r, p, tuple(k / length for k in p), n, {k: p_F * nk for k, nk in zip(p, n, strict=False)})


def _unit_sphere(expr: sympy.Expr, space: PhaseSpace) -> sympy.Expr:
    """Impose n·n = 1 on a coefficient (d = 3) and tidy trigonometry (d = 2)."""
    if len(space.direction) == 3:
        n1, n2, n3 = space.direction
        expr = sympy.powdenest(expr.subs(n3**2, 1 - n1**2 - n2**2), force=True)
        expr = expr.subs(sympy.sqrt(p_F**2), p_F)
    return sympy.simplify(sympy.trigsimp(expr))


def fermi_surface_terms(expr: sympy.Expr, space: PhaseSpace) -> dict[tuple, sympy.Expr]:
    """{word of derivatives of t: commutative coefficient} of expr at p = p_F n (order of t's kept)."""
    named = expr.subs(dict(zip(space.direction_of_p, space.direction, strict=False))).subs(space.on_shell).doit()
    if len(space.direction) == 3:
        named = named.subs(dict(zip((k.subs(space.on_shell) for k in space.direction_of_p), space.direction, strict=False)))
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
    along = sum(nk * sympy.diff(t, xk) for nk, xk in zip(n, space.r, strict=False))
    tangential = FermiSurfaceChart(space.r, n, n).tangential_gradient(t)
    return p_F / m * along - sum(sympy.diff(U, xk) * tk for xk, tk in zip(space.r, tangential, strict=False)) / p_F


def cartesian_quantum_correction(space: PhaseSpace) -> dict[tuple, sympy.Expr]:
    """−½ {T̄, {H, T}} with Cartesian brackets, then restricted to p = p_F n: {word: coefficient}.

    The direct route; fast enough in d = 2 only, where it cross-checks the chart route below."""
    T, Tbar = space.supermatrix_field("t"), space.supermatrix_field("tbar")
    inner = bracket_with_hamiltonian(space, T)
    return fermi_surface_terms(-poisson_bracket(Tbar, inner, space.r, space.p) / 2, space)


# --- The chart route: momentum as p = ρ n(u) --------------------------------------------------------

rho = sympy.Symbol("rho", positive=True)


@dataclass(frozen=True)
class FermiSurfaceChart:
    """Fields t(r, u) of position and direction u; momentum p = ρ n(u).

    d = 2: u = φ, n = (cos φ, sin φ). d = 3: u = (n₁, n₂, n₃), the embedding coordinates themselves, and t
    any extension off the unit sphere: every formula below projects onto the sphere, so nothing depends
    on the extension (the claims use extensions that are not homogeneous).
    """

    r: tuple[sympy.Symbol, ...]
    direction: tuple[sympy.Symbol, ...]
    unit: tuple[sympy.Expr, ...]

    @property
    def d(self) -> int:
        return len(self.r)

    def field(self, name: str, commutative: bool = False) -> sympy.Expr:
        return sympy.Function(name, commutative=commutative)(*self.r, *self.direction)

    def potential(self) -> sympy.Expr:
        return sympy.Function("U")(*self.r)

    def tangential_gradient(self, f: sympy.Expr) -> tuple[sympy.Expr, ...]:
        """∇⊥f = (1 − n n)·∇_n f, the gradient on the unit sphere as a d-vector (ρ = 1)."""
        if len(self.direction) == 1:
            (u,) = self.direction
            return tuple(sympy.diff(nk, u) * sympy.diff(f, u) for nk in self.unit)
        grad = [sympy.diff(f, u) for u in self.direction]
        radial = sum(nk * g for nk, g in zip(self.unit, grad, strict=False))
        return tuple(g - nk * radial for nk, g in zip(self.unit, grad, strict=False))

    def momentum_gradient(self, f: sympy.Expr) -> tuple[sympy.Expr, ...]:
        """∂f/∂p for f(r, ρ, u) at p = ρ n(u): n ∂_ρ f + ρ⁻¹ ∇⊥f (the chain rule, exact)."""
        radial = sympy.diff(f, rho)
        return tuple(nk * radial + g / rho for nk, g in zip(self.unit, self.tangential_gradient(f), strict=False))

    def bracket(self, A: sympy.Expr, B: sympy.Expr) -> sympy.Expr:
        """{A, B} = ∂_r A·∂_p B − ∂_p A·∂_r B in (r, ρ, u) variables (A left of B)."""
        dA_p, dB_p = self.momentum_gradient(A), self.momentum_gradient(B)
        return sympy.Add(*(sympy.diff(A, x) * dB_p[j] - dA_p[j] * sympy.diff(B, x) for j, x in enumerate(self.r)))

    def hamiltonian(self) -> sympy.Expr:
        return rho**2 / (2 * m) - eps_F + self.potential()

    def on_sphere(self, expr: sympy.Expr) -> dict[tuple, sympy.Expr]:
        """{word: coefficient} at ρ = p_F, each coefficient reduced modulo n·n = 1 (so words compare).

        The reduction is a polynomial remainder in the components of n (cos φ, sin φ in d = 2), with
        the last component's square eliminated: cheap, and canonical, unlike simplify."""
        if len(self.direction) == 1:
            components = sympy.symbols(f"_n0:{self.d}", real=True)
            to_components = dict(zip(self.unit, components, strict=False))
        else:
            components, to_components = self.direction, {}
        back = {c: nk for c, nk in zip(components, self.unit, strict=False)}
        relation = sum(c**2 for c in components) - 1
        terms = {}
        for word, coeff in expand_terms(sympy.expand(expr.subs(rho, p_F))).items():
            coeff = coeff.xreplace(to_components)
            # Derivatives of U as generators keep the coefficient domain a rational function field (fast).
            jets = sorted(coeff.atoms(sympy.Derivative, AppliedUndef), key=sympy.default_sort_key)
            generators = (*reversed(components), *jets)
            _, remainder = sympy.reduced(sympy.Poly(coeff, *generators), [sympy.Poly(relation, *generators)])
            if not remainder.is_zero:
                terms[word] = sympy.factor_terms(remainder.as_expr().xreplace(back))
        return terms


def chart_2d() -> FermiSurfaceChart:
    return FermiSurfaceChart(sympy.symbols("x y", real=True), (phi,), (sympy.cos(phi), sympy.sin(phi)))


def chart_3d() -> FermiSurfaceChart:
    n = sympy.symbols("n_1 n_2 n_3", real=True)
    return FermiSurfaceChart(sympy.symbols("x y z", real=True), n, n)


@cache
def quantum_correction_by_chain_rule(chart: FermiSurfaceChart) -> dict[tuple, sympy.Expr]:
    """K₂ = −½ {T̄, {H, T}} on the Fermi surface, by the chain rule in (r, ρ, u)."""
    t, tbar = chart.field("t"), chart.field("tbar")
    return chart.on_sphere(-chart.bracket(tbar, chart.bracket(chart.hamiltonian(), t)) / 2)


# --- K₂ in vector notation: a displayable formula that evaluates on any chart ----------------------

class PositionDerivative(sympy.Function):
    """∂_i f = ∂f/∂r_i (i = 1..d)."""

    nargs = 2


class SphereGradient(sympy.Function):
    """∇⊥_i f = [(1 − n n)·∇_n f]_i, the gradient on the unit sphere of directions."""

    nargs = 2


class AlongDirection(sympy.Function):
    """(n·∂) f = n_k ∂f/∂r_k, the spatial derivative along the momentum direction."""

    nargs = 1


VECTOR_FIELDS = {"t": sympy.Symbol("t", commutative=False), "tbar": sympy.Symbol(r"\bar{t}", commutative=False),
                 "U": sympy.Symbol("U")}
dimension = sympy.Symbol("d", integer=True, positive=True)


def quantum_correction_vector_form() -> sympy.Expr:
    """K₂ = −½{T̄,{H,T}} on the Fermi surface in vector notation, valid in any d (summation written out):

    K₂ = (1/2m) Σ_i [∂_i t̄ ∂_i t + ∂_i t̄ (n·∂)∇⊥_i t − ∇⊥_i t̄ (n·∂)∂_i t]
       + (1/2p_F²) [(n·∂)t̄ F − Σ_i ∂_i t̄ ∇⊥_i F + Σ_i ∇⊥_i t̄ ∂_i F],   F = Σ_k ∂_kU ∇⊥_k t.
    """
    t, tbar, U = VECTOR_FIELDS["t"], VECTOR_FIELDS["tbar"], VECTOR_FIELDS["U"]
    i, k = sympy.symbols("i k", integer=True, positive=True)
    D, G, A = PositionDerivative, SphereGradient, AlongDirection
    over = lambda term, index: sympy.Sum(term, (index, 1, dimension))
    force = over(D(U, k) * G(t, k), k)
    kinetic = (over(D(tbar, i) * D(t, i), i), over(D(tbar, i) * A(G(t, i)), i), -over(G(tbar, i) * A(D(t, i)), i))
    curvature = (A(tbar) * force, -over(D(tbar, i) * G(force, i), i), over(G(tbar, i) * D(force, i), i))
    # one top-level term each, so that the display breaks between them
    return sympy.Add(*(term / (2 * m) for term in kinetic), *(term / (2 * p_F**2) for term in curvature))


def on_chart(expr: sympy.Expr, chart: FermiSurfaceChart) -> sympy.Expr:
    """The vector-notation expression as a function of r and u on ``chart`` (sums done, operators applied)."""
    fields = {VECTOR_FIELDS["t"]: chart.field("t"), VECTOR_FIELDS["tbar"]: chart.field("tbar"),
              VECTOR_FIELDS["U"]: chart.potential()}
    explicit = expr.subs(dimension, chart.d).doit().xreplace(fields)

    def apply(node: sympy.Basic) -> sympy.Basic:
        if isinstance(node, PositionDerivative):
            return sympy.diff(node.args[0], chart.r[int(node.args[1]) - 1])
        if isinstance(node, SphereGradient):
            return chart.tangential_gradient(node.args[0])[int(node.args[1]) - 1]
        return sum(nk * sympy.diff(node.args[0], x) for nk, x in zip(chart.unit, chart.r, strict=False))

    return explicit.replace(lambda node: isinstance(node, (PositionDerivative, SphereGradient, AlongDirection)), apply)


def words_to_expr(terms: dict[tuple, sympy.Expr]) -> sympy.Expr:
    """Σ coefficient × word, in a stable order (noncommutative factors keep their order)."""
    return sympy.Add(*(coeff * sympy.Mul(*word) for word, coeff in sorted(
        terms.items(), key=lambda item: sympy.default_sort_key(sympy.Mul(*item[0])))))


# --- Jets: derivatives of t, t̄, U as grouped array arguments -----------------------------------------

def _short(variable: sympy.Symbol) -> str:
    return variable.name.replace("_", "")              # n_1 → n1, so that t_xn1 reads as one name


def _jet_key(node: sympy.Basic) -> tuple[str, tuple]:
    if isinstance(node, sympy.Derivative):
        counts = tuple(sorted(((str(v), k) for v, k in node.variable_count)))
        return node.expr.func.__name__, counts
    return node.func.__name__, ()


@dataclass(frozen=True)
class JetGroup:
    """The derivatives of one field of a given order in r and in u, passed as one array argument."""

    name: str
    symbols: tuple[sympy.Symbol, ...]

    @property
    def layout(self) -> str:
        return ", ".join(str(s) for s in self.symbols)


def grouped_jets(expr: sympy.Expr, r: tuple, direction: tuple, direction_label: str
                 ) -> tuple[sympy.Expr, list[JetGroup]]:
    """Replace the derivatives of t, tbar, U by symbols grouped per (field, r-order, u-order).

    A group with one entry (e.g. t_phi) is a scalar; t_rn in d = 3 has entries t_xn1, t_xn2, ... in
    the order of itertools.product(combinations of r, combinations of u)."""
    from itertools import combinations_with_replacement, product

    nodes = sorted(expr.atoms(sympy.Derivative), key=sympy.default_sort_key)
    wanted, r_names = {}, {str(x) for x in r}
    for node in nodes:
        base, counts = _jet_key(node)
        r_order = sum(k for v, k in counts if v in r_names)
        wanted.setdefault((base, r_order, sum(k for _, k in counts) - r_order), node.is_commutative)
    groups, replacements = [], {}
    # U, t, tbar; lower orders first; at equal order r-derivatives first (t_r, t_n, t_rr, t_rn, t_nn).
    for (base, r_order, u_order), commutative in sorted(wanted.items(), key=lambda kv: (kv[0][0], sum(kv[0][1:]), -kv[0][1])):
        entries = list(product(combinations_with_replacement(r, r_order), combinations_with_replacement(direction, u_order)))
        symbols = []
        for along_r, along_u in entries:
            variables = along_r + along_u
            symbol = sympy.Symbol(f"{base}_{''.join(_short(v) for v in variables)}", commutative=commutative)
            symbols.append(symbol)
            counts = tuple(sorted((str(v), variables.count(v)) for v in set(variables)))
            replacements[(base, counts)] = symbol
        groups.append(JetGroup(f"{base}_{'r' * r_order}{direction_label * u_order}", tuple(symbols)))
    replaced = expr.xreplace({node: replacements[_jet_key(node)] for node in nodes})
    return replaced, groups
