"""The one call each command makes to record its outcome (settings resolved from its flags).

Each returns the line to print (``recorded in ledger …``) or "" when recording is off:
``check`` prints it on stdout next to the files it wrote, the other commands on stderr (their
stdout is their result).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.ledger.entry import Entry
    from governance.ledger.settings import LedgerSettings
    from governance.report import Report, SignatureInfo


def _done(settings: LedgerSettings | None, entry: Entry) -> str:
    from governance.ledger.record import record

    linked = record(settings, entry)
    if linked is None or settings is None:
        return ""
    return _line(settings, linked)


def _line(settings: LedgerSettings, linked: Entry) -> str:
    from governance.ledger.store import _safe_url
    from governance.textsafe import one_line

    return one_line(f"recorded in ledger {_safe_url(settings.url)}: #{linked.seq} "
                    f"{linked.kind} {linked.entry_hash[:16]}") + "\n"


def check_settings(args: argparse.Namespace, config: Any, boundary: Any,
                   root: Path) -> LedgerSettings | None:
    from governance.ledger.settings import config_ledger_path, resolve

    return resolve(args, root, config_ledger_path(config, boundary))


class CheckLedger:
    """``governance check``'s ledger: previous releases for the trends (before rendering)
    and the check entry (after the report files are written)."""

    TREND_RELEASES = 7  # previous releases drawn next to this one

    def __init__(self, settings: LedgerSettings | None) -> None:
        """``settings``: :func:`check_settings` (None: recording is off)."""
        self.settings = settings
        self.ledger: Any = None
        if self.settings is not None:  # opened (and migrated) before any report is written
            from governance.ledger.store import Ledger

            self.ledger = Ledger(self.settings.url)
            try:
                self.ledger.migrate()
            except BaseException:
                self.ledger.close()
                raise

    @classmethod
    def query(cls, settings: LedgerSettings | None, report: Report,
              formats: list[str]) -> tuple[str, int, str | None] | None:
        """What :meth:`history` reads, as (model, releases, release checked now); None when
        it reads nothing (no ledger, or neither HTML nor PDF is rendered)."""
        if settings is None or not {"html", "pdf"} & set(formats):
            return None
        return (report.model.name, cls.TREND_RELEASES,
                report.target.release or report.model.version)

    def history(self, report: Report, formats: list[str]) -> list[Report]:
        """Reports of the model's previous releases, oldest first (HTML/PDF only)."""
        query = self.query(self.settings, report, formats)
        if self.ledger is None or query is None:
            return []
        from governance.ledger.queries import previous_reports

        return previous_reports(self.ledger, *query)

    def record(self, report: Report, signatures: Sequence[SignatureInfo] = (),
               bundle: Path | None = None) -> str:
        """Append the check entry (after the report files are written), and a sign entry per
        signature this run made (the author's), then close."""
        if self.ledger is None or self.settings is None:
            return ""
        from governance.ledger.record import check_entry, sign_entry
        from governance.report import canonical_json

        try:
            lines = [_line(self.settings, self.ledger.append(check_entry(report)))]
            for s in signatures if bundle is not None else ():
                entry = sign_entry(report, canonical_json(report), keyid=s.keyid,
                                   role=s.role, signer=s.signer, bundle=str(bundle))
                lines.append(_line(self.settings, self.ledger.append(entry)))
        finally:
            self.ledger.close()
        return "".join(lines)


def record_entry(args: argparse.Namespace, entry: Entry) -> str:
    """sign / approve / verify / waiver sign: the project around the current folder."""
    from governance.ledger.settings import project_settings

    return _done(project_settings(args), entry)
