"""``python fault_driver.py PHASE MARKER -- ARGS``: the derive command with a pause at one phase.

At PHASE (build, staging, swap or swapN) it writes its pid to MARKER and waits until MARKER + ".go"
exists (at most 30 s), so tests/test_faults.py can send a real signal to a real run at that moment. ``claims``
needs no hook: the sleepy derivation's claim writes the marker itself (from its worker process).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import derive.pipeline
from derive import derivations
from derive.cli import main
from derive.output import journal
from test_faults import PINNED_HASH

phase, marker = sys.argv[1], Path(sys.argv[2])
argv = sys.argv[sys.argv.index("--") + 1:]
# the same registry as the in-process tests', so the package files match theirs byte for byte
derivations.MODULES = {"sleepy": "sleepy_derivation"} if "sleepy" in argv else {"tiny": "tiny_derivations"}


derive.pipeline.input_hash = lambda module: PINNED_HASH  # as the in-process tests pin it


def pause() -> None:
    marker.write_text(str(os.getpid()))
    go = marker.with_name(marker.name + ".go")
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def pausing(original, at_call: int, only=lambda *args: True):
    calls = [0]

    def wrapper(*args, **kwargs):
        if only(*args):
            calls[0] += 1
            if calls[0] == at_call:
                pause()
        return original(*args, **kwargs)

    return wrapper


if phase == "build":
    derivations.build = pausing(derivations.build, 1)
elif phase == "staging":
    journal._write_file = pausing(journal._write_file, 2)
elif phase.startswith("swap"):
    # "swapN": before the rename of a staged file into place number N + 1 ("swap": N = 1)
    done = int(phase[len("swap"):] or 1)
    os.replace = pausing(os.replace, done + 1, only=lambda source, target: journal.STAGE_PREFIX in str(source))
sys.exit(main(argv))
