"""Progress of a check on stderr, for the people watching it (never part of any report).

Two modes:
- ``live`` (stderr is a terminal, not CI): one status line redrawn in place: rules done, the
  rule in progress, rows read by the streaming engine, elapsed time. Redrawn at most ten times
  a second on events, and once a second by a ticker so the clock moves during a long rule.
- ``plain`` (a CI log, a pipe): whole lines, no control sequences: one when each rule is done,
  and during long work a "still running" line at most every 10 seconds.
``--quiet`` silences both (no Progress object at all).

Rule ids come from the policy, a hostile input: every text from an input goes through
:func:`governance.textsafe.one_line` so it can act neither as a terminal control sequence nor
as a CI-log command.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

Mode = Literal["live", "plain"]

HEARTBEAT_S = 10.0  # plain mode: at most one "still running" line this often
REDRAW_S = 0.1  # live mode: at most ten redraws a second on events
TICK_S = 1.0  # live mode: the clock's redraw


def _elapsed(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else f"{seconds:.1f}s" if s < 10 else f"{s}s"


class Progress:
    def __init__(self, stream: Any = None, mode: Mode = "live", *,
                 clock: Any = time.monotonic, ticker: bool = False) -> None:
        import sys

        self.stream = stream or sys.stderr
        self.mode = mode
        self.clock = clock
        self.start = clock()
        self.done = 0
        self.total = 0
        self.rule = ""
        self.running = False
        self.rows: tuple[int, int | None] | None = None
        self._last_draw = float("-inf")
        self._last_line = self.start  # plain mode: when the last line was written
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if ticker:
            self._thread = threading.Thread(target=self._tick, name="governance-progress",
                                            daemon=True)
            self._thread.start()

    # -- events (called by the engine and the streaming reader) ------------------------------
    def rule_started(self, index: int, total: int, rule_id: str) -> None:
        with self._lock:
            self.total, self.rule, self.rows, self.running = total, rule_id, None, True
            if self.mode == "live":
                self._draw()

    def rule_done(self, done: int, total: int, rule_id: str) -> None:
        with self._lock:
            self.done, self.total, self.rule, self.rows, self.running = (
                done, total, rule_id, None, False)
            if self.mode == "live":
                self._draw()
                if done == total:
                    self._write("\n")
            else:
                self._line(f"checked rule {done}/{total} {self._rule_text()}")

    def rows_read(self, read: int, total: int | None) -> None:
        with self._lock:
            self.rows = (read, total)
            if self.mode == "live":
                now = self.clock()
                if now - self._last_draw >= REDRAW_S or read == total:
                    self._draw(now)
            else:
                self._heartbeat()

    def close(self) -> None:
        """Stop the ticker; a live line left unfinished (an error) gets its newline."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        with self._lock:
            if self.mode == "live" and self._last_draw != float("-inf") and (
                    self.done != self.total or self.total == 0):
                self._write("\n")
                self._last_draw = float("-inf")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- output -------------------------------------------------------------------------------
    def _rule_text(self) -> str:
        from governance.textsafe import excerpt

        return excerpt(self.rule, 120)

    def _status(self, now: float) -> str:
        text = f"checking rules {self.done}/{self.total}"
        if self.running and self.rule:
            text += f" · {self._rule_text()}"
        if self.rows is not None:  # the running rule streams a table
            read, total = self.rows
            text += f" · read {read:,}" + (f" of {total:,}" if total else "") + " rows"
        return text + f" · {_elapsed(now - self.start)}"

    def _draw(self, now: float | None = None) -> None:
        now = self.clock() if now is None else now
        self._last_draw = now
        self._write(f"\r\x1b[2K{self._status(now)}")

    def _heartbeat(self) -> None:
        now = self.clock()
        if now - self._last_line >= HEARTBEAT_S:
            self._line(f"still {self._status(now)}", now)

    def _line(self, text: str, now: float | None = None) -> None:
        self._last_line = self.clock() if now is None else now
        self._write(text + "\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed stderr never fails the check
            pass

    def _tick(self) -> None:
        interval = TICK_S if self.mode == "live" else 1.0
        while not self._stop.wait(interval):
            with self._lock:
                if self.mode == "live":
                    if self.running:
                        self._draw()
                elif self.running:
                    self._heartbeat()


def progress_for(quiet: bool, stream: Any = None) -> Progress | None:
    """The progress display a check gets: none with ``--quiet``; a live line on a terminal
    (outside CI); plain lines in a CI log or a pipe."""
    import os
    import sys

    if quiet:
        return None
    stream = stream or sys.stderr
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        tty = False
    live = tty and not os.environ.get("CI")
    return Progress(stream, "live" if live else "plain", ticker=True)
