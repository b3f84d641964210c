"""Checking an output directory before a run, and writing a set of files into it all or nothing."""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from derive.output.journal import WriteFailed, replace_files


def check_output_directory(out_dir: os.PathLike[str] | str) -> Path:
    """An existing writable directory, or a new one whose parent is (made when written); else a ValueError."""
    text = os.fspath(out_dir)
    if not text.strip():
        raise ValueError("--out needs a directory name (an empty one would mean the current directory)")
    path = Path(text)
    if not path.exists():
        parent = path.absolute().parent
        if not parent.is_dir():
            raise ValueError(f"the parent of the output directory {text!r} does not exist ({parent})")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ValueError(f"cannot create the output directory {text!r}: {parent} is not writable")
        return path
    if not path.is_dir():
        raise ValueError(f"output path {text!r} is not a directory")
    if not os.access(path, os.W_OK | os.X_OK):
        raise ValueError(f"output directory {text!r} is not writable")
    return path


def write_atomically(files: Mapping[str, str | bytes], out_dir: os.PathLike[str] | str,
                     notice: Callable[[str], None] | None = None, create: bool = False) -> list[str]:
    """Write all files or none (see ``derive.output.journal``); with ``create`` a missing directory is made first."""
    directory = Path(out_dir)
    if create and not directory.exists():
        try:
            directory.mkdir()
        except OSError as error:
            raise WriteFailed(f"cannot create {directory}: {error.strerror}; nothing was written") from None
    return replace_files(files, directory, notice)
