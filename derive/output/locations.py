"""Where generated files go: the source checkout's generated/, never an installed site-packages copy.

A derive that is not the checkout's own source never writes into that checkout: an editable install
(or ``python -m derive`` in the checkout) runs the checkout's code; a non-editable install writes there
only while its code is byte-identical to the checkout's (a fresh ``pip install .``), and refuses with a
hint once the checkout has been edited.
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
import types
from pathlib import Path

import derive


def _is_checkout(directory: Path) -> bool:
    """A derive source checkout: pyproject.toml naming the project, and a generated/ folder."""
    pyproject = directory / "pyproject.toml"
    if not (pyproject.is_file() and (directory / "generated").is_dir() and (directory / "derive").is_dir()):
        return False
    return 'name = "derive"' in pyproject.read_text(encoding="utf-8")


def running_checkout() -> Path | None:
    """The checkout whose derive/ is the code running now (editable install, or ``python -m derive`` in it)."""
    root = Path(derive.__file__).resolve().parent.parent
    return root if _is_checkout(root) else None


def mount_checkout_generated() -> None:
    """Make ``derive.generated`` the checkout's generated/ when derive runs from a checkout that is not installed.

    generated/ sits at the top of the checkout and is mapped into the package only by an install, so
    ``python -m derive`` in a plain clone would not find it otherwise.
    """
    root = running_checkout()
    if root is None or "derive.generated" in sys.modules or importlib.util.find_spec("derive.generated") is not None:
        return
    package = types.ModuleType("derive.generated")
    package.__path__ = [str(root / "generated")]
    package.__file__ = str(root / "generated" / "__init__.py")
    sys.modules["derive.generated"] = package
    derive.generated = package  # type: ignore[attr-defined]


def installed_generated_directory() -> Path:
    """The folder ``derive.generated`` is imported from (the checkout's generated/ for editable installs)."""
    spec = importlib.util.find_spec("derive.generated")
    if spec is None or not spec.submodule_search_locations:
        root = running_checkout()
        if root is not None:
            return (root / "generated").resolve()
        raise ValueError("the package derive.generated cannot be found; reinstall derive")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _digest_tree(files: list[Path], root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def _sources(package: Path, templates: Path) -> dict[str, str]:
    # an install puts generated/ and templates/ inside the package; a checkout has them beside it
    code = [path for path in package.rglob("*.py") if "__pycache__" not in path.parts
            and path.relative_to(package).parts[0] not in ("generated", "templates")]
    layout = [path for path in templates.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    return {**_digest_tree(code, package), **{f"templates/{k}": v for k, v in _digest_tree(layout, templates).items()}}


def installed_code_matches(checkout: Path) -> bool:
    """Whether the running (installed) derive is byte for byte the checkout's derive/ and templates/."""
    package = Path(derive.__file__).resolve().parent
    spec = importlib.util.find_spec("derive.templates")
    templates = Path(list(spec.submodule_search_locations)[0]) if spec and spec.submodule_search_locations \
        else package / "templates"
    return _sources(package, templates) == _sources(checkout / "derive", checkout / "templates")


def checkout_generated_directory() -> Path | None:
    """generated/ of the source checkout in use: the running code's, else the current directory's.

    A ValueError (with the hint) when the current directory is a checkout whose code differs from the
    installed derive that is running.
    """
    root = running_checkout()
    if root is not None:
        return (root / "generated").resolve()
    cwd = Path.cwd()
    if not _is_checkout(cwd):
        return None
    if not installed_code_matches(cwd):
        raise ValueError(
            f"the derive running is installed in {Path(derive.__file__).resolve().parent} and is not the code of the "
            f"checkout {cwd}; run `pip install -e .` there, or pass --out DIR"
        )
    return (cwd / "generated").resolve()


def default_output_directory() -> Path:
    """Where `derive all` writes without --out; a pip-installed copy has none and must be given --out."""
    directory = checkout_generated_directory()
    if directory is None:
        raise ValueError(
            "not in a derive source checkout: pass --out DIR (an installed derive never writes into site-packages)"
        )
    return directory


def reference_directory() -> Path:
    """What `derive check` compares against: the checkout's generated/, else the installed modules."""
    return checkout_generated_directory() or installed_generated_directory()
