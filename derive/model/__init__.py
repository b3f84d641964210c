"""The records of a derivation (data only): Step, Claim, Argument, Export, Constant, Table, Derivation,
Verdict, Record, and the ClaimFailed error that carries a step and its verdict."""
from derive.model.outline import Outline, StepOutline
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

__all__ = ["Argument", "Claim", "ClaimFailed", "Constant", "Derivation", "Export", "Outline", "Record", "Step",
           "StepOutline", "Table", "Verdict"]
