"""The Liouville operator {{f, H}} for H = p²/2m + U with its first quantum correction (the step Eq. (10) builds on)."""
from __future__ import annotations

from functools import partial

import sympy

from derive.derivations.moyal.fields import displayed_bracket, stars_evaluated, undefined
from derive.derivations.moyal.outline import OUTLINE
from derive.derivations.moyal.references import hbar, phase_space_symbols, truncate
from derive.engines import claims
from derive.engines.moyal import StarProduct
from derive.model import Step

__all__ = ["eq10_liouville_operator", "liouville_with_correction"]


def liouville_with_correction(f: sympy.Expr, potential: sympy.Expr, mass: sympy.Symbol, d: int) -> sympy.Expr:
    """p.grad_r f / m - grad U . grad_p f + (hbar^2/24) sum_ijk d_ijk U d_{p_i p_j p_k} f."""
    rs, ps = phase_space_symbols(d)
    classical = sum(k * sympy.diff(f, x) / mass - sympy.diff(potential, x) * sympy.diff(f, k) for x, k in zip(rs, ps, strict=True))
    correction = sum(
        sympy.diff(potential, rs[i], rs[j], rs[k]) * sympy.diff(f, ps[i], ps[j], ps[k])
        for i in range(d) for j in range(d) for k in range(d)
    )
    return classical + hbar**2 / 24 * correction


def eq10_liouville_operator() -> Step:
    """{{f, H}} is the Liouville operator plus (hbar²/24) U''' f_ppp, in d = 1, 2, 3."""
    mass = sympy.Symbol("m", positive=True)

    def pieces(d: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
        rs, ps = phase_space_symbols(d)
        potential = sympy.Function("U")(*rs)
        hamiltonian = sum(k**2 for k in ps) / (2 * mass) + potential
        return undefined("f", d), hamiltonian, potential

    def statement(d: int, order: int) -> sympy.Eq:
        """f*H = H*f + i hbar (Liouville operator + hbar^2 correction) f + O(hbar^(order + 2)): {{f, H}} through hbar^order."""
        f, hamiltonian, potential = pieces(d)
        # expanded: one displayed term per derivative pair
        liouville = sympy.expand(sympy.I * hbar * liouville_with_correction(f, potential, mass, d))
        return sympy.Eq(StarProduct(f, hamiltonian), StarProduct(hamiltonian, f) + liouville + sympy.O(hbar ** (order + 2)),
                        evaluate=False)

    def defect(d: int, order: int, formula: sympy.Eq) -> list[sympy.Expr]:
        """Both sides of the statement, the star products evaluated, through hbar^(order + 1)."""
        left, right = stars_evaluated(formula.lhs, d, order + 1), stars_evaluated(formula.rhs, d, order + 1)
        return [truncate(left - right, order + 1)]

    f, hamiltonian, potential = pieces(1)
    return Step(
        **OUTLINE.header("liouville-operator"),
        result=sympy.Eq(
            displayed_bracket(f, hamiltonian),
            liouville_with_correction(f, potential, mass, 1) + sympy.O(hbar**4),
            evaluate=False,
        ),
        claims=tuple(
            claims.all_zero(f"$\\{{\\{{f, H\\}}\\}}$ through $\\hbar^{{{order}}}$ is the Liouville operator plus "
                            f"$(\\hbar^2/24)\\,\\partial^3 U\\,\\partial_p^3 f$ in $d = {d}$: with $\\{{\\{{f, H\\}}\\}} = "
                            f"(f\\star H - H\\star f)/i\\hbar$,", partial(defect, d, order, formula), formula=formula)
            for d, order in ((1, 2), (1, 3), (2, 2), (3, 2))
            for formula in (statement(d, order),)
        ),
        note=(
            "For $H = p^2/2m + U(r)$ the bracket $\\{\\{f, H\\}\\}$ is the classical Liouville operator acting on $f$ "
            "plus $(\\hbar^2/24)\\,\\partial^3U\\,\\partial_p^3 f$; no $\\hbar^1$ or $\\hbar^3$ term appears."
        ),
    )
