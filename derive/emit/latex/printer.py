r"""The LaTeX printer: SymPy's LatexPrinter with the project's own nodes, and displays broken over lines.

``latex`` prints one expression on one line; ``display_lines`` breaks a long equation at its top-level
``+``/``-`` signs into the lines of an amsmath ``align`` (``lhs &= a + b \\ &\quad + c``), so that no
line is wider than about ``DISPLAY_WIDTH`` characters of typeset math (the width of the text block of
a 10pt article, checked by the compile test's overfull-box scan).
"""
from __future__ import annotations

import itertools
import re
import unicodedata

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter as SympyLatexPrinter

from derive.engines.supermatrix import Str
from derive.engines.trln import Tr

# Estimated width (visible_width) of a display line: a character is 3.6-6.6pt of typeset math (measured
# on the derivations' equations), and the 345pt text block of a 10pt article keeps ~30pt for the number.
DISPLAY_WIDTH = 38
EXPONENT_WIDTH = 10   # a wider exponent of e is set as \exp(...) on the line
CONTINUATION = r"&\quad "
INNER_INDENT = r"\quad "   # lines inside a bracket cut over lines start one \quad further in


class LatexPrinter(SympyLatexPrinter):
    """LaTeX for derivation steps: \\operatorname{Tr}, \\operatorname{Str}, \\star, \\partial_r as in the papers.

    Every project node prints through one ``_print_<Class>`` method here (the nodes carry no ``_latex``);
    ``derive.emit.latex.reader`` holds the inverse rule of each.
    """

    def _print_StarProduct(self, expr: sympy.Basic) -> str:
        left, right = (
            rf"\left({self._print(argument)}\right)"
            # a product is bracketed too: (f M) * (g N) must not read as f (M * g) N
            if isinstance(argument, (sympy.Add, sympy.Mul, sympy.MatMul, type(expr)))
            else self._print(argument)
            for argument in expr.args
        )
        return rf"{left} \star {right}"

    def trace_word(self, expr: sympy.Basic) -> str:
        """The factors of Tr(a, b + c, -d) in order, bracketed when a sum or negative: a (b + c) (-d); Tr(a + b) is Tr[a + b]."""
        separator = self._settings["mul_symbol_latex"]
        return separator.join(
            rf"\left({self._print(factor)}\right)"
            if (isinstance(factor, sympy.Add) and len(expr.args) > 1) or (i > 0 and factor.could_extract_minus_sign())
            else self._print(factor)
            for i, factor in enumerate(expr.args)
        )

    def _word_trace(self, name: str, expr: sympy.Basic, exp: str | None) -> str:
        text = rf"\operatorname{{{name}}}\left[{self.trace_word(expr)}\right]"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print_Tr(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """derive.engines.trln.Tr(a, b, c): \\operatorname{Tr}\\left[a b c\\right], the word in order."""
        return self._word_trace("Tr", expr, exp)

    def _print_Str(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """derive.engines.supermatrix.Str(a, b): \\operatorname{Str}\\left[a b\\right]."""
        return self._word_trace("Str", expr, exp)

    def _print_Trace(self, expr: sympy.Basic) -> str:
        return rf"\operatorname{{Tr}}\left[{self._print(expr.arg)}\right]"

    def _print_DiagonalOf(self, expr: sympy.Basic) -> str:
        """sympy's DiagonalOf(A B): the diagonal of a matrix as a column, \\operatorname{diag}\\left[A B\\right]
        (square brackets: a function called diag prints \\operatorname{diag}{\\left(...\\right)})."""
        separator = self._settings["mul_symbol_latex"]
        word = expr.arg.args if isinstance(expr.arg, sympy.MatMul) else (expr.arg,)
        return rf"\operatorname{{diag}}\left[{separator.join(self._print(factor) for factor in word)}\right]"

    def _print_DiagonalMatrix(self, expr: sympy.Basic) -> str:
        """diag(v) of a vector v (derive.engines.trace_expressions): \\hat{v}."""
        return rf"\hat{{{self._print(expr.args[0])}}}"

    def _print_DiagonalPhase(self, expr: sympy.Basic) -> str:
        """e^{±i diag(chi)} (derive.engines.phases): e^{i\\hat{\\chi}}."""
        sign = "" if expr.sign > 0 else "-"
        return rf"e^{{{sign}i\hat{{{self._print(expr.chi)}}}}}"

    def _print_ComplexFromParts(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """re + i im (derive.engines.codegen_nodes): a + i \\left(b\\right)."""
        real, imaginary = expr.args
        text = f"{self._print(real)} + i \\left({self._print(imaginary)}\\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_PoissonBracket(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """derive.engines.expression_nodes.PoissonBracket(a, b): \\left\\{a, b\\right\\}_{\\mathrm{PB}}, apart from
        SymPy's anticommutator \\left\\{a,b\\right\\}."""
        text = rf"\left\{{{self._print(expr.args[0])}, {self._print(expr.args[1])}\right\}}_{{\mathrm{{PB}}}}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_Average(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """derive.engines.expression_nodes.Average(f, x): \\left\\langle f \\right\\rangle_{x}; no subscript
        for the ensemble average the paper leaves implicit."""
        text = rf"\left\langle {self._print(expr.expr)} \right\rangle"
        if expr.variables:
            text += "_{" + ", ".join(self._print(variable) for variable in expr.variables) + "}"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print(self, expr: object, **kwargs: object) -> str:
        # Euler's constant carries its own _latex (a bare \gamma, a symbol's name too), which SymPy's dispatch
        # prefers to any _print_<Class>: it is written as physicists do, \gamma_{\mathrm{E}}.
        if expr is sympy.EulerGamma:
            return r"\gamma_{\mathrm{E}}"
        return super()._print(expr, **kwargs)

    def _print_gamma(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """Euler's gamma function as an applied function, \\Gamma{\\left(x \\right)}: SymPy's \\Gamma\\left(x\\right)
        reads as the product of a symbol \\Gamma and (x)."""
        text = rf"\Gamma{{\left({self._print(expr.args[0])} \right)}}"
        return text if exp is None else rf"{{{text}}}^{{{exp}}}"

    def _print_ExpBase(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """e^{x}; a long or fractional exponent (unreadable as a superscript) as \\exp{\\left(... \\right)}."""
        argument = self._print(expr.args[0])
        if r"\frac" not in argument and visible_width(argument) <= EXPONENT_WIDTH:
            return super()._print_ExpBase(expr, exp)
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\exp{power}{{\left({argument} \right)}}"

    def _print_Determinant(self, expr: sympy.Basic) -> str:
        """\\det(A); SymPy's |A| reads as an absolute value."""
        return rf"\det{{\left({self._print(expr.arg)} \right)}}"

    def _operand(self, expr: sympy.Basic) -> str:
        text = self._print(expr)
        return rf"\left({text}\right)" if isinstance(expr, (sympy.Add, sympy.Mul, sympy.Sum)) else text

    def _print_PositionDerivative(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """∂_i f (derive.engines.fermi_surface)."""
        text = rf"\partial_{{{self._print(expr.args[1])}}} {self._operand(expr.args[0])}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_SphereGradient(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """∇⊥_i f, the gradient on the sphere of directions (derive.engines.fermi_surface)."""
        text = rf"\nabla^{{\perp}}_{{{self._print(expr.args[1])}}} {self._operand(expr.args[0])}"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_AlongDirection(self, expr: sympy.Basic, exp: str | None = None) -> str:
        """(n·∂) f, the derivative along the momentum direction (derive.engines.fermi_surface)."""
        text = rf"\left[(\mathbf{{n}}\cdot\partial) {self._operand(expr.args[0])}\right]"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        """Partial derivatives as the papers write them: \\partial_r^2 \\partial_p A(r, p)."""
        operators = " ".join(
            rf"\partial_{{{self._print(variable)}}}" + (f"^{{{count}}}" if count != 1 else "")
            for variable, count in expr.variable_count
        )
        target = self._print(expr.expr)
        if isinstance(expr.expr, (sympy.Add, sympy.Mul, sympy.Pow)):
            target = rf"\left({target}\right)"
        return f"{operators} {target}"

    def _print_Mul(self, expr: sympy.Mul) -> str:
        """A number in the denominator becomes a prefactor: -\\frac{\\hbar^2}{8} \\partial_p^2 A ..., not one tall
        fraction; so does a monomial denominator under a sum: \\frac{\\delta}{2\\pi^2}\\left(a + b\\right), and
        operator factors follow their commutative prefactor: \\frac{1}{2m}\\left(a + b\\right) X Y."""
        commutative, noncommutative = expr.args_cnc()
        big = self._big_operator_after_prefactor(expr)
        if big is not None:
            return big
        split = self._prefactor_and_sums(sympy.Mul(*commutative), allow_unit=bool(noncommutative))
        if split is not None:
            separator = self._settings["mul_symbol_latex"]
            factors = [self._print(factor) for factor in noncommutative]
            return separator.join([*split, *(rf"\left({t}\right)" if isinstance(f, sympy.Add) else t for f, t in zip(noncommutative, factors, strict=True))])
        denominator = sympy.fraction(expr)[1] if expr.is_commutative else None
        saved = self._settings["long_frac_ratio"]
        # a number below a product becomes its prefactor; a constant like 2\pi only below a long one
        # (\frac{1}{2\pi} \int ..., but \frac{a^2 \delta g_T}{4\pi} stays one fraction)
        self._settings["long_frac_ratio"] = (1 if denominator is not None and denominator.is_Number
                                             else 8 if denominator is not None and denominator.is_number else None)
        try:
            return super()._print_Mul(expr)
        finally:
            self._settings["long_frac_ratio"] = saved

    def _big_operator_after_prefactor(self, expr: sympy.Mul) -> str | None:
        """-\\frac{\\delta}{2\\pi^2} \\iint f\\, dz\\, dz', not the integral inside a tall fraction: a commutative product
        with one integral, sum, product or limit prints its prefactor first and the operator last (where the
        reader's operator body, which runs to the end of the product, ends too)."""
        if not expr.is_commutative:
            return None
        numerator, _ = sympy.fraction(expr)
        operators = [f for f in sympy.Mul.make_args(numerator) if isinstance(f, (sympy.Integral, sympy.Sum, sympy.Product, sympy.Limit))]
        if len(operators) != 1:
            return None
        prefactor = expr / operators[0]
        if prefactor.is_Number or prefactor.has(sympy.Integral, sympy.Sum, sympy.Product, sympy.Limit):
            return None
        operator = self._print(operators[0])
        if isinstance(operators[0], sympy.Limit) and not operator.endswith(r"\right)"):
            operator = rf"\left({operator}\right)"
        text = self._print(prefactor)
        if isinstance(prefactor, sympy.Add):
            text = rf"\left({text}\right)"
        return f"{text} {operator}"

    def _prefactor_and_sums(self, expr: sympy.Expr, allow_unit: bool) -> list[str] | None:
        """[\\frac{others}{denominator}, (sum), ...] for a commutative product with sums over a monomial, else None."""
        numerator, denominator = sympy.fraction(expr)
        sums = [factor for factor in sympy.Mul.make_args(numerator) if isinstance(factor, sympy.Add)]
        others = sympy.Mul(*(f for f in sympy.Mul.make_args(numerator) if not isinstance(f, sympy.Add)))
        if denominator == 1 or denominator.is_Number or denominator.has(sympy.Add) or (others == 1 and not allow_unit):
            return None
        if not sums:
            # \frac{1}{2m} \sum_i A_i B_i, not one tall fraction over an operator product
            return [self._print(others / denominator)] if allow_unit else None
        return [self._print(others / denominator), *(rf"\left({self._print(s)}\right)" for s in sums)]

    def _as_ordered_terms(self, expr: sympy.Basic, order: str | None = None) -> list[sympy.Basic]:
        """A truncated series (a sum with an O(x^n) term) in ascending powers of x, O(x^n) last, as
        physicists write it; any other sum in SymPy's order."""
        terms = super()._as_ordered_terms(expr, order=order)
        orders = [term for term in terms if isinstance(term, sympy.Order)]
        if not isinstance(expr, sympy.Add) or not orders:
            return terms
        variables = set().union(*(term.variables for term in orders))
        rest = [term for term in terms if not isinstance(term, sympy.Order)]
        return sorted(rest, key=lambda term: _degree_in(term, variables)) + orders

    def _print_Function(self, expr: sympy.Function, exp: str | None = None) -> str:
        # A project function class without its own _print_<Class> must not print as a generic f(x).
        if not isinstance(expr, AppliedUndef) and not type(expr).__module__.startswith("sympy."):
            raise TypeError(f"LatexPrinter has no rule for {type(expr).__name__} (add a _print_{type(expr).__name__} method)")
        if exp is not None and isinstance(expr, AppliedUndef):
            # (f(x))^2, not SymPy's f^{2}(x): a power of an undefined function reads as one, not as f^2 applied
            return rf"\left({super()._print_Function(expr)}\right)^{{{exp}}}"
        return super()._print_Function(expr, exp)

    def _print_Basic(self, expr: sympy.Basic) -> str:
        if not type(expr).__module__.startswith("sympy."):
            raise TypeError(f"LatexPrinter has no rule for {type(expr).__name__} (add a _print_{type(expr).__name__} method)")
        return super()._print_Basic(expr)

    def add_chunks(self, expr: sympy.Add, width: float | None = None) -> list[str]:
        """The terms of a sum as SymPy's _print_Add writes them, each with its sign: ['a', '- b', '+ c'];
        a term wider than ``width`` is cut inside its parenthesized sum (``product_chunks``)."""
        chunks = []
        for i, term in enumerate(self._as_ordered_terms(expr)):
            sign = "" if i == 0 else "+ "
            if i > 0 and term.could_extract_minus_sign():
                sign, term = "- ", -term
            text = self._print(term)
            if self._needs_add_brackets(term):
                text = rf"\left({text}\right)"
            pieces = self.product_chunks(term) if width is not None and visible_width(text) > width else None
            chunks += [sign + pieces[0], *pieces[1:]] if pieces else [sign + text]
        return chunks

    def product_chunks(self, term: sympy.Basic) -> list[str] | None:
        """A product with one sum among its factors, cut at the sum's signs: ['P \\biggl(a', '+ b', '+ c\\biggr) N'].

        P is the commutative prefactor (a fraction), N the noncommutative factors in their order; None when
        the term has no such sum."""
        if not isinstance(term, sympy.Mul):
            return self._trace_chunks(term)
        commutative, noncommutative = term.args_cnc()
        numerator, denominator = sympy.fraction(sympy.Mul(*commutative))
        sums = [factor for factor in sympy.Mul.make_args(numerator) if isinstance(factor, sympy.Add)]
        before: list[sympy.Basic] = []
        if not sums:
            # an operator-valued sum among the noncommutative factors: P A \biggl(a + b\biggr) B, order kept
            places = [i for i, factor in enumerate(noncommutative) if isinstance(factor, sympy.Add)]
            if len(places) != 1:
                return self._trace_split(term)
            before, sums, noncommutative = noncommutative[:places[0]], [noncommutative[places[0]]], noncommutative[places[0] + 1:]
        if len(sums) != 1 or visible_width(self._print(sums[0])) < DISPLAY_WIDTH / 4:
            return None   # cutting a short sum, (N + 1), leaves a line of its own for one term
        prefactor = sympy.Mul(*(f for f in sympy.Mul.make_args(numerator) if not isinstance(f, sympy.Add))) / denominator
        separator = self._settings["mul_symbol_latex"]
        bracketed = lambda factors: separator.join(  # noqa: E731
            rf"\left({self._print(f)}\right)" if isinstance(f, sympy.Add) else self._print(f) for f in factors)
        head = {1: "", -1: "- "}.get(prefactor, self._print(prefactor) + separator)
        head += bracketed(before) + separator if before else ""
        tail = bracketed(noncommutative)
        pieces = self.add_chunks(sums[0])
        pieces[0] = head + r"\biggl(" + pieces[0]
        pieces[-1] = pieces[-1] + r"\biggr)" + (separator + tail if tail else "")
        # Lines inside the bracket are indented one more \quad than the terms of the outer sum.
        return [pieces[0], *(INNER_INDENT + piece for piece in pieces[1:])]

    def _trace_chunks(self, trace: sympy.Basic) -> list[str] | None:
        """Str[B (a + b)] (one factor, a sum or a product with one sum) cut inside its bracket:
        ['\\operatorname{Str}\\biggl[B \\biggl(a', '+ b\\biggr)\\biggr]']; None for anything else."""
        if not isinstance(trace, (Tr, Str)) or len(trace.args) != 1:
            return None
        argument = trace.args[0]
        pieces = self.add_chunks(argument) if isinstance(argument, sympy.Add) else self.product_chunks(argument)
        if not pieces:
            return None
        pieces = [piece[len(INNER_INDENT):] if piece.startswith(INNER_INDENT) else piece for piece in pieces]
        pieces[0] = rf"\operatorname{{{'Str' if isinstance(trace, Str) else 'Tr'}}}\biggl[" + pieces[0]
        pieces[-1] += r"\biggr]"
        return [pieces[0], *(INNER_INDENT + piece for piece in pieces[1:])]

    def _trace_split(self, term: sympy.Mul) -> list[str] | None:
        """A product with one trace that can be cut (``_trace_chunks``) and no other sum: the factors before
        it in front of its first line, those after it behind its last."""
        factors = term.as_ordered_factors()
        cut = [(i, pieces) for i, pieces in enumerate(map(self._trace_chunks, factors)) if pieces]
        if len(cut) != 1:
            return None
        (place, pieces), = cut
        separator = self._settings["mul_symbol_latex"]
        before, after = factors[:place], factors[place + 1:]
        head = self._print(sympy.Mul(*before)) + separator if before else ""
        if before and sympy.Mul(*before) == -1:
            head = "- "
        pieces[0] = head + pieces[0]
        if after:
            pieces[-1] += separator + self._print(sympy.Mul(*after))
        return pieces


def _degree_in(term: sympy.Basic, variables: set[sympy.Symbol]) -> sympy.Expr:
    """Total power of ``variables`` in a product term (hbar^2 p r: 2 in hbar); 0 for a term without them. A
    derivative along a variable counts as one power of it: the series in the contact vector e has its
    order-e^4 term in Tr[d_e^2 R d_e^2 R] (d_e = e.grad)."""
    powers = sympy.Mul.make_args(term)
    total = sympy.Integer(0)
    for factor in powers:
        base, exponent = factor.as_base_exp()
        if base in variables and exponent.is_number:
            total += exponent
        elif exponent.is_number:
            derivatives = sum(count for node in sympy.preorder_traversal(base) if isinstance(node, sympy.Derivative)
                              for variable, count in node.variable_count if variable in variables)
            total += exponent * derivatives
    return total


def latex(expr: sympy.Basic, **settings: object) -> str:
    """LaTeX of one expression with the project's printer."""
    return LatexPrinter(settings).doprint(expr)


def notebook_latex(expr: sympy.Basic) -> str:
    """One expression for a notebook's _repr_latex_ (MathJax): inline display-style math."""
    return f"$\\displaystyle {latex(expr)}$"


def display_lines(expr: sympy.Basic, width: float = DISPLAY_WIDTH, printer: LatexPrinter | None = None) -> list[str]:
    """An equation as amsmath ``align`` lines, broken at top-level signs; one line when it fits.

    Continuation lines align after the ``=`` (``&\\quad + ...``), so their room is the width less the
    left-hand side. A left-hand side wider than a third of the line, or a right-hand side that cannot be
    broken (``... = O(\\hbar^4)``), puts the left-hand side on a line (or lines) of its own and ``= rhs``
    below it; then every line aligns at the left margin.
    """
    printer = printer or LatexPrinter()
    whole = printer.doprint(expr)
    if visible_width(whole) <= width:
        return [whole]
    if not isinstance(expr, sympy.Equality):
        return _packed(printer, expr, "&", width) or [whole]
    lhs, rhs = printer._print(expr.lhs), printer._print(expr.rhs)
    if visible_width(lhs) <= width / 3:
        # a short left-hand side stays in front; with nothing to break on the right the display is one line
        # (in a two-column paper it then spans both columns, ``wider_than_a_column``)
        return _packed(printer, expr.rhs, f"{lhs} &= ", width) or [whole]
    lhs_lines = (_packed(printer, expr.lhs, "&", width) if visible_width(lhs) > width else None) or ["&" + lhs]
    if visible_width(CONTINUATION + "= " + rhs) <= width:
        return [*lhs_lines, CONTINUATION + "= " + rhs]
    return [*lhs_lines, *(_packed(printer, expr.rhs, CONTINUATION + "= ", width) or [CONTINUATION + "= " + rhs])]


def _packed(printer: LatexPrinter, expr: sympy.Basic, head: str, width: float) -> list[str] | None:
    """The terms of a sum (or the pieces of a product with one sum) packed into lines starting with
    ``head``, then ``CONTINUATION``; None when ``expr`` has no place to break."""
    indent = visible_width(head.split("&")[0])
    budget = width - indent - visible_width(CONTINUATION)
    if isinstance(expr, sympy.Add):
        chunks = printer.add_chunks(expr, budget)
    elif isinstance(expr, sympy.Mul):
        chunks = printer.product_chunks(expr)
    else:
        return None
    if not chunks or len(chunks) == 1:
        return None
    lines, current = [], head
    for chunk in chunks:
        if current not in (head, CONTINUATION) and indent + visible_width(current + chunk) > width:
            lines.append(current.rstrip())
            current = CONTINUATION
        elif current not in (head, CONTINUATION) and chunk.startswith(INNER_INDENT):
            chunk = chunk[len(INNER_INDENT):]   # the extra indent of a bracket's terms belongs at a line start only
        current += chunk + " "
    return [*lines, current.rstrip()]


def wider_than_a_column(lines: list[str], width: float = DISPLAY_WIDTH) -> bool:
    """True when a display line stays wider than ``width`` after breaking (an unbreakable term): in a
    two-column paper it needs the full page width (revtex's ``widetext``)."""
    return any(visible_width(line) > width for line in lines)


_ZERO_WIDTH = re.compile(r"\\(left|right|operatorname|mathrm|mathcal|mathit|mathbf|hat|tilde|bar|dot|quad|displaystyle)(?![a-zA-Z])|[{}&\s]")
# Control characters (marks a subclass may put around leaves) are not typeset.
_UNTYPESET_MARKS = re.compile("\x01\\d*\x02|[\x00-\x08]")
_COMMAND = re.compile(r"\\([a-zA-Z]+|.)")
# Extra width (in characters) of the spaces TeX puts around binary operators and relations.
_SPACED = {"+": 1.2, "-": 1.2, "=": 1.6, "\\star": 1.2, "\\cdot": 1.2, "\\le": 1.6, "\\ge": 1.6, "\\approx": 1.6}
_WORD_COMMANDS = {"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "coth", "det", "max", "min", "lim"}
_WIDE_COMMANDS = {"biggl": 0.0, "biggr": 0.0, "partial": 1.1, "int": 1.2, "sum": 1.6, "sqrt": 1.0, "langle": 0.8, "rangle": 0.8, ",": 0.3, ";": 0.5, "!": -0.3, "quad": 2.0}


def visible_width(tex: str) -> float:
    """Estimated typeset width in characters of an italic letter: fractions count their wider part,
    scripts 0.7, function names their letters, binary operators their surrounding space."""
    tex, total, i = _UNTYPESET_MARKS.sub("", tex), 0.0, 0
    while i < len(tex):
        if tex.startswith(_MATRIX_BEGIN, i):
            body, i = _matrix_body(tex, i)
            total += _matrix_width(body)
            continue
        if tex.startswith(r"\frac", i):
            numerator, i = _braced(tex, i + len(r"\frac"))
            denominator, i = _braced(tex, i)
            total += max(visible_width(numerator), visible_width(denominator)) + 0.4
            continue
        if tex[i] in "^_":
            argument, i = _braced(tex, i + 1) if tex[i + 1:i + 2] == "{" else (tex[i + 1:i + 2], i + 2)
            total += 0.7 * visible_width(argument)
            continue
        if tex.startswith(r"\quad", i):
            total, i = total + _WIDE_COMMANDS["quad"], i + len(r"\quad")
            continue
        zero = _ZERO_WIDTH.match(tex, i)
        if zero:
            i = zero.end()
            continue
        command = _COMMAND.match(tex, i)
        token = command.group(0) if command else tex[i]
        i += len(token)
        name = token[1:] if command else ""
        total += len(name) * 0.9 if name in _WORD_COMMANDS else _WIDE_COMMANDS.get(name, 1.0)
        total += _SPACED.get(token, 0.0)
    return total


_MATRIX_BEGIN, _MATRIX_END = r"\begin{matrix}", r"\end{matrix}"
_MATRIX_COLUMN_GAP = 2.0   # amsmath's matrix puts 2 x \arraycolsep (about two letters) between columns


def _matrix_body(tex: str, i: int) -> tuple[str, int]:
    """The body of the matrix environment starting at i (nested ones included) and the index after its end."""
    depth, j = 0, i
    while j < len(tex):
        if tex.startswith(_MATRIX_BEGIN, j):
            depth, j = depth + 1, j + len(_MATRIX_BEGIN)
        elif tex.startswith(_MATRIX_END, j):
            depth, j = depth - 1, j + len(_MATRIX_END)
            if depth == 0:
                return tex[i + len(_MATRIX_BEGIN):j - len(_MATRIX_END)], j
        else:
            j += 1
    return tex[i + len(_MATRIX_BEGIN):], len(tex)


def _split_top_level(tex: str, separator: str) -> list[str]:
    """tex cut at each separator outside braces and nested environments (a \\substack's rows stay whole)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(tex):
        if tex.startswith(r"\begin{", i):
            depth += 1
        elif tex.startswith(r"\end{", i):
            depth -= 1
        elif tex[i] == "\\" and not tex.startswith(separator, i):
            i += 2   # an escaped character or a command's first letter: never a brace or separator
            continue
        elif tex[i] == "{":
            depth += 1
        elif tex[i] == "}":
            depth -= 1
        if depth == 0 and tex.startswith(separator, i):
            parts.append(tex[start:i])
            i = start = i + len(separator)
            continue
        i += 1
    return [*parts, tex[start:]]


def _matrix_width(body: str) -> float:
    """A matrix is as wide as its widest entries column by column, not as all its entries in a row."""
    rows = [_split_top_level(row, "&") for row in _split_top_level(body, r"\\")]
    columns = max(len(row) for row in rows)
    widths = [max(visible_width(row[c]) if c < len(row) else 0.0 for row in rows) for c in range(columns)]
    return sum(widths) + _MATRIX_COLUMN_GAP * (columns - 1)


def _braced(tex: str, i: int) -> tuple[str, int]:
    """The contents of the brace group starting at (or after spaces from) index i, and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex) or tex[i] != "{":
        return tex[i:i + 1], i + 1
    depth, start = 0, i
    for j in range(i, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        if depth == 0:
            return tex[start + 1:j], j + 1
    raise ValueError(f"unbalanced braces in {tex!r}")


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}", "#": r"\#",
    "&": r"\&", "%": r"\%", "$": r"\$", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}",
}
# Unicode in prose (titles, notes): pdflatex's utf8 input knows accented Latin letters, not these.
_UNICODE_TEXT = {"\u2013": "--", "\u2014": "---", "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''", "\u2026": r"\dots{}"}
_UNICODE_MATH = {
    "\u0127": r"\hbar", "\u2202": r"\partial", "\u222b": r"\int", "\u2211": r"\sum", "\u00d7": r"\times",
    "\u00b7": r"\cdot", "\u2192": r"\to", "\u2190": r"\leftarrow", "\u2264": r"\le", "\u2265": r"\ge",
    "\u2248": r"\approx", "\u2260": r"\ne", "\u00b1": r"\pm", "\u221e": r"\infty", "\u2212": "-", "\u221a": r"\surd",
    "\u2032": "'", "\u00b2": "^2", "\u00b3": "^3", "\u2074": "^4", "\u2070": "^0", "\u207b": "^-", "\u2099": "_n",
    "\u03b5": r"\varepsilon", "\u03d5": r"\phi", "\u03c6": r"\varphi", "\u21a6": r"\mapsto", "\u2297": r"\otimes",
    "\u2295": r"\oplus", "\u2208": r"\in", "\u2209": r"\notin", "\u2282": r"\subset", "\u2200": r"\forall",
    "\u2203": r"\exists", "\u2207": r"\nabla", "\u27e8": r"\langle", "\u27e9": r"\rangle", "\u2261": r"\equiv",
    "\u221d": r"\propto", "\u223c": r"\sim", "\u226a": r"\ll", "\u226b": r"\gg", "\u2194": r"\leftrightarrow",
    "\u21d2": r"\Rightarrow", "\u2020": r"^\dagger", "\u2218": r"\circ", "\u220f": r"\prod", "\u2016": r"\|",
    "\u2217": "*", "\u00bd": r"\tfrac{1}{2}", "\u00bc": r"\tfrac{1}{4}", "\u22a5": r"^\perp", "\u00b9": "^1", "\u2071": "^i", "\u1d40": "^T",
    **{chr(0x2080 + k): f"_{k}" for k in range(10)}, **{chr(0x2074 + k - 4): f"^{k}" for k in range(4, 10)},
}
_LATIN_LOOKING_CAPITALS = {
    "alpha": "A", "beta": "B", "epsilon": "E", "zeta": "Z", "eta": "H", "iota": "I", "kappa": "K", "mu": "M",
    "nu": "N", "omicron": "O", "rho": "P", "tau": "T", "chi": "X",
}
_COMBINING_ACCENTS = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0307": r"\dot"}


_MATH_SPAN = re.compile(r"\$[^$]+\$")


def escape_text(text: str) -> str:
    """Prose (notes, claim statements) made safe for LaTeX text mode; Greek and math signs go to math mode.

    A derivation may write math in its prose as ``$...$`` (e.g. ``"the $\\hbar^2/24$ term"``): such spans
    are kept as LaTeX; an odd number of ``$`` means none is math, and each is escaped.
    """
    if text.count("$") % 2:
        return _escape_prose(text)
    pieces, last = [], 0
    for match in _MATH_SPAN.finditer(text):
        pieces += [_escape_prose(text[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(pieces) + _escape_prose(text[last:])


def _escape_prose(text: str) -> str:
    pieces: list[tuple[bool, str]] = []
    for i, character in enumerate(text):
        if character in _COMBINING_ACCENTS:
            continue
        accent = _COMBINING_ACCENTS.get(text[i + 1], "") if i + 1 < len(text) else ""
        math = _math_character(character)
        if math is None and accent and character.isascii() and character.isalpha():
            math = character                    # T̄ → $\bar{T}$: an accented Latin letter is a symbol
        if math is not None:
            pieces.append((True, f"{accent}{{{math}}}" if accent else math + " "))
        else:
            pieces.append((False, _TEXT_ESCAPES.get(character) or _UNICODE_TEXT.get(character) or character))
    runs = itertools.groupby(pieces, key=lambda piece: piece[0])
    return "".join(f"${_merge_scripts([t for _, t in run])}$" if is_math else "".join(t for _, t in run) for is_math, run in runs)


def _merge_scripts(pieces: list[str]) -> str:
    """Consecutive superscript (subscript) characters become one script: ⁻¹ is ^{-1}, not a double superscript."""
    merged: list[str] = []
    for piece in pieces:
        if piece[0] in "^_" and merged and merged[-1][0] == piece[0]:
            merged[-1] = merged[-1] + piece[1:]
        else:
            merged.append(piece)
    return " ".join(f"{m[0]}{{{m[1:].strip()}}}" if m[0] in "^_" else m.strip() for m in merged).strip()


def _math_character(character: str) -> str | None:
    """The math-mode form of a Greek letter or math sign, or None for ordinary text."""
    if character == "|":
        return "|"      # in text, OT1 fonts (a section \input into a paper without T1) print | as an em dash
    if character in _UNICODE_MATH:
        return _UNICODE_MATH[character]
    name = unicodedata.name(character, "")
    if name.startswith("GREEK SMALL LETTER ") or name.startswith("GREEK CAPITAL LETTER "):
        letter = name.split(" LETTER ", 1)[1].lower().replace(" ", "")
        letter = {"lamda": "lambda"}.get(letter, letter)
        if "CAPITAL" in name:
            return _LATIN_LOOKING_CAPITALS.get(letter, "\\" + letter.capitalize())
        return "\\" + letter
    return None
