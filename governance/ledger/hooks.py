"""The one call each command makes to record its outcome (settings resolved from its flags).

Each returns the line to print (``recorded in ledger …``) or "" when recording is off.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.ledger.entry import Entry
    from governance.ledger.settings import LedgerSettings
    from governance.report import Report


def _done(settings: LedgerSettings | None, entry: Entry) -> str:
    from governance.ledger.record import record

    linked = record(settings, entry)
    if linked is None or settings is None:
        return ""
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

    def __init__(self, args: argparse.Namespace, config: Any, boundary: Any,
                 root: Path) -> None:
        self.settings = check_settings(args, config, boundary, root)

    def history(self, report: Report, formats: list[str]) -> list[Report]:
        """Reports of the model's previous releases, oldest first (HTML/PDF only)."""
        if self.settings is None or not {"html", "pdf"} & set(formats):
            return []
        from governance.ledger.queries import previous_reports
        from governance.ledger.store import Ledger

        with Ledger(self.settings.url) as ledger:
            return previous_reports(ledger, report.model.name, self.TREND_RELEASES,
                                    report.target.release or report.model.version)

    def record(self, report: Report) -> str:
        from governance.ledger.record import check_entry

        return _done(self.settings, check_entry(report))


def record_entry(args: argparse.Namespace, entry: Entry) -> str:
    """sign / approve / verify / waiver sign: the project around the current folder."""
    from governance.ledger.settings import project_settings

    return _done(project_settings(args), entry)
