"""The energy of a classical harmonic oscillator is conserved: an example derivation in its own package.

The outline is plain data at the top; the SymPy work happens only in ``build`` (``derive list``
reads the outline without building).
"""
from __future__ import annotations

from derive.derivations import Option
from derive.model.outline import Outline, StepOutline

OUTLINE = Outline(
    name="harmonic",
    title="Energy conservation of the harmonic oscillator",
    paper="",
    steps=(StepOutline(id="energy", equation="(1)", title="The energy is a constant of the motion"),),
)


def _parse_mass(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(f"--mass must be a positive integer, got {text!r}")
    return value


OPTIONS = {"mass": Option(flag="--mass", help="the oscillator's mass (an integer)", parse=_parse_mass)}


def build(mass: int = 1):
    """The derivation: E = m v^2/2 + k x^2/2 along x = A cos(w t), w^2 = k/m, is constant."""
    import sympy

    from derive.engines import claims
    from derive.model import Argument, Derivation, Export, Step

    t, amplitude, k = sympy.symbols("t A k", positive=True)
    omega = sympy.sqrt(k / mass)
    x = amplitude * sympy.cos(omega * t)
    energy = mass * sympy.diff(x, t) ** 2 / 2 + k * x**2 / 2
    step = Step(
        id="energy", title=OUTLINE.steps[0].title, paper="", equation="(1)",
        result=sympy.Eq(sympy.Symbol("E"), energy, evaluate=False),
        claims=(claims.equal("dE/dt = 0", sympy.diff(energy, t), sympy.Integer(0), method="simplify"),),
        exports=(Export("energy", energy, (Argument("t", t), Argument("A", amplitude), Argument("k", k)),
                        "The oscillator's energy along its trajectory."),),
    )
    return Derivation(name="harmonic", title=OUTLINE.title, paper="", steps=(step,))
