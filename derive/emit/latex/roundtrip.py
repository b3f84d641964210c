"""Round trip of every emitted equation through SymPy's LaTeX parser (lark backend), compared by value.

The equation is printed exactly as the LaTeX section prints it (``display_lines``), by a printer that
marks its leaves; the marks are stripped again and the result must equal the emitted text byte for byte.
For parsing, each leaf becomes a placeholder token the parser reads as a plain symbol (``a_{1}``), the
alignment marks ``&``/``\\quad`` and line breaks of an ``align`` are removed, and the string goes through
``parse_latex(..., backend="lark")``. The parsed sides are compared with the source sides (leaves replaced
by the same placeholders) at random complex points: a dropped term, a lost sign, a wrong bracket or a
broken line shows as a different value, not as "it parsed".

What the parser cannot read is listed here, in one place, with the reason:
``NAME_LEAVES`` are names (their LaTeX is whatever the derivation chose, e.g. ``\\hat{\\chi}_{ll'}``), always
replaced by placeholders: the structure around them round-trips. ``OPAQUE_NODES`` are the nodes the parser
has no notation for; an equation containing one does NOT fully round-trip (its surrounding structure
is still compared) and is counted and listed by the test. ``KNOWN_DEFECTS`` are steps whose result is not
an equation at all, waiting for a fix in the derivation.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from derive.emit.latex.printer import LatexPrinter, display_lines
from derive.model import Derivation, Step

NAME_LEAVES: dict[str, str] = {
    "Symbol": "a symbol's LaTeX is the name its derivation chose (\\hat{\\chi}_{ll'}, V^0_{l}); the parser "
    "reads few of them, and some wrongly (V^{0} as V to the power 0)",
    "MatrixSymbol": "a matrix symbol is a name",
    "Pi": "the lark grammar of SymPy 1.14 has no \\pi",
    "EulerGamma": "the parser has no Euler constant",
}
OPAQUE_NODES: dict[str, str] = {
    "StarProduct": "the parser has no star product (\\star)",
    "Trace": "the parser has no operator trace (\\operatorname{Tr})",
    "Tr": "the parser has no operator trace (\\operatorname{Tr})",
    "Supertrace": "the parser has no supertrace (\\operatorname{Str})",
    "Derivative": "the parser has no partial derivative (\\partial_r)",
    "AppliedUndef": "an undefined function A(r, p) prints as A{\\left(r,p\\right)}, which the parser cannot read",
    "Integral": "integrals (over phase space, energies) are kept unevaluated, and \\int d\\xi needs a grammar the parser lacks",
    "Order": "the parser has no Landau symbol O(...)",
    "sign": "the parser has no \\operatorname{sign}",
    "coth": "the parser reads \\coth{(x)} as \\cot(h x)",
    "Sum": "the parser reads sums only with explicit limits",
    "harmonic": "the parser has no harmonic numbers",
    "Str": "the parser has no supertrace (\\operatorname{Str})",
    "im": "the parser has no \\operatorname{im} (imaginary part)",
    "re": "the parser has no \\operatorname{re} (real part)",
    "jn": "the parser has no spherical Bessel functions j_n",
    "yn": "the parser has no spherical Bessel functions y_n",
    "Product": "the parser reads products only with explicit limits",
    "PositionDerivative": "the parser has no partial derivative (\\partial_i)",
    "SphereGradient": "the parser has no gradient (\\nabla^{\\perp}_i)",
    "AlongDirection": "the parser has no directional derivative ((\\mathbf{n}\\cdot\\partial))",
}
NONCOMMUTATIVE = "operator order: the parser returns commutative symbols, so the order of noncommutative factors is not compared"
KNOWN_DEFECTS: dict[str, str] = {}

_PLACEHOLDER_LETTERS = "abcgkmnqsuvwxyz"  # no d (differentials), e, i (constants), f, h, l, t (\left, \coth misreads)
_POINTS = 4
_RELATIVE_TOLERANCE = 1e-9


class RoundTripError(ValueError):
    """An emitted equation did not parse back to its source expression."""


@dataclass(frozen=True)
class RoundTrip:
    """Outcome for one step: ``opaque`` names the reasons it does not fully round-trip (empty: it does)."""

    key: str
    latex: str
    opaque: tuple[str, ...]
    points: int
    trace_words: int = 0

    @property
    def complete(self) -> bool:
        return not self.opaque


def node_name(expr: sympy.Basic) -> str | None:
    """The NAME_LEAVES / OPAQUE_NODES entry a node falls under, or None for structure the parser reads."""
    if isinstance(expr, AppliedUndef):
        return "AppliedUndef"
    for cls in type(expr).__mro__:
        if cls.__name__ in OPAQUE_NODES or cls.__name__ in NAME_LEAVES:
            return cls.__name__
    return None


class _MarkingPrinter(LatexPrinter):
    """The section's printer, with each leaf wrapped in \\x01<index>\\x02 ... \\x03 marks."""

    def __init__(self) -> None:
        super().__init__()
        self.leaves: dict[sympy.Basic, int] = {}
        # Juxtaposed factors (SymPy's separator " ") get a mark that becomes an explicit \cdot for the
        # parser, whose grammar reads implicit products only after one-letter symbols and numbers.
        self._settings["mul_symbol_latex"] = JUXTAPOSITION + " "
        self.words: list[tuple[sympy.Basic, str]] = []

    def trace_word(self, expr: sympy.Basic) -> str:
        """The word inside Tr[...] / Str[...] is recorded: its brackets are compared on their own."""
        text = super().trace_word(expr)
        self.words.append((expr, text))
        return text

    def _print(self, expr: object, **kwargs: object) -> str:
        text = super()._print(expr, **kwargs)
        if isinstance(expr, sympy.Basic) and (node_name(expr) is not None or _powered_leaf_function(expr)):
            index = self.leaves.setdefault(expr, len(self.leaves))
            return f"\x01{index}\x02{text}\x03"
        if isinstance(expr, sympy.Function):
            # A function application is one group, as TeX reads it: the lark grammar would otherwise also
            # read \sin{(x)} + y as \sin(x + y).
            return f"{GROUP_OPEN}{text}{GROUP_CLOSE}"
        return text


def _powered_leaf_function(expr: sympy.Basic) -> bool:
    """f(x)**n of an opaque function prints as f^{n}(x): the power is inside the leaf's text, so it is one leaf."""
    return isinstance(expr, sympy.Pow) and isinstance(expr.base, sympy.Function) and node_name(expr.base) is not None


JUXTAPOSITION, GROUP_OPEN, GROUP_CLOSE = "\x04", "\x05", "\x06"
_MARK = re.compile("\x01\\d+\x02|[\x03-\x06]")


def strip_marks(text: str) -> str:
    return _MARK.sub("", text)


def placeholder(index: int) -> str:
    if index >= len(_PLACEHOLDER_LETTERS) * 10:
        raise RoundTripError(f"more than {len(_PLACEHOLDER_LETTERS) * 10} distinct leaves in one equation")
    return f"{_PLACEHOLDER_LETTERS[index // 10]}_{{{index % 10}}}"


def with_placeholders(text: str) -> str:
    """Each outermost marked leaf replaced by its placeholder token (nested marks go with it)."""
    out, i = [], 0
    while i < len(text):
        if text[i] != "\x01":
            out.append(text[i])
            i += 1
            continue
        close = text.index("\x02", i)
        out.append(" " + placeholder(int(text[i + 1:close])) + " ")
        depth, i = 1, close + 1
        while depth:
            depth += {"\x01": 1, "\x03": -1}.get(text[i], 0)
            i += 1
    # Spaces before a script would detach it from its placeholder; a juxtaposition is an explicit product.
    return re.sub(r"\s+(?=[\^_])", "", "".join(out)).replace(JUXTAPOSITION, r" \cdot ").replace(GROUP_OPEN, "{").replace(GROUP_CLOSE, "}")


def parseable_text(lines: list[str]) -> str:
    """The lines of a display as one formula: alignment marks, line breaks and the fixed-size brackets
    of a sum cut over lines (\\biggl( ... \\biggr)) are layout, not content."""
    text = " ".join(line.replace("&", " ").replace(r"\quad", " ") for line in lines)
    return text.replace(r"\biggl(", r"\left(").replace(r"\biggr)", r"\right)")


def parse_back(text: str, placeholders: set[str]) -> sympy.Basic:
    """parse_latex (lark) of ``text``; an ambiguous parse is resolved to its one reading made of placeholders.

    The lark grammar is ambiguous for ``a_{1} \\left(...\\right)`` (a product, or a function applied to its
    argument, or ``a_{1} \\le f t (...)``); only readings built from placeholders, numbers, ``i`` and ``e``
    and without undefined functions or inequalities are kept, and they must agree.
    """
    from sympy.parsing.latex import parse_latex

    try:
        parsed = parse_latex(text, backend="lark")
    except Exception as error:  # the lark parser raises its own exception types
        raise RoundTripError(f"parse_latex failed: {type(error).__name__}: {str(error).splitlines()[0]}") from None
    readings = [_constants(reading) for reading in _alternatives(parsed)]
    allowed = placeholders | {"i", "e"}
    readings = [
        reading for reading in readings
        if isinstance(reading, (sympy.Expr, sympy.Equality))
        and not reading.atoms(AppliedUndef)
        and {str(s) for s in reading.free_symbols} <= {str(sympy.Symbol(p)) for p in allowed}
    ]
    distinct = list({sympy.srepr(reading): reading for reading in readings}.values())
    if not distinct:
        raise RoundTripError(f"no reading of the parse is made of the placeholders only: {parsed}")
    if len(distinct) > 1 and not all(_same_values(distinct[0], other) for other in distinct[1:]):
        raise RoundTripError(f"the parse is ambiguous: {distinct}")
    return distinct[0]


def _alternatives(parsed: object) -> list[object]:
    if type(parsed).__name__ == "Tree" and getattr(parsed, "data", None) == "_ambig":
        return [reading for child in parsed.children for reading in _alternatives(child)]
    return [parsed]


def _constants(reading: object) -> object:
    """The parser returns i and e as symbols; they are the imaginary unit and Euler's number."""
    if isinstance(reading, sympy.Basic):
        return reading.xreplace({sympy.Symbol("i"): sympy.I, sympy.Symbol("e"): sympy.E})
    return reading


def _sides(expr: sympy.Basic) -> tuple[sympy.Basic, ...]:
    return (expr.lhs, expr.rhs) if isinstance(expr, sympy.Equality) else (expr,)


def _same_values(left: sympy.Basic, right: sympy.Basic, points: int = _POINTS, seed: int = 0) -> bool:
    """Equal sides at seeded random complex points (relative tolerance), after the placeholders get values."""
    if isinstance(left, sympy.Equality) != isinstance(right, sympy.Equality):
        return False
    symbols = sorted(set().union(*(side.free_symbols for side in _sides(left) + _sides(right))), key=str)
    rng = random.Random(seed)
    for _ in range(points):
        values = {s: sympy.Float(rng.uniform(0.3, 1.7), 20) + sympy.I * sympy.Float(rng.uniform(-0.7, 0.7), 20) for s in symbols}
        for a, b in zip(_sides(left), _sides(right)):
            x, y = complex(sympy.N(a.xreplace(values), 20)), complex(sympy.N(b.xreplace(values), 20))
            if abs(x - y) > _RELATIVE_TOLERANCE * max(1.0, abs(x), abs(y)):
                return False
    return True


def opaque_reasons(expr: sympy.Basic) -> tuple[str, ...]:
    """Why an expression does not fully round-trip: its opaque nodes, and noncommutative factors outside them."""
    reasons, pending = set(), [expr]
    while pending:
        node = pending.pop()
        name = node_name(node)
        if name in OPAQUE_NODES:
            reasons.add(f"{name}: {OPAQUE_NODES[name]}")
            continue
        if name is not None and node.is_commutative is False:
            reasons.add(f"noncommutative: {NONCOMMUTATIVE}")
        pending.extend(node.args)
    return tuple(sorted(reasons))


def round_trip(derivation: Derivation, step: Step) -> RoundTrip:
    """Parse the step's emitted equation back and compare it with ``step.result`` by value."""
    key = f"{derivation.name}/{step.id}"
    expr = step.result
    if not isinstance(expr, (sympy.Expr, sympy.Equality)):
        raise RoundTripError(f"{key}: the result is a {type(expr).__name__}, not an expression or equation")
    printer = _MarkingPrinter()
    marked = display_lines(expr, printer=printer)
    emitted = display_lines(expr)
    if [strip_marks(line) for line in marked] != emitted:
        raise RoundTripError(f"{key}: marking the leaves changed the printed LaTeX")
    names = {leaf: sympy.Symbol(placeholder(index)) for leaf, index in printer.leaves.items()}
    text = with_placeholders(parseable_text(marked))
    try:
        parsed = parse_back(text, {placeholder(index) for index in printer.leaves.values()})
    except RoundTripError as error:
        raise RoundTripError(f"{key}: {error} (parsed text: {text})") from None
    source = expr.xreplace(names) if not isinstance(expr, sympy.Equality) else sympy.Eq(*(s.xreplace(names) for s in _sides(expr)), evaluate=False)
    if not _same_values(_by_name(source), parsed):
        raise RoundTripError(f"{key}: parsed back to {parsed}, which differs in value from {source} (parsed text: {text})")
    for node, word in printer.words:
        _compare_trace_word(key, node, with_placeholders(word), names)
    return RoundTrip(key, "\n".join(emitted), opaque_reasons(expr), _POINTS, len(printer.words))


def _compare_trace_word(key: str, node: sympy.Basic, text: str, names: dict[sympy.Basic, sympy.Symbol]) -> None:
    """Inside an opaque Tr[...] / Str[...] the factors and their brackets still round-trip (as a commutative
    product: the parser cannot keep the order, but a sum that lost its brackets changes the value)."""
    source = _by_name(sympy.Mul(*(factor.xreplace(names) for factor in node.args)))
    placeholders = {str(symbol) for symbol in source.free_symbols}
    try:
        parsed = parse_back(text, placeholders | {str(s) for s in names.values()})
    except RoundTripError as error:
        raise RoundTripError(f"{key}: inside {type(node).__name__}[...]: {error} (parsed text: {text})") from None
    if not _same_values(source, parsed):
        raise RoundTripError(f"{key}: inside {type(node).__name__}[...]: parsed back to {parsed}, not {source} (parsed text: {text})")


def _by_name(expr: sympy.Basic) -> sympy.Basic:
    """Placeholders as plain symbols of the same name (the parser's symbols carry no assumptions)."""
    return expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})
