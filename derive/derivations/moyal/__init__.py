"""The Moyal star product, Eq. (7) of the bosonization paper, and its properties, in paper order.

Steps: the definition and its multi-index expansion (checked against the exponential of the
bidifferential operator applied to two independent copies), the canonical commutator, exactness on
polynomials (checked against operators in McCoy's symmetric ordering acting on a test function),
associativity, the Poisson limit of the Moyal bracket, the Liouville operator with its first quantum
correction (the step Eq. (10) builds on), matrix-valued symbols, and the jet form exported to numpy.
"""
from __future__ import annotations

import math
import random
from functools import partial

import sympy

from derive.derivations import Option, papers
from derive.derivations.moyal.references import (
    hbar,
    p,
    phase_space_symbols,
    r,
    star_by_operator_exponential,
    truncate,
    weyl_operator_on,
)
from derive.engines import claims
from derive.engines.codegen_nodes import ComplexFromParts
from derive.engines.moyal import (
    StarProduct,
    jet_multi_indices,
    moyal_bracket,
    poisson_bracket,
    star,
    star_jet_form,
    star_jet_parts,
    validate_order,
)
from derive.model import Argument, Constant, Derivation, Export, Step, Table

TITLE = "The Moyal star product (bosonization paper, Eq. 7)"
PAPER = "bosonization"
DEFAULT_MAX_ORDERS = {1: 8, 2: 6, 3: 4}


def _parse_order(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"--order must be a non-negative integer, got {text!r}") from None
    return validate_order(value)


OPTIONS = {"order": Option(flag="--order", help="highest order of the generated star-product functions", parse=_parse_order)}

def undefined(name: str, d: int, commutative: bool = True) -> sympy.Expr:
    rs, ps = phase_space_symbols(d)
    return sympy.Function(name, commutative=commutative)(*rs, *ps)


# --- Eq. (7): the definition, against the exponential of the bidifferential operator -------------


def step_definition() -> Step:
    A, B = undefined("A", 1), undefined("B", 1)
    checks = [
        claims.equal(
            f"the multi-index expansion equals the exponential of the bidifferential operator of Eq. (7) "
            f"through $\\hbar^{{{order}}}$ in $d = {d}$",
            partial(star, undefined("A", d), undefined("B", d), *phase_space_symbols(d), order, hbar),
            partial(star_by_operator_exponential, undefined("A", d), undefined("B", d), d, order),
        )
        for d, order in ((1, 4), (2, 3), (3, 2))
    ]
    checks.append(
        claims.holds(
            "two undefined functions in $d = 3$ through $\\hbar^8$ give $\\binom{14}{6} = 3003$ distinct terms",
            lambda: _term_count_residual(3, 8, math.comb(14, 6)),
            "count of the terms of the evaluated sum",
        )
    )
    return Step(
        id="eq7-star-product",
        title="The star product of Eq. (7), expanded to second order",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(StarProduct(A, B), star(A, B, r, p, 2, hbar) + sympy.O(hbar**3), evaluate=False),
        claims=tuple(checks),
        note=(
            "The exponential of the bidifferential operator is expanded with the multinomial theorem: "
            "each order $\\hbar^n$ is a sum over multi-indices $\\alpha$, $\\beta$ with $|\\alpha|+|\\beta| = n$."
        ),
    )


def _term_count_residual(d: int, order: int, expected: int) -> str | None:
    count = len(sympy.Add.make_args(star(undefined("A", d), undefined("B", d), *phase_space_symbols(d), order, hbar)))
    return None if count == expected else f"found {count} terms"


# --- canonical commutator -----------------------------------------------------------------------


def step_commutator() -> Step:
    rs, ps = phase_space_symbols(3)
    commutators = [
        star(x, k, rs, ps, 1, hbar) - star(k, x, rs, ps, 1, hbar) - (sympy.I * hbar if i == j else 0)
        for i, x in enumerate(rs)
        for j, k in enumerate(ps)
    ]
    commuting = [
        star(u, v, rs, ps, 1, hbar) - star(v, u, rs, ps, 1, hbar) for group in (rs, ps) for u in group for v in group
    ]
    return Step(
        id="canonical-commutator",
        title="The canonical commutator",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(StarProduct(r, p) - StarProduct(p, r), star(r, p, r, p, 1, hbar) - star(p, r, r, p, 1, hbar)),
        claims=(
            claims.equal("$r\\star p - p\\star r = i\\hbar$ ($d = 1$)", star(r, p, r, p, 1, hbar) - star(p, r, r, p, 1, hbar), sympy.I * hbar),
            claims.all_zero("$r_i\\star p_j - p_j\\star r_i = i\\hbar\\,\\delta_{ij}$ in $d = 3$", lambda: commutators),
            claims.all_zero("coordinates commute with coordinates, momenta with momenta ($d = 3$)", lambda: commuting),
        ),
        note="The sign convention of Eq. (7) makes $r\\star p - p\\star r = +i\\hbar$, as for the operators $\\hat r$ and $\\hat p$.",
    )


# --- exactness on polynomials -------------------------------------------------------------------


def random_polynomial(rng: random.Random, degree: int, d: int) -> sympy.Expr:
    rs, ps = phase_space_symbols(d)
    variables = rs + ps
    monomials = [sympy.Mul(*(v**k for v, k in zip(variables, index))) for index in jet_multi_indices(d, degree)]
    return sympy.Add(*(rng.randint(-3, 3) * monomial for monomial in monomials))


def step_polynomials() -> Step:
    rng = random.Random(7)
    pairs = [(random_polynomial(rng, 3, 1), random_polynomial(rng, 2, 1)) for _ in range(2)]
    pairs_2d = [(random_polynomial(rng, 2, 2), random_polynomial(rng, 3, 2))]
    psi = sympy.Function("psi")(r)
    exactness = [
        claims.equal(
            f"the truncation at the lower total degree equals the full product (random polynomials, $d = {d}$)",
            partial(star, A, B, *phase_space_symbols(d), 3, hbar),
            partial(star, A, B, *phase_space_symbols(d), 6, hbar),
        )
        for d, group in ((1, pairs), (2, pairs_2d))
        for A, B in group
    ]
    homomorphism = [
        claims.equal(
            "$\\mathrm{Op}(A\\star B)\\,\\psi = \\mathrm{Op}(A)\\,\\mathrm{Op}(B)\\,\\psi$ for random cubic and quadratic polynomial symbols "
            "(McCoy-ordered operators acting on a test function)",
            partial(lambda A, B: weyl_operator_on(star(A, B, r, p, 3, hbar), psi, r), A, B),
            partial(lambda A, B: weyl_operator_on(A, weyl_operator_on(B, psi, r), r), A, B),
        )
        for A, B in pairs
    ]
    closed_form = r**2 * p**2 + 2 * sympy.I * hbar * r * p - hbar**2 / 2
    return Step(
        id="polynomial-exactness",
        title="Exactness on polynomials",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(StarProduct(r**2, p**2), closed_form),
        claims=(
            claims.equal("$r^2\\star p^2 = r^2p^2 + 2i\\hbar\\, rp - \\hbar^2/2$", star(r**2, p**2, r, p, 2, hbar), closed_form),
            *exactness,
            *homomorphism,
        ),
        note="On polynomials the series terminates, and the star product is the symbol of the operator product.",
    )


# --- associativity ------------------------------------------------------------------------------


def associativity_defect(d: int, order: int, commutative: bool = True) -> sympy.Expr:
    rs, ps = phase_space_symbols(d)
    A, B, C = (undefined(name, d, commutative) for name in "ABC")
    left = star(star(A, B, rs, ps, order, hbar), C, rs, ps, order, hbar)
    right = star(A, star(B, C, rs, ps, order, hbar), rs, ps, order, hbar)
    return truncate(left - right, order)


def step_associativity() -> Step:
    A, B, C = sympy.symbols("A B C", commutative=False)
    return Step(
        id="associativity",
        title="Associativity through the order of truncation",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(StarProduct(StarProduct(A, B), C), StarProduct(A, StarProduct(B, C))),
        claims=tuple(
            claims.all_zero(
                f"$(A\\star B)\\star C = A\\star(B\\star C)$ through $\\hbar^{{{order}}}$ for {kind} undefined functions in $d = {d}$",
                partial(lambda *args: [associativity_defect(*args)], d, order, commutative),
            )
            for d, order, commutative, kind in ((1, 3, True, "scalar"), (2, 2, True, "scalar"), (1, 2, False, "noncommutative"))
        ),
        note="Both sides are truncated after $\\hbar^n$; the terms through that order agree identically.",
    )


# --- Moyal bracket ------------------------------------------------------------------------------


def displayed_bracket(A: sympy.Expr, B: sympy.Expr) -> sympy.Expr:
    """{{A, B}} written out as (A*B - B*A)/(i hbar) with unevaluated star products, for display."""
    return (StarProduct(A, B) - StarProduct(B, A)) / (sympy.I * hbar)


def step_bracket() -> Step:
    A, B = undefined("A", 1), undefined("B", 1)
    def poisson_limit(d: int) -> list[sympy.Expr]:
        rs, ps = phase_space_symbols(d)
        a, b = undefined("A", d), undefined("B", d)
        return [moyal_bracket(a, b, rs, ps, 0, hbar) - poisson_bracket(a, b, rs, ps)]

    return Step(
        id="moyal-bracket",
        title="The Moyal bracket and its classical limit",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(
            displayed_bracket(A, B),
            poisson_bracket(A, B, r, p) + sympy.O(hbar**2),
            evaluate=False,
        ),
        claims=(
            *(claims.all_zero(f"$\\{{\\{{A, B\\}}\\}} = \\{{A, B\\}}$ at lowest order in $d = {d}$", partial(poisson_limit, d)) for d in (1, 2, 3)),
            claims.all_zero(
                "the $\\hbar^1$ term of $\\{\\{A, B\\}\\}$ vanishes for scalar $A$, $B$ ($d = 2$)",
                lambda: [moyal_bracket(undefined("A", 2), undefined("B", 2), *phase_space_symbols(2), 1, hbar)
                         - moyal_bracket(undefined("A", 2), undefined("B", 2), *phase_space_symbols(2), 0, hbar)],
            ),
            claims.all_zero(
                "$\\{\\{A, B\\}\\} = -\\{\\{B, A\\}\\}$ through $\\hbar^2$ ($d = 1$)",
                lambda: [moyal_bracket(A, B, r, p, 2, hbar) + moyal_bracket(B, A, r, p, 2, hbar)],
            ),
        ),
        note="$\\{\\{A, B\\}\\} = (A\\star B - B\\star A)/(i\\hbar)$; its $\\hbar^0$ term is the Poisson bracket and odd orders vanish.",
    )


def liouville_with_correction(f: sympy.Expr, potential: sympy.Expr, mass: sympy.Symbol, d: int) -> sympy.Expr:
    """p.grad_r f / m - grad U . grad_p f + (hbar^2/24) sum_ijk d_ijk U d_{p_i p_j p_k} f."""
    rs, ps = phase_space_symbols(d)
    classical = sum(k * sympy.diff(f, x) / mass - sympy.diff(potential, x) * sympy.diff(f, k) for x, k in zip(rs, ps))
    correction = sum(
        sympy.diff(potential, rs[i], rs[j], rs[k]) * sympy.diff(f, ps[i], ps[j], ps[k])
        for i in range(d) for j in range(d) for k in range(d)
    )
    return classical + hbar**2 / 24 * correction


def step_liouville() -> Step:
    mass = sympy.Symbol("m", positive=True)

    def pieces(d: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
        rs, ps = phase_space_symbols(d)
        potential = sympy.Function("U")(*rs)
        hamiltonian = sum(k**2 for k in ps) / (2 * mass) + potential
        return undefined("f", d), hamiltonian, potential

    def defect(d: int, order: int) -> list[sympy.Expr]:
        f, hamiltonian, potential = pieces(d)
        return [moyal_bracket(f, hamiltonian, *phase_space_symbols(d), order, hbar) - liouville_with_correction(f, potential, mass, d)]

    f, hamiltonian, potential = pieces(1)
    return Step(
        id="liouville-operator",
        title="Liouville operator and its first quantum correction",
        paper=PAPER,
        equation="(10)",
        result=sympy.Eq(
            displayed_bracket(f, hamiltonian),
            liouville_with_correction(f, potential, mass, 1) + sympy.O(hbar**4),
            evaluate=False,
        ),
        claims=tuple(
            claims.all_zero(f"$\\{{\\{{f, H\\}}\\}}$ through $\\hbar^{{{order}}}$ = Liouville operator $+ (\\hbar^2/24)\\,\\partial^3 U\\,\\partial_p^3 f$ in $d = {d}$", partial(defect, d, order))
            for d, order in ((1, 2), (1, 3), (2, 2), (3, 2))
        ),
        note=(
            "For $H = p^2/2m + U(r)$ the bracket $\\{\\{f, H\\}\\}$ is the classical Liouville operator acting on $f$ "
            "plus $(\\hbar^2/24)\\,\\partial^3U\\,\\partial_p^3 f$; no $\\hbar^1$ or $\\hbar^3$ term appears."
        ),
    )


# --- matrix-valued symbols ----------------------------------------------------------------------


def step_matrix_valued() -> Step:
    size = 2
    M, N = sympy.MatrixSymbol("M", size, size), sympy.MatrixSymbol("N", size, size)
    f, g = undefined("f", 1), undefined("g", 1)
    explicit_a = sympy.Matrix(size, size, lambda i, j: sympy.Function(f"A{i}{j}")(r, p))
    explicit_b = sympy.Matrix(size, size, lambda i, j: sympy.Function(f"B{i}{j}")(r, p))

    def entrywise() -> sympy.Matrix:
        return sympy.Matrix(
            size, size,
            lambda i, j: sum(star(explicit_a[i, k], explicit_b[k, j], r, p, 2, hbar) for k in range(size)),
        )

    A, B = undefined("A", 1, commutative=False), undefined("B", 1, commutative=False)
    return Step(
        id="matrix-valued",
        title="Matrix-valued symbols keep their order",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(
            StarProduct(f * M, g * N), sympy.MatMul(star(f, g, r, p, 1, hbar) + sympy.O(hbar**2), M, N), evaluate=False
        ),
        claims=(
            claims.equal(
                "for $2\\times2$ matrices of functions, $(A\\star B)_{ij} = \\sum_k A_{ik}\\star B_{kj}$ through $\\hbar^2$",
                partial(star, explicit_a, explicit_b, r, p, 2, hbar),
                entrywise,
            ),
            claims.equal(
                "(f M)*(g N) = (f*g) M N for constant matrices M, N",
                partial(lambda: star(f * M, g * N, r, p, 2, hbar).doit()),
                partial(lambda: (star(f, g, r, p, 2, hbar) * M * N).doit()),
            ),
            claims.equal(
                "for noncommutative $A$, $B$ the order-zero term is the operator product $AB$, not $BA$",
                partial(lambda: star(A, B, r, p, 0, hbar) - star(B, A, r, p, 0, hbar)),
                A * B - B * A,
            ),
        ),
        note="The derivatives of $A$ always stand left of those of $B$, so noncommutative and matrix symbols keep their order.",
    )


# --- the jet form, exported to numpy -------------------------------------------------------------


def jet_substitution(d: int, order: int, a_symbols: tuple, b_symbols: tuple) -> dict:
    rs, ps = phase_space_symbols(d)
    A, B = undefined("A", d), undefined("B", d)
    variables = rs + ps
    mapping = {}
    for i, index in enumerate(jet_multi_indices(d, order)):
        mapping[a_symbols[i]] = sympy.diff(A, *[(v, k) for v, k in zip(variables, index)])
        mapping[b_symbols[i]] = sympy.diff(B, *[(v, k) for v, k in zip(variables, index)])
    return mapping


def star_exports(max_orders: dict[int, int]) -> tuple[Export, ...]:
    exports = []
    for commutative, kind in ((True, ""), (False, "matrix_")):
        for d, top in sorted(max_orders.items()):
            for order in range(top + 1):
                even, odd, a, b, h = star_jet_parts(d, order, commutative)
                expression = even if odd == 0 else ComplexFromParts(even, odd)
                what = "scalar jets (elementwise products)" if commutative else "matrix jets of shape (M, ..., n, n) (matrix products, A's factor left)"
                exports.append(
                    Export(
                        name=f"star_{kind}d{d}_order{order}",
                        expr=expression,
                        args=(
                            Argument("jet_a", a, description=f"jet of A: jet_a[i] = derivative of A at JET_MULTI_INDICES[{d}][i]"),
                            Argument("jet_b", b, description="jet of B, same layout"),
                            Argument("hbar", h, default=1.0, description="Planck's constant"),
                        ),
                        doc=f"A*B through hbar^{order} in d = {d}, from {what}.",
                    )
                )
    return tuple(exports)


def step_jet_form(max_orders: dict[int, int]) -> Step:
    def consistency(d: int, order: int) -> list[sympy.Expr]:
        expression, a, b, _ = star_jet_form(d, order)
        rs, ps = phase_space_symbols(d)
        substituted = expression.xreplace(jet_substitution(d, order, a, b))
        return [substituted - star(undefined("A", d), undefined("B", d), rs, ps, order, hbar)]

    shown, a, b, _ = star_jet_form(1, 2)
    return Step(
        id="jet-form",
        title="The truncated star product as a bilinear operator on jets",
        paper=PAPER,
        equation="(7)",
        result=sympy.Eq(sympy.Symbol(r"\left(A \star B\right)_{2}"), shown),
        claims=tuple(
            claims.all_zero(f"the jet form equals the star product of undefined functions ($d = {d}$, order {order})", partial(consistency, d, order))
            for d, order in ((1, 4), (2, 3), (3, 2))
        ),
        exports=star_exports(max_orders),
        note=(
            "$a_i$ and $b_i$ are the derivatives of $A$ and $B$ at the $i$-th multi-index of the jet layout "
            "(graded, lexicographically descending: $r_1..r_d$ then $p_1..p_d$); shown for $d = 1$ through $\\hbar^2$."
        ),
    )


def build(order: int | None = None) -> Derivation:
    """The moyal derivation; ``order`` overrides the highest order of the generated functions in every d."""
    max_orders = dict(DEFAULT_MAX_ORDERS) if order is None else {d: validate_order(order) for d in DEFAULT_MAX_ORDERS}
    layouts = {d: jet_multi_indices(d, top) for d, top in max_orders.items()}
    exports_by_kind = {
        kind: tuple(((d, n), f"star_{kind}d{d}_order{n}") for d, top in sorted(max_orders.items()) for n in range(top + 1))
        for kind in ("", "matrix_")
    }
    return Derivation(
        name="moyal",
        title=TITLE,
        paper=PAPER, reference=papers.reference(PAPER),
        summary=(
            "$A\\star B = A\\exp\\bigl(\\tfrac{i\\hbar}{2}(\\overleftarrow{\\partial}_r\\cdot\\overrightarrow{\\partial}_p"
            " - \\overleftarrow{\\partial}_p\\cdot\\overrightarrow{\\partial}_r)\\bigr)B$, expanded to any order in any "
            "dimension, for scalar, noncommutative and matrix-valued symbols."
        ),
        steps=(
            step_definition(),
            step_commutator(),
            step_polynomials(),
            step_associativity(),
            step_bracket(),
            step_liouville(),
            step_matrix_valued(),
            step_jet_form(max_orders),
        ),
        constants=(
            Constant("JET_MULTI_INDICES", layouts, "JET_MULTI_INDICES[d][i]: exponents (k_r1..k_rd, k_p1..k_pd) of jet entry i; graded, a lower order's layout is a prefix."),
            Constant("MAX_ORDERS", dict(max_orders), "the highest generated order in each dimension d"),
        ),
        tables=(
            Table("STAR_PRODUCTS", exports_by_kind[""], "STAR_PRODUCTS[(d, order)](jet_a, jet_b, hbar=1.0) for scalar symbols"),
            Table("MATRIX_STAR_PRODUCTS", exports_by_kind["matrix_"], "MATRIX_STAR_PRODUCTS[(d, order)](jet_a, jet_b, hbar=1.0) for matrix-valued symbols"),
        ),
    )
