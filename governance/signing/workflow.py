"""Signing entry points: after ``governance check`` and for ``governance sign``.

Both build the same attestation (see :mod:`governance.signing.statement`): subjects are the
report's inputs (card, policy files, baseline, artifacts) and the rendered report files, the
predicate is the report. The author signs the main envelope and adds an approval in ``role``;
the bundle is written atomically (see :mod:`governance.signing.bundle` for the format).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from governance.report import Report, load_report
from governance.signing.approve import create_bundle
from governance.signing.bundle import ENVELOPE_FILENAME, save_bundle
from governance.signing.keys import SigningKey, resolve_signing_key
from governance.signing.subjects import collect_subjects


def sign_report(report: Report, *, outputs: Mapping[str, Path], root: Path, key: SigningKey,
                out_path: Path, role: str = "author", signer: str | None = None,
                comment: str | None = None, extra: Sequence[Path] = (),
                now: datetime | None = None,
                written: Mapping[Path, bytes] | None = None,
                outputs_root: Path | None = None) -> Path:
    subjects = collect_subjects(report, outputs, root, extra, written,
                                outputs_root=outputs_root)
    when = now or datetime.now(UTC).replace(microsecond=0)
    bundle = create_bundle(report, subjects, key, role=role, now=when, signer=signer,
                           comment=comment)
    save_bundle(out_path, bundle)
    return out_path


def sign_check_outputs(*, report: Report, outputs: dict[str, Path], out_dir: Path, root: Path,
                       key_path: Path | None = None, key_pem: str | None = None,
                       passphrase: str | None = None, role: str,
                       now: datetime | None = None,
                       written: Mapping[Path, bytes] | None = None,
                       key: SigningKey | None = None,
                       outputs_root: Path | None = None) -> Path:
    """Sign the report ``governance check`` just wrote; returns ``out_dir/report.dsse.json``.

    ``written``: the bytes this run wrote to each output path, hashed from memory. ``key``
    (already loaded) wins over ``key_path`` / ``key_pem``. Rendered files are named relative to
    ``outputs_root`` (default: the project root)."""
    if key is None:
        key = resolve_signing_key(key_path=key_path, key_pem=key_pem, passphrase=passphrase)
    return sign_report(report, outputs=outputs, root=root, key=key,
                       out_path=out_dir / ENVELOPE_FILENAME, role=role, now=now,
                       written=written, outputs_root=outputs_root)


def sign_report_file(report_path: Path, *, key: SigningKey, root: Path,
                     extra: Sequence[Path] = (), out_path: Path | None = None,
                     role: str = "author", signer: str | None = None,
                     comment: str | None = None, now: datetime | None = None) -> Path:
    """``governance sign``: sign a saved JSON report; the JSON file itself is a subject."""
    from governance.yamlio import read_capped

    where = str(report_path)
    raw = read_capped(report_path, where, max_bytes=256 * 1024 * 1024)
    report = load_report(raw, where)
    target = out_path or report_path.parent / ENVELOPE_FILENAME
    # The JSON subject is the digest of the bytes parsed above, not of a second read.
    return sign_report(report, outputs={"json": report_path}, root=root, key=key,
                       out_path=target, role=role, signer=signer, comment=comment,
                       extra=extra, now=now, written={report_path: raw})
