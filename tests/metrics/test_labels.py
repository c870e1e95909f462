"""An absent positive label, or y_true / y_pred labels written differently, is an error naming
the labels found (issue 12 item 3), on every engine; before, accuracy and precision were
computed as if no positives existed and threshold rules passed."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml

from governance.api import CheckRequest, run_check

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project, predictions  # noqa: E402

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
ACC = {"id": "ACC", "title": "t", "kind": "recomputed_metric", "severity": "high",
       "params": {"metric": "accuracy", "min": 0.1, "n_resamples": 0}}
DP = {"id": "DP", "title": "t", "kind": "fairness_gap", "severity": "high",
      "params": {"metric": "demographic_parity", "max": 1.0, "n_resamples": 0}}


def _project(tmp_path: Path, true: tuple[str, str], pred: tuple[str, str], positive: object
             ) -> Path:
    root = make_project(tmp_path)
    df = predictions()
    df["y_true"] = df["y_true"].map({0: true[0], 1: true[1]})
    df["y_pred"] = df["y_pred"].map({0: pred[0], 1: pred[1]})
    df.to_parquet(root / "predictions" / "test.parquet")
    card = yaml.safe_load((root / "card.yaml").read_text())
    card["artifacts"][0]["columns"]["positive_label"] = positive
    (root / "card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [ACC, DP]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    return root


def _messages(root: Path, engine: str) -> dict[str, tuple[str, str]]:
    report = run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                    root=root, now=NOW, report_id="r", engine=engine)).report
    return {f.rule_id: (f.status.value, f.message) for f in report.findings}


SRC = "artifact 'test-predictions' (predictions/test.parquet)"


@pytest.mark.parametrize("engine", ["memory", "streaming"])
def test_positive_label_in_neither_column(tmp_path: Path, engine: str) -> None:
    root = _project(tmp_path, ("0", "1"), ("0", "1"), "yes")
    msg = (f"{SRC}: positive_label 'yes' occurs in neither y_true nor y_pred (y_true 'y_true' "
           "has '0', '1'; y_pred 'y_pred' has '0', '1'): insufficient evidence; set "
           "columns.positive_label to the label of the positive class")
    assert _messages(root, engine) == {"ACC": ("error", msg), "DP": ("error", msg)}


@pytest.mark.parametrize("engine", ["memory", "streaming"])
def test_label_sets_that_do_not_overlap(tmp_path: Path, engine: str) -> None:
    root = _project(tmp_path, ("<=50K.", ">50K."), ("<=50K", ">50K"), ">50K")
    msg = (f"{SRC}: the labels of y_true and y_pred do not overlap (y_true 'y_true' has "
           "'<=50K.', '>50K.'; y_pred 'y_pred' has '<=50K', '>50K'): insufficient evidence; "
           "write both the same way")
    assert _messages(root, engine) == {"ACC": ("error", msg), "DP": ("error", msg)}


def test_matching_string_labels_still_pass(tmp_path: Path) -> None:
    root = _project(tmp_path, ("<=50K", ">50K"), ("<=50K", ">50K"), ">50K")
    df = pd.read_parquet(root / "predictions" / "test.parquet")
    acc = float((df.y_true == df.y_pred).mean())
    status, message = _messages(root, "memory")["ACC"]
    assert status == "pass"
    assert message.startswith(f"accuracy recomputed from artifact 'test-predictions' = "
                              f"{acc:.4g}")
