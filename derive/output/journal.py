"""All-or-nothing replacement of a set of files in a directory, with a journal that survives a crash.

A write stages every file in ``DIR/.derive-stage-*`` (same file system, so a rename is atomic), keeps
the old versions as hard links in ``DIR/.derive-backup-*``, and commits the swap by writing
``DIR/.derive-journal.json`` (both folders, the file names and the sha256 of every new file), fsynced
with the directory before the first rename. Only then are the staged files renamed into place, with
SIGINT/SIGTERM held back until the last rename. A failure during the renames rolls them back.

A process that dies during the swap or its rollback (SIGKILL, power loss) leaves the journal, and the
next write into that directory first decides once, for the whole set: forward when the new set can
still be completed (every file staged, or already in place with its new bytes), otherwise back from the
backups. Asking per file, or only whether each file exists, mixes the sets: a file already renamed has
no staged copy but does have a backup, and a rollback cut off midway leaves restored old files beside
renamed new ones. Neither direction undoes the other's progress (a rollback only moves files away from
the new set), so a recovery that is itself killed is finished by the next one. Leftovers of killed runs
(stage and backup folders, the ``.NAME.XXXXXXXX.tmp`` files of the earlier writer) are removed then
too. Nothing else in the directory is ever touched.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from derive.output.manifest import digest

JOURNAL = ".derive-journal.json"
STAGE_PREFIX = ".derive-stage-"
BACKUP_PREFIX = ".derive-backup-"
# mkstemp names of the writer before the journal: .<file name>.<8 random characters>.tmp
OLD_TEMPORARY = re.compile(r"^\.[\w.-]+\.(py|tex|pdf|json)\.[a-z0-9_]{8}\.tmp$")


class WriteFailed(Exception):
    """An I/O failure while writing; the message says what was and was not written (one line)."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; ``written`` lists the files already in place (empty: nothing was)."""

    def __init__(self, signum: int, written: tuple[str, ...] = ()):
        super().__init__(signal.Signals(signum).name)
        self.signum, self.written = signum, written


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_file(path: Path, content: str | bytes) -> None:
    """One staged file, flushed to disk (the unit a full disk makes fail)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One writer at a time per directory (a lock on the directory itself: no lock file is left)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise WriteFailed(f"cannot write into {directory}: {_describe(error)}; nothing was written") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except OSError as error:
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF):
            os.close(descriptor)
            raise WriteFailed(f"cannot lock {directory}: {_describe(error)}; nothing was written") from None
        # a file system without locks (some network mounts): one writer at a time is then the user's to keep
    try:
        yield
    finally:
        os.close(descriptor)


class _HeldSignals:
    """SIGINT and SIGTERM are recorded, not acted on, until the swap is over (main thread only)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.previous: dict[int, object] = {}

    def __enter__(self) -> _HeldSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self.previous[signum] = signal.signal(signum, self._record)
        return self

    def _record(self, signum: int, frame: object) -> None:
        self.received = self.received or signum

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


def _commit(directory: Path, stage: Path, backup: Path, files: Mapping[str, str | bytes], new: list[str]) -> None:
    """Write the journal and make it durable: from here on the swap is recovered, not abandoned."""
    temporary = directory / (JOURNAL + ".tmp")
    sha256 = {name: digest(content) for name, content in sorted(files.items())}
    _write_file(temporary, json.dumps({"stage": stage.name, "backup": backup.name, "files": sorted(files),
                                       "new": new, "sha256": sha256}))
    os.replace(temporary, directory / JOURNAL)
    _fsync_directory(directory)


def _forget(directory: Path, stage: Path, backup: Path) -> None:
    (directory / JOURNAL).unlink(missing_ok=True)
    _fsync_directory(directory)
    shutil.rmtree(stage, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)


def _roll_back(directory: Path, backup: Path, names: list[str], new: list[str]) -> None:
    for name in names:
        if (backup / name).exists():
            os.replace(backup / name, directory / name)
        elif name in new:
            (directory / name).unlink(missing_ok=True)
    _fsync_directory(directory)


def _completable(directory: Path, stage: Path, names: list[str], sha256: Mapping[str, str]) -> bool:
    """Whether every new file is at hand: still staged, or already in place with its new bytes."""
    def in_place(name: str) -> bool:
        path = directory / name
        return path.is_file() and digest(path.read_bytes()) == sha256.get(name)

    return all((stage / name).exists() or in_place(name) for name in names)


def recover(directory: os.PathLike[str] | str) -> str | None:
    """Finish or undo a swap a dead process left in ``directory``; a sentence saying which, or None.

    Call with the directory's lock held (``replace_files`` does).
    """
    directory = Path(directory)
    journal = directory / JOURNAL
    if not journal.exists():
        return None
    try:
        state = json.loads(journal.read_text(encoding="utf-8"))
        stage, backup = directory / state["stage"], directory / state["backup"]
        names, new = list(state["files"]), list(state["new"])
        # a journal without digests (an older derive's) can complete only a swap that renamed nothing
        sha256 = dict(state.get("sha256", {}))
    except (ValueError, KeyError, TypeError):
        # A journal is renamed into place whole; a torn one was never the start of a swap.
        journal.unlink()
        return None
    if _completable(directory, stage, names, sha256):
        for name in names:
            if (stage / name).exists():
                os.replace(stage / name, directory / name)
        _fsync_directory(directory)
        outcome = f"completed the interrupted write of {len(names)} files in {directory}"
    else:
        _roll_back(directory, backup, names, new)
        outcome = f"rolled back the interrupted write in {directory}"
    _forget(directory, stage, backup)
    return outcome


def leftovers(directory: os.PathLike[str] | str) -> list[Path]:
    """What killed runs left in ``directory``: stage and backup folders, old temporaries, a journal's temporary."""
    found = []
    for path in Path(directory).iterdir():
        name = path.name
        if (name.startswith((STAGE_PREFIX, BACKUP_PREFIX)) and path.is_dir()) or OLD_TEMPORARY.match(name) \
                or name == JOURNAL + ".tmp":
            found.append(path)
    return sorted(found)


def _sweep(directory: Path) -> None:
    for path in leftovers(directory):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _describe(error: OSError) -> str:
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason = "no space left on the device"
    return f"{reason}{f' ({error.filename})' if error.filename else ''}"


def replace_files(files: Mapping[str, str | bytes], out_dir: os.PathLike[str] | str,
                  notice=None) -> list[str]:
    """Put every file of ``files`` into ``out_dir`` or none of them; the paths written, sorted.

    A WriteFailed (one line, saying what was written) for any I/O failure; Interrupted when SIGINT or
    SIGTERM arrived (raised after the swap if it came during it). ``notice`` receives a sentence when
    an earlier interrupted write had to be completed or rolled back first.
    """
    directory = Path(out_dir)
    names = sorted(files)
    if any(Path(name).name != name or name.startswith(".") for name in names):
        raise ValueError(f"output file names must be plain names, not {names}")
    with _locked(directory):
        try:
            outcome = recover(directory)
            if outcome and notice:
                notice(outcome)
            _sweep(directory)
            stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=directory))
        except OSError as error:
            raise WriteFailed(f"cannot write into {directory}: {_describe(error)}; nothing was written") from None
        backup = stage.with_name(BACKUP_PREFIX + stage.name[len(STAGE_PREFIX):])
        try:
            for name in names:
                _write_file(stage / name, files[name])
            _fsync_directory(stage)
            backup.mkdir()
        except OSError as error:
            shutil.rmtree(stage, ignore_errors=True)
            raise WriteFailed(f"could not stage the output in {directory}: {_describe(error)}; "
                              "nothing was written, the old files are unchanged") from None
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        with _HeldSignals() as held:
            _swap(directory, stage, backup, names, files)
        written = tuple(str(directory / name) for name in names)
        if held.received is not None:
            raise Interrupted(held.received, written)
        return list(written)


def _swap(directory: Path, stage: Path, backup: Path, names: list[str], files: Mapping[str, str | bytes]) -> None:
    """Back up, journal, rename; on a failure roll back (or leave the journal for the next run)."""
    new: list[str] = []
    try:
        for name in names:
            target = directory / name
            if target.exists():
                try:
                    os.link(target, backup / name)
                except OSError:  # a file system without hard links
                    shutil.copy2(target, backup / name)
            else:
                new.append(name)
        _fsync_directory(backup)  # a rollback after a power loss needs the backups the journal promises
        _commit(directory, stage, backup, files, new)
    except OSError as error:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
        (directory / JOURNAL).unlink(missing_ok=True)
        raise WriteFailed(f"could not prepare the swap in {directory}: {_describe(error)}; "
                          "nothing was written, the old files are unchanged") from None
    try:
        for name in names:
            os.replace(stage / name, directory / name)
        _fsync_directory(directory)
    except BaseException as failure:
        try:
            _roll_back(directory, backup, names, new)
            _forget(directory, stage, backup)
        except OSError:
            raise WriteFailed(f"the swap in {directory} failed and could not be rolled back; "
                              f"{JOURNAL} there records it and the next derive command writing there "
                              "finishes it") from None
        if isinstance(failure, OSError):
            raise WriteFailed(f"could not replace the files in {directory}: {_describe(failure)}; "
                              "rolled back, the old files are unchanged") from None
        raise
    _forget(directory, stage, backup)
