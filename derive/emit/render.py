"""Render a finished derivation through the jinja2 templates: printers write expressions, templates lay out.

Output is deterministic byte for byte: no timestamps, everything iterated in step order or sorted, and
the header carries the command, the version and a hash of the inputs (the derivation's source and the
templates).
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import pprint
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
import sympy

from derive import __version__
from derive.codegen_nodes import ComplexFromParts
from derive.emit.latex_printer import display_lines, escape_text, latex
from derive.emit.numpy_printer import NumpyCodePrinter
from derive.pipeline import Argument, Derivation, Export, Step, Verdict

NUMPY_TEMPLATE = "numpy_module.py.j2"
# codegen node -> the derive.numeric_support function its printed form calls
SUPPORT_HELPERS = {ComplexFromParts: "complex_from_parts"}
LATEX_TEMPLATE = "latex_section.tex.j2"
PACKAGE_TEMPLATE = "generated_init.py.j2"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The jinja2 environment over the installed templates (StrictUndefined: a missing name is an error)."""
    directory = resources.files("derive.templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pretty"] = python_literal
    env.filters["tex"] = escape_text
    env.filters["display"] = display_lines
    return env


def python_literal(value: object) -> str:
    """A deterministic, wrapped Python literal of plain data (dict keys sorted)."""
    _check_plain_data(value)
    return pprint.pformat(value, width=110, sort_dicts=True, compact=True)


def _check_plain_data(value: object) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check_plain_data(key)
            _check_plain_data(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _check_plain_data(item)
    elif not (isinstance(value, (bool, int, float, str, complex)) or value is None):
        raise TypeError(f"constant of type {type(value).__name__} cannot be written as a Python literal")


@dataclass(frozen=True)
class NumpyFunction:
    """What the numpy template needs of one export: signature, docstring, body lines, return."""

    name: str
    signature: str
    doc_lines: tuple[str, ...]
    body: tuple[str, ...]
    returns: str


def _argument_signature(argument: Argument) -> str:
    return argument.name if argument.default is None else f"{argument.name}={argument.default!r}"


def _unpack_lines(argument: Argument, used: set[sympy.Basic], printer: NumpyCodePrinter) -> list[str]:
    """Bind the symbols an argument stands for to local names (jets are unpacked from axis 0)."""
    if isinstance(argument.symbol, tuple):
        return [
            f"{printer.doprint(symbol)} = {argument.name}[{i}]"
            for i, symbol in enumerate(argument.symbol)
            if symbol in used
        ]
    printed = printer.doprint(argument.symbol)
    return [] if printed == argument.name else [f"{printed} = {argument.name}"]


def _free_atoms(expr: sympy.Basic) -> set[sympy.Basic]:
    return set(expr.free_symbols) | set(expr.atoms(sympy.MatrixSymbol))


def _is_plain_scalar(expr: sympy.Basic) -> bool:
    return (
        isinstance(expr, sympy.Expr)
        and expr.is_commutative
        and not isinstance(expr, sympy.MatrixExpr)
        and not expr.atoms(sympy.MatrixSymbol)
    )


def _body_and_return(expr: sympy.Basic, printer: NumpyCodePrinter) -> tuple[list[str], str]:
    """Common subexpressions are eliminated for commutative scalar results only (cse breaks operator order)."""
    outputs = list(expr) if isinstance(expr, sympy.Tuple) else [expr]
    if all(_is_plain_scalar(output) for output in outputs):
        replacements, reduced = sympy.cse(outputs, symbols=sympy.numbered_symbols("_x"), optimizations=None)
    else:
        replacements, reduced = [], outputs
    body = [f"{printer.doprint(symbol)} = {printer.doprint(value)}" for symbol, value in replacements]
    printed = [printer.doprint(output) for output in reduced]
    returns = f"({', '.join(printed)},)" if isinstance(expr, sympy.Tuple) else printed[0]
    return body, returns


def numpy_function(step: Step, export: Export, derivation: Derivation) -> NumpyFunction:
    printer = NumpyCodePrinter()
    used = _free_atoms(export.expr)
    argument_names = {argument.name for argument in export.args}
    unbound = sorted(
        (printer.doprint(atom) for atom in used if not any(_binds(argument, atom) for argument in export.args)),
    )
    if unbound:
        raise ValueError(
            f"export {derivation.name}.{export.name}: symbols {unbound} are not bound to any argument "
            f"(arguments: {sorted(argument_names)})"
        )
    unpack = [line for argument in export.args for line in _unpack_lines(argument, used, printer)]
    body, returns = _body_and_return(export.expr, printer)
    where = f"{step.paper} paper, Eq. {step.equation}" if step.paper else "no paper equation"
    doc = [*export.doc.strip().splitlines(), "", f"Derivation {derivation.name!r}, step {step.id!r} ({where})."]
    described = [a for a in export.args if a.description]
    if described:
        doc += ["", "Arguments:"] + [f"    {a.name}: {a.description}" for a in described]
    return NumpyFunction(
        export.name,
        ", ".join(_argument_signature(argument) for argument in export.args),
        tuple(doc),
        tuple(unpack + body),
        returns,
    )


def _binds(argument: Argument, atom: sympy.Basic) -> bool:
    return atom in argument.symbol if isinstance(argument.symbol, tuple) else atom == argument.symbol


def input_hash(derivation: Derivation) -> str:
    """sha256 over what the output is made from: the version, the templates, the derivation's module and
    every ``derive`` module it imports, directly or not (found statically, so the hash does not depend
    on what else happens to be imported)."""
    from derive import derivations

    digest = hashlib.sha256(__version__.encode())
    for name in sorted(_derive_imports(derivations.MODULES[derivation.name])):
        digest.update(name.encode())
        digest.update(_module_source(name).encode())
    for template in (NUMPY_TEMPLATE, LATEX_TEMPLATE):
        digest.update(resources.files("derive.templates").joinpath(template).read_bytes())
    return digest.hexdigest()[:16]


def _module_source(name: str) -> str:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ValueError(f"cannot find the source of module {name!r}")
    return Path(spec.origin).read_text(encoding="utf-8")


def _derive_imports(root: str) -> set[str]:
    """The module and every module of the derive package it imports, transitively (emitters excluded)."""
    seen: set[str] = set()
    pending = [root]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(_module_source(name))):
            for imported in _imported_names(node, name):
                if _is_derivation_input(imported) and imported not in seen:
                    pending.append(imported)
    return seen


def _imported_names(node: ast.AST, current: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        base = node.module if node.level == 0 else importlib.util.resolve_name("." * node.level + node.module, current.rpartition(".")[0])
        # "from derive import claims" imports the module derive.claims
        return [base] + [f"{base}.{alias.name}" for alias in node.names]
    return []


def _is_derivation_input(name: str) -> bool:
    if not (name == "derive" or name.startswith("derive.")):
        return False
    if name.startswith(("derive.emit", "derive.generated", "derive.cli", "derive.bench")):
        return False
    return _is_module(name)


def _is_module(name: str) -> bool:
    """True for modules and packages; False for names imported from a module (derive.pipeline.Step)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ModuleNotFoundError, ValueError):
        return False


def _claims_by_step(verdicts: tuple[tuple[str, Verdict], ...]) -> dict[str, list[Verdict]]:
    grouped: dict[str, list[Verdict]] = {}
    for step_id, verdict in verdicts:
        grouped.setdefault(step_id, []).append(verdict)
    return grouped


def render_numpy_module(derivation: Derivation, source_hash: str) -> str:
    functions = [numpy_function(step, export, derivation) for step, export in derivation.exports]
    support = sorted(
        helper for node, helper in SUPPORT_HELPERS.items() if any(export.expr.has(node) for _, export in derivation.exports)
    )
    return environment().get_template(NUMPY_TEMPLATE).render(
        derivation=derivation, functions=functions, support=support, version=__version__, input_hash=source_hash
    )


def render_latex_section(
    derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...], source_hash: str
) -> str:
    claims = _claims_by_step(verdicts)
    steps = [
        {"step": step, "latex": latex(step.result), "claims": claims.get(step.id, [])} for step in derivation.steps
    ]
    return environment().get_template(LATEX_TEMPLATE).render(
        derivation=derivation, steps=steps, version=__version__, input_hash=source_hash
    )


def render_derivation(derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...]) -> dict[str, str]:
    """{file name: text} for one derivation: its numpy module and its LaTeX section."""
    source_hash = input_hash(derivation)
    return {
        f"{derivation.name}.py": render_numpy_module(derivation, source_hash),
        f"{derivation.name}.tex": render_latex_section(derivation, verdicts, source_hash),
    }


def render_package_init(names: list[str]) -> str:
    """The generated package's __init__.py, naming every derivation module."""
    return environment().get_template(PACKAGE_TEMPLATE).render(names=sorted(names), version=__version__)
