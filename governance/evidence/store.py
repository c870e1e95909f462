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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.errors import ArtifactError
from governance.paths import safe_relative as safe_relative

MAX_ARTIFACT_BYTES = 8 * 1024**3
# /proc/self/environ is a "regular file" holding the environment: never an artifact.
_PSEUDO = (Path("/proc"), Path("/sys"), Path("/dev"))
CHUNK = 1024 * 1024


class RuleCancelled(ArtifactError):
    """The rule reading this artifact overran its time limit: it may read nothing more."""


@dataclass
class RuleScope:
    """The inputs one rule recorded, committed to the run only if it finished in time."""

    inputs: dict[tuple[str, str], str] = field(default_factory=dict)
    cancelled: bool = False


@dataclass(frozen=True)
class Digest:
    path: str
    sha256: str
    size: int


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
        self._engines: dict[str, set[str]] = {}
        self._tmp: str | None = None
        self._local = threading.local()
        self._cleanup: Any = None
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

    # -- digests: one read, and the bytes hashed are the bytes parsed ---------------------
    def _read_hashed(self, rel: str, sink: Any, *, field: str | None,
                     where: str | None) -> Digest:
        """Read ``rel`` once through a no-follow descriptor, hashing every chunk and passing it
        to ``sink`` (None: hash only). The digest is cached; a second read whose bytes differ
        from an earlier one (the file changed during the run) is an error."""
        self._check_scope()
        clean = safe_relative(rel, field=field, where=where)
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
                self._check_scope()
                size += len(chunk)
                if size > self.max_bytes:
                    raise ArtifactError(f"artifact {rel!r} grew over the {self.max_bytes}-byte "
                                        "cap while being read", path=where, field=field)
                h.update(chunk)
                if sink is not None:
                    sink(chunk)
        except OSError as exc:
            raise ArtifactError(f"cannot read artifact {rel!r}: {exc.strerror}", path=where,
                                field=field) from None
        finally:
            os.close(fd)
        d = Digest(clean, h.hexdigest(), size)
        with self._lock:
            before = self._digests.setdefault(clean, d)
        if not digests_equal(before.sha256, d.sha256):
            raise ArtifactError(f"artifact {rel!r} changed while the check was running "
                                f"(sha256 {before.sha256[:12]}... then {d.sha256[:12]}...)",
                                path=where, field=field)
        return d

    def digest(self, rel: str, *, field: str | None = None, where: str | None = None) -> Digest:
        clean = safe_relative(rel, field=field, where=where)
        with self._lock:
            if clean in self._digests:
                return self._digests[clean]
        return self._read_hashed(clean, None, field=field, where=where)

    def read_bytes(self, rel: str, *, field: str | None = None, where: str | None = None
                   ) -> tuple[Digest, bytes]:
        """The artifact's bytes and their digest, from one read: parse these bytes."""
        parts: list[bytes] = []
        d = self._read_hashed(rel, parts.append, field=field, where=where)
        return d, b"".join(parts)

    def snapshot(self, rel: str, *, field: str | None = None, where: str | None = None
                 ) -> tuple[Digest, Path]:
        """A private copy of the artifact, written while its bytes are hashed (one read of the
        original): large tables are streamed from it, so the bytes parsed are the bytes
        hashed without holding the file in memory. Removed when the store is closed."""
        import tempfile

        with self._lock:
            if self._tmp is None:
                import shutil
                import weakref

                self._tmp = tempfile.mkdtemp(prefix="governance-snap-")
                self._cleanup = weakref.finalize(self, shutil.rmtree, self._tmp, True)
            target = Path(self._tmp) / f"{len(os.listdir(self._tmp))}-{Path(rel).name}"
        with open(target, "xb") as out:
            d = self._read_hashed(rel, out.write, field=field, where=where)
        return d, target

    def close(self) -> None:
        """Remove the snapshots (also done when the store is collected or at exit)."""
        with self._lock:
            self._tmp = None
            cleanup, self._cleanup = self._cleanup, None
        if cleanup is not None:
            cleanup()

    # -- inputs --------------------------------------------------------------------------
    def record_input(self, role: str, path: str, sha256: str) -> None:
        scope: RuleScope | None = getattr(self._local, "scope", None)
        with self._lock:
            if scope is None:
                self._inputs[(role, path)] = sha256
            elif not scope.cancelled:
                scope.inputs[(role, path)] = sha256

    # -- rule scopes: a timed-out rule contributes nothing -------------------------------
    def enter_scope(self, scope: RuleScope) -> None:
        """Record the calling thread's inputs into ``scope`` (the engine's rule thread)."""
        self._local.scope = scope

    def commit_scope(self, scope: RuleScope) -> None:
        with self._lock:
            if not scope.cancelled:
                self._inputs.update(scope.inputs)
            scope.inputs = {}

    def cancel_scope(self, scope: RuleScope) -> None:
        with self._lock:
            scope.cancelled = True
            scope.inputs = {}

    def _check_scope(self) -> None:
        scope: RuleScope | None = getattr(self._local, "scope", None)
        if scope is not None and scope.cancelled:
            raise RuleCancelled("the rule overran its time limit; it may read nothing more")

    def inputs(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return sorted((role, path, sha) for (role, path), sha in self._inputs.items())

    # -- which engine computed statistics of which artifact (recorded in the report) -----
    def note_engine(self, path: str, engine: str) -> None:
        with self._lock:
            self._engines.setdefault(path, set()).add(engine)

    def engines(self) -> dict[str, str]:
        with self._lock:
            return {p: "+".join(sorted(e)) for p, e in sorted(self._engines.items())}

    # -- a per-run cache for expensive reads (tables), keyed by (kind, path) ------------
    def cached(self, key: tuple[str, str], factory: Any) -> Any:
        self._check_scope()
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = factory()
        with self._lock:
            self._cache.setdefault(key, value)
            return self._cache[key]
