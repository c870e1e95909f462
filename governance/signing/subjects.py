"""The files a report attestation binds, named as the verifier will find them again.

* Report inputs (roles ``policy``, ``card``, ``baseline``, ``artifact:*``) keep the path the
  report records: POSIX paths relative to the project root. Their digests are recomputed at
  signing time; a file that changed since the report was generated is refused.
* Shipped policy packs are recorded by the report as ``pack:NAME``; their digest is taken from
  ``NAME.yaml`` in :func:`governance.policy.loader.packs_dir` (so a tool upgrade that changes a
  pack fails verification, as it should).
* Rendered outputs (json, html, pdf, ...) are named by their path relative to the project root
  with role ``output:FORMAT``.
* A file outside the project root cannot be bound (the verifier could not find it under
  ``--artifacts-root``): signing fails with a clear message instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from governance.errors import ArtifactError, SigningError
from governance.evidence.store import ArtifactStore, digests_equal
from governance.report import Report
from governance.signing.statement import Subject

PACK_PREFIX = "pack:"
_PACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def pack_file(name: str) -> tuple[Path, str]:
    """(folder, file name) of a shipped pack named in a ``pack:NAME`` subject."""
    pack = name.removeprefix(PACK_PREFIX)
    if not _PACK_NAME.match(pack) or ".." in pack:
        raise ArtifactError(f"invalid policy pack name {pack!r}")
    from governance.policy.loader import packs_dir

    return packs_dir(), f"{pack}.yaml"


def digest_of(name: str, store: ArtifactStore) -> str:
    """sha256 of a subject, resolved safely under the store's root (or the packs folder)."""
    if name.startswith(PACK_PREFIX):
        folder, file = pack_file(name)
        return ArtifactStore(folder).digest(file).sha256
    return store.digest(name).sha256


def relative_name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise SigningError(f"cannot bind {path} into the attestation: it is outside the project "
                           f"root {root}; write it under the root (or pass --root / "
                           "--artifacts-root)", path=str(path)) from None


def _unsigned_pdf_digest(path: Path) -> str | None:
    """A PDF already carrying PAdES signatures is bound by its rendered (first) revision, as
    ``verify`` recomputes it (see governance.signing.pdf)."""
    import hashlib

    from governance.signing.pdf import has_signatures, read_pdf, unsigned_revision

    data = read_pdf(path)
    if not has_signatures(data):
        return None
    first = unsigned_revision(data)
    return hashlib.sha256(first).hexdigest() if first is not None else None


def collect_subjects(report: Report, outputs: Mapping[str, Path], root: Path,
                     extra: Sequence[Path] = (),
                     written: Mapping[Path, bytes] | None = None, *,
                     outputs_root: Path | None = None) -> list[Subject]:
    """Every input of the report plus the rendered outputs, with fresh sha256 digests.

    ``written`` maps output paths to the bytes this run wrote there: those are hashed from
    memory, not re-read from disk, so the signature binds exactly what this run produced.
    Inputs are named relative to ``root``; rendered outputs relative to ``outputs_root``
    (default ``root``; an output folder outside the project is its own root, and the verifier
    is given it with ``--outputs-root``)."""
    store = ArtifactStore(root)
    out_root = outputs_root if outputs_root is not None else root
    out_store = store if out_root == root else ArtifactStore(out_root)
    found: dict[str, tuple[str, list[str]]] = {}

    def add(name: str, sha: str, role: str) -> None:
        if name in found:
            if role not in found[name][1]:
                found[name][1].append(role)
        else:
            found[name] = (sha, [role])

    for inp in report.inputs:
        if Path(inp.path).is_absolute():
            raise SigningError(f"cannot bind {inp.role} file {inp.path} into the attestation: "
                               f"it is outside the project root {root}; move it under the root "
                               "or pass --root", path=inp.path)
        try:
            sha = digest_of(inp.path, store)
        except ArtifactError as exc:
            raise SigningError(f"cannot bind {inp.role} file {inp.path!r}: {exc.message}",
                               path=inp.path) from None
        if not digests_equal(sha, inp.sha256):
            raise SigningError(f"{inp.role} file changed since the report was generated "
                               f"(report sha256 {inp.sha256}, now {sha}); re-run the check",
                               path=inp.path)
        add(inp.path, sha, inp.role)
    named = [(fmt, p) for fmt, p in outputs.items()]
    named += [(p.suffix.lstrip(".") or "file", p) for p in extra]
    for fmt, path in named:
        name = relative_name(path, out_root)
        if written is not None and path in written:
            add(name, hashlib.sha256(written[path]).hexdigest(), f"output:{fmt}")
            continue
        try:
            sha = out_store.digest(name).sha256
        except ArtifactError as exc:
            raise SigningError(f"cannot bind output {name!r}: {exc.message}",
                               path=str(path)) from None
        if fmt == "pdf":
            sha = _unsigned_pdf_digest(path) or sha
        add(name, sha, f"output:{fmt}")
    return [Subject(name, sha, tuple(roles)) for name, (sha, roles) in sorted(found.items())]
