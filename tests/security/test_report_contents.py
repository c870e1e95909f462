"""Issue 13 item 5: reports never contain bytes of files outside the inputs the policy names.

The process environment (``/proc/self/environ``, CI secrets) and files outside the project
never reach a report, whether a contributor points an artifact at them through a symlink or
the operator widens the root to ``/``; column lists quoted from a foreign table are capped.
Runs the real CLI in a subprocess so that ``/proc/self/environ`` holds a known secret.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "ghp_CANARYsecretTOKEN0123456789"

RULES = """\
  - id: PII-1
    title: No personal data in the dataset
    kind: pii_scan
    severity: high
    params: {roles: [dataset]}
"""


def _run(project, *extra: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "CI_SECRET_TOKEN": SECRET,
           "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run([sys.executable, "-m", "governance", "check", "--config",
                           str(project.config), "--format", "json,text,markdown,sarif,junit,html",
                           *extra], cwd=project.root, capture_output=True, text=True,
                          timeout=120, env=env)


def _all_output(project, r: subprocess.CompletedProcess[str]) -> str:  # type: ignore[no-untyped-def]
    texts = [r.stdout, r.stderr]
    texts += [p.read_text(encoding="utf-8") for p in sorted(project.out.iterdir())]
    return "\n".join(texts)


def _with_dataset(project, path: str) -> None:  # type: ignore[no-untyped-def]
    card = project.card.read_text(encoding="utf-8")
    project.card.write_text(card + f"  - name: env\n    role: dataset\n    path: {path}\n"
                            "    format: csv\n", encoding="utf-8")
    policy = project.policy.read_text(encoding="utf-8").split("waivers:")[0]
    project.policy.write_text(policy + RULES, encoding="utf-8")


@pytest.mark.parametrize(("how", "path", "extra", "state"), [
    ("symlink-to-proc", "data/env.csv", (),
     "unreadable: artifact 'data/env.csv' resolves outside the project root (symlink)"),
    ("operator-root-slash", "proc/self/environ", ("--root", "/"),
     "unreadable: artifact 'proc/self/environ' is not a regular file"),
])
def test_process_environment_never_reaches_a_report(project, how: str, path: str,  # type: ignore[no-untyped-def]
                                                    extra: tuple[str, ...], state: str) -> None:
    os.symlink("/proc/self/environ", project.root / "data" / "env.csv")
    if extra:  # with --root /, the card's predictions path is relative to /
        project.edit(project.card, "path: data/preds.csv",
                     f"path: {str(project.root / 'data' / 'preds.csv').lstrip('/')}")
    _with_dataset(project, path)
    r = _run(project, *extra)
    assert r.returncode == 1, r.stderr
    out = _all_output(project, r)
    assert SECRET not in out and "CI_SECRET_TOKEN" not in out
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    by_id = {f["rule_id"]: f for f in report["findings"]}
    rows = by_id["INT-001"]["evidence"][0]["rows"]
    env_row = next(row for row in rows if row[0] == "env")
    assert env_row[4] == state
    assert by_id["PII-1"]["status"] == "error"
    assert [i["path"] for i in report["inputs"]
            if i["path"].endswith(("environ", "env.csv"))] == []  # never recorded as read


def test_outside_file_through_a_symlinked_dataset_is_not_read(project) -> None:  # type: ignore[no-untyped-def]
    outside = project.root.parent / "secret.csv"
    outside.write_text(f"token\n{SECRET}\n", encoding="utf-8")
    os.symlink(outside, project.root / "data" / "ds.csv")
    _with_dataset(project, "data/ds.csv")
    r = _run(project)
    assert r.returncode == 1, r.stderr
    assert SECRET not in _all_output(project, r)


def test_column_lists_quoted_from_a_table_are_capped(project) -> None:  # type: ignore[no-untyped-def]
    """A table with 5,000 columns of 100-character names, none of them the mapped one."""
    names = [f"{i:05d}" + "n" * 95 for i in range(5000)]
    content = (",".join(names) + "\n" + ",".join("1" for _ in names) + "\n").encode()
    (project.root / "data" / "preds.csv").write_bytes(content)
    card = project.card.read_text(encoding="utf-8")
    old = card.split("sha256: ")[1].split()[0]
    card = card.replace(old, hashlib.sha256(content).hexdigest()).replace(
        "    path: data/preds.csv\n", "    path: data/preds.csv\n    split: test\n    columns: "
        "{y_true: y_true, y_pred: y_pred, positive_label: 1}\n")
    project.card.write_text(card, encoding="utf-8")
    policy = project.policy.read_text(encoding="utf-8").split("waivers:")[0]
    project.policy.write_text(policy + "  - {id: PERF-1, title: Accuracy, kind: "
                              "recomputed_metric, severity: high, params: {metric: accuracy, "
                              "min: 0.0, n_resamples: 0}}\n", encoding="utf-8")
    r = _run(project)
    assert r.returncode == 1, r.stderr
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    perf = next(f for f in report["findings"] if f["rule_id"] == "PERF-1")
    shown = ", ".join(n[:39] + "…" for n in names[:20])
    assert perf["message"] == ("artifact 'preds' (data/preds.csv) has no column 'y_true' "
                               f"(mapped as y_true; columns: {shown}, … (4980 more))")


def test_error_messages_quote_a_capped_excerpt(project, cli) -> None:  # type: ignore[no-untyped-def]
    """A 100,000-character value quoted back and 500 unknown fields: messages stay short and
    few."""
    from governance.errors import MAX_ERRORS_SHOWN, MAX_MESSAGE_CHARS

    project.edit(project.policy, "    kind: artifact_integrity\n", f"    kind: {'k' * 100_000}\n")
    r = cli("policy", "lint", "policy.yaml")
    assert r.code == 2
    assert len(r.err) == MAX_MESSAGE_CHARS + 1 and r.err.endswith("… (truncated)\n")
    assert r.err.startswith("policy.yaml:9:11: rules[0].kind: unknown rule kind 'kkkk")
    project.edit(project.card, "privacy:\n", "".join(f"x{i}: 1\n" for i in range(500))
                 + "privacy:\n")
    r = cli("card", "validate", "card.yaml")
    lines = r.err.splitlines()
    assert r.code == 2 and len(lines) == MAX_ERRORS_SHOWN + 1
    assert lines[0] == "card.yaml:9:1: x0: unknown field"
    assert lines[-1] == f"… and {500 - MAX_ERRORS_SHOWN} more error(s) not shown"
