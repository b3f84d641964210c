r"""Expression nodes for statements the papers write with notation SymPy has no class for.

``Average(expr, *over)`` is the average :math:`\langle \mathrm{expr} \rangle_{\mathrm{over}}`: a real node
(never a Symbol named ``\langle ... \rangle``), printed by ``LatexPrinter._print_Average`` and read back by
``derive.latex.parse``. It is defined (``doit`` evaluates it) when every variable averaged over is a
``sympy.stats`` random symbol, which carries its distribution: ``Average(cos(phi)**2, phi)`` with
``phi = sympy.stats.Uniform("phi", 0, 2*pi)`` is 1/2. Over plain symbols (an ensemble the derivation
does not model, e.g. the disorder or the sigma-model field) it stays a statement: ``doit`` evaluates the
inside only. With no variables at all it is the ensemble average the paper leaves implicit.

``PoissonBracket(A, B)`` is the classical bracket :math:`\{A, B\}_{\mathrm{PB}}` of phase-space functions,
kept unevaluated so that a statement about brackets of brackets can be shown as the paper writes it. Its
phase space is read off the undefined functions inside: ``W(r, p)``, or ``W(r_1, ..., r_d, p_1, ..., p_d)``
(positions first, then momenta, as ``derive.engines.moyal`` orders them); ``doit`` writes it out.
"""
from __future__ import annotations

import sympy
from sympy.stats.rv import RandomSymbol

__all__ = ["Average", "PoissonBracket"]


class Average(sympy.Expr):
    r"""The average :math:`\langle \mathrm{expr} \rangle` over ``over`` (Symbols or sympy.stats random symbols).

    Commutative exactly when ``expr`` is: the average of an operator-valued (noncommutative) expression
    keeps its place in a product."""

    def __new__(cls, expr: sympy.Basic, *over: sympy.Basic) -> Average:
        expr = sympy.sympify(expr)
        for variable in over:
            if not isinstance(variable, (sympy.Symbol, RandomSymbol)):
                raise TypeError(f"Average: over must be Symbols or random symbols, not {variable!r}")
        if len(set(over)) != len(over):
            raise ValueError(f"Average: a variable is averaged over twice in {over}")
        return sympy.Expr.__new__(cls, expr, *over)

    @property
    def expr(self) -> sympy.Basic:
        return self.args[0]

    @property
    def variables(self) -> tuple[sympy.Basic, ...]:
        return self.args[1:]

    @property
    def is_commutative(self) -> bool | None:  # type: ignore[override]
        return self.args[0].is_commutative

    @property
    def free_symbols(self) -> set[sympy.Basic]:
        # A variable averaged over is bound, like an integration variable, unless it is a random symbol
        # (sympy.stats keeps those free: they name the distribution).
        bound = {v for v in self.variables if isinstance(v, sympy.Symbol)}
        return self.expr.free_symbols - bound

    @property
    def is_defined(self) -> bool:
        """True when ``doit`` can evaluate it: every variable carries a distribution, and every random
        symbol inside is averaged over."""
        variables = set(self.variables)
        return bool(variables) and all(isinstance(v, RandomSymbol) for v in variables) and self.expr.atoms(RandomSymbol) <= variables

    def doit(self, **hints: object) -> sympy.Basic:
        expr = self.expr.doit(**hints) if hints.get("deep", True) else self.expr
        if self.is_defined and expr.is_commutative:
            from sympy.stats import E

            return E(expr)
        return self.func(expr, *self.variables)

    def _sympystr(self, printer: object) -> str:
        inside = printer._print(self.expr)
        return f"Average({inside}{''.join(', ' + printer._print(v) for v in self.variables)})"


class PoissonBracket(sympy.Expr):
    r"""The Poisson bracket :math:`\{A, B\}_{\mathrm{PB}} = \sum_\mu (\partial_{r_\mu} A \partial_{p_\mu} B - \partial_{p_\mu} A
    \partial_{r_\mu} B)`, unevaluated; noncommutative when either argument is (factor order kept)."""

    def __new__(cls, a: sympy.Basic, b: sympy.Basic) -> PoissonBracket:
        return sympy.Expr.__new__(cls, sympy.sympify(a), sympy.sympify(b))

    @property
    def is_commutative(self) -> bool | None:  # type: ignore[override]
        return self.args[0].is_commutative and self.args[1].is_commutative

    def phase_space(self) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
        """(positions, momenta): the common arguments of the undefined functions inside, split in halves."""
        from sympy.core.function import AppliedUndef

        signatures = {call.args for call in self.atoms(AppliedUndef)}
        if len(signatures) != 1:
            raise ValueError(f"PoissonBracket: the undefined functions inside must share one phase space, found {signatures or 'none'}")
        (variables,) = signatures
        if len(variables) % 2 or not all(isinstance(v, sympy.Symbol) for v in variables):
            raise ValueError(f"PoissonBracket: phase-space arguments must be 2d symbols (positions, momenta), got {variables}")
        half = len(variables) // 2
        return variables[:half], variables[half:]

    def doit(self, **hints: object) -> sympy.Basic:
        from derive.engines.moyal import poisson_bracket

        positions, momenta = self.phase_space()
        a, b = (argument.doit(**hints) for argument in self.args)
        return poisson_bracket(a, b, positions, momenta)

    def _sympystr(self, printer: object) -> str:
        return f"PoissonBracket({printer._print(self.args[0])}, {printer._print(self.args[1])})"
