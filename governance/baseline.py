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


@dataclass(frozen=True)
class BaselineValue:
    """A metric value of the previous release, and where it came from."""

    metric: str
    value: float
    source: str
    split: str | None = None


def _report_values(report: Report) -> list[tuple[int, BaselineValue]]:
    """Values recomputed by a previous run: (priority, value); recomputed findings first."""
    out: list[tuple[int, BaselineValue]] = []
    for f in report.findings:
        if f.status.value in ("error", "skipped"):
            continue
        obs = f.observed
        items = obs if isinstance(obs, list) else [obs]
        for item in items:
            if not isinstance(item, dict):
                continue
            metric = item.get("metric")
            value = item.get("value", item.get("recomputed"))
            split = item.get("split")
            if (isinstance(metric, str) and isinstance(value, int | float)
                    and not isinstance(value, bool)):
                prio = 0 if f.kind == "recomputed_metric" else 1
                out.append((prio, BaselineValue(
                    metric, float(value), f"baseline report finding {f.rule_id}",
                    split if isinstance(split, str) else None)))
    return out


def baseline_values(baseline: Baseline, metric: str, split: str | None = None
                    ) -> list[BaselineValue]:
    """Every value of ``metric`` the baseline offers (declared in its card, or recomputed in
    its report), best first; filtered by ``split`` when given."""
    found: list[BaselineValue] = []
    if baseline.card is not None:
        for i, m in enumerate(baseline.card.card.metrics):
            if m.name == metric and m.slice is None:
                found.append(BaselineValue(metric, m.value,
                                           f"{baseline.path} metrics[{i}]", m.split))
    if baseline.report is not None:
        ranked = sorted(_report_values(baseline.report), key=lambda t: t[0])
        found.extend(v for _, v in ranked if v.metric == metric)
    if split is not None:
        found = [v for v in found if v.split in (split, None)]
    return found


def baseline_metric(baseline: Baseline, metric: str, split: str | None = None
                    ) -> BaselineValue:
    """The one value of ``metric`` in the baseline; EvidenceError when absent or ambiguous."""
    from governance.errors import EvidenceError

    found = baseline_values(baseline, metric, split)
    where = metric + (f" (split {split})" if split else "")
    if not found:
        raise EvidenceError(f"the baseline {baseline.path} has no value for {where}: "
                            "insufficient evidence")
    values = {v.value for v in found}
    if len(values) > 1 and baseline.report is None:
        listed = ", ".join(f"{v.value:g} ({v.split or 'no split'})" for v in found)
        raise EvidenceError(f"the baseline {baseline.path} declares {where} several times "
                            f"({listed}); give split to choose one")
    return found[0]
