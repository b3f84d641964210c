"""What the command prints while it works, on stderr: -q nothing, default a bar per derivation, -v every claim.

On a terminal with tqdm installed, each derivation gets a progress bar over its claims; otherwise
(a pipe, a log file, no tqdm) plain lines with the elapsed time, one per step (every claim with -v).
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


def _tqdm():
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


class Reporter:
    """Messages and claim progress; implements the pipeline's Tracker."""

    def __init__(self, verbosity: int, stream: TextIO | None = None, bars: bool | None = None):
        self.verbosity, self.stream = verbosity, stream or sys.stderr
        self.start, self.last_step = time.perf_counter(), None
        terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.tqdm = _tqdm() if (bars if bars is not None else terminal) and verbosity == 1 else None
        self.bars: dict[str, object] = {}

    def _line(self, text: str) -> None:
        if self.bars and self.tqdm is not None:
            self.tqdm.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def info(self, message: str) -> None:
        """A line of what is happening (not with -q)."""
        if self.verbosity >= 1:
            self._line(message)

    def progress(self, message: str) -> None:
        """The pipeline's 'derivation/step: claim' messages: one line per step, every one with -v."""
        step = message.split(":", 1)[0]
        if "/" not in step:  # a derivation-wide stage ("moyal: rendering LaTeX and numpy"): always worth a line
            if self.verbosity >= 1:
                self._line(f"[{time.perf_counter() - self.start:6.1f}s] {message}")
            self.last_step = step
            return
        show = self.verbosity >= 2 or (self.verbosity == 1 and self.tqdm is None and step != self.last_step)
        if show:
            shown = message if self.verbosity >= 2 else step
            self._line(f"[{time.perf_counter() - self.start:6.1f}s] {shown}")
        self.last_step = step

    def begin(self, name: str, claims: int) -> None:
        if self.tqdm is not None and name not in self.bars:
            self.bars[name] = self.tqdm(total=claims, desc=name, unit="claim", position=len(self.bars),
                                        file=self.stream, leave=True, dynamic_ncols=True)

    def advance(self, name: str, statement: str) -> None:
        bar = self.bars.get(name)
        if bar is not None:
            bar.update(1)

    def end(self, name: str) -> None:
        bar = self.bars.get(name)
        if bar is not None:
            bar.refresh()

    def close(self) -> None:
        """Close the bars (before the final lines, so they are not drawn over)."""
        for bar in self.bars.values():
            bar.close()
        self.bars = {}
