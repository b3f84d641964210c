"""Atomic output: every file is written to a temporary name first and renamed only when all are done."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping


def check_output_directory(out_dir: os.PathLike[str] | str) -> Path:
    """The directory must exist and be writable; otherwise a ValueError saying which."""
    path = Path(out_dir)
    if not path.exists():
        raise ValueError(f"output directory {str(path)!r} does not exist")
    if not path.is_dir():
        raise ValueError(f"output path {str(path)!r} is not a directory")
    if not os.access(path, os.W_OK | os.X_OK):
        raise ValueError(f"output directory {str(path)!r} is not writable")
    return path


def write_atomically(files: Mapping[str, str], out_dir: os.PathLike[str] | str) -> list[str]:
    """Write all files or none: temporaries in the target directory, then one rename each."""
    directory = check_output_directory(out_dir)
    staged: list[tuple[str, Path]] = []
    try:
        for name in sorted(files):
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(files[name])
            staged.append((temporary, directory / name))
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    return [str(target) for _, target in staged]
