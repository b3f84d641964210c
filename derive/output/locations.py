"""Where generated files go: the source checkout's generated/, never an installed site-packages copy."""
from __future__ import annotations

import importlib.util
from pathlib import Path


def _is_checkout(directory: Path) -> bool:
    """A derive source checkout: pyproject.toml naming the project, and a generated/ folder."""
    pyproject = directory / "pyproject.toml"
    if not (pyproject.is_file() and (directory / "generated").is_dir()):
        return False
    return 'name = "derive"' in pyproject.read_text(encoding="utf-8")


def installed_generated_directory() -> Path:
    """The folder ``derive.generated`` is imported from (the checkout's generated/ for editable installs)."""
    spec = importlib.util.find_spec("derive.generated")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the package derive.generated cannot be found; reinstall derive")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def checkout_generated_directory() -> Path | None:
    """generated/ of the source checkout in use: the editable install's, else the current directory's."""
    package_directory = installed_generated_directory()
    if _is_checkout(package_directory.parent):
        return package_directory
    if _is_checkout(Path.cwd()):
        return (Path.cwd() / "generated").resolve()
    return None


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
