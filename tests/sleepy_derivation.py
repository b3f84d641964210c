"""A derivation whose one claim writes its process id to $DERIVE_TEST_MARKER and sleeps (for signal tests)."""
from __future__ import annotations

import os
import time
from pathlib import Path

import sympy

from derive.engines import claims
from derive.model import Derivation, Step

TITLE = "A derivation that sleeps in its claim"
OPTIONS: dict = {}


def _sleep() -> str | None:
    Path(os.environ["DERIVE_TEST_MARKER"]).write_text(str(os.getpid()))
    time.sleep(60)
    return None


def build() -> Derivation:
    x = sympy.Symbol("x")
    step = Step(id="sleep", title="Sleeps", paper="", equation="", result=sympy.Eq(x, 1, evaluate=False),
                claims=(claims.holds("sleeps for a minute", _sleep, "sleeping"),))
    return Derivation(name="sleepy", title=TITLE, paper="", steps=(step,))
