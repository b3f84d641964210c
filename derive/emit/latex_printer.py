"""The LaTeX printer: SymPy's LatexPrinter with the project's own nodes (star product, traces)."""
from __future__ import annotations

import sympy
from sympy.printing.latex import LatexPrinter as SympyLatexPrinter


class LatexPrinter(SympyLatexPrinter):
    """LaTeX for derivation steps: \\operatorname{Tr}, \\star, ... as in the papers."""

    def _print_StarProduct(self, expr: sympy.Basic) -> str:
        left, right = (
            rf"\left({self._print(argument)}\right)"
            if isinstance(argument, (sympy.Add, type(expr))) or (isinstance(argument, sympy.Mul) and argument.could_extract_minus_sign())
            else self._print(argument)
            for argument in expr.args
        )
        return rf"{left} \star {right}"

    def _print_Trace(self, expr: sympy.Basic) -> str:
        return rf"\operatorname{{Tr}}\left[{self._print(expr.arg)}\right]"


def latex(expr: sympy.Basic, **settings: object) -> str:
    """LaTeX of one expression with the project's printer."""
    return LatexPrinter(settings).doprint(expr)


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}", "#": r"\#",
    "&": r"\&", "%": r"\%", "$": r"\$", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}",
}


def escape_text(text: str) -> str:
    """Plain prose (notes, claim statements) made safe for LaTeX text mode."""
    return "".join(_TEXT_ESCAPES.get(character, character) for character in text)
