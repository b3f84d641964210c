"""Each elementwise generated export on numpy against its memory floor, ``lambdify`` of the same expression,
numexpr, and blocked evaluation on two threads (``python tests/benchmark_exports.py``; it lives beside the tests
because it imports derivations, generated modules and the runtime together, which no layer of derive/ may).

The floor is the bytes read and written (inputs + output) at the bandwidth of a large numpy copy (10^7
float64, read + write counted). Inputs are capped at about 400 MB, so the widest jets run on fewer points.
"""
from __future__ import annotations

import importlib

import numpy as np
import sympy

from derive import derivations
from derive.bench import median_seconds
from derive.numeric_support import evaluate_blocked

MAX_INPUT_BYTES = 4 * 10**8


def copy_bandwidth() -> float:
    """Bytes per second of numpy.copy on 10^7 float64 (read + write)."""
    source = np.random.default_rng(0).random(10**7)
    return 2 * source.nbytes / median_seconds(lambda: source.copy(), 7)


def _elementwise(export) -> bool:
    symbols = [s for a in export.args for s in (a.symbol if isinstance(a.symbol, tuple) else (a.symbol,))]
    return all(isinstance(s, sympy.Symbol) and s.is_commutative for s in symbols) and not isinstance(
        export.expr, (sympy.Tuple, sympy.MatrixBase))


def _inputs(export, points: int, rng) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(arguments as the generated function takes them, the same values flattened per symbol)."""
    arguments, flat = [], []
    for argument in export.args:
        if isinstance(argument.symbol, tuple):
            value = rng.uniform(0.5, 1.5, size=(len(argument.symbol), points))
            arguments.append(value)
            flat.extend(value)
        else:
            value = rng.uniform(0.5, 1.5, size=points) * (6 if argument.name == "k_F_a" else 1)
            arguments.append(value)
            flat.append(value)
    return arguments, flat


def _numexpr_time(expr: sympy.Expr, symbols: list[sympy.Symbol], flat: list[np.ndarray]) -> float | None:
    try:
        import numexpr
    except ImportError:
        return None
    names = {s: f"v{i}" for i, s in enumerate(symbols)}
    text = sympy.sstr(expr.doit().subs({s: sympy.Symbol(n) for s, n in names.items()}, simultaneous=True))
    text = text.replace("I", "1j").replace("pi", "3.141592653589793").replace("**", "**")
    local = dict(zip(names.values(), flat, strict=True))
    try:
        numexpr.evaluate(text, local_dict={k: v[:10] for k, v in local.items()})
    except Exception:  # noqa: BLE001  numexpr refuses functions it lacks and more than 255 operands
        return None
    return median_seconds(lambda: numexpr.evaluate(text, local_dict=local), 3)


def rows(points: int = 10**6) -> list[dict[str, object]]:
    """One row per elementwise export: times in seconds and bytes moved."""
    bandwidth = copy_bandwidth()
    rng = np.random.default_rng(1)
    table = []
    for name in derivations.names():
        derivation = derivations.module(name).build()
        module = importlib.import_module(f"derive.generated.{name}")
        for _, export in derivation.exports:
            if not hasattr(module, export.name):  # exported since generated/ was last written
                continue
            if not _elementwise(export) or export.expr.atoms(sympy.besselj, sympy.bessely, sympy.jn, sympy.yn):
                continue
            entries = sum(len(a.symbol) if isinstance(a.symbol, tuple) else 1 for a in export.args)
            n = min(points, MAX_INPUT_BYTES // (8 * entries))
            arguments, flat = _inputs(export, n, rng)
            function = getattr(module, export.name)
            result = function(*arguments)
            moved = sum(a.nbytes for a in arguments) + np.asarray(result).nbytes
            symbols = [s for a in export.args for s in (a.symbol if isinstance(a.symbol, tuple) else (a.symbol,))]
            lambdified = sympy.lambdify(symbols, export.expr.doit(), "numpy")
            generated = median_seconds(lambda: function(*arguments), 5)  # noqa: B023
            table.append({
                "export": f"{name}.{export.name}", "points": n, "MB": moved / 1e6,
                "floor": moved / bandwidth,
                "generated": generated,
                "blocked": median_seconds(lambda: evaluate_blocked(function, *arguments), 5),  # noqa: B023
                "lambdify": median_seconds(lambda: lambdified(*flat), 5),  # noqa: B023
                "numexpr": _numexpr_time(export.expr, symbols, flat),
            })
            print(table[-1], flush=True)
    return [{**row, "bandwidth": bandwidth} for row in table]


def markdown(table: list[dict[str, object]]) -> str:
    lines = [
        f"Copy bandwidth (10^7 float64, read + write): {table[0]['bandwidth'] / 1e9:.1f} GB/s.",
        "",
        "| export | points | MB in+out | floor ms | generated (× floor) | blocked 2 threads (× floor) "
        "| lambdify same expr (× generated) | numexpr (× generated) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in table:
        ne = "n/a" if row["numexpr"] is None else f"{row['numexpr'] / row['generated']:.2f}"
        lines.append(
            f"| {row['export']} | {row['points']:.0e} | {row['MB']:.0f} | {row['floor'] * 1e3:.1f} "
            f"| {row['generated'] * 1e3:.1f} ms ({row['generated'] / row['floor']:.2f}×) "
            f"| {row['blocked'] * 1e3:.1f} ms ({row['blocked'] / row['floor']:.2f}×) "
            f"| {row['lambdify'] / row['generated']:.2f} | {ne} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    measured = rows()
    sys.stdout.flush()
    print(markdown(measured))
