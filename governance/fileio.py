"""Atomic file output: write to a temporary file in the same folder, fsync, rename.

:func:`atomic_write_many` writes a set of files (the formats of one report) so that a failure
while writing any of them replaces none: every temporary file is written and synced first, and
only then are they renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from governance.errors import InputError


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_temp(path: Path, data: bytes, mode: int) -> str:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write to {folder}: {exc.strerror}", path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except OSError as exc:
        _unlink_quietly(tmp)
        raise InputError(f"cannot write file: {exc.strerror}", path=str(path)) from None
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def atomic_write_many(files: dict[Path, bytes], *, mode: int = 0o644) -> None:
    """Write every file or none: temporaries first, renames last."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            temps.append((_write_temp(path, data, mode), path))
        while temps:
            tmp, path = temps[0]
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise InputError(f"cannot write file: {exc.strerror}", path=str(path)) from None
            temps.pop(0)
    finally:
        for tmp, _ in temps:
            _unlink_quietly(tmp)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one."""
    atomic_write_many({path: data}, mode=mode)


LOCK_FILENAME = ".governance-check.lock"


@contextmanager
def output_dir_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (``flock`` on ``folder/.governance-check.lock``).

    Two ``governance check`` runs writing the same output folder at once would otherwise mix
    their files, and a signature could bind another run's report. A second run does not wait:
    it fails (exit 2) naming the folder, and writes nothing. The lock is released when the
    process ends, whatever the reason, so a crashed run never leaves the folder locked.
    """
    import fcntl

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILENAME,
                     os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise InputError(f"cannot write to {folder}: {exc.strerror}",
                         path=str(folder)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("another `governance check` is writing to this output folder "
                             "right now; wait for it to finish or pass another --output-dir",
                             path=str(folder)) from None
        except OSError as exc:
            raise InputError(f"cannot lock the output folder: {exc.strerror}",
                             path=str(folder)) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
