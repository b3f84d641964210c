"""Two small derivations for pipeline and CLI tests: one that holds, one whose claim fails."""
from __future__ import annotations

import sympy

from derive.derivations import Option
from derive.engines import claims
from derive.model import Argument, Derivation, Export, Step
from derive.model.outline import Outline, StepOutline

TITLE = "A tiny derivation for tests"
OUTLINE = Outline(name="tiny", title=TITLE, paper="granular",
                  steps=(StepOutline(id="identity", equation="(99)", title="Pythagoras"),))
x, y = sympy.symbols("x y")


def _parse_scale(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(f"--scale must be a positive integer, got {text!r}")
    return value


OPTIONS = {"scale": Option(flag="--scale", help="a factor", parse=_parse_scale)}


def build(scale: int = 1, broken: bool = False) -> Derivation:
    expression = scale * (sympy.sin(x) ** 2 + sympy.cos(x) ** 2) * y
    wrong = 2 * y if broken else scale * y
    step = Step(
        **OUTLINE.header("identity"),
        result=sympy.Eq(expression, scale * y),
        claims=(claims.equal("sin^2 + cos^2 = 1", expression, wrong, method="simplify"),),
        exports=(Export("scaled", expression, (Argument("x", x), Argument("y", y)), "scale * y, written the long way."),),
    )
    return Derivation(name="tiny" if not broken else "broken", title=TITLE, paper="granular", steps=(step,))
