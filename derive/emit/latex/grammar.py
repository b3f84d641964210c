r"""The lark grammar of the LaTeX the project's printer writes (``derive.emit.latex.printer``).

One rule per printer form: ``\operatorname{Tr}\left[...\right]`` (``_print_Tr``), ``\star``
(``_print_StarProduct``), ``\partial_{r}^{2}`` (``_print_Derivative``), ``\nabla^{\perp}_{k}``,
``\left[(\mathbf{n}\cdot\partial) f\right]``, ``e^{i\hat{\chi}}``, and SymPy's own forms the sections
use (fractions, powers, ``f{\left(x \right)}``, ``O\left(x\right)``, sums, integrals, matrices).
The terminal ``KNOWN`` is filled per symbol table with the printed names of the derivation's symbols,
longest first, so that ``V^0_{l}`` or ``\hat{\chi}_{ll'}`` read back as the very Symbol they came from.
"""
from __future__ import annotations

GRAMMAR = r"""
?start: relation

relation: sum ((REL | EQ) sum)*

sum: first_term (ADDOP term)*
first_term: ADDOP? term

term: factor (MULOP? factor)*

?factor: unit
       | big_operator

big_operator: SUM "_" "{" sum EQ sum "}" "^" script term        -> summation
            | PROD "_" "{" sum EQ sum "}" "^" script term       -> product
            | SUM "_" "{" SUBSTACK "{" bounds (ROWSEP bounds)* "}" "}" term -> multi_summation
            | PROD "_" "{" SUBSTACK "{" bounds (ROWSEP bounds)* "}" "}" term -> multi_product
            | INT limits? term differential*                     -> integral
            | LIM "_" "{" sum TO sum DIRECTION? "}" term           -> limit

bounds: sum REL sum REL sum

limits: LIMITS "_" script "^" script
differential: DIFF unit

?unit: star
     | derivative

derivative: PARTIAL script ("^" script)? unit                    -> partial
          | NABLA_PERP script unit                               -> sphere_gradient
          | ALONG unit RSQ                                       -> along_direction

?star: power (STAR power)?

?power: primary ("^" script)?
      | primary BANG ("^" script)?                               -> factorial

?script: "{" sum "}"
       | NUMBER -> number
       | LETTER -> name
       | "{" DAGGER "}" -> dagger

?primary: NUMBER                                                 -> number
        | KNOWN                                                  -> known
        | KNOWN "_" script                                       -> indexed
        | KNOWN "_" "{" sum ("," sum)+ "}"                       -> indexed
        | name
        | LPAREN sum RPAREN                                      -> paren
        | "{" sum "}"
        | FRAC "{" sum "}" "{" sum "}"                           -> fraction
        | SQRT ("[" sum "]")? "{" sum "}"                        -> root
        | FUNC ("^" script)? APPLY arguments RPAREN "}"          -> function
        | OPNAME "{" LETTERS "}" ("^" script)? APPLY arguments RPAREN "}" -> named_function
        | name APPLY arguments RPAREN "}"                        -> applied
        | KNOWN APPLY arguments RPAREN "}"                       -> applied_known
        | BESSEL arguments RPAREN                                -> bessel
        | TRACE LSQ sum RSQ                                      -> trace
        | DIAG_OF sum RSQ                                        -> diagonal_of
        | ORDER sum RPAREN                                       -> order
        | LSQ BEGIN_MATRIX rows END_MATRIX RSQ                   -> matrix
        | LANGLE sum RANGLE ("_" "{" arguments "}")?             -> average
        | LSQ sum "," sum RSQ                                    -> commutator
        | LBRACE sum "," sum RBRACE_PB                           -> poisson_bracket
        | LBRACE sum "," sum RBRACE                              -> anticommutator
        | BINOM "{" sum "}" "{" sum "}"                          -> binomial
        | OVERLINE "{" sum "}"                                   -> conjugate
        | EXTREMUM LPAREN arguments RPAREN                       -> extremum
        | ABS_OPEN sum ABS_CLOSE                                 -> absolute

name: ACCENT "{" name "}"                                        -> accented
    | FONT "{" LETTERS "}"                                       -> font
    | base_name ("_" script)?                                    -> subscripted
?base_name: LETTER | GREEK

arguments: sum ("," sum)*
rows: row (ROWSEP row)*
row: sum ("&" sum)*

EQ: "="
REL: "\\le" | "\\ge" | "\\leq" | "\\geq" | "\\ne" | "\\neq" | "<" | ">"
ADDOP: "+" | "-"
MULOP: "\\cdot" | "\\times"
STAR: "\\star"
SUM: "\\sum"
PROD: "\\prod"
INT: /\\i{1,3}nt(?![a-zA-Z])/
LIMITS: "\\limits"
SUBSTACK: "\\substack"
LIM: "\\lim"
TO: "\\to"
DIRECTION.2: "^+" | "^-"
BANG: "!"
DAGGER: "\\dagger"
BINOM.2: "\\binom"
OVERLINE.2: "\\overline"
EXTREMUM.2: /\\(max|min)(?![a-zA-Z])/
DIFF.3: /\\,\s*d/
PARTIAL.3: "\\partial_"
NABLA_PERP.3: /\\nabla\^\{\\perp\}_/
ALONG.3: /\\left\[\s*\(\\mathbf\{n\}\\cdot\\partial\)/
LPAREN: "\\left(" | "\\biggl("
RPAREN: "\\right)" | "\\biggr)"
ABS_OPEN: "\\left|"
ABS_CLOSE: "\\right|"
LSQ: "\\left[" | "\\biggl["
LBRACE: "\\left\\{"
RBRACE: "\\right\\}"
RBRACE_PB.3: /\\right\\\}_\{\\mathrm\{PB\}\}/
RSQ: "\\right]" | "\\biggr]"
LANGLE: "\\langle" | "\\left\\langle"
RANGLE: "\\rangle" | "\\right\\rangle"
APPLY.3: /\{\s*\\left\(/
FRAC: "\\frac" | "\\tfrac" | "\\dfrac"
SQRT: "\\sqrt"
FUNC.2: /\\(sin|cos|tan|sinh|cosh|tanh|coth|log|ln|exp|det)(?![a-zA-Z])/
OPNAME.2: "\\operatorname"
TRACE.3: /\\operatorname\{(Tr|Str)\}/
DIAG_OF.3: /\\operatorname\{diag\}\\left\[/
ORDER.3: /O\\left\(/
BESSEL.3: /[jyJYIK](\^\{\d+\})?_\{[^{}]*\}\\left\(/
BEGIN_MATRIX: "\\begin{matrix}"
END_MATRIX: "\\end{matrix}"
ROWSEP: "\\\\"
ACCENT.2: /\\(hat|bar|tilde|dot|ddot|check|breve|vec)(?![a-zA-Z])/
FONT.2: /\\(mathcal|mathbf|mathrm|mathit|mathscr|mathfrak|mathsf|boldsymbol)(?![a-zA-Z])/
GREEK.1: /\\(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|varpi|rho|varrho|sigma|varsigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Upsilon|Phi|Psi|Omega|hbar|infty|ell)(?![a-zA-Z])/
LETTER: /[a-zA-Z]/
LETTERS: /[a-zA-Z]+/
NUMBER: /\d+(\.\d+)?/
%import common.WS
%ignore WS
%ignore /\\[,;!:](?!\s*d)/
%ignore /\\(quad|qquad|displaystyle)(?![a-zA-Z])/
"""
