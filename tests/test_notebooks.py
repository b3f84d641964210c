"""Every notebook in notes/notebooks/ (jupytext Markdown) runs top to bottom, renders steps and draws a plot."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notes" / "notebooks").glob("*.md"))


def test_every_derivation_has_a_notebook() -> None:
    from derive import derivations

    assert {path.stem for path in NOTEBOOKS} >= set(derivations.MODULES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_executes(path: Path) -> None:
    notebook = jupytext.read(path)
    start = time.perf_counter()
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    kinds = {kind for output in outputs for kind in output.get("data", {})}
    assert "text/latex" in kinds, f"{path.name}: no step rendered through _repr_latex_"
    assert "image/png" in kinds, f"{path.name}: no plot"
    print(f"{path.name}: {seconds:.1f} s")
