"""semver, version_bump, lineage_required, changelog_entry, artifacts_pinned:
pass / fail / error / waived, with baselines given as a model card or as a saved report."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from governance.api import CheckRequest, run_check
from governance.report import Finding, Report, Status, canonical_json

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
COMMIT = "3f9c2a1e7b4d5c6a8f0e1d2c3b4a59687f6e5d4c"


class _NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAlias, sort_keys=False)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


TRAIN = b"x,y\n1,0\n2,1\n3,0\n"
MODEL = b"\x80\x04model-bytes"


def make_card(version: str = "1.1.0", **changes: Any) -> dict[str, Any]:
    """A release card; ``changes`` replace top-level sections or nested keys (dotted)."""
    c: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "ModelCard",
        "model": {"name": "scorer", "version": version, "task": "binary_classification"},
        "data": {"training": {"name": "train", "artifact": "train", "sha256": sha(TRAIN)}},
        "artifacts": [
            {"name": "model", "role": "model", "path": "model.bin", "sha256": sha(MODEL)},
            {"name": "train", "role": "dataset", "path": "train.csv", "sha256": sha(TRAIN)},
        ],
        "metrics": [{"name": "accuracy", "value": 0.81, "split": "test"},
                    {"name": "roc_auc", "value": 0.77, "split": "test"}],
        "lineage": {
            "parent_version": "1.0.0", "code_commit": COMMIT,
            "code_repository": "https://git.example.com/risk/scorer",
            "training_data_sha256": sha(TRAIN),
            "changelog": [{"version": version, "date": "2026-11-20",
                           "changes": ["Retrained on Q3 data."]},
                          {"version": "1.0.0", "date": "2026-06-01",
                           "changes": ["First release."]}],
        },
    }
    for key, value in changes.items():
        node = c
        parts = key.split("__")
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node[p]
        if value is _DELETE:
            if isinstance(node, list):
                del node[int(parts[-1])]
            else:
                del node[parts[-1]]
        elif isinstance(node, list):
            node[int(parts[-1])] = value
        else:
            node[parts[-1]] = value
    return c


_DELETE = object()


def baseline_card(**changes: Any) -> dict[str, Any]:
    c = make_card("1.0.0", **changes)
    c["lineage"] = {"code_commit": "a1b2c3d", "training_data_sha256": sha(TRAIN),
                    "changelog": [{"version": "1.0.0", "date": "2026-06-01",
                                   "changes": ["First release."]}]}
    return c


def project(tmp: Path, current: dict[str, Any], base: dict[str, Any] | None = None) -> Path:
    (tmp / "train.csv").write_bytes(TRAIN)
    (tmp / "model.bin").write_bytes(MODEL)
    (tmp / "card.yaml").write_text(dump(current), encoding="utf-8")
    if base is not None:
        (tmp / "baseline").mkdir(exist_ok=True)
        (tmp / "baseline" / "card.yaml").write_text(dump(base), encoding="utf-8")
    return tmp


def run(root: Path, kind: str, params: dict[str, Any] | None = None, *,
        baseline: Path | None | bool = True, waivers: list[dict[str, Any]] | None = None,
        card: str = "card.yaml") -> Report:
    policy: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "Policy",
        "metadata": {"name": "t", "version": "1"},
        "rules": [{"id": "R1", "title": "t", "kind": kind, "severity": "high",
                   "params": params or {}}],
    }
    if waivers:
        policy["waivers"] = waivers
    (root / "policy.yaml").write_text(dump(policy), encoding="utf-8")
    base: Path | None = None
    if baseline is True:
        base = root / "baseline" / "card.yaml"
        if not base.exists():
            base = None
    elif isinstance(baseline, Path):
        base = baseline
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / card,
                                  root=root, now=NOW, report_id="r", baseline=base)).report


def only(report: Report) -> Finding:
    assert len(report.findings) == 1
    return report.findings[0]


def card_field_lines(f: Finding) -> list[tuple[str | None, int | None]]:
    return [(loc.field, loc.line) for loc in f.locations if loc.role == "card"]


# ---------------------------------------------------------------------------------------------
# semver
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "params", "status", "message"), [
    ("1.1.0", {}, Status.PASS, "model.version 1.1.0 is a valid SemVer 2.0.0 version"),
    ("2.0.0-rc.1+build.7", {}, Status.PASS,
     "model.version 2.0.0-rc.1+build.7 is a valid SemVer 2.0.0 version"),
    ("1.1", {}, Status.FAIL, "model.version '1.1' is not a SemVer 2.0.0 version: the core must "
                             "be MAJOR.MINOR.PATCH (got 2 part(s))"),
    ("v1.1.0", {}, Status.FAIL, "model.version 'v1.1.0' is not a SemVer 2.0.0 version: a "
                                "leading 'v' is not part of a SemVer version"),
    ("2024.01.5", {}, Status.FAIL, "model.version '2024.01.5' is not a SemVer 2.0.0 version: "
                                   "minor '01' has a leading zero"),
    ("2.0.0-rc.1", {"allow_prerelease": False}, Status.FAIL,
     "model.version 2.0.0-rc.1 is a pre-release, which this rule does not allow"),
    ("2.0.0+build.7", {"allow_build_metadata": False}, Status.FAIL,
     "model.version 2.0.0+build.7 carries build metadata, which this rule does not allow"),
])
def test_semver_table(tmp_path: Path, version: str, params: dict[str, Any], status: Status,
                      message: str) -> None:
    f = only(run(project(tmp_path, make_card(version)), "semver", params))
    assert (f.status, f.message) == (status, message)
    assert card_field_lines(f) == [("model.version", 5)]


# ---------------------------------------------------------------------------------------------
# version_bump
# ---------------------------------------------------------------------------------------------

OTHER_MODEL = sha(b"another model")
OTHER_TRAIN = sha(b"other,training\n")


@pytest.mark.parametrize(("version", "changes", "params", "status", "message"), [
    ("1.0.1", {}, {}, Status.PASS,
     "version 1.0.1 is a patch bump over the baseline 1.0.0 (no changes detected)"),
    ("1.0.0", {}, {}, Status.FAIL,
     "version 1.0.0 is not greater than the baseline version 1.0.0"),
    ("0.9.0", {}, {}, Status.FAIL,
     "version 0.9.0 is not greater than the baseline version 1.0.0"),
    ("1.0.0+rebuild.2", {}, {}, Status.FAIL,
     "version 1.0.0+rebuild.2 is not greater than the baseline version 1.0.0"),
    ("1.0.1", {"metrics__0__value": 0.83}, {}, Status.FAIL,
     "version 1.0.1 is a patch bump over the baseline 1.0.0, but the changes require at least "
     "a minor bump (metrics changed: accuracy[test])"),
    ("1.1.0", {"metrics__0__value": 0.83}, {}, Status.PASS,
     "version 1.1.0 is a minor bump over the baseline 1.0.0 (required: minor; metrics "
     "changed: accuracy[test])"),
    ("1.0.1", {"metrics__0__value": 0.8104}, {"metric_tolerance": 0.001}, Status.PASS,
     "version 1.0.1 is a patch bump over the baseline 1.0.0 (no changes detected)"),
    ("1.0.1", {"metrics__1": {"name": "f1", "value": 0.7, "split": "test"}}, {}, Status.FAIL,
     "version 1.0.1 is a patch bump over the baseline 1.0.0, but the changes require at least "
     "a minor bump (metrics changed: f1[test], roc_auc[test])"),
    ("1.0.1", {"artifacts__0__sha256": OTHER_MODEL}, {}, Status.PASS,
     "version 1.0.1 is a patch bump over the baseline 1.0.0 (required: patch; model changed: "
     "model (digest changed); artifacts changed: model (digest changed))"),
    ("1.0.0-rc.9", {"artifacts__0__sha256": OTHER_MODEL}, {}, Status.FAIL,
     "version 1.0.0-rc.9 is not greater than the baseline version 1.0.0"),
    ("1.0.1", {"data__training__sha256": OTHER_TRAIN}, {}, Status.FAIL,
     "version 1.0.1 is a patch bump over the baseline 1.0.0, but the changes require at least "
     f"a minor bump (training data changed: {sha(TRAIN)[:12]} -> {OTHER_TRAIN[:12]})"),
    ("1.1.0", {"metrics__0__value": 0.83}, {"metrics_changed": "major"}, Status.FAIL,
     "version 1.1.0 is a minor bump over the baseline 1.0.0, but the changes require at least "
     "a major bump (metrics changed: accuracy[test])"),
    ("2.0.0", {"metrics__0__value": 0.83}, {"metrics_changed": "major"}, Status.PASS,
     "version 2.0.0 is a major bump over the baseline 1.0.0 (required: major; metrics "
     "changed: accuracy[test])"),
    ("1.0.1", {"metrics__0__value": 0.83}, {"metrics_changed": "patch"}, Status.PASS,
     "version 1.0.1 is a patch bump over the baseline 1.0.0 (required: patch; metrics "
     "changed: accuracy[test])"),
    ("1.0", {}, {}, Status.FAIL,
     "model.version '1.0' is not a SemVer 2.0.0 version: the core must be MAJOR.MINOR.PATCH "
     "(got 2 part(s))"),
])
def test_version_bump_table(tmp_path: Path, version: str, changes: dict[str, Any],
                            params: dict[str, Any], status: Status, message: str) -> None:
    f = only(run(project(tmp_path, make_card(version, **changes), baseline_card()),
                 "version_bump", params))
    assert (f.status, f.message) == (status, message)
    assert ("model.version", 5) in card_field_lines(f)


def test_version_bump_evidence(tmp_path: Path) -> None:
    root = project(tmp_path, make_card("1.1.0", metrics__0__value=0.83,
                                       artifacts__0__sha256=OTHER_MODEL), baseline_card())
    f = only(run(root, "version_bump"))
    assert f.status is Status.PASS
    blocks = {e.title: e for e in f.evidence}
    assert blocks["Version bump"].items == {  # type: ignore[union-attr]
        "baseline": "1.0.0", "baseline source": "baseline/card.yaml", "version": "1.1.0",
        "bump": "minor", "required": "minor"}
    assert blocks["Changes since the baseline release"].rows == [  # type: ignore[union-attr]
        ["metrics changed", "accuracy[test]", "minor"],
        ["model changed", "model (digest changed)", "patch"],
        ["artifacts changed", "model (digest changed)", "patch"]]
    assert f.observed == {"baseline": "1.0.0", "version": "1.1.0", "bump": "minor"}


@pytest.mark.parametrize(("base_changes", "message", "status"), [
    ({"model__version": "one"}, "baseline version 'one' is not a SemVer 2.0.0 version: the core "
                                "must be MAJOR.MINOR.PATCH (got 1 part(s))", Status.ERROR),
])
def test_version_bump_bad_baseline(tmp_path: Path, base_changes: dict[str, Any], message: str,
                                   status: Status) -> None:
    f = only(run(project(tmp_path, make_card("1.1.0"), baseline_card(**base_changes)),
                 "version_bump"))
    assert (f.status, f.message) == (status, message)


@pytest.mark.parametrize(("base", "version", "changes", "status", "message"), [
    ("1.1.0-rc.1", "1.1.0", {}, Status.PASS,
     "version 1.1.0 is a prerelease bump over the baseline 1.1.0-rc.1 (no changes detected)"),
    ("1.1.0-rc.1", "1.1.0-rc.2", {"artifacts__0__sha256": OTHER_MODEL}, Status.FAIL,
     "version 1.1.0-rc.2 is a prerelease bump over the baseline 1.1.0-rc.1, but the changes "
     "require at least a patch bump (model changed: model (digest changed); artifacts "
     "changed: model (digest changed))"),
])
def test_version_bump_from_a_prerelease(tmp_path: Path, base: str, version: str,
                                        changes: dict[str, Any], status: Status,
                                        message: str) -> None:
    root = project(tmp_path, make_card(version, **changes), baseline_card(model__version=base))
    f = only(run(root, "version_bump"))
    assert (f.status, f.message) == (status, message)


def test_version_bump_without_baseline_is_an_error(tmp_path: Path) -> None:
    f = only(run(project(tmp_path, make_card("1.1.0")), "version_bump", baseline=None))
    assert (f.status, f.message) == (
        Status.ERROR, "no baseline release given (--baseline, or baseline: in governance.yaml): "
        "insufficient evidence")


def test_version_bump_against_a_saved_report(tmp_path: Path) -> None:
    # Produce the 1.0.0 release's report (it reads both artifacts), save it as the baseline.
    root = project(tmp_path, baseline_card())
    report = run(root, "artifact_integrity", baseline=None)
    assert only(report).status is Status.PASS
    (root / "baseline.json").write_bytes(canonical_json(report))
    # 1.0.1 with the same artifacts: a patch bump, metrics not compared.
    (root / "card.yaml").write_text(dump(make_card("1.0.1")), encoding="utf-8")
    f = only(run(root, "version_bump", baseline=root / "baseline.json"))
    assert (f.status, f.message) == (
        Status.PASS, "version 1.0.1 is a patch bump over the baseline 1.0.0 (no changes "
        "detected)")
    assert f.notes == ["the baseline is a report: declared metrics are not compared"]
    # Retrained on new data (the card pins the new file): a minor bump is required.
    (root / "train.csv").write_bytes(b"x,y\n9,1\n")
    new = make_card("1.0.1", artifacts__1__sha256=sha(b"x,y\n9,1\n"),
                    data__training__sha256=sha(b"x,y\n9,1\n"),
                    lineage__training_data_sha256=sha(b"x,y\n9,1\n"))
    (root / "card.yaml").write_text(dump(new), encoding="utf-8")
    f = only(run(root, "version_bump", baseline=root / "baseline.json"))
    assert (f.status, f.message) == (
        Status.FAIL, "version 1.0.1 is a patch bump over the baseline 1.0.0, but the changes "
        "require at least a minor bump (training data changed: train)")


def test_version_bump_waived(tmp_path: Path) -> None:
    root = project(tmp_path, make_card("1.0.1", metrics__0__value=0.9), baseline_card())
    report = run(root, "version_bump", waivers=[{
        "rule_id": "R1", "reason": "hotfix keeps the minor number for the partner API",
        "approved_by": "release manager", "expires": "2027-01-15", "ticket": "REL-9",
        "scope": {"version": "1.0.1"}}])
    f = only(report)
    assert f.status is Status.WAIVED
    assert f.message.startswith("version 1.0.1 is a patch bump over the baseline 1.0.0, but")
    assert report.summary.status.value == "pass"


# ---------------------------------------------------------------------------------------------
# lineage_required
# ---------------------------------------------------------------------------------------------

ALL_LINEAGE = ["code_commit", "code_repository", "training_data_sha256", "parent_version",
               "changelog"]


@pytest.mark.parametrize(("changes", "params", "status", "message"), [
    ({}, {}, Status.PASS,
     "all 3 required lineage items present and valid (code_commit, training_data_sha256, "
     "parent_version); parent version is the baseline 1.0.0"),
    ({}, {"fields": ALL_LINEAGE}, Status.PASS,
     "all 5 required lineage items present and valid (code_commit, code_repository, "
     "training_data_sha256, parent_version, changelog); parent version is the baseline 1.0.0"),
    ({"lineage__code_commit": "main"}, {}, Status.FAIL,
     "1 of 3 lineage item(s) missing or invalid: lineage.code_commit: 'main' is not a commit "
     "hash (7-40 hex digits)"),
    ({"lineage__code_commit": "3f9c2a"}, {}, Status.FAIL,
     "1 of 3 lineage item(s) missing or invalid: lineage.code_commit: '3f9c2a' is not a commit "
     "hash (7-40 hex digits)"),
    ({"lineage__code_commit": "3F9C2A1"}, {}, Status.PASS,
     "all 3 required lineage items present and valid (code_commit, training_data_sha256, "
     "parent_version); parent version is the baseline 1.0.0"),
    ({"lineage__parent_version": "0.9.0"}, {}, Status.FAIL,
     "1 of 3 lineage item(s) missing or invalid: lineage.parent_version: 0.9.0 is not the "
     "baseline version 1.0.0"),
    ({"lineage__parent_version": "0.9.0"}, {"parent_matches_baseline": False}, Status.PASS,
     "all 3 required lineage items present and valid (code_commit, training_data_sha256, "
     "parent_version)"),
    ({"lineage__parent_version": "1.2.0"}, {}, Status.FAIL,
     "1 of 3 lineage item(s) missing or invalid: lineage.parent_version: 1.2.0 is not lower "
     "than model.version 1.1.0"),
    ({"lineage__parent_version": "1.0"}, {}, Status.FAIL,
     "1 of 3 lineage item(s) missing or invalid: lineage.parent_version: '1.0' is not a SemVer "
     "2.0.0 version: the core must be MAJOR.MINOR.PATCH (got 2 part(s))"),
    ({"lineage__training_data_sha256": OTHER_TRAIN}, {}, Status.FAIL,
     "1 of 3 lineage item(s) missing or invalid: lineage.training_data_sha256: differs from "
     "data.training.sha256"),
    ({"lineage__code_repository": "somewhere"}, {"fields": ["code_repository"]}, Status.FAIL,
     "1 of 1 lineage item(s) missing or invalid: lineage.code_repository: 'somewhere' is not a "
     "repository URL"),
    ({"lineage__parent_version": _DELETE, "lineage__code_commit": _DELETE,
      "lineage__changelog": []}, {"fields": ALL_LINEAGE}, Status.FAIL,
     "3 of 5 lineage item(s) missing or invalid: lineage.code_commit: missing; "
     "lineage.parent_version: missing; lineage.changelog: missing"),
    ({"lineage": _DELETE}, {}, Status.FAIL,
     "3 of 3 lineage item(s) missing or invalid: lineage.code_commit: missing; "
     "lineage.training_data_sha256: missing; lineage.parent_version: missing"),
])
def test_lineage_required_table(tmp_path: Path, changes: dict[str, Any],
                                params: dict[str, Any], status: Status, message: str) -> None:
    f = only(run(project(tmp_path, make_card(**changes), baseline_card()), "lineage_required",
                 params))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert [fl for fl, _ in card_field_lines(f)] == f.observed
        assert all(line is not None for _, line in card_field_lines(f))


def test_lineage_without_baseline_checks_presence_only(tmp_path: Path) -> None:
    f = only(run(project(tmp_path, make_card(lineage__parent_version="0.3.0")),
                 "lineage_required", baseline=None))
    assert (f.status, f.message) == (
        Status.PASS, "all 3 required lineage items present and valid (code_commit, "
        "training_data_sha256, parent_version)")


# ---------------------------------------------------------------------------------------------
# changelog_entry
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "params", "status", "message"), [
    ({}, {}, Status.PASS,
     "the changelog has an entry for version 1.1.0 (2026-11-20) with 1 change(s)"),
    ({"lineage__changelog__0__version": "1.0.1"}, {}, Status.FAIL,
     "the changelog has no entry for version 1.1.0 (lineage.changelog has: 1.0.1, 1.0.0)"),
    ({"lineage__changelog": []}, {}, Status.FAIL,
     "the changelog has no entry for version 1.1.0 (lineage.changelog has: no entries)"),
    ({"lineage": _DELETE}, {}, Status.FAIL,
     "the changelog has no entry for version 1.1.0 (lineage.changelog has: no entries)"),
    ({"lineage__changelog__0__changes": ["  "]}, {}, Status.FAIL,
     "the changelog entry for version 1.1.0 is incomplete: lineage.changelog[0].changes: lists "
     "0 change(s), at least 1 needed"),
    ({}, {"min_changes": 2}, Status.FAIL,
     "the changelog entry for version 1.1.0 is incomplete: lineage.changelog[0].changes: lists "
     "1 change(s), at least 2 needed"),
    ({"lineage__changelog__0__date": "2026-12-24"}, {}, Status.FAIL,
     "the changelog entry for version 1.1.0 is incomplete: lineage.changelog[0].date: "
     "2026-12-24 is after the check date 2026-11-26"),
    ({"lineage__changelog__0__date": _DELETE}, {}, Status.FAIL,
     "the changelog entry for version 1.1.0 is incomplete: lineage.changelog[0].date: missing"),
    ({"lineage__changelog__0__date": _DELETE}, {"require_date": False}, Status.PASS,
     "the changelog has an entry for version 1.1.0 with 1 change(s)"),
    ({"lineage__changelog__1__version": "1.1.0"}, {}, Status.FAIL,
     "the changelog has 2 entries for version 1.1.0; keep one"),
    ({"lineage__changelog__0__version": "1.1.0+build.3"}, {}, Status.PASS,
     "the changelog has an entry for version 1.1.0 (2026-11-20) with 1 change(s)"),
])
def test_changelog_entry_table(tmp_path: Path, changes: dict[str, Any],
                               params: dict[str, Any], status: Status, message: str) -> None:
    f = only(run(project(tmp_path, make_card(**changes)), "changelog_entry", params,
                 baseline=None))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert f.locations[-1].role == "card" and f.locations[-1].line is not None


# ---------------------------------------------------------------------------------------------
# artifacts_pinned
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "params", "status", "message"), [
    ({}, {}, Status.PASS,
     "all 2 artifact(s) are pinned by sha256; the training data digest matches train"),
    ({"artifacts__0__sha256": _DELETE}, {}, Status.FAIL,
     "1 pinning problem(s): artifact 'model' has no sha256"),
    ({"artifacts__0__sha256": _DELETE}, {"roles": ["dataset"]}, Status.PASS,
     "all 1 artifact(s) are pinned by sha256; the training data digest matches train"),
    ({"data__training__sha256": OTHER_TRAIN}, {}, Status.FAIL,
     "1 pinning problem(s): data.training.sha256 does not match the recomputed digest of "
     "artifact 'train' (train.csv)"),
    ({"data__training__sha256": OTHER_TRAIN, "lineage__training_data_sha256": OTHER_TRAIN,
      "artifacts__1__sha256": _DELETE}, {}, Status.FAIL,
     "3 pinning problem(s): artifact 'train' has no sha256; data.training.sha256 does not "
     "match the recomputed digest of artifact 'train' (train.csv); "
     "lineage.training_data_sha256 does not match the recomputed digest of artifact 'train' "
     "(train.csv)"),
    ({"data__training__sha256": OTHER_TRAIN}, {"check_training_digest": False}, Status.PASS,
     "all 2 artifact(s) are pinned by sha256"),
    ({"artifacts": []}, {}, Status.ERROR,
     "the card references 0 artifact(s) to check, at least 1 needed: insufficient evidence"),
])
def test_artifacts_pinned_table(tmp_path: Path, changes: dict[str, Any],
                                params: dict[str, Any], status: Status, message: str) -> None:
    the_card = make_card(**changes)
    if changes.get("artifacts") == []:
        del the_card["data"]
    f = only(run(project(tmp_path, the_card), "artifacts_pinned", params, baseline=None))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert all(line is not None for _, line in card_field_lines(f))


def test_artifacts_pinned_recomputes_the_training_digest(tmp_path: Path) -> None:
    root = project(tmp_path, make_card())
    (root / "train.csv").write_bytes(TRAIN + b"4,1\n")  # tampered after the card was written
    f = only(run(root, "artifacts_pinned", baseline=None))
    assert (f.status, f.message) == (
        Status.FAIL, "2 pinning problem(s): data.training.sha256 does not match the recomputed "
        "digest of artifact 'train' (train.csv); lineage.training_data_sha256 does not match "
        "the recomputed digest of artifact 'train' (train.csv)")
    kvs = next(e for e in f.evidence if e.title == "Training data digest")
    assert kvs.items["recomputed sha256"] == sha(TRAIN + b"4,1\n")  # type: ignore[union-attr]
    (root / "train.csv").unlink()
    f = only(run(root, "artifacts_pinned", baseline=None))
    assert (f.status, f.message) == (
        Status.ERROR, "card.yaml: artifacts[1].path: artifact 'train.csv' not found under the "
        "project root")


def test_artifacts_pinned_waived_for_one_artifact(tmp_path: Path) -> None:
    root = project(tmp_path, make_card(artifacts__0__sha256=_DELETE))
    w = {"rule_id": "R1", "reason": "model binary pinned in the registry instead",
         "approved_by": "mlops", "expires": "2027-02-01", "scope": {"group": "model"}}
    f = only(run(root, "artifacts_pinned", baseline=None, waivers=[w]))
    assert f.status is Status.WAIVED
    assert f.waiver is not None and f.waiver.scope.group == "model"


def test_make_card_helper_is_not_shared_state() -> None:
    a = make_card(metrics__0__value=0.1)
    b = make_card()
    assert a["metrics"][0]["value"] == 0.1 and b["metrics"][0]["value"] == 0.81
    assert copy.deepcopy(b) == make_card()
