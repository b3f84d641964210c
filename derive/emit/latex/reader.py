r"""The project's LaTeX reader: the inverse of ``derive.emit.latex.printer`` for everything it emits.

``parse(text, symbols)`` reads one expression, relation or ``align`` display back into SymPy objects,
building the same node classes the printer prints (Tr, Str, StarProduct, DiagonalPhase,
PositionDerivative, ...). ``symbols`` is the derivation's symbol table (Symbols, MatrixSymbols,
undefined functions, or expressions to take them from): their printed names become tokens, so the
reader returns the very Symbols, assumptions and commutativity included, and noncommutative products
keep their order. Text it cannot read raises ``ValueError`` naming the position and the token.
"""
from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import lark
import sympy
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.matrices.expressions.diagonal import DiagonalOf
from sympy.physics.quantum import AntiCommutator, Commutator, Dagger
from sympy.stats.rv import RandomSymbol

from derive.emit.latex.grammar import GRAMMAR
from derive.emit.latex.printer import LatexPrinter
from derive.engines.expression_nodes import Average, PoissonBracket
from derive.engines.fermi_surface import AlongDirection, PositionDerivative, SphereGradient
from derive.engines.moyal import StarProduct
from derive.engines.phases import DiagonalPhase
from derive.engines.supermatrix import Str
from derive.engines.trace_expressions import DiagonalMatrix
from derive.engines.trln import Tr

SymbolTable = Mapping[str, object]

_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sinh": sympy.sinh, "cosh": sympy.cosh,
    "tanh": sympy.tanh, "coth": sympy.coth, "log": sympy.log, "ln": sympy.log, "exp": sympy.exp,
    "det": sympy.Determinant,
}
_NAMED_FUNCTIONS = {
    "sign": sympy.sign, "harmonic": sympy.harmonic, "im": sympy.im, "re": sympy.re, "asin": sympy.asin,
    "acos": sympy.acos, "atan": sympy.atan, "acot": sympy.acot, "asinh": sympy.asinh, "acosh": sympy.acosh,
    "atanh": sympy.atanh, "acoth": sympy.acoth, "erf": sympy.erf, "erfc": sympy.erfc,
}
_GREEK_CONSTANTS = {r"\pi": sympy.pi, r"\infty": sympy.oo}
_LETTER_CONSTANTS = {"i": sympy.I, "e": sympy.E}


def symbol_table(objects: Iterable[object] | Mapping[str, object] | None) -> dict[str, object]:
    """{printed name: object} for Symbols, MatrixSymbols and undefined functions, taken from the objects
    themselves or from the expressions given; a name printed by two different objects is an error."""
    if objects is None:
        return {}
    if isinstance(objects, Mapping):
        return dict(objects)
    printer = LatexPrinter()
    table: dict[str, object] = {}

    def add(text: str, obj: object) -> None:
        if table.get(text, obj) != obj:
            raise ValueError(f"two symbols print as {text!r}: {table[text]!r} and {obj!r}; the reader cannot tell them apart")
        table[text] = obj

    for obj in objects:
        leaves = [obj] if isinstance(obj, (sympy.Symbol, sympy.MatrixSymbol, UndefinedFunction, RandomSymbol)) else symbol_leaves(obj)
        for leaf in leaves:
            if isinstance(leaf, UndefinedFunction):
                add(printer._deal_with_super_sub(leaf.__name__), leaf)
                continue
            if isinstance(leaf, sympy.IndexedBase):
                add(f"{{{printer.doprint(leaf)}}}", leaf)    # {\mu}_{j} is mu[j]
                continue
            add(printer.doprint(leaf), leaf)
            if isinstance(leaf, sympy.MatrixSymbol) and leaf.shape[1] == 1:
                # \hat{v} is DiagonalMatrix(v); e^{i\hat{v}} is DiagonalPhase(v)
                add(printer.doprint(DiagonalMatrix(leaf)), DiagonalMatrix(leaf))
    return table


def symbol_leaves(expr: object) -> list[object]:
    """The Symbols, MatrixSymbols, IndexedBases and undefined functions of an expression, sorted by name."""
    if not isinstance(expr, sympy.Basic):
        raise TypeError(f"a symbol table holds SymPy symbols or expressions, not {type(expr).__name__}")
    # a sympy.stats random symbol prints as its name and is read back as itself (its distribution is
    # the definition of an Average over it); the Symbol and parameters inside it are not leaves
    randoms = expr.atoms(RandomSymbol)
    if randoms:
        expr = expr.xreplace({random: sympy.Dummy() for random in randoms})
    expr = without_limit_directions(expr)
    # an IndexedBase is one object: its label Symbol is not a second one (unless it also stands alone)
    bases = expr.atoms(sympy.IndexedBase)
    alone = expr.xreplace({base: sympy.Dummy() for base in bases}) if bases else expr
    found: list[object] = [*randoms, *bases, *(a for a in alone.atoms(sympy.Symbol, sympy.MatrixSymbol) if not isinstance(a, sympy.Dummy))]
    found += [application.func for application in expr.atoms(AppliedUndef)]
    return sorted(set(found), key=str)


def without_limit_directions(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with the direction of each Limit (SymPy keeps '+', '-', '+-' as a Symbol) taken out of its
    arguments: it is printed as ``0^{+}``, not as a name."""
    limits = expr.atoms(sympy.Limit)
    if not limits:
        return expr
    return expr.xreplace({limit: sympy.Function("Limit")(*limit.args[:3]) for limit in limits})


# The printed names of the symbol table are replaced, before lexing, by one private-use character each
# (KNOWN in the grammar): the parser is built once, and a name never splits into letters and scripts.
_FIRST_MARK = 0xE000
_COMMAND = re.compile(
    r"\\,\s*d|\\(begin|end|operatorname)\{[a-zA-Z*]+\}|\\left\[\s*\(\\mathbf\{n\}\\cdot\\partial\)|\\[a-zA-Z]+|\\.|.", re.DOTALL
)


@functools.lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    grammar = GRAMMAR + f"KNOWN.5: /[{chr(_FIRST_MARK)}-{chr(0xF8FF)}]/\n"
    return lark.Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False)


def _marked(text: str, table: SymbolTable) -> tuple[str, list[object], list[int]]:
    """``text`` with each printed name of the table (longest first) replaced by its mark, the objects in
    mark order, and for each character of the result its position in ``text`` (for error messages)."""
    names = sorted(table, key=len, reverse=True)
    out, objects, positions, marks, i, after_differential = [], [], [], {}, 0, False
    while i < len(text):
        name = next((n for n in names if text.startswith(n, i) and not _inside_a_word(text, i, len(n), after_differential)), None)
        if name is not None:
            if name not in marks:
                marks[name] = chr(_FIRST_MARK + len(objects))
                objects.append(table[name])
            out.append(marks[name])
            positions.append(i)
            after_differential = False
            i += len(name)
            continue
        # a command (\partial) or a character is copied whole: a name never starts inside a command
        piece = _COMMAND.match(text, i).group(0)
        after_differential = piece.startswith("\\,")   # the x of \, dx is a name though it follows d
        out.append(piece)
        positions.extend(range(i, i + len(piece)))
        i += len(piece)
    return "".join(out), objects, positions


def _inside_a_word(text: str, start: int, length: int, after_differential: bool = False) -> bool:
    """A name ``x`` must not be read out of ``xy`` or ``yx``: letters on either side belong to a longer word."""
    before = text[start - 1:start] if start and not after_differential else ""
    after = text[start + length:start + length + 1]
    return (text[start].isalpha() and before.isalpha()) or (text[start + length - 1].isalpha() and after.isalpha())


def _layout_removed(text: str) -> str:
    r"""An align display as one formula: alignment marks, \notag line breaks, \quad indents are layout."""
    text = text.replace(r"\notag", " ")
    text = re.sub(r"\\\\(\s*(&|$))", r" \2", text)
    text = text.replace("&=", "=")
    text = re.sub(r"(^|\n)\s*&", r"\1", text)
    return text


def parse(text: str, symbols: Iterable[object] | Mapping[str, object] | None = None) -> sympy.Basic:
    """Read printed LaTeX back into SymPy; ``symbols`` maps printed names back to the derivation's objects."""
    table = symbol_table(symbols)
    source = _layout_removed(text)
    marked, objects, positions = _marked(source, table)
    try:
        tree = _parser().parse(marked)
    except lark.exceptions.UnexpectedInput as error:
        raise ValueError(_message(source, marked, positions, error)) from None
    try:
        return _Builder(objects).transform(tree)
    except lark.exceptions.VisitError as error:
        raise ValueError(f"cannot read LaTeX {text!r}: {error.orig_exc}") from None


def _message(source: str, marked: str, positions: list[int], error: lark.exceptions.UnexpectedInput) -> str:
    position = getattr(error, "pos_in_stream", None)
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "start_pos", None) is not None:
        position = token.start_pos
    if token is not None and getattr(token, "type", "") == "$END":
        position = len(source)
    elif position is not None:
        position = positions[position] if position < len(positions) else len(source)
    if token is not None and getattr(token, "type", "") == "$END":
        shown = "end of text"
    elif token is not None and token.type != "KNOWN":
        shown = f'"{token}"'
    else:
        shown = f'"{source[position:position + 12]}"' if position is not None else '""'

    where = f"position {position}" if position is not None else "the end"
    context = source[max(0, (position or 0) - 20):(position or 0) + 20] if position is not None else source[-20:]
    return f"cannot read LaTeX at {where}: unexpected {shown} in ...{context}..."


@dataclass(frozen=True)
class _Factors:
    """A product as written, factor by factor: a trace keeps them as its word; elsewhere it is their product."""

    factors: tuple[sympy.Basic, ...]

    def value(self) -> sympy.Basic:
        return functools.reduce(operator.mul, self.factors)


@dataclass(frozen=True)
class _OpenIntegral:
    r"""``\int_a^b f\, dx\, dy``: an inner sign of a multiple integral holding the differentials of the outer
    signs, which the enclosing integrals take (the printer writes the outermost sign first, its differential
    last)."""

    body: sympy.Basic
    limits: tuple[tuple, ...]  # of the innermost signs, innermost first
    variables: tuple[sympy.Basic, ...]


def _value(item: object) -> sympy.Basic:
    if isinstance(item, _OpenIntegral):
        raise ValueError(f"an integral over {len(item.variables)} variables with {len(item.limits)} integral signs")
    return item.value() if isinstance(item, _Factors) else item


_BESSEL = {"j": sympy.jn, "y": sympy.yn, "J": sympy.besselj, "Y": sympy.bessely, "I": sympy.besseli, "K": sympy.besselk}


class _Builder(lark.Transformer):
    """Parse tree -> SymPy objects of the printer's node classes."""

    def __init__(self, objects: list[object]) -> None:
        super().__init__()
        self.objects = objects

    def _known(self, token: lark.Token) -> object:
        return self.objects[ord(str(token)) - _FIRST_MARK]

    # --- relations and sums ---------------------------------------------------------------------------
    def relation(self, items: list) -> sympy.Basic:
        sides, relations = [_value(items[0])], []
        for relation, side in zip(items[1::2], items[2::2], strict=True):
            relations.append(str(relation))
            sides.append(_value(side))
        if not relations:
            return sides[0]
        if len(relations) > 1:
            raise ValueError(f"a chain of relations {relations} is not one SymPy object")
        make = {"=": sympy.Eq, r"\le": sympy.Le, r"\leq": sympy.Le, r"\ge": sympy.Ge, r"\geq": sympy.Ge,
                "<": sympy.Lt, ">": sympy.Gt, r"\ne": sympy.Ne, r"\neq": sympy.Ne}[relations[0]]
        return make(sides[0], sides[1], evaluate=False)

    def sum(self, items: list) -> object:
        if len(items) == 1:
            return items[0]
        total = _value(items[0])
        for sign, term in zip(items[1::2], items[2::2], strict=True):
            total = total + _value(term) if sign == "+" else total - _value(term)
        return total

    def first_term(self, items: list) -> object:
        if len(items) == 2:
            return -_value(items[1]) if items[0] == "-" else _value(items[1])
        return items[0]

    def term(self, items: list) -> object:
        if len(items) == 1 and isinstance(items[0], _OpenIntegral):
            return items[0]  # the body of an enclosing integral sign
        factors = tuple(_value(item) for item in items if not isinstance(item, lark.Token))
        return factors[0] if len(factors) == 1 else _Factors(factors)

    # --- big operators --------------------------------------------------------------------------------
    def summation(self, items: list) -> sympy.Basic:
        _, index, _, low, high, body = items
        return sympy.Sum(_value(body), (_value(index), _value(low), _value(high)))

    def product(self, items: list) -> sympy.Basic:
        _, index, _, low, high, body = items
        return sympy.Product(_value(body), (_value(index), _value(low), _value(high)))

    def bounds(self, items: list) -> tuple:
        low, first, index, second, high = items
        if str(first) not in (r"\leq", r"\le") or str(second) not in (r"\leq", r"\le"):
            raise ValueError(rf"a \substack bound must read low \leq index \leq high, not {first} ... {second}")
        return (_value(index), _value(low), _value(high))

    def multi_summation(self, items: list) -> sympy.Basic:
        bounds = [item for item in items[1:-1] if isinstance(item, tuple)]
        return sympy.Sum(_value(items[-1]), *bounds)

    def multi_product(self, items: list) -> sympy.Basic:
        bounds = [item for item in items[1:-1] if isinstance(item, tuple)]
        return sympy.Product(_value(items[-1]), *bounds)

    def limit(self, items: list) -> sympy.Basic:
        _, variable, _, point, *rest = items
        direction = str(rest[0])[1] if len(rest) == 2 else None
        body, point = _value(rest[-1]), _value(point)
        if direction is None:
            # \lim_{x \to \infty} approaches from below, as SymPy writes it; at a finite point no sign
            # means both sides
            return sympy.Limit(body, _value(variable), point, "+-" if point.is_finite else "+")
        return sympy.Limit(body, _value(variable), point, direction)

    def limits(self, items: list) -> tuple:
        return (_value(items[1]), _value(items[2]))

    def differential(self, items: list) -> sympy.Basic:
        return _value(items[1])

    def integral(self, items: list) -> object:
        sign, rest = str(items[0]), items[1:]
        limits = rest.pop(0) if isinstance(rest[0], tuple) else None
        if isinstance(rest[0], _OpenIntegral):
            return self._enclosing(rest[0], limits, rest[1:])
        body, variables = _value(rest[0]), rest[1:]
        if not variables:
            raise ValueError(f"{sign} without a differential")
        if limits is not None and len(variables) > 1 and sign == r"\int":
            return _OpenIntegral(body, (limits,), tuple(variables))
        if sign.count("i") != len(variables) and sign != r"\int":
            raise ValueError(f"{sign} with {len(variables)} differentials")
        if limits is not None:
            if len(variables) != 1:
                raise ValueError("limits on an integral over several variables")
            return sympy.Integral(body, (variables[0], *limits))
        return sympy.Integral(body, *variables)

    @staticmethod
    def _enclosing(inner: _OpenIntegral, limits: tuple | None, variables: list) -> object:
        """An integral sign with limits around an open inner one: it takes the next differential of the inner's."""
        if limits is None or variables:
            raise ValueError("a multiple integral mixes signs with and without limits")
        taken = (*inner.limits, limits)
        if len(taken) < len(inner.variables):
            return _OpenIntegral(inner.body, taken, inner.variables)
        if len(taken) > len(inner.variables):
            raise ValueError(f"an integral over {len(inner.variables)} variables with {len(taken)} integral signs")
        return sympy.Integral(inner.body, *((variable, *bounds) for variable, bounds in zip(inner.variables, taken, strict=True)))

    # --- derivatives ----------------------------------------------------------------------------------
    def partial(self, items: list) -> sympy.Basic:
        variable, count, target = _value(items[1]), 1, _value(items[-1])
        if len(items) == 4:
            count = _value(items[2])
        if variable.is_integer:
            # ∂_i with an index i is the i-th position derivative (derive.engines.fermi_surface)
            if count != 1:
                raise ValueError(r"\partial_{i}^{n} of an index i")
            return PositionDerivative(target, variable)
        if isinstance(target, sympy.Derivative):
            return sympy.Derivative(target.expr, (variable, count), *target.variable_count)
        return sympy.Derivative(target, (variable, count))

    def sphere_gradient(self, items: list) -> sympy.Basic:
        return SphereGradient(_value(items[2]), _value(items[1]))

    def along_direction(self, items: list) -> sympy.Basic:
        return AlongDirection(_value(items[1]))

    # --- powers, products, star -----------------------------------------------------------------------
    def star(self, items: list) -> sympy.Basic:
        return StarProduct(_value(items[0]), _value(items[2]))

    def dagger(self, items: list) -> object:
        return _DAGGER

    def factorial(self, items: list) -> sympy.Basic:
        value = sympy.factorial(_value(items[0]))
        return value if len(items) == 2 else self.power([value, items[2]])

    def power(self, items: list) -> sympy.Basic:
        base, exponent = _value(items[0]), items[1]
        if exponent is _DAGGER:
            return Dagger(base)
        exponent = _value(exponent)
        if base == sympy.E:
            return _exponential(exponent)
        return sympy.Pow(base, exponent)

    # --- atoms ----------------------------------------------------------------------------------------
    def number(self, items: list) -> sympy.Basic:
        text = str(items[0])
        return sympy.Float(text) if "." in text else sympy.Integer(text)

    def known(self, items: list) -> object:
        obj = self._known(items[0])
        if isinstance(obj, UndefinedFunction):
            raise ValueError(f"the function {obj} appears without its arguments")
        return obj

    def indexed(self, items: list) -> sympy.Basic:
        base = self._known(items[0])
        if not isinstance(base, sympy.IndexedBase):
            raise ValueError(f"{items[0]} with a subscript is not an indexed object")
        # {\Delta}_{c,\kappa} is Delta[c, kappa]: the printer separates several indices by commas
        return base[tuple(_value(item) for item in items[1:])] if len(items) > 2 else base[_value(items[1])]

    def name(self, items: list) -> sympy.Basic:
        return self._symbol(str(items[0]))

    def subscripted(self, items: list) -> sympy.Basic:
        base = str(items[0])
        if len(items) == 1:
            return self._symbol(base)
        script = items[1]
        if base == r"\delta" and isinstance(script, _Factors) and len(script.factors) == 2:
            return sympy.KroneckerDelta(*script.factors)     # \delta_{i j}, as SymPy prints it
        if base == r"\gamma" and script == sympy.Symbol(r"\mathrm{E}"):
            return sympy.EulerGamma
        return sympy.Symbol(f"{base.lstrip(chr(92))}_{_subscript_text(items[1])}")

    def accented(self, items: list) -> sympy.Basic:
        accent, inner = str(items[0]).lstrip("\\"), _value(items[1])
        if inner == sympy.oo and accent == "tilde":
            return sympy.zoo
        if not isinstance(inner, sympy.Symbol):
            raise ValueError(f"\\{accent} over {inner}, which is not a name")
        return sympy.Symbol(f"{inner.name}{accent}")

    def font(self, items: list) -> sympy.Basic:
        return sympy.Symbol(rf"{items[0]}{{{items[1]}}}")

    def _symbol(self, text: str) -> sympy.Basic:
        if text in _LETTER_CONSTANTS:
            return _LETTER_CONSTANTS[text]
        if text in _GREEK_CONSTANTS:
            return _GREEK_CONSTANTS[text]
        return sympy.Symbol(text.lstrip("\\"))

    def paren(self, items: list) -> object:
        return _value(items[1])

    def fraction(self, items: list) -> sympy.Basic:
        return _value(items[1]) / _value(items[2])

    def root(self, items: list) -> sympy.Basic:
        if len(items) == 3:
            return sympy.root(_value(items[2]), _value(items[1]))
        return sympy.sqrt(_value(items[1]))

    def arguments(self, items: list) -> tuple:
        return tuple(_value(item) for item in items)

    def function(self, items: list) -> sympy.Basic:
        name = str(items[0]).lstrip("\\")
        exponent = _value(items[1]) if not isinstance(items[1], lark.Token) else None
        arguments = next(item for item in items if isinstance(item, tuple))
        value = _FUNCTIONS[name](*arguments)
        return value if exponent is None else value**exponent

    def named_function(self, items: list) -> sympy.Basic:
        name = str(items[1])
        if name not in _NAMED_FUNCTIONS:
            raise ValueError(rf"unknown function \operatorname{{{name}}}")
        exponent = _value(items[2]) if not isinstance(items[2], lark.Token) else None
        arguments = next(item for item in items if isinstance(item, tuple))
        value = _NAMED_FUNCTIONS[name](*arguments)
        return value if exponent is None else value**exponent

    def applied(self, items: list) -> sympy.Basic:
        name = _value(items[0]).name
        if name == "Gamma" and len(items[2]) == 1:
            return sympy.gamma(*items[2])       # \Gamma{\left(x \right)}, the printer's Euler gamma function
        return sympy.Function(name)(*items[2])

    def applied_known(self, items: list) -> sympy.Basic:
        function = self._known(items[0])
        if not isinstance(function, UndefinedFunction):
            raise ValueError(f"{items[0]} is the symbol {function}, applied to arguments as if a function")
        return function(*items[2])

    def bessel(self, items: list) -> sympy.Basic:
        # SymPy prints J_{nu}(x), Y, I, K (besselj, bessely, besseli, besselk) and j_{n}(x), y (jn, yn); the
        # order is any expression, read with the same grammar (and symbol table) as the rest.
        match = re.fullmatch(r"([jyJYIK])(?:\^\{(\d+)\})?_\{([^{}]*)\}\\left\(", str(items[0]))
        kind, exponent, order_text = match.groups()
        order = _value(self.transform(_parser().parse(order_text)))
        (argument,) = items[1]
        value = _BESSEL[kind](order, argument)
        return value if exponent is None else value ** int(exponent)

    def trace(self, items: list) -> sympy.Basic:
        word = items[2]
        factors = word.factors if isinstance(word, _Factors) else (_value(word),)
        if "{Str}" in str(items[0]):
            return Str(*factors)
        if all(getattr(factor, "is_Matrix", False) for factor in factors):
            return sympy.Trace(functools.reduce(operator.matmul, factors))
        return Tr(*factors)

    def diagonal_of(self, items: list) -> sympy.Basic:
        word = items[1]
        factors = word.factors if isinstance(word, _Factors) else (_value(word),)
        return DiagonalOf(functools.reduce(operator.matmul, factors))

    def order(self, items: list) -> sympy.Basic:
        return sympy.Order(_value(items[1]))

    def matrix(self, items: list) -> sympy.Basic:
        return sympy.ImmutableMatrix(items[2])

    def rows(self, items: list) -> list:
        return [row for row in items if not isinstance(row, lark.Token)]

    def row(self, items: list) -> list:
        return [_value(item) for item in items if not isinstance(item, lark.Token)]

    def absolute(self, items: list) -> sympy.Basic:
        # unevaluated, as a statement |u|^2 = ... is printed: SymPy would otherwise write |u|^2 out as u u*
        return sympy.Abs(_value(items[1]), evaluate=False)

    def average(self, items: list) -> sympy.Basic:
        over = items[3] if len(items) == 4 else ()
        return Average(_value(items[1]), *over)

    def commutator(self, items: list) -> sympy.Basic:
        return Commutator(_value(items[1]), _value(items[2]))     # [A, B] = A B - B A (sympy.physics.quantum)

    def poisson_bracket(self, items: list) -> sympy.Basic:
        return PoissonBracket(_value(items[1]), _value(items[2]))

    def anticommutator(self, items: list) -> sympy.Basic:
        return AntiCommutator(_value(items[1]), _value(items[2]))

    def binomial(self, items: list) -> sympy.Basic:
        return sympy.binomial(_value(items[1]), _value(items[2]))

    def conjugate(self, items: list) -> sympy.Basic:
        return sympy.conjugate(_value(items[1]))

    def extremum(self, items: list) -> sympy.Basic:
        return {"max": sympy.Max, "min": sympy.Min}[str(items[0]).lstrip("\\")](*items[2])


_DAGGER = object()   # the exponent {\dagger}: A^{\dagger} is Dagger(A)


def _subscript_text(script: object) -> str:
    value = _value(script)
    return str(value) if not isinstance(value, sympy.Symbol) else value.name


def _exponential(exponent: sympy.Basic) -> sympy.Basic:
    """e^{x}; e^{±i\\hat{v}} of a diagonal matrix is the DiagonalPhase the printer writes that way."""
    for sign in (1, -1):
        diagonal = sympy.expand(exponent / (sign * sympy.I))
        if isinstance(diagonal, DiagonalMatrix):
            return DiagonalPhase(diagonal.args[0], sign)
    return sympy.exp(exponent)
