"""Issue 16's fault table, one test per row: signals sent to real runs at each phase, patched I/O failures.

Every failure must leave the old output set whole (or the new one whole), print one line and no
traceback, exit with the documented code, clean what killed runs left, and never touch a file derive
did not write.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derive import derivations
from derive.cli import main
from derive.output import journal

TESTS = Path(__file__).parent
DRIVER = TESTS / "fault_driver.py"
PINNED_HASH = "0123456789abcdef"
USER_FILES = {"notes.txt": b"mine\n", ".mine.tmp": b"also mine\n"}


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    import derive.pipeline

    monkeypatch.setattr(derivations, "MODULES", {"tiny": "tiny_derivations"})
    # The hash is not under test here; pinned, an edit elsewhere in the tree during a test cannot change the bytes.
    monkeypatch.setattr(derive.pipeline, "input_hash", lambda module: PINNED_HASH)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


def written_set(directory: Path, scale: int) -> dict[str, bytes]:
    """What `derive run tiny --scale SCALE` writes into an empty folder."""
    assert main(["-q", "run", "tiny", "--scale", str(scale), "--out", str(directory)]) == 0
    return snapshot(directory)


@pytest.fixture
def old_set(tiny: None, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding derive's files of `--scale 2` and two files of the user's."""
    out = tmp_path / "out"
    written_set(out, 2)
    for name, data in USER_FILES.items():
        (out / name).write_bytes(data)
    return out, snapshot(out)


def assert_clean(directory: Path) -> None:
    assert journal.leftovers(directory) == []
    assert not (directory / journal.JOURNAL).exists()
    for name, data in USER_FILES.items():
        assert (directory / name).read_bytes() == data


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def start(phase: str, marker: Path, *argv: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "DERIVE_TEST_MARKER": str(marker)}
    return subprocess.Popen([sys.executable, str(DRIVER), phase, str(marker), "--", "-q", *argv],
                            env=env, stderr=subprocess.PIPE, text=True)


def wait_for(marker: Path, process: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the run never reached the phase"
        time.sleep(0.02)
    time.sleep(0.05)
    return int(marker.read_text())


def signal_at(phase: str, signum: int, out: Path, tmp_path: Path, *argv: str) -> tuple[int, str]:
    marker = tmp_path / f"marker-{phase}"
    process = start(phase, marker, *argv, "--out", str(out))
    wait_for(marker, process)
    process.send_signal(signum)
    marker.with_name(marker.name + ".go").write_text("")
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.parametrize("phase, signum, code", [("build", signal.SIGINT, 130), ("build", signal.SIGTERM, 143),
                                                 ("staging", signal.SIGINT, 130), ("staging", signal.SIGTERM, 143)])
def test_a_signal_before_the_swap_writes_nothing(phase: str, signum: int, code: int, old_set, tmp_path: Path) -> None:
    out, before = old_set
    returncode, err = signal_at(phase, signum, out, tmp_path, "run", "tiny", "--scale", "3")
    assert returncode == code
    assert one_line(err) == "derive: interrupted; nothing was written"
    assert snapshot(out) == before
    assert_clean(out)


def test_a_signal_while_claims_are_checked_writes_nothing_and_stops_the_workers(old_set, tmp_path: Path) -> None:
    out, before = old_set
    marker = tmp_path / "marker-claims"
    process = start("claims", marker, "run", "sleepy", "--out", str(out))
    worker = wait_for(marker, process)
    assert worker != process.pid
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert one_line(err) == "derive: interrupted; nothing was written"
    assert snapshot(out) == before
    deadline = time.monotonic() + 5
    while not is_gone(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert is_gone(worker)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_the_swap_completes_it_before_exiting(signum: int, code: int, old_set, tmp_path: Path) -> None:
    out, before = old_set
    expected = written_set(tmp_path / "expected", 3)
    returncode, err = signal_at("swap", signum, out, tmp_path, "run", "tiny", "--scale", "3")
    assert returncode == code
    assert one_line(err).startswith(f"derive: interrupted after writing {len(expected)} files in {out}")
    assert snapshot(out) == {**expected, **USER_FILES}
    assert_clean(out)


def test_sigkill_during_the_swap_is_completed_by_the_next_write(old_set, tmp_path: Path) -> None:
    out, before = old_set
    expected = written_set(tmp_path / "expected", 3)
    marker = tmp_path / "marker-kill"
    process = start("swap3", marker, "run", "tiny", "--scale", "3", "--out", str(out))
    wait_for(marker, process)
    process.kill()
    process.communicate(timeout=30)
    assert (out / journal.JOURNAL).exists()
    # killed after three renames: a mixed set, which the old versions in the backup must not turn into another
    half = snapshot(out)
    assert [half[name] == expected[name] for name in sorted(expected)] == [True, True, True, False]
    assert half["manifest.json"] != before["manifest.json"] and half["tiny.tex"] == before["tiny.tex"]
    assert journal.recover(out).startswith("completed the interrupted write")
    assert snapshot(out) == {**expected, **USER_FILES}
    assert_clean(out)


def test_the_next_command_finishes_a_killed_swap_before_anything_else(old_set, tmp_path: Path, capsys) -> None:
    out, before = old_set
    marker = tmp_path / "marker-kill"
    process = start("swap", marker, "run", "tiny", "--scale", "3", "--out", str(out))
    wait_for(marker, process)
    process.kill()
    process.communicate(timeout=30)
    assert main(["run", "tiny", "--scale", "5", "--out", str(out)]) == 0
    assert f"completed the interrupted write of 4 files in {out}" in capsys.readouterr().err
    assert snapshot(out) == {**written_set(tmp_path / "expected", 5), **USER_FILES}
    assert_clean(out)


def test_sigkill_of_the_main_process_kills_its_workers(tmp_path: Path) -> None:
    marker = tmp_path / "marker-orphan"
    process = start("claims", marker, "run", "sleepy", "--out", str(tmp_path / "out"))
    worker = wait_for(marker, process)
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while not is_gone(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert is_gone(worker), "the worker outlived its parent"


def test_a_rollback_when_a_staged_file_is_missing(old_set, tmp_path: Path) -> None:
    out, before = old_set
    stage, backup = out / (journal.STAGE_PREFIX + "x"), out / (journal.BACKUP_PREFIX + "x")
    stage.mkdir(), backup.mkdir()
    os.link(out / "tiny.py", backup / "tiny.py")
    (out / "tiny.py").unlink()
    (out / "tiny.py").write_text("half-written new version")
    (out / "extra.py").write_text("a new file of the interrupted write")
    (out / journal.JOURNAL).write_text(json.dumps(
        {"stage": stage.name, "backup": backup.name, "files": ["extra.py", "gone.py", "tiny.py"], "new": ["extra.py", "gone.py"]}))
    assert journal.recover(out).startswith("rolled back")
    assert snapshot(out) == before
    assert_clean(out)


TINY_FILES = 4  # __init__.py, manifest.json, tiny.py, tiny.tex: the renames of a swap run in this order
_TINY_SETS: dict[int, dict[str, bytes]] = {}


def tiny_set(scale: int, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What `derive run tiny --scale SCALE` writes (built once per scale: the kill matrix needs many)."""
    if scale not in _TINY_SETS:
        _TINY_SETS[scale] = written_set(tmp_path_factory.mktemp(f"tiny-{scale}"), scale)
    return _TINY_SETS[scale]


def die_at_move(moves: int, counted: str, fail_after: int | None = None) -> None:
    """In a child process: SIGKILL itself at the move number ``moves`` (0-based) out of a ``counted`` folder.

    With ``fail_after``, the rename out of the stage after that many fails with EIO. Past its last move
    the child dies as it is about to drop the journal. The kill is real: no handler, ``finally`` or
    rollback of the child runs.
    """
    original, renames, counts = os.replace, [0], [0]

    def replace(source, target):
        folder = Path(source).parent.name
        if folder.startswith(journal.STAGE_PREFIX):
            if renames[0] == fail_after:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
            renames[0] += 1
        if folder.startswith(counted):
            if counts[0] == moves:
                os.kill(os.getpid(), signal.SIGKILL)
            counts[0] += 1
        return original(source, target)

    os.replace = replace
    journal._forget = lambda *args: os.kill(os.getpid(), signal.SIGKILL)


def in_a_child(action) -> bool:
    """Run ``action`` in a forked child; whether it died by SIGKILL (else it finished)."""
    pid = os.fork()
    if pid == 0:
        try:
            action()
        finally:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


# (renames done before the death, None) or (renames done before one fails, restores done before the death)
CUT_POINTS = [(k, None) for k in range(TINY_FILES + 1)] + \
             [(f, j) for f in range(1, TINY_FILES) for j in range(TINY_FILES + 1)]


def _cut_name(cut: tuple[int, int | None]) -> str:
    done, restores = cut
    return f"killed-after-{done}-renames" if restores is None else f"rename-{done}-fails-killed-after-{restores}-restores"


@pytest.fixture
def killed_swap(tiny: None, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """A function: the swap from the scale-2 set (and the user's files) to the scale-3 set cut off at ``cut``.

    It returns the folder, the old and the new set; the files in ``new_in_run`` have no old version.
    """
    def cut_off(cut: tuple[int, int | None], new_in_run: tuple[str, ...] = ()) \
            -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        for name, data in {**tiny_set(2, tmp_path_factory), **USER_FILES}.items():
            if name not in new_in_run:
                (out / name).write_bytes(data)
        before, new = snapshot(out), tiny_set(3, tmp_path_factory)
        done, restores = cut

        def swap() -> None:
            if restores is None:
                die_at_move(done, journal.STAGE_PREFIX)
            else:
                die_at_move(restores, journal.BACKUP_PREFIX, fail_after=done)
            journal.replace_files(new, out)

        assert in_a_child(swap), "the cut point was never reached"
        assert (out / journal.JOURNAL).exists()
        return out, before, {**new, **USER_FILES}

    return cut_off


def assert_one_whole_set(out: Path, outcome: str, before: dict, after: dict) -> None:
    """Exactly the old set or exactly the new one, as the recovery's sentence says, and nothing left over."""
    assert snapshot(out) == (after if outcome.startswith("completed the interrupted write") else before)
    assert outcome.startswith(("completed the interrupted write", "rolled back"))
    assert_clean(out)


@pytest.mark.parametrize("cut", CUT_POINTS, ids=_cut_name)
@pytest.mark.parametrize("new_in_run", [(), ("tiny.py",)], ids=["all-old", "tiny.py-new"])
def test_a_swap_killed_at_any_point_recovers_to_one_whole_set(cut, new_in_run, killed_swap) -> None:
    out, before, after = killed_swap(cut, new_in_run)
    outcome = journal.recover(out)
    assert_one_whole_set(out, outcome, before, after)
    if cut[1] is None:  # every staged file is still there: the swap is completed
        assert snapshot(out) == after


@pytest.mark.parametrize("done", range(1, TINY_FILES))
def test_a_killed_swap_missing_a_staged_file_is_rolled_back_whole(done: int, killed_swap) -> None:
    """A staged copy gone (the swap cannot complete): the files already renamed are rolled back too."""
    out, before, _ = killed_swap((done, None))
    stage = next(out.glob(journal.STAGE_PREFIX + "*"))
    sorted(stage.iterdir())[-1].unlink()
    assert journal.recover(out).startswith("rolled back")
    assert snapshot(out) == before
    assert_clean(out)


@pytest.mark.parametrize("cut", CUT_POINTS, ids=_cut_name)
def test_the_next_write_recovers_a_swap_killed_at_any_point(cut, killed_swap, tmp_path_factory, capsys) -> None:
    out, _, _ = killed_swap(cut)
    assert main(["run", "tiny", "--scale", "5", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"completed the interrupted write of {TINY_FILES} files in {out}" in err \
        or f"rolled back the interrupted write in {out}" in err
    if cut[1] is None:
        assert "completed the interrupted write" in err
    assert snapshot(out) == {**tiny_set(5, tmp_path_factory), **USER_FILES}
    assert_clean(out)


@pytest.mark.parametrize("cut", [(2, None), *[(2, j) for j in range(TINY_FILES + 1)]], ids=_cut_name)
@pytest.mark.parametrize("moves", range(TINY_FILES))
def test_a_recovery_killed_midway_is_finished_by_the_next(cut, moves: int, killed_swap) -> None:
    """The recovery itself is killed after each of its moves; the next one still ends at one whole set."""
    out, before, after = killed_swap(cut)

    def recover() -> None:
        die_at_move(moves, "")  # every move counts, out of the stage or the backups
        journal.recover(out)

    assert in_a_child(recover)  # past its last move it dies about to drop the journal
    assert_one_whole_set(out, journal.recover(out), before, after)


def _fail_at(calls: int, error: OSError, original):
    count = [0]

    def failing(*args, **kwargs):
        count[0] += 1
        if count[0] == calls:
            raise error
        return original(*args, **kwargs)

    return failing


def test_a_full_disk_leaves_the_old_set_whole(old_set, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out, before = old_set
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(journal, "_write_file", _fail_at(2, full, journal._write_file))
    assert main(["-q", "run", "tiny", "--scale", "3", "--out", str(out)]) == 1
    line = one_line(capsys.readouterr().err)
    assert "no space left on the device" in line and "nothing was written, the old files are unchanged" in line
    assert snapshot(out) == before
    assert_clean(out)


def test_a_read_only_target_leaves_the_old_set_whole(old_set, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out, before = old_set
    # what a read-only mount answers, to root too (a chmod would not stop root)
    read_only = OSError(errno.EROFS, os.strerror(errno.EROFS), str(out))
    monkeypatch.setattr(journal.tempfile, "mkdtemp", _fail_at(1, read_only, journal.tempfile.mkdtemp))
    assert main(["-q", "run", "tiny", "--scale", "3", "--out", str(out)]) == 1
    assert "Read-only file system" in one_line(capsys.readouterr().err)
    assert snapshot(out) == before
    assert_clean(out)


def test_a_failing_rename_in_the_swap_is_rolled_back(old_set, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    out, before = old_set
    original = os.replace
    count = [0]

    def replace(source, target, *args, **kwargs):
        if journal.STAGE_PREFIX in str(source):
            count[0] += 1
            if count[0] == 3:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        return original(source, target, *args, **kwargs)

    monkeypatch.setattr(journal.os, "replace", replace)
    assert main(["-q", "run", "tiny", "--scale", "3", "--out", str(out)]) == 1
    line = one_line(capsys.readouterr().err)
    assert "Input/output error" in line and "rolled back, the old files are unchanged" in line
    monkeypatch.setattr(journal.os, "replace", original)
    assert snapshot(out) == before
    assert_clean(out)


def test_an_output_directory_removed_mid_run_is_one_line_and_not_recreated(tiny: None, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import derive.pipeline

    out = tmp_path / "out"
    out.mkdir()
    original = derive.pipeline.run_many

    def run_then_remove(*args, **kwargs):
        records = original(*args, **kwargs)
        shutil.rmtree(out)
        return records

    monkeypatch.setattr(derive.pipeline, "run_many", run_then_remove)
    assert main(["-q", "run", "tiny", "--out", str(out)]) == 1
    line = one_line(capsys.readouterr().err)
    assert "No such file or directory" in line and "nothing was written" in line
    assert not out.exists()


def test_leftovers_of_killed_runs_are_cleaned_and_nothing_else_is_touched(old_set) -> None:
    out, before = old_set
    (out / (journal.STAGE_PREFIX + "dead")).mkdir()
    (out / (journal.STAGE_PREFIX + "dead") / "tiny.py").write_text("staged by a killed run")
    (out / (journal.BACKUP_PREFIX + "dead")).mkdir()
    (out / ".continuum.py.k2j4h6g8.tmp").write_text("a temporary of the earlier writer")
    (out / (journal.JOURNAL + ".tmp")).write_text("{")
    assert len(journal.leftovers(out)) == 4
    assert main(["-q", "run", "tiny", "--scale", "2", "--out", str(out)]) == 0
    assert snapshot(out) == before
    assert_clean(out)


def test_a_torn_journal_is_dropped_without_touching_files(old_set) -> None:
    out, before = old_set
    (out / journal.JOURNAL).write_text('{"stage": ')
    assert journal.recover(out) is None
    assert snapshot(out) == before


def _fake_checkout(root: Path) -> Path:
    """A checkout holding exactly the code that is running (as a fresh clone's `pip install .` has)."""
    real = Path(derive_package_directory())
    shutil.copytree(real, root / "derive", ignore=shutil.ignore_patterns("__pycache__", "generated"))
    shutil.copytree(real.parent / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(real.parent / "pyproject.toml", root / "pyproject.toml")
    (root / "generated").mkdir()
    return root


def derive_package_directory() -> Path:
    import derive

    return Path(derive.__file__).resolve().parent


def test_installed_code_writes_into_a_checkout_only_while_it_is_the_checkouts_code(
        tiny: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import derive.output.locations as locations

    checkout = _fake_checkout(tmp_path / "clone")
    monkeypatch.setattr(locations, "running_checkout", lambda: None)   # the running code is "installed"
    monkeypatch.chdir(checkout)
    assert main(["-q", "run", "tiny"]) == 0                           # identical code: writes the clone's generated/
    assert (checkout / "generated" / "tiny.py").is_file()
    before = snapshot(checkout / "generated")
    edited = checkout / "derive" / "derivations" / "__init__.py"
    edited.write_text(edited.read_text() + "# edited after the install\n")
    for argv in (["run", "tiny"], ["check"]):
        assert main(argv) == 2
        line = one_line(capsys.readouterr().err)
        assert "is not the code of the checkout" in line and "pip install -e ." in line and "--out DIR" in line
    assert snapshot(checkout / "generated") == before


PLAIN_CHECKOUT = """
import sys
sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder).lower()]
import importlib.util
assert importlib.util.find_spec("derive.generated") is None, "generated/ must not be importable before derive maps it"
import derive.derivations
derive.derivations.MODULES = {"tiny": "tiny_derivations"}
from derive.cli import main
from derive.output import default_output_directory
main(["-q", "list", "tiny"])
import derive.generated.moyal
print(derive.generated.moyal.__file__)
print(default_output_directory())
"""


def test_python_m_derive_works_in_a_checkout_without_an_install() -> None:
    """What `python -m derive` in a plain clone runs: the clone's derive/, with its generated/ mapped in."""
    checkout = derive_package_directory().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), str(TESTS)])}
    result = subprocess.run([sys.executable, "-c", PLAIN_CHECKOUT], cwd=checkout, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip().splitlines()
    assert out[0].startswith("tiny: A tiny derivation for tests")
    assert out[-2:] == [str(checkout / "generated" / "moyal.py"), str(checkout / "generated")]
