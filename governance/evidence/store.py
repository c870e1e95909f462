"""The artifact store: safe paths under the project root, sha256 digests, the inputs list.

Paths in a card are relative to the project root. Absolute paths, ``..``, NUL bytes, symlinks
that leave the root, and anything that is not a regular file are refused. Model binaries are
hashed, never loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from governance.errors import ArtifactError

MAX_ARTIFACT_BYTES = 8 * 1024**3
# /proc/self/environ is a "regular file" holding the environment: never an artifact.
_PSEUDO = (Path("/proc"), Path("/sys"), Path("/dev"))
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Digest:
    path: str
    sha256: str
    size: int


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


def digests_equal(a: str, b: str) -> bool:
    """Timing-safe comparison of hex digests."""
    return hmac.compare_digest(a.lower().encode(), b.lower().encode())


class ArtifactStore:
    """Resolves, hashes and reads artifacts under one root; records every input read."""

    def __init__(self, root: Path, *, max_bytes: int = MAX_ARTIFACT_BYTES) -> None:
        self.root = root.resolve()
        self.max_bytes = max_bytes
        self._digests: dict[str, Digest] = {}
        self._inputs: dict[tuple[str, str], str] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        self._lock = threading.RLock()

    # -- paths ---------------------------------------------------------------------------
    def resolve(self, rel: str, *, field: str | None = None, where: str | None = None) -> Path:
        """The real path of ``rel`` under the root, which must be an existing regular file."""
        clean = safe_relative(rel, field=field, where=where)
        candidate = self.root / clean
        try:
            real = candidate.resolve(strict=True)
        except FileNotFoundError:
            raise ArtifactError(f"artifact {rel!r} not found under the project root",
                                path=where, field=field) from None
        except (OSError, RuntimeError) as exc:
            raise ArtifactError(f"cannot resolve artifact {rel!r}: {exc}", path=where,
                                field=field) from None
        if not real.is_relative_to(self.root):
            raise ArtifactError(f"artifact {rel!r} resolves outside the project root "
                                "(symlink)", path=where, field=field)
        st = real.stat()
        if not stat.S_ISREG(st.st_mode) or any(real.is_relative_to(p) for p in _PSEUDO):
            raise ArtifactError(f"artifact {rel!r} is not a regular file", path=where,
                                field=field)
        if st.st_size > self.max_bytes:
            raise ArtifactError(f"artifact {rel!r} is {st.st_size} bytes, over the "
                                f"{self.max_bytes}-byte cap", path=where, field=field)
        return real

    # -- digests -------------------------------------------------------------------------
    def digest(self, rel: str, *, field: str | None = None, where: str | None = None) -> Digest:
        clean = safe_relative(rel, field=field, where=where)
        with self._lock:
            if clean in self._digests:
                return self._digests[clean]
        real = self.resolve(clean, field=field, where=where)
        h = hashlib.sha256()
        size = 0
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(real, flags)
        except OSError as exc:  # e.g. swapped for a symlink since resolve(): O_NOFOLLOW
            raise ArtifactError(f"cannot open artifact {rel!r}: {exc.strerror}", path=where,
                                field=field) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ArtifactError(f"artifact {rel!r} is not a regular file", path=where,
                                    field=field)
            while chunk := os.read(fd, CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise ArtifactError(f"artifact {rel!r} grew over the {self.max_bytes}-byte "
                                        "cap while being read", path=where, field=field)
                h.update(chunk)
        except OSError as exc:
            raise ArtifactError(f"cannot read artifact {rel!r}: {exc.strerror}", path=where,
                                field=field) from None
        finally:
            os.close(fd)
        d = Digest(clean, h.hexdigest(), size)
        with self._lock:
            self._digests[clean] = d
        return d

    # -- inputs --------------------------------------------------------------------------
    def record_input(self, role: str, path: str, sha256: str) -> None:
        with self._lock:
            self._inputs[(role, path)] = sha256

    def inputs(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return sorted((role, path, sha) for (role, path), sha in self._inputs.items())

    # -- a per-run cache for expensive reads (tables), keyed by (kind, path) ------------
    def cached(self, key: tuple[str, str], factory: Any) -> Any:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = factory()
        with self._lock:
            self._cache.setdefault(key, value)
            return self._cache[key]
