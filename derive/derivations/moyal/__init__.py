"""The Moyal star product, Eq. (7) of the bosonization paper, and its properties, in paper order.

Steps (file: step function):
  eq7-star-product      eq07_star_product.py   eq07_star_product: the multi-index expansion against the
                        exponential of the bidifferential operator applied to two independent copies
  canonical-commutator  eq07_star_product.py   eq07_canonical_commutator
  polynomial-exactness  eq07_polynomials.py    eq07_polynomial_exactness: against McCoy-ordered operators
                        acting on a test function
  associativity         eq07_associativity.py  eq07_associativity
  moyal-bracket         eq07_moyal_bracket.py  eq07_moyal_bracket: the Poisson limit
  liouville-operator    eq10_liouville.py      eq10_liouville_operator: with its first quantum correction
                        (the step Eq. (10) builds on)
  matrix-valued         eq07_matrix_valued.py  eq07_matrix_valued
  jet-form              jet_form.py            eq07_jet_form: the jet form exported to numpy
The independent routes the claims compare against are in references.py.
"""
from __future__ import annotations

from derive.derivations import Option, papers
from derive.derivations.moyal.outline import OUTLINE, PAPER, TITLE
from derive.model import Derivation

DEFAULT_MAX_ORDERS = {1: 8, 2: 6, 3: 4}

__all__ = ["DEFAULT_MAX_ORDERS", "OPTIONS", "OUTLINE", "PAPER", "TITLE", "build"]


def _parse_order(text: str) -> int:
    from derive.engines.moyal import refuse_order_beyond_memory, validate_order

    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"--order must be a non-negative integer, got {text!r}") from None
    # refused before any work when the generated functions of that order would not fit in memory
    return refuse_order_beyond_memory(validate_order(value))


OPTIONS = {"order": Option(flag="--order", help="highest order of the generated star-product functions", parse=_parse_order)}


def build(order: int | None = None) -> Derivation:
    """The moyal derivation; ``order`` overrides the highest order of the generated functions in every d."""
    from derive.derivations.moyal.eq07_associativity import eq07_associativity
    from derive.derivations.moyal.eq07_matrix_valued import eq07_matrix_valued
    from derive.derivations.moyal.eq07_moyal_bracket import eq07_moyal_bracket
    from derive.derivations.moyal.eq07_polynomials import eq07_polynomial_exactness
    from derive.derivations.moyal.eq07_star_product import (
        eq07_canonical_commutator,
        eq07_star_product,
    )
    from derive.derivations.moyal.eq10_liouville import eq10_liouville_operator
    from derive.derivations.moyal.jet_form import eq07_jet_form
    from derive.engines.moyal import jet_multi_indices, validate_order
    from derive.model import Constant, Table

    max_orders = dict(DEFAULT_MAX_ORDERS) if order is None else {d: validate_order(order) for d in DEFAULT_MAX_ORDERS}
    layouts = {d: jet_multi_indices(d, top) for d, top in max_orders.items()}
    exports_by_kind = {
        kind: tuple(((d, n), f"star_{kind}d{d}_order{n}") for d, top in sorted(max_orders.items()) for n in range(top + 1))
        for kind in ("", "matrix_")
    }
    steps = (
        eq07_star_product(),
        eq07_canonical_commutator(),
        eq07_polynomial_exactness(),
        eq07_associativity(),
        eq07_moyal_bracket(),
        eq10_liouville_operator(),
        eq07_matrix_valued(),
        eq07_jet_form(max_orders),
    )
    OUTLINE.check([step.id for step in steps])
    from derive.derivations.moyal.references import MEANINGS

    return Derivation(
        meanings=MEANINGS,
        name="moyal",
        title=TITLE,
        paper=PAPER, reference=papers.reference(PAPER),
        summary=(
            "$A\\star B = A\\exp\\bigl(\\tfrac{i\\hbar}{2}(\\overleftarrow{\\partial}_r\\cdot\\overrightarrow{\\partial}_p"
            " - \\overleftarrow{\\partial}_p\\cdot\\overrightarrow{\\partial}_r)\\bigr)B$, expanded to any order in any "
            "dimension, for scalar, noncommutative and matrix-valued symbols."
        ),
        steps=steps,
        constants=(
            Constant("JET_MULTI_INDICES", layouts, "JET_MULTI_INDICES[d][i]: exponents (k_r1..k_rd, k_p1..k_pd) of jet entry i; graded, a lower order's layout is a prefix."),
            Constant("MAX_ORDERS", dict(max_orders), "the highest generated order in each dimension d"),
        ),
        tables=(
            Table("STAR_PRODUCTS", exports_by_kind[""], "STAR_PRODUCTS[(d, order)](jet_a, jet_b, hbar=1.0) for scalar symbols"),
            Table("MATRIX_STAR_PRODUCTS", exports_by_kind["matrix_"], "MATRIX_STAR_PRODUCTS[(d, order)](jet_a, jet_b, hbar=1.0) for matrix-valued symbols"),
        ),
    )
