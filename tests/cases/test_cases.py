"""Rule-kind cases as data: one YAML file per rule kind, with pass, fail, error and waived
cases, run through the ``policy test`` library (see ``harness.py`` for the format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.rules.registry import BUILTIN_KINDS
from governance.yamlio import load_yaml_file

from .harness import HERE, STATUSES, load_cases, run_cases

CASE_FILES = sorted(HERE.glob("*.yaml"))
NO_ERROR_CASE = {"card_fields", "intended_use", "privacy_declarations", "lineage_required",
                 "semver", "changelog_entry"}


def test_every_built_in_kind_has_a_case_file() -> None:
    assert sorted(p.stem for p in CASE_FILES) == sorted(BUILTIN_KINDS)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_file_covers_every_status(path: Path) -> None:
    kind, _, cases = load_cases(path)
    assert kind == path.stem
    statuses = {c.expect["status"] for c in cases}
    if kind in NO_ERROR_CASE:
        # Kinds that read only the validated card decide every input (pass or fail): no
        # input makes them short of evidence. The case file says why.
        assert "error" not in statuses
        assert load_yaml_file(path, str(path)).data["no_error_case"].strip()
        statuses.add("error")
    assert statuses >= set(STATUSES)
    for case in cases:
        # A real value beyond the status: the observed value or a piece of the message.
        assert case.expect.get("observed") is not None or case.expect.get("message"), case.name
        assert case.waived == (case.expect["status"] == "waived"), case.name


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_kind_cases(path: Path, tmp_path: Path) -> None:
    _, _, problems = run_cases(path, tmp_path)
    assert not problems, "\n".join(problems)


def test_recorded_roc_auc_is_scikit_learns() -> None:
    """The recorded values are real: the ROC AUC of the recomputed_metric cases is
    scikit-learn's on the example's test predictions."""
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    from .harness import EXAMPLE

    df = pd.read_csv(EXAMPLE / "predictions" / "test.csv")
    _, _, cases = load_cases(HERE / "recomputed_metric.yaml")
    values = {c.expect["observed"]["value"] for c in cases if c.expect["status"] != "error"}
    assert len(values) == 1
    assert values.pop() == pytest.approx(roc_auc_score(df["y_true"], df["y_score"]), abs=1e-12)
