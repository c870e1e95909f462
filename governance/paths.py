"""The one trust boundary for paths (DESIGN principle 9).

Two kinds of path reach the tool:

* **operator paths** are named on the command line (``--config``, ``--policy``, ``--card``,
  ``--root``, ``--output-dir``, ``--sign-key``, ``--trusted-keys``...). The operator chose
  them; they may be anywhere;
* **contributor paths** are written inside files of the repository (``governance.yaml``'s
  ``policies``, ``card``, ``root``, ``baseline``, ``output_dir``, ``signing.key``,
  ``signing.trusted_keys``; a policy's ``extends``; a card's artifact paths). They must
  resolve, after every symlink, inside the project root: the folder holding
  ``governance.yaml``, or ``--root``. Going elsewhere needs the operator's
  ``--allow-outside-root DIR`` (repeatable).

Every file is then opened with :func:`read_regular`: ``O_NOFOLLOW | O_NONBLOCK`` and ``fstat``
before reading, so a FIFO, a device, a directory or a ``/proc`` file is refused without
blocking, and the size is capped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from governance.errors import ArtifactError, GovernanceError, InputError

# Pseudo file systems whose "regular files" are generated on read (/proc/self/environ holds
# the process environment, secrets included) or are devices.
_PSEUDO = (Path("/proc"), Path("/sys"), Path("/dev"))

ALLOW_FLAG = "--allow-outside-root"


class Where(NamedTuple):
    """Where a contributor path was written: file, line, column and field, for messages.

    (Records here are NamedTuples: creating a dataclass costs ~0.4 ms of every lint.)"""

    path: str | None = None
    line: int | None = None
    col: int | None = None
    field: str | None = None


def _err(message: str, where: Where, error_type: type[GovernanceError]) -> GovernanceError:
    return error_type(message, path=where.path, line=where.line, col=where.col,
                      field=where.field)


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _resolve_loose(path: Path) -> Path:
    """``path`` with every symlink of its existing part resolved (it need not exist)."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        raise InputError("cannot resolve path (symlink loop?)", path=str(path)) from None


class Boundary(NamedTuple):
    """The project root and the folders the operator allowed in addition."""

    root: Path
    allowed: tuple[Path, ...] = ()
    flag: str | None = None  # the command-line flag that widens it, named in messages

    @classmethod
    def of(cls, root: Path, allowed: Sequence[Path] = (), *,
           flag: str | None = None) -> Boundary:
        return cls(_resolve_loose(root), tuple(_resolve_loose(a) for a in allowed), flag)

    def contains(self, real: Path) -> bool:
        return any(_is_within(real, f) for f in (self.root, *self.allowed))

    def with_folder(self, folder: Path) -> Boundary:
        """Also trust ``folder`` (the folder of a file the operator named)."""
        real = _resolve_loose(folder)
        if self.contains(real):
            return self
        return Boundary(self.root, (*self.allowed, real), self.flag)

    def confine(self, raw: str, base: Path, where: Where, *,
                error_type: type[GovernanceError] = InputError) -> Path:
        """The real path of contributor path ``raw`` (relative to ``base``), inside the root.

        The path need not exist (an output folder); its existing part is resolved.
        """
        if "\x00" in raw:
            raise _err("path contains a NUL byte", where, error_type)
        if not raw or raw.strip() != raw:
            raise _err(f"invalid path {raw!r}", where, error_type)
        posix = raw.replace("\\", "/")
        absolute = (PurePosixPath(posix).is_absolute() or (len(raw) > 1 and raw[1] == ":"))
        candidate = Path(posix) if absolute else base / posix
        try:
            real = _resolve_loose(candidate)
        except InputError:
            raise _err(f"cannot resolve path {raw!r} (symlink loop)", where,
                       error_type) from None
        if self.contains(real):
            return real
        hint = f" (an operator can allow a folder with {self.flag} DIR)" if self.flag else ""
        if absolute:
            raise _err(f"absolute path {raw!r} is not allowed; use a path relative to the "
                       "project root" + hint, where, error_type)
        lexical = Path(os.path.normpath(candidate))
        if not any(_is_within(lexical, f) for f in (self.root, *self.allowed)):
            raise _err(f"path {raw!r} leaves the project root ('..')" + hint, where,
                       error_type)
        raise _err(f"path {raw!r} resolves outside the project root (symlink)" + hint, where,
                   error_type)


def project_root(start: Path) -> Path:
    """The project a command run in ``start`` works on: the nearest folder (``start`` or an
    ancestor) holding ``governance.yaml`` or ``.git``; else ``start`` itself."""
    here = _resolve_loose(start)
    for folder in (here, *here.parents):
        if (folder / "governance.yaml").is_file() or (folder / ".git").exists():
            return folder
    return here


def refuse_pseudo(real: Path, display: str,
                  error_type: type[GovernanceError] = InputError) -> None:
    """Files under /proc, /sys and /dev are never inputs (environment secrets, devices)."""
    if any(_is_within(real, p) for p in _PSEUDO):
        raise error_type("not a regular file (a device or pseudo file system)", path=display)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "special"


def check_regular(real: Path, where: Where, *,
                  error_type: type[GovernanceError] = InputError, what: str = "file") -> None:
    """Refuse (without opening) a contributor path that is not an existing regular file."""
    if any(_is_within(real, p) for p in _PSEUDO):
        raise _err("not a regular file (a device or pseudo file system)", where, error_type)
    try:
        st = real.stat()
    except FileNotFoundError:
        raise _err(f"{what} not found", where, error_type) from None
    except OSError as exc:
        raise _err(f"cannot read {what}: {exc.strerror}", where, error_type) from None
    if not stat.S_ISREG(st.st_mode):
        raise _err(f"not a regular file ({_kind(st.st_mode)})", where, error_type)


def read_regular(path: Path, display: str, *, max_bytes: int,
                 error_type: type[GovernanceError] = InputError,
                 what: str = "file") -> bytes:
    """Read a regular file of at most ``max_bytes`` bytes without ever blocking.

    Symlinks are resolved first (their target is what the boundary checked); the final open
    uses ``O_NOFOLLOW | O_NONBLOCK`` and ``fstat``, so a FIFO, device, directory or a file
    swapped for a symlink since the check is refused, never waited on.
    """
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise error_type(f"{what} not found", path=display) from None
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "symlink loop"
        raise error_type(f"cannot read {what}: {reason}", path=display) from None
    refuse_pseudo(real, display, error_type)
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0))
    try:
        fd = os.open(real, flags)
    except IsADirectoryError:
        raise error_type("not a regular file (a directory)", path=display) from None
    except OSError as exc:
        raise error_type(f"cannot read {what}: {exc.strerror}", path=display) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error_type(f"not a regular file ({_kind(st.st_mode)})", path=display)
        if st.st_size > max_bytes:
            raise error_type(f"file is {st.st_size} bytes, larger than the {max_bytes}-byte "
                             "cap", path=display)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error_type(f"cannot read {what}: {exc.strerror}", path=display) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise error_type(f"file is larger than the {max_bytes}-byte cap", path=display)
    return b"".join(chunks)


def safe_relative(rel: str, *, field: str | None = None, where: str | None = None) -> str:
    """Validate a card path syntactically; returns it in POSIX form."""
    if "\x00" in rel:
        raise ArtifactError("path contains a NUL byte", path=where, field=field)
    if not rel or rel.strip() != rel:
        raise ArtifactError(f"invalid path {rel!r}", path=where, field=field)
    p = PurePosixPath(rel.replace("\\", "/"))
    if p.is_absolute() or rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":"):
        raise ArtifactError(f"absolute path {rel!r} is not allowed; use a path relative to "
                            "the project root", path=where, field=field)
    if ".." in p.parts:
        raise ArtifactError(f"path {rel!r} leaves the project root ('..')", path=where,
                            field=field)
    return p.as_posix()
