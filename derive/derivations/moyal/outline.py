"""The moyal derivation's outline: its steps (id, paper equation, title) in order, as data.

Step modules take their headers from it; the package __init__ re-exports it for `derive list`.
"""
from __future__ import annotations

from derive.model.outline import Outline, StepOutline

TITLE = "The Moyal star product (bosonization paper, Eq. 7)"
PAPER = "bosonization"

OUTLINE = Outline(
    name="moyal",
    title=TITLE,
    paper=PAPER,
    steps=(
        StepOutline("eq7-star-product", "(7)", "The star product of Eq. (7), expanded to second order"),
        StepOutline("canonical-commutator", "(7)", "The canonical commutator", builds_on=("eq7-star-product",)),
        StepOutline("polynomial-exactness", "(7)", "Exactness on polynomials", builds_on=("eq7-star-product",)),
        StepOutline("associativity", "(7)", "Associativity through the order of truncation", builds_on=("eq7-star-product",)),
        StepOutline("moyal-bracket", "(7)", "The Moyal bracket and its classical limit", builds_on=("eq7-star-product",)),
        StepOutline("liouville-operator", "(10)", "Liouville operator and its first quantum correction", builds_on=("moyal-bracket",)),
        StepOutline("matrix-valued", "(7)", "Matrix-valued symbols keep their order", builds_on=("eq7-star-product",)),
        StepOutline("jet-form", "(7)", "The truncated star product as a bilinear operator on jets", builds_on=("eq7-star-product",)),
    ),
)
