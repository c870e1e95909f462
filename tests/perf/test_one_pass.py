"""The engine's pre-pass for predictions (governance.metrics.plan): with 13 rules on one
artifact, the table is read, validated and encoded once (in memory) and streamed in one pass
(streaming); the findings are identical with and without the pre-pass."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from governance.evidence import needs as needs_mod
from governance.evidence import tables
from governance.metrics import predictions, stats, streaming
from governance.report import Report

sys.path.insert(0, str(Path(__file__).parent))
from test_engines import RULES, check, make_project  # noqa: E402

MORE: list[dict[str, Any]] = [
    {"id": "EOPP", "kind": "fairness_gap",
     "params": {"metric": "equal_opportunity", "max": 0.2, "n_resamples": 0}},
    {"id": "F1FLOOR", "kind": "group_metric_floor",
     "params": {"metric": "f1", "min": 0.3, "n_resamples": 0, "features": ["region"]}},
    {"id": "BRIER", "kind": "recomputed_metric",
     "params": {"metric": "brier", "max": 0.5, "n_resamples": 0}},
]


def project(root: Path) -> Path:
    make_project(root)
    policy = yaml.safe_load((root / "policy.yaml").read_text(encoding="utf-8"))
    policy["rules"] += [{"id": r["id"], "title": r["id"], "kind": r["kind"],
                         "severity": "high", "params": r["params"]} for r in MORE]
    assert len(policy["rules"]) == len(RULES) + len(MORE) == 13
    (root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False),
                                      encoding="utf-8")
    return root


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: dict[str, int] = {}
        for module, name in ((tables, "_read"), (stats, "partial"),
                             (streaming, "stream_table"), (predictions, "_binary")):
            self.spy(monkeypatch, module, name)

    def spy(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        real = getattr(module, name)

        def counted(*args: Any, **kw: Any) -> Any:
            self.calls[name] = self.calls.get(name, 0) + 1
            return real(*args, **kw)

        monkeypatch.setattr(module, name, counted)


def dump(report: Report) -> list[Any]:
    return [f.model_dump(mode="json") for f in report.findings]


def same(a: Report, b: Report) -> None:
    """Identical findings; floats equal to 1e-12 relative: a loss sum or regression moment
    aggregated from a finer statistics table (the pre-pass counts every feature any rule
    groups by) is added in another order. Counts, ranks and everything else are exact."""
    assert [(f.rule_id, f.status, f.message) for f in a.findings] == \
        [(f.rule_id, f.status, f.message) for f in b.findings]
    close(dump(a), dump(b))


def close(x: Any, y: Any) -> None:
    if isinstance(x, float) and isinstance(y, float):
        assert math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-15), (x, y)
    elif isinstance(x, dict):
        assert isinstance(y, dict) and x.keys() == y.keys()
        for k in x:
            close(x[k], y[k])
    elif isinstance(x, list):
        assert isinstance(y, list) and len(x) == len(y)
        for u, v in zip(x, y, strict=True):
            close(u, v)
    else:
        assert x == y


def inputs(report: Report) -> list[tuple[str, str, str]]:
    return [(i.role, i.path, i.sha256) for i in report.inputs]


def test_thirteen_rules_one_read_one_encoding_same_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    with monkeypatch.context() as m:
        counter = Counter(m)
        with_prepass = check(root, "memory")
    # one parse of the file; y_true and y_pred validated once each; one statistics table
    # (every feature any rule groups by) for all 13 rules
    assert counter.calls == {"_read": 1, "_binary": 2, "partial": 1}
    with monkeypatch.context() as m:
        m.delitem(needs_mod.PROVIDERS, "predictions")
        counter = Counter(m)
        without = check(root, "memory")
    assert counter.calls["_read"] == 1 and counter.calls["partial"] > 1  # a table per request
    same(with_prepass, without)
    assert inputs(with_prepass) == inputs(without)
    status = {f.rule_id: f.status.value for f in with_prepass.findings}
    assert set(status.values()) >= {"pass", "fail", "error"}, status


def test_streaming_one_pass_serves_every_rule(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    rules = yaml.safe_load((root / "policy.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr(streaming, "BATCH_ROWS", 1_300)  # several batches
    with monkeypatch.context() as m:
        counter = Counter(m)
        with_prepass = check(root, "streaming")
    assert counter.calls["stream_table"] == 1, counter.calls
    assert "_read" not in counter.calls  # nothing read the whole table into memory
    with monkeypatch.context() as m:
        m.delitem(needs_mod.PROVIDERS, "predictions")
        counter = Counter(m)
        without = check(root, "streaming")
    assert counter.calls["stream_table"] > 1
    same(with_prepass, without)
    assert inputs(with_prepass) == inputs(without)
    assert len(with_prepass.findings) == len(rules["rules"])
