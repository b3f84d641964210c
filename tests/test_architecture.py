"""The import graph of derive/, read from the source, is acyclic and runs one way through the layers.

Layers, each importing only itself and what its row allows (notes/architecture.md):
  cli (cli, bench, check, progress, __main__) → pipeline → derivations → engines → model,
  emit (and the derive.latex facade) → engines, model; output and fingerprint serve pipeline and cli;
  root (derive/__init__, derive._aliases) is importable from everywhere; runtime (derive.numeric_support,
  which generated code runs on, and derive.sweep, which runs generated functions on a grid) imports
  nothing of derive.
Every import counts, also those inside functions: a lazy import is still a dependency.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "derive"

ALLOWED: dict[str, set[str]] = {
    "root": {"root", "runtime"},
    "runtime": set(),
    "generated": {"runtime"},
    "model": {"root", "model"},
    "engines": {"root", "model", "engines"},
    "emit": {"root", "model", "engines", "emit"},
    "derivations": {"root", "model", "engines", "derivations"},
    "output": {"root", "model", "output"},
    "fingerprint": {"root", "model", "fingerprint"},
    "pipeline": {"root", "model", "engines", "emit", "derivations", "output", "fingerprint", "pipeline"},
    "cli": {"root", "model", "engines", "emit", "derivations", "output", "fingerprint", "pipeline", "generated", "cli"},
}

CLI_MODULES = {"derive.cli", "derive.__main__", "derive.bench", "derive.check", "derive.progress"}


def layer(module: str) -> str:
    """The layer of a module of derive (an unknown top-level module fails: the architecture must name it)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if module in ("derive", "derive._aliases"):
        return "root"
    if module in ("derive.numeric_support", "derive.sweep"):
        return "runtime"
    if module in CLI_MODULES:
        return "cli"
    if module == "derive.latex":
        return "emit"
    named = {"model", "engines", "emit", "derivations", "output", "fingerprint", "pipeline", "generated"}
    if top in named:
        return top
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_architecture.py and notes/architecture.md")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of derive/ by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The derive modules one file imports (``from A import b`` counts as A.b when b is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known or submodule.startswith("derive.generated.") else source)
    return {module for module in found if module == "derive" or module.startswith("derive.")}


def import_graph() -> dict[str, set[str]]:
    """module → the derive modules it imports, for every module of derive/."""
    found = modules()
    known = set(found) | {"derive.generated"}
    return {name: imports_of(path, known) - {name} for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_imports_inside_functions_and_relative_imports(tmp_path):
    source = tmp_path / "derive" / "engines" / "example.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from derive.pipeline import run\n    from . import trln\n    import derive.model\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "derive"
    try:
        found = imports_of(source, {"derive.engines.trln"})
    finally:
        PACKAGE = saved
    assert found == {"derive.pipeline", "derive.engines.trln", "derive.model"}


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    # a derivation package whose __init__ imports its steps in build() while the steps import its OUTLINE
    package, step = "derive.derivations.x", "derive.derivations.x.eq1"
    assert cycles({package: {step}, step: {package}}) == [[package, step]]


def describe(graph: dict[str, set[str]], components: list[list[str]]) -> str:
    return "\n".join(
        "; ".join(f"{module} -> {', '.join(sorted(graph[module] & set(component)))}" for module in component)
        for component in components
    )


def test_import_graph_has_no_cycle():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles:\n" + describe(graph, found)


def test_imports_run_down_the_layers():
    upward = [
        f"{source} ({layer(source)}) imports {target} ({layer(target)})"
        for source, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if layer(target) not in ALLOWED[layer(source)]
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


OLD_PATHS = {
    "derive.bosonization": "derive.engines.transport",
    "derive.claims": "derive.engines.claims",
    "derive.codegen_nodes": "derive.engines.codegen_nodes",
    "derive.continuum": "derive.engines.gradient_expansion",
    "derive.continuum_numeric": "derive.engines.gradient_numeric",
    "derive.exact_jets": "derive.engines.exact_jets",
    "derive.freealgebra": "derive.engines.freealgebra",
    "derive.gaussian": "derive.engines.gaussian",
    "derive.lattices": "derive.engines.lattices",
    "derive.matsubara": "derive.engines.matsubara",
    "derive.moyal": "derive.engines.moyal",
    "derive.phases": "derive.engines.phases",
    "derive.scatterers": "derive.engines.scatterers",
    "derive.supermatrix": "derive.engines.supermatrix",
    "derive.trace_expressions": "derive.engines.trace_expressions",
    "derive.trln": "derive.engines.trln",
    "derive.wigner": "derive.engines.wigner",
}


@pytest.mark.parametrize("old, new", sorted(OLD_PATHS.items()))
def test_old_import_path_is_the_new_module(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)


@pytest.mark.parametrize("old, name", [
    ("derive.moyal", "star"), ("derive.moyal", "moyal_bracket"), ("derive.moyal", "jet_multi_indices"),
    ("derive.trln", "trln_series"), ("derive.trln", "Tr"), ("derive.continuum", "diffusion_tensor"),
    ("derive.bosonization", "transport_rate"), ("derive.bosonization", "diffusion_constant"),
    ("derive.supermatrix", "Str"), ("derive.numeric_support", "complex_from_parts"),
])
def test_names_the_readme_and_notes_show_import_from_the_old_paths(old, name):
    namespace: dict[str, object] = {}
    exec(f"from {old} import {name}", namespace)
    assert callable(namespace[name])
