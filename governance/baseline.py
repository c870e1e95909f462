"""A previous release to compare against: its model card (YAML) or its report (JSON)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from governance.card.loader import LoadedCard, load_card
from governance.report import Report, load_report
from governance.yamlio import read_capped


@dataclass(frozen=True)
class Baseline:
    path: str
    sha256: str
    card: LoadedCard | None = None
    report: Report | None = None

    @property
    def version(self) -> str | None:
        if self.card is not None:
            return self.card.card.model.version
        if self.report is not None:
            return self.report.model.version
        return None


def load_baseline(path: Path, display: str | None = None) -> Baseline:
    name = display if display is not None else str(path)
    if path.suffix.lower() == ".json":
        raw = read_capped(path, name, max_bytes=64 * 1024 * 1024)
        report = load_report(raw, name)
        return Baseline(path=name, sha256=hashlib.sha256(raw).hexdigest(), report=report)
    card = load_card(path, name)
    return Baseline(path=name, sha256=card.sha256, card=card)
