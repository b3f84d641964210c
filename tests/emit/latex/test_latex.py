"""The LaTeX appendix compiles with real pdflatex: the whole document, and each section \\input into a paper
(article and APS revtex4-2).

Fails on any LaTeX error, undefined reference, multiply defined label or overfull box wider than
OVERFULL_TOLERANCE_PT (3 pt, derive/emit/appendix.py). Without pdflatex the tests skip locally (the reason is printed) and fail in CI,
where .ci/run sets DERIVE_REQUIRE_PDFLATEX=1. Data-driven over every registered derivation.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import sympy

from derive import derivations
from derive import derivations as _registry
from derive.cli import main
from derive.emit.latex.appendix import (
    DOCUMENT,
    appendix_files,
    compile_pdf,
    log_problems,
    pdflatex,
    section_file_name,
)
from derive.emit.latex.printer import display_lines, latex
from derive.emit.latex.section import render_latex_section
from derive.fingerprint import input_hash
from derive.model import Claim, Derivation, Record, Step, Verdict
from derive.pipeline import verdicts_if_all_hold

# A user's paper: its own \Tr, \Str, \star-free preamble and equation labels must not clash with a section.
WRAPPER = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\Tr}{\mathrm{tr}}
\newcommand{\Str}{\mathrm{str}}
\begin{document}
\section{Introduction}\label{sec:intro}
Our own equation,
\begin{equation}\Tr\,\rho = 1,\label{eq:norm}\end{equation}
and the appendices (Section~\ref{derive:%(name)s}, Eq.~\eqref{derive:%(name)s:%(step)s}).
\appendix
%(inputs)s
\end{document}
"""


REVTEX_WRAPPER = WRAPPER.replace(r"\documentclass{article}", r"\documentclass[aps,prb,preprint,nofootinbib]{revtex4-2}")
# The two-column layout APS journals print: displays are broken for a 246 pt column, and a display that
# cannot be broken spans both columns (widetext, skipped by an article).
REVTEX_TWO_COLUMN_WRAPPER = WRAPPER.replace(r"\documentclass{article}", r"\documentclass[aps,prb,reprint,nofootinbib]{revtex4-2}")


def require_revtex() -> None:
    require_pdflatex()
    if shutil.which("kpsewhich") and subprocess.run(["kpsewhich", "revtex4-2.cls"], capture_output=True).stdout.strip():
        return
    reason = "revtex4-2.cls not found (Debian: apt-get install texlive-publishers)"
    if os.environ.get("DERIVE_REQUIRE_PDFLATEX") == "1":
        pytest.fail(f"DERIVE_REQUIRE_PDFLATEX=1 but {reason}")
    pytest.skip(reason)


def require_pdflatex() -> None:
    if pdflatex() is not None:
        return
    reason = "pdflatex not found (Debian: apt-get install texlive-latex-base texlive-latex-recommended)"
    if os.environ.get("DERIVE_REQUIRE_PDFLATEX") == "1":
        pytest.fail(f"DERIVE_REQUIRE_PDFLATEX=1 but {reason}")
    print(f"skipping: {reason}")
    pytest.skip(reason)


def rendered_without_checking(derivation: Derivation) -> Record:
    """The section exactly as `derive run` renders it once every claim holds, without re-checking the claims
    (each derivation's own tests and `derive check` do that; here only the typesetting is under test)."""
    verdicts = verdicts_if_all_hold(derivation)
    section = render_latex_section(derivation, verdicts, input_hash(_registry.module_name(derivation.name)))
    return Record(derivation, verdicts, {section_file_name(derivation.name): section}, 0.0)


@pytest.fixture(scope="module")
def records():
    return [rendered_without_checking(derivations.build(name)) for name in derivations.names()]


@pytest.fixture(scope="module")
def files(records):
    return appendix_files(records, "derive appendix")


def assert_clean(log: str, what: str) -> None:
    problems = log_problems(log)
    assert not problems, f"{what}: " + "; ".join(problems)


def test_full_appendix_compiles_cleanly(files) -> None:
    require_pdflatex()
    pdf, log = compile_pdf(files)
    assert pdf.startswith(b"%PDF")
    assert_clean(log, DOCUMENT)
    for name in derivations.names():
        assert f"\\label{{derive:{name}}}" in files[DOCUMENT]


def _compile_section_in(wrapper: str, files, records, name: str, where: str) -> None:
    step = next(record.derivation.steps[0] for record in records if record.derivation.name == name)
    paper = wrapper % {"name": name, "step": step.id, "inputs": f"\\input{{{name}}}"}
    pdf, log = compile_pdf({"paper.tex": paper, section_file_name(name): files[section_file_name(name)]}, "paper.tex")
    assert pdf.startswith(b"%PDF")
    assert_clean(log, f"{name}.tex in {where}")


@pytest.mark.parametrize("name", derivations.names())
def test_each_section_inputs_into_a_paper(files, records, name: str) -> None:
    require_pdflatex()
    _compile_section_in(WRAPPER, files, records, name, "a paper")


@pytest.mark.parametrize("name", derivations.names())
def test_each_section_inputs_into_an_aps_revtex_paper(files, records, name: str) -> None:
    require_revtex()
    _compile_section_in(REVTEX_WRAPPER, files, records, name, "a revtex4-2 paper")


@pytest.mark.parametrize("name", derivations.names())
def test_each_section_inputs_into_a_two_column_aps_paper(files, records, name: str) -> None:
    require_revtex()
    _compile_section_in(REVTEX_TWO_COLUMN_WRAPPER, files, records, name, "a two-column revtex4-2 paper")


def test_a_bar_in_prose_is_math_so_it_survives_ot1_fonts() -> None:
    from derive.emit.latex.printer import escape_text

    # without T1 fontenc, | in text prints as an em dash; a section \input on its own must not depend on it
    assert escape_text("a (4|4) supermatrix") == "a (4$|$4) supermatrix"


def test_templates_write_no_formula_as_text(files, records) -> None:
    """The appendix around the sections, and a section of clean prose, hold no text-mode pseudo-math."""
    from derive.emit.latex.printer import escape_text
    from derive.emit.latex.prose import pseudo_math

    document = files[DOCUMENT]
    for record in records:   # what the derivations wrote (their sections, their titles) is counted apart
        document = document.replace(files[section_file_name(record.derivation.name)], "")
        document = document.replace(escape_text(record.derivation.title), "")
    assert pseudo_math(document) == {}
    x, y = sympy.symbols("x y", positive=True)
    claim = Claim("the two sides agree", "symbolic: the difference expands to zero", lambda: None,
                  formula=sympy.Eq(x * y, y * x, evaluate=False))
    step = Step("clean", r"The step for $\alpha$", "granular", "1", sympy.Eq(x, y ** 2, evaluate=False), claims=(claim,),
                note=r"A note with $\sqrt{x}$.")
    clean = Derivation(name="clean", title="Clean prose", paper="granular", steps=(step,), summary="A summary.",
                       reference="A reference")
    section = render_latex_section(clean, (("clean", Verdict(claim.statement, claim.method, None, 0.0)),), "0" * 16)
    assert pseudo_math(section) == {}
    assert "the two sides agree:\n\\begin{equation*}\nx y = x y\n\\end{equation*}\n  (symbolic: the difference" in section
    require_pdflatex()
    wrapper = WRAPPER % {"name": "clean", "step": "clean", "inputs": "\\input{clean}"}
    _, log = compile_pdf({"paper.tex": wrapper, "clean.tex": section}, "paper.tex")
    assert_clean(log, "a section with a claim formula")


def test_pseudo_math_is_found_and_counted_per_section(files) -> None:
    from derive.emit.latex.prose import pseudo_math, pseudo_math_count

    found = pseudo_math(r"Q\_1 is e\^{}\{i chi\} and sqrt(2) or Tr, but $\alpha_1$ and \label{derive:x:alpha} are math")
    assert found == {r"\_": [r"\_"], r"\^{}": [r"\^{}"], "Greek letter name": ["chi"], "function name": ["sqrt", "Tr"]}
    counts = {name: pseudo_math_count(files[section_file_name(name)]) for name in derivations.names()}
    print("\ntext-mode pseudo-math per section (derivation prose):", counts)
    assert counts == dict.fromkeys(derivations.names(), 0), {
        name: pseudo_math(files[section_file_name(name)]) for name, count in counts.items() if count}


def test_all_sections_together_have_distinct_labels(files) -> None:
    require_pdflatex()
    names = derivations.names()
    inputs = "\n".join(f"\\input{{{name}}}" for name in names)
    wrapper = WRAPPER % {"name": names[0], "step": "missing-on-purpose", "inputs": inputs}
    sections = {section_file_name(name): files[section_file_name(name)] for name in names}
    _, log = compile_pdf({"paper.tex": wrapper, **sections}, "paper.tex")
    problems = log_problems(log)
    assert problems == [f"undefined reference: derive:{names[0]}:missing-on-purpose"], problems


def test_log_problems_sees_errors_references_and_overfull_boxes() -> None:
    require_pdflatex()
    broken = r"""\documentclass{article}\begin{document}
See \ref{nowhere}. \hbox to 100pt{\hbox to 150pt{x\hfil}}\par
\end{document}"""
    _, log = compile_pdf({"broken.tex": broken}, "broken.tex")
    problems = log_problems(log)
    assert "undefined reference: nowhere" in problems
    assert any(re.match(r"overfull box 50(\.0+)?pt", p) for p in problems), problems


def test_sections_need_no_macros_and_namespace_their_labels(files) -> None:
    for name in derivations.names():
        text = files[section_file_name(name)]
        assert not re.search(r"\\(re)?newcommand|\\def\\", text), f"{name}.tex defines macros"
        labels = re.findall(r"\\label\{([^}]*)\}", text)
        assert labels and all(label.startswith(f"derive:{name}") for label in labels), labels


def test_no_claim_text_is_read_as_an_item_label(files) -> None:
    # "\item [H,T]_* = ..." would typeset "H,T" as the bullet: every item is closed with {} first
    for name in derivations.names():
        text = files[section_file_name(name)]
        items = re.findall(r"\\item(?![a-z])(.{0,3})", text)
        assert items and all(after.startswith("{}") for after in items), (name, set(items))
    assert "\\item{} $[H, T]_\\star" in files[section_file_name("bosonization")]      # the claim that showed it


def test_long_sums_are_split_over_lines_short_ones_are_not() -> None:
    x = sympy.symbols("x_1:30")
    long_sum = sympy.Eq(sympy.Symbol("S"), sum(sympy.Rational(1, k + 2) * x[k] ** 2 for k in range(29)))
    lines = display_lines(long_sum)
    assert len(lines) > 2 and lines[0].startswith("S &= ") and all(line.startswith(r"&\quad ") for line in lines[1:])
    assert display_lines(sympy.Eq(sympy.Symbol("S"), x[0] + x[1])) == ["S = x_{1} + x_{2}"]


def test_typography_of_the_papers_operators() -> None:
    from derive.engines.trln import Tr

    Q, L = sympy.symbols("Q Lambda", commutative=False)
    chi_hat = sympy.Symbol(r"\hat{\chi}")
    assert latex(Tr(Q, L)) == r"\operatorname{Tr}\left[Q \Lambda\right]"
    assert latex(sympy.Trace(sympy.MatrixSymbol("Q", 2, 2))) == r"\operatorname{Tr}\left[Q\right]"
    assert latex(sympy.exp(sympy.I * chi_hat)) == r"e^{i \hat{\chi}}"
    A = sympy.Function("A")(*sympy.symbols("r p"))
    assert latex(sympy.Derivative(A, (sympy.Symbol("r"), 2), sympy.Symbol("p"))) == r"\partial_{r}^{2} \partial_{p} A{\left(r,p \right)}"


def test_step_and_derivation_render_in_notebooks(records) -> None:
    derivation = records[0].derivation
    step: Step = derivation.steps[0]
    assert step._repr_latex_().startswith("$\\displaystyle ") and step._repr_latex_().endswith("$")
    assert derivation._repr_latex_().count("\\displaystyle") == len(derivation.steps)


def test_cli_writes_document_sections_and_pdf(tmp_path) -> None:
    require_pdflatex()
    name = derivations.names()[0]
    assert main(["-q", "appendix", name, "--out", str(tmp_path), "--pdf"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([DOCUMENT, "appendix.pdf", section_file_name(name)])
    assert (tmp_path / "appendix.pdf").read_bytes().startswith(b"%PDF")


def test_cli_reports_the_read_back_and_cites_the_full_references(tmp_path, capsys) -> None:
    name = derivations.names()[0]
    assert main(["appendix", name, "--out", str(tmp_path)]) == 0
    steps = len(derivations.build(name).steps)
    assert re.search(rf"derive: read back: {steps}/{steps} equations, \d+/\d+ claims", capsys.readouterr().err)
    document = (tmp_path / DOCUMENT).read_text()
    assert r"\bibitem{paper:granular} A. V. Andreev and I. S. Beloborodov" in document and "PACS" in document


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch) -> None:
    assert main(["appendix", "no-such-derivation", "--out", str(tmp_path)]) == 2
    assert main(["appendix", "--out", str(tmp_path / "missing" / "new")]) == 2
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["appendix", "--out", str(tmp_path), "--pdf"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("derive: error: ") for line in errors), errors
    assert "pdflatex" in errors[2]
    assert list(tmp_path.iterdir()) == []


def test_sections_show_exactly_the_round_tripped_lines(records, files) -> None:
    """The round-trip test parses display_lines(step.result); the sections must print those very lines."""
    for record in records:
        name = record.derivation.name
        section = files[section_file_name(name)]
        for step in record.derivation.steps:
            for line in display_lines(step.result):
                assert line in section, f"{name}/{step.id}: {line!r} is not in {name}.tex"


def test_prose_may_carry_math_between_dollars() -> None:
    from derive.emit.latex.printer import escape_text

    assert escape_text(r"the $\hbar^2/24$ term, 50% of it") == r"the $\hbar^2/24$ term, 50\% of it"
    assert escape_text("costs $5 & more") == r"costs \$5 \& more"
    assert escape_text("χ̂_ll' and ħ²") == r"$\hat{\chi}$\_ll' and $\hbar ^{2}$"


def test_default_output_is_appendix_inside_the_checkouts_generated(tmp_path, monkeypatch) -> None:
    import derive.cli as cli

    monkeypatch.setattr(cli, "default_output_directory", lambda: tmp_path)
    assert cli._appendix_out(None) == tmp_path / "appendix"
    assert not (tmp_path / "appendix").exists(), "the folder is made only when something is written"

    def outside_a_checkout():
        raise ValueError("not in a derive source checkout: pass --out DIR")

    monkeypatch.setattr(cli, "default_output_directory", outside_a_checkout)
    with pytest.raises(cli.UsageError, match="pass --out DIR"):
        cli._appendix_out(None)
