"""The canonical JSON report (sorted keys, compact, UTF-8)."""

from __future__ import annotations

from collections.abc import Sequence

from governance.report import Report, SignatureInfo, canonical_json


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    del signatures  # signatures live in the DSSE envelope, never inside the report
    return canonical_json(report)
