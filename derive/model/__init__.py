"""The records of a derivation (data only): Step, Claim, Argument, Export, Constant, Table, Derivation,
Verdict, Record, and the ClaimFailed error that carries a step and its verdict.

The records import SymPy; they are loaded on first use (PEP 562), so reading an ``Outline`` (``derive
list``) does not pay for SymPy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from derive.model.outline import Outline, StepOutline

if TYPE_CHECKING:
    from derive.model.records import (
        Argument,
        Claim,
        ClaimFailed,
        Constant,
        Derivation,
        Export,
        Record,
        Step,
        Table,
        Verdict,
    )

_RECORDS = ("Argument", "Claim", "ClaimFailed", "Constant", "Derivation", "Export", "Record", "Step", "Table", "Verdict")

__all__ = ["Argument", "Claim", "ClaimFailed", "Constant", "Derivation", "Export", "Outline", "Record", "Step",
           "StepOutline", "Table", "Verdict"]


def __getattr__(name: str) -> object:
    if name in _RECORDS:
        from derive.model import records

        return getattr(records, name)
    raise AttributeError(f"module 'derive.model' has no attribute {name!r}")
