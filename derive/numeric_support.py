"""Run-time helpers the generated numpy modules call (numpy only: importing them stays cheap)."""
from __future__ import annotations

import numpy


def complex_from_parts(real: object, imaginary: object) -> object:
    """real + 1j*imaginary; real arrays are written into one complex array instead of multiplied by 1j."""
    real, imaginary = numpy.asarray(real), numpy.asarray(imaginary)
    if numpy.iscomplexobj(real) or numpy.iscomplexobj(imaginary):
        return real + 1j * imaginary
    out = numpy.empty(numpy.broadcast_shapes(real.shape, imaginary.shape), dtype=numpy.result_type(real, imaginary, 1j))
    out.real = real
    out.imag = imaginary
    return out[()]
