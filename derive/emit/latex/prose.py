r"""Finds formulas typed as text in emitted LaTeX: ``\^{}``, ``\_``, ``\~{}``, Greek letter names and
function names (sqrt, exp, ln, Tr) outside math mode. A physicist writes them in ``$...$``.
"""
from __future__ import annotations

import re

_MATH = re.compile(
    r"\$\$.*?\$\$|\$.*?\$|\\\[.*?\\\]|\\\(.*?\\\)"
    r"|\\begin\{(equation|align|gather|multline)(\*?)\}.*?\\end\{\1\2\}",
    re.DOTALL,
)
_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_GREEK = (
    "alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau|"
    "upsilon|phi|varphi|chi|psi|omega|hbar|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Upsilon|Phi|Psi|Omega"
)
PSEUDO_MATH: dict[str, re.Pattern[str]] = {
    r"\^{}": re.compile(r"\\\^\{\}"),
    r"\_": re.compile(r"\\_"),
    r"\~{}": re.compile(r"\\~\{\}"),
    "Greek letter name": re.compile(rf"(?<![\\a-zA-Z])({_GREEK})(?![a-zA-Z])"),
    "function name": re.compile(r"(?<![\\a-zA-Z])(sqrt|exp|ln|Tr|Str)(?![a-zA-Z])"),
}


def text_outside_math(tex: str) -> str:
    """The prose of a LaTeX text: comments, math and the arguments of \\label/\\ref/\\eqref/\\cite removed."""
    body = tex.split(r"\begin{document}", 1)[-1]
    body = _COMMENT.sub("", body)
    body = _MATH.sub(" ", body)
    return re.sub(r"\\(label|ref|eqref|cite|input|bibitem)\{[^}]*\}", " ", body)


def pseudo_math(tex: str) -> dict[str, list[str]]:
    """{kind: occurrences} of formulas typed as text (empty kinds left out)."""
    prose = text_outside_math(tex)
    found = {kind: pattern.findall(prose) for kind, pattern in PSEUDO_MATH.items()}
    return {kind: [m if isinstance(m, str) else m[0] for m in hits] for kind, hits in found.items() if hits}


def pseudo_math_count(tex: str) -> int:
    """How many formulas typed as text ``tex`` holds."""
    return sum(len(hits) for hits in pseudo_math(tex).values())
