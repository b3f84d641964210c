"""Eq. (13): its quadratic form is the Boltzmann operator; the collision coefficient c = 1/2."""
from __future__ import annotations

import sympy

from derive.derivations.bosonization.collision import average_words, collision_operator
from derive.derivations.bosonization.eq13_from_eq11 import COLLISION_COEFFICIENT
from derive.derivations.bosonization.outline import OUTLINE
from derive.derivations.bosonization.symbols import (
    W_DEGREE,
    C_hat,
    F2_of,
    Lam,
    c_coll,
    direction,
    kernel,
    n_i,
    nc,
    nu,
    omega,
    scattered,
    theta,
    v_F,
    w_coefficients,
)
from derive.engines import claims
from derive.engines.expression_nodes import Average
from derive.engines.fermi_surface import AlongDirection
from derive.engines.supermatrix import (
    Str,
    SupertraceRules,
    supertrace_of,
)
from derive.engines.transport import (
    angular_harmonics,
)
from derive.model import Step

__all__ = ["eq13_boltzmann_normalisation"]


def _ra_supertrace(matrix: sympy.Matrix) -> sympy.Expr:
    """Str over retarded/advanced blocks: the sum of the supertraces of the two diagonal blocks."""
    rules = SupertraceRules(nc("unused"))
    return supertrace_of(matrix[0, 0], rules) + supertrace_of(matrix[1, 1], rules)


def _move_operator(expr: sympy.Expr, source: tuple, target: tuple, sign: int) -> sympy.Expr:
    """In two-letter supertraces move an operator from one factor to the other: Str(∂X·Y) → sign·Str(X·∂Y).

    ``source`` = (X, ∂X), ``target`` = (Y, ∂Y); sign −1 is an integration by parts (∇), +1 an operator
    symmetric under ∫dn (the collision integral Ĉ).
    """
    (x, dx), (y, dy) = source, target
    rules = SupertraceRules(nc("unused"))
    result = sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coeff, trace = term.as_independent(Str)
        if isinstance(trace, Str) and set(trace.args) == {dx, y} and len(trace.args) == 2:
            trace = sign * supertrace_of(x * dy, rules)
        result += coeff * trace
    return result


def _collision_identity_defect(d: int, degree: int) -> sympy.Expr:
    """⟨⟨w Str(P_n − P_n')²⟩⟩ − (2/n_i)⟨Str(P_n (ĈP)_n)⟩ for P_n in l ≤ 2 harmonics."""
    n, n2 = sympy.symbols(f"n1:{d + 1}", real=True), sympy.symbols(f"m1:{d + 1}", real=True)
    harmonics = angular_harmonics(n)
    coefficients = [nc(f"P_{name}") for name, _ in harmonics]
    field = lambda vec: sum((h.subs(dict(zip(n, vec, strict=True))) * p for (_, h), p in zip(harmonics, coefficients, strict=True)), sympy.Integer(0))
    w = sum(w_coefficients[k] * sum(a * b for a, b in zip(n, n2, strict=True)) ** k for k in range(degree + 1))
    rules = SupertraceRules(Lam, frozenset(coefficients))
    direct = average_words(w * (field(n) - field(n2)) ** 2, [n2, n])
    collided = collision_operator(field, w, n, n2)
    via_operator = average_words(2 * field(n) * collided / n_i, [n])
    return sympy.expand(supertrace_of(direct, rules) - supertrace_of(via_operator, rules))


def eq13_boltzmann_normalisation() -> Step:
    B, C, dB, dC, KB, KC = (nc(s) for s in ("B", "C", "\\nabla B", "\\nabla C", "\\hat{C}B", "\\hat{C}C"))
    lam = sympy.diag(1, -1)
    p, dp, kp = sympy.Matrix([[0, B], [C, 0]]), sympy.Matrix([[0, dB], [dC, 0]]), sympy.Matrix([[0, KB], [KC, 0]])
    liouville = sympy.pi * nu / 2 * v_F * _move_operator(_ra_supertrace(lam * p * dp), (B, dB), (C, dC), -1)
    frequency = sympy.pi * nu / 2 * sympy.I * omega / 2 * (-2) * _ra_supertrace(p * p)
    collision_term = c_coll * sympy.pi * nu * _move_operator(_ra_supertrace(p * kp), (B, KB), (C, KC), 1)
    expected = sympy.pi * nu * (v_F * Str(B, dC) - sympy.I * omega * Str(B, C) + 2 * c_coll * Str(B, KC))
    boltzmann = sympy.Eq(F2_of(nc("P")), sympy.pi * nu * Str(B * (-sympy.I * omega * C + v_F * AlongDirection(C) + 2 * c_coll * C_hat(C))))
    P_n, P_m = nc("P_{\\mathbf{n}}"), nc("P_{\\mathbf{n}'}")
    collision = sympy.Eq(Average(kernel(sympy.cos(theta)) * Str((P_n - P_m) ** 2), direction, scattered),
                         2 / n_i * Average(Str(P_n * C_hat(P_n)), direction))
    directions = (direction, scattered)   # the printed collision term of Eq. (13), over dn dn'
    return Step(
        **OUTLINE.header("eq13-boltzmann-normalisation"),
        result=boltzmann,
        claims=(
            claims.all_zero(r"$\langle\langle w \operatorname{Str}(P_n - P_{n'})^2 \rangle\rangle = "
                            r"\tfrac{2}{n_i} \langle \operatorname{Str} P_n (\hat{C} P)_n \rangle$, "
                            r"$(\hat{C} P)_n = n_i \langle w (P_n - P_{n'}) \rangle$, $d = 2$",
                            lambda: [_collision_identity_defect(2, W_DEGREE)], formula=collision),
            claims.all_zero(r"$\dots$ and $d = 3$ ($w$ linear in $n \cdot n'$)", lambda: [_collision_identity_defect(3, 1)],
                            formula=collision),
            claims.equal(r"with $P$ of off-diagonal retarded-advanced blocks $B$ and $C$, the Liouville, frequency and "
                         r"collision terms add up to $\pi \nu \operatorname{Str}[B (-i \omega + v_F n \cdot \nabla + 2 c \hat{C}) C]$ "
                         r"(by parts, $\hat{C}$ symmetric)",
                         lambda: sympy.expand(liouville + frequency + collision_term), lambda: sympy.expand(expected),
                         formula=boltzmann),
            claims.equal(r"cross-check: the coefficient derived from Eq. (11), $c = 1/2$, gives the Boltzmann operator "
                         r"$-i \omega + v_F n \cdot \nabla + \hat{C}$",
                         lambda: sympy.expand(expected.subs(c_coll, COLLISION_COEFFICIENT)),
                         lambda: sympy.expand(sympy.pi * nu * (v_F * Str(B, dC) - sympy.I * omega * Str(B, C) + Str(B, KC))),
                         formula=sympy.Eq(boltzmann.lhs, sympy.pi * nu * Str(          # F_2 at c = 1/2
                             B * (-sympy.I * omega * C + v_F * AlongDirection(C) + C_hat(C))), evaluate=False)),
        ),
        note=r"The Boltzmann equation $(-i \omega + v_F n \cdot \nabla + \hat{C}) f = 0$ with out-scattering rate "
             r"$1/\tau = n_i \int w$ requires $2 c = 1$, the value derived from Eq. (11) by the impurity average: the "
             r"collision term is $\tfrac{\pi \nu}{4} n_i \iint w \operatorname{Str}(P_n - P_{n'})^2$, half of the printed one.",
        printed=sympy.Eq(sympy.Symbol(r"F_{\mathrm{coll}}"), sympy.pi * nu / 2 * sympy.Integral(sympy.Function("w")(*directions) * Str(
            (nc("P_n") - nc("P_{n'}")) ** 2), *directions), evaluate=False),
        erratum=r"the notes on the bosonization paper, difference 6: this is the printed collision term; the derived one is "
                r"$\tfrac{\pi \nu}{4} n_i \iint w \operatorname{Str}(P_n - P_{n'})^2$",
    )
