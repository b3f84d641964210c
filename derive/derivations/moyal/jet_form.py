"""The truncated star product of Eq. (7) as a bilinear operator on jets, and the generated numpy functions."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.moyal.fields import undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, phase_space_symbols
from derive.engines import claims
from derive.engines.codegen_nodes import ComplexFromParts
from derive.engines.moyal import StarProduct, jet_multi_indices, star, star_jet_form, star_jet_parts
from derive.model import Argument, Export, Step

__all__ = ["eq07_jet_form", "jet_substitution", "star_exports"]


def jet_substitution(d: int, order: int, a_symbols: tuple, b_symbols: tuple) -> dict:
    """Jet symbols -> the derivatives of undefined A and B they stand for."""
    rs, ps = phase_space_symbols(d)
    A, B = undefined("A", d), undefined("B", d)
    variables = rs + ps
    mapping = {}
    for i, index in enumerate(jet_multi_indices(d, order)):
        mapping[a_symbols[i]] = sympy.diff(A, *[(v, k) for v, k in zip(variables, index, strict=True)])
        mapping[b_symbols[i]] = sympy.diff(B, *[(v, k) for v, k in zip(variables, index, strict=True)])
    return mapping


def star_exports(max_orders: dict[int, int]) -> tuple[Export, ...]:
    """The generated functions star_[matrix_]d{d}_order{n}, scalar and matrix jets."""
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
                        common_subexpressions=False,
                    )
                )
    return tuple(exports)


def eq07_jet_form(max_orders: dict[int, int]) -> Step:
    """The jet form equals the star product of undefined functions; exports the numpy functions."""
    def statement(d: int, order: int) -> sympy.Eq:
        """The jet form at the jets of undefined A and B = A * B + O(hbar^(order + 1))."""
        expression, a, b, _ = star_jet_form(d, order)
        substituted = sympy.expand(expression.xreplace(jet_substitution(d, order, a, b)))
        return sympy.Eq(StarProduct(undefined("A", d), undefined("B", d)), substituted + sympy.O(hbar ** (order + 1)),
                        evaluate=False)

    def consistency(d: int, order: int, formula: sympy.Eq) -> list[sympy.Expr]:
        rs, ps = phase_space_symbols(d)
        return [formula.rhs.removeO() - star(undefined("A", d), undefined("B", d), rs, ps, order, hbar)]

    shown, *_ = star_jet_form(1, 2)
    # The engine builds its products unevaluated (i times (hbar/2 times ...)); the display shows them flat.
    shown = sympy.Add(*(sympy.Mul(*term.args) if term.is_Mul else term for term in sympy.Add.make_args(shown)))
    formulas = {(d, order): statement(d, order) for d, order in ((1, 4), (2, 3), (3, 2))}
    return Step(
        **OUTLINE.header("jet-form"),
        result=sympy.Eq(StarProduct(undefined("A", 1), undefined("B", 1)), shown + sympy.O(hbar**3), evaluate=False),
        claims=tuple(
            claims.all_zero(f"the jet form, evaluated at the jets of undefined $A$ and $B$, is their star product "
                            f"($d = {d}$, through $\\hbar^{{{order}}}$)", partial(consistency, d, order, formula), formula=formula)
            for (d, order), formula in formulas.items()
        ),
        exports=star_exports(max_orders),
        note=(
            "$a_i$ and $b_i$ are the derivatives of $A$ and $B$ at the $i$-th multi-index of the jet layout "
            "(graded, lexicographically descending: $r_1, \\dots, r_d$ then $p_1, \\dots, p_d$); shown for $d = 1$ through $\\hbar^2$."
        ),
    )
