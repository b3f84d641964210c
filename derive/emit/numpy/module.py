"""The numpy target: each export becomes a function of ``derive.generated.<derivation>``.

The printer (``NumpyCodePrinter``) writes expressions; ``templates/numpy/module.py.j2`` lays out the
module: header, docstring, constants, functions, tables.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jinja2
import sympy

from derive import __version__
from derive.emit.environment import make_environment
from derive.emit.numpy.printer import NumpyCodePrinter
from derive.model import Argument, Derivation, Export, Step, Verdict


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return make_environment("numpy")


@dataclass(frozen=True)
class NumpyFunction:
    """What the numpy template needs of one export: signature, docstring, body lines, return, helpers used."""

    name: str
    signature: str
    doc_lines: tuple[str, ...]
    body: tuple[str, ...]
    returns: str
    helpers: frozenset[str]


def _argument_signature(argument: Argument) -> str:
    return argument.name if argument.default is None else f"{argument.name}={argument.default!r}"


def _core(symbol: sympy.Basic) -> str:
    """The trailing axes one value of a symbol takes: "" (scalar), "n" (vector) or "n, n" (matrix)."""
    if isinstance(symbol, sympy.MatrixSymbol):
        rows, columns = symbol.shape
        return "n" if columns == 1 and not rows.is_Integer else "n, n"
    return "" if symbol.is_commutative else "n, n"


def _elementwise(export: Export) -> bool:
    """Scalar (or scalar-jet) arguments, one scalar result per point, no special functions: blockwise on dask."""
    symbols = [s for a in export.args for s in (a.symbol if isinstance(a.symbol, tuple) else (a.symbol,))]
    return (
        all(isinstance(symbol, sympy.Symbol) and symbol.is_commutative for symbol in symbols)
        and not isinstance(export.expr, (sympy.Tuple, sympy.MatrixBase))
        and _is_plain_scalar(export.expr)
        and not export.expr.atoms(sympy.besselj, sympy.bessely, sympy.jn, sympy.yn)
    )


def _check_line(argument: Argument, function: str) -> str:
    """The line validating one argument by type, dtype and shape (never by value: that breaks tracing)."""
    where = f"{function}: {argument.name}"
    if isinstance(argument.symbol, tuple):
        core = _core(argument.symbol[0])
        return f"{argument.name} = jet(xp, {argument.name}, {where!r}, {len(argument.symbol)}, {core!r}, points_first)"
    core = _core(argument.symbol)
    if core == "n":
        return f"{argument.name} = vector(xp, {argument.name}, {where!r})"
    if core == "n, n":
        size = argument.symbol.shape[0] if isinstance(argument.symbol, sympy.MatrixSymbol) else None
        size = int(size) if size is not None and size.is_Integer else None
        return f"{argument.name} = matrix(xp, {argument.name}, {where!r}{'' if size is None else f', {size}'})"
    return f"{argument.name} = scalar(xp, {argument.name}, {where!r})"


def _shape_text(argument: Argument) -> str:
    if isinstance(argument.symbol, tuple):
        core = _core(argument.symbol[0])
        return f"({len(argument.symbol)}, ...{', ' + core if core else ''})"
    core = _core(argument.symbol)
    if core == "n, n" and isinstance(argument.symbol, sympy.MatrixSymbol) and argument.symbol.shape[0].is_Integer:
        core = f"{argument.symbol.shape[0]}, {argument.symbol.shape[1]}"
    return f"(...{', ' + core if core else ''})"


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


def _body_and_return(expr: sympy.Basic, printer: NumpyCodePrinter, eliminate: bool = True) -> tuple[list[str], str]:
    """Common subexpressions are eliminated for commutative scalar results only (cse breaks operator order)."""
    outputs = list(expr) if isinstance(expr, sympy.Tuple) else [expr]
    if eliminate and all(_is_plain_scalar(output) for output in outputs):
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
    bound = _bound_atoms(export.args)
    unbound = sorted(printer.doprint(atom) for atom in used - bound)
    if unbound:
        raise ValueError(
            f"export {derivation.name}.{export.name}: symbols {unbound} are not bound to any argument "
            f"(arguments: {sorted(argument_names)})"
        )
    unpack = [line for argument in export.args for line in _unpack_lines(argument, used, printer)]
    body, returns = _body_and_return(export.expr, printer, export.common_subexpressions)
    has_jets = any(isinstance(argument.symbol, tuple) for argument in export.args)
    names = ", ".join(argument.name for argument in export.args)
    checks = [f"xp = namespace({names})", *(_check_line(argument, export.name) for argument in export.args)]
    if _elementwise(export):
        # On dask, one task per block running this same function on numpy blocks (not one per operation).
        jets = tuple(argument.name for argument in export.args if isinstance(argument.symbol, tuple))
        arguments = ", ".join(f"{argument.name!r}: {argument.name}" for argument in export.args)
        keywords = "{'points_first': False}" if has_jets else "{}"
        checks += [
            "if is_dask(xp):",
            f"    return map_over_blocks({export.name}, {{{arguments}}}, {jets!r}, {keywords})",
        ]
    where = f"{step.paper} paper, Eq. {step.equation}" if step.paper else "no paper equation"
    doc = [*export.doc.strip().splitlines(), "", f"Derivation {derivation.name!r}, step {step.id!r} ({where})."]
    doc += ["", "Arguments (shapes; ... are the point axes, which broadcast):"] + [
        f"    {a.name}: " + (a.description if "..." in a.description else f"{_shape_text(a)} {a.description}".rstrip())
        for a in export.args
    ]
    if has_jets:
        doc += ["", "Layout: jets are component-major, entry i at jet[i] (contiguous per entry, the fast layout in numpy);",
                "points_first=True takes them as (..., k), entry i at jet[..., i] (the fast layout under jax.jit)."]
    signature = ", ".join(_argument_signature(argument) for argument in export.args)
    helpers = {"namespace", "jet" if has_jets else None, *printer.helpers} | {
        line.split(" = ")[1].split("(")[0] for line in checks[1:] if " = " in line
    } | ({"is_dask", "map_over_blocks"} if _elementwise(export) else set())
    return NumpyFunction(
        export.name,
        signature + (", *, points_first=False" if has_jets else ""),
        tuple(doc),
        tuple(checks + unpack + body),
        returns,
        frozenset(h for h in helpers if h),
    )


def _bound_atoms(arguments: Sequence[Argument]) -> set[sympy.Basic]:
    """Every symbol an argument binds (a jet binds each of its entries); a set, because a jet of order 12
    has thousands of entries and the used atoms are looked up in it one by one."""
    return {
        symbol
        for argument in arguments
        for symbol in (argument.symbol if isinstance(argument.symbol, tuple) else (argument.symbol,))
    }


def render_numpy_module(derivation: Derivation, source_hash: str) -> str:
    functions = [numpy_function(step, export, derivation) for step, export in derivation.exports]
    support = sorted(set().union(*(function.helpers for function in functions)))
    return environment().get_template("module.py.j2").render(
        derivation=derivation, functions=functions, support=support, version=__version__, input_hash=source_hash
    )




def render_package_init(names: Sequence[str]) -> str:
    """The generated package's __init__.py, naming every derivation module."""
    return environment().get_template("package_init.py.j2").render(names=sorted(names), version=__version__)


class NumpyTarget:
    """``<name>.py`` per derivation and the package ``__init__.py``."""

    name = "numpy"

    def render(self, derivation: Derivation, verdicts: tuple[tuple[str, Verdict], ...], input_hash: str) -> dict[str, str]:
        return {f"{derivation.name}.py": render_numpy_module(derivation, input_hash)}

    def package_files(self, names: Sequence[str]) -> dict[str, str]:
        return {"__init__.py": render_package_init(names)}


TARGET = NumpyTarget()
