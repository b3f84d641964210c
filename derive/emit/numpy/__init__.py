"""The numpy target (printer, trace code, module rendering)."""
from derive.emit.numpy.module import TARGET

__all__ = ["TARGET"]
