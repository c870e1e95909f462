"""Atomic file output: write to a temporary file in the same folder, fsync, rename.

:func:`atomic_write_many` writes a set of files (the formats of one report) so that a failure
while writing any of them replaces none: every temporary file is written and synced first, and
only then are they renamed into place.
"""

from __future__ import annotations

import os
import tempfile
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
