"""``governance init [DIR]``: scaffold a project configuration, a policy and a card template.

Writes ``governance.yaml``, ``policy.yaml`` (extending the shipped ``baseline`` pack) and
``model-card.yaml`` into an existing folder; refuses to overwrite anything and writes nothing
if any of them exists. The pre-commit snippet goes to ``.pre-commit-config.yaml`` when the
folder has none, otherwise it is printed for you to merge.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError

DEFAULT_HOOKS_REPO = "https://github.com/OWNER/governance-checker"

CONFIG = """\
# Project configuration: a bare `governance check` in this folder or a sub-folder uses it.
apiVersion: governance/v1
kind: Config
policies: [policy.yaml]
card: model-card.yaml
root: .
output_dir: reports
formats: [text, json, markdown, sarif]
# Lowest severity whose fail/error fails the gate (critical|high|medium|low|info).
fail_on: medium
"""

POLICY = """\
# Release policy of {name}. It starts from the shipped `baseline` pack; add packs such as
# fairness, privacy, data-quality, eu-ai-act-high-risk or nist-ai-rmf to `extends`.
# `governance policy explain RULE_ID` shows what a rule checks and its parameters.
apiVersion: governance/v1
kind: Policy
metadata:
  name: {name}-release
  version: "0.1.0"
  description: Release gate for {name}.
extends: [baseline]
rules: []
# Change an inherited rule by id, e.g.:
# overrides:
#   RULE-ID:
#     severity: high
#     params: {{}}
waivers: []
# A waiver accepts a failing rule (never an error: missing evidence) for a time.
# It needs a reason, an approver and an expiry date, e.g.:
# waivers:
#   - rule_id: RULE-ID
#     reason: Known gap, fix scheduled.
#     approved_by: Jane Doe (model risk)
#     expires: 2030-01-31
#     ticket: MRM-123
"""

CARD = """\
# Model card of {name} (governance/v1). Fill in every empty field: the baseline policy fails
# until you do. `governance card validate model-card.yaml` checks the format; `governance
# check` checks the claims against the artifacts.
apiVersion: governance/v1
kind: ModelCard
model:
  name: {name}
  version: "0.1.0"
  # binary_classification | multiclass_classification | regression | other
  task: binary_classification
  description: ""
  owners: []  # - {{name: Team, email: team@example.com, role: model owner}}
  license: ""
  # risk_tier: minimal | limited | high | unacceptable
intended_use:
  primary_uses: []
  primary_users: []
  out_of_scope: []
  limitations: []
# data:
#   training: {{name: training data, source: where it comes from, artifact: train-data}}
#   evaluation: {{name: test data, artifact: test-data}}
artifacts: []
# - name: test-predictions
#   role: predictions
#   path: predictions/test.csv
#   sha256: <sha256sum of the file>
#   split: test
#   columns: {{y_true: y_true, y_pred: y_pred, y_score: y_score, sensitive_features: [sex]}}
sensitive_features: []
metrics: []
# - {{name: accuracy, value: 0.0, split: test, artifact: test-predictions}}
"""

PRE_COMMIT = """\
# pre-commit hooks of the governance checker (https://pre-commit.com).
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: governance-policy-lint
      - id: governance-card-validate
      - id: governance-check
        stages: [pre-push]
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init", help="scaffold governance.yaml, a policy and a model card template",
        description="Scaffold governance.yaml, policy.yaml (extending the baseline pack) and "
        "model-card.yaml into an existing folder, plus a pre-commit configuration snippet. "
        "Refuses to overwrite files: if any of them exists, nothing is written.")
    p.add_argument("dir", nargs="?", type=Path, default=Path("."),
                   help="the repository folder (default: the current folder)")
    p.add_argument("--name", help="model name (default: the folder name)")
    p.add_argument("--hooks-repo", default=DEFAULT_HOOKS_REPO,
                   help="git URL of governance-checker for the pre-commit snippet")
    p.add_argument("--hooks-rev", default=None,
                   help="tag or commit of governance-checker for the pre-commit snippet "
                   "(default: v<installed version>)")
    p.set_defaults(handler=run_init)


def _model_name(raw: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", raw).strip("-.") or "model"
    if not name[0].isalnum():
        name = "m" + name
    return name[:100]


def scaffold(name: str) -> dict[str, str]:
    """The files ``init`` writes: file name -> text."""
    return {
        "governance.yaml": CONFIG,
        "policy.yaml": POLICY.format(name=name),
        "model-card.yaml": CARD.format(name=name),
    }


def run_init(args: argparse.Namespace) -> int:
    from governance import __version__
    from governance.fileio import atomic_write

    folder: Path = args.dir
    if not folder.is_dir():
        raise InputError("not an existing folder", path=str(folder), field="DIR")
    name = _model_name(args.name or folder.resolve().name)
    rev = args.hooks_rev or f"v{__version__}"
    files = scaffold(name)
    existing = [n for n in files if (folder / n).exists() or (folder / n).is_symlink()]
    if existing:
        raise InputError("refusing to overwrite existing files (nothing was written): "
                         + ", ".join(existing), path=str(folder))
    written: list[Path] = []
    try:
        for fname, text in files.items():
            target = folder / fname
            if target.exists() or target.is_symlink():  # appeared meanwhile
                raise InputError("refusing to overwrite an existing file", path=str(target))
            atomic_write(target, text.encode("utf-8"))
            written.append(target)
    except BaseException:
        for path in written:  # all or nothing
            path.unlink(missing_ok=True)
        raise
    for path in written:
        print(f"wrote {path}")
    snippet = PRE_COMMIT.format(repo=args.hooks_repo, rev=rev)
    hooks_file = folder / ".pre-commit-config.yaml"
    if hooks_file.exists() or hooks_file.is_symlink():
        print(f"{hooks_file} exists; add these hooks to it:\n")
        sys.stdout.write(snippet)
    else:
        atomic_write(hooks_file, snippet.encode("utf-8"))
        print(f"wrote {hooks_file}")
    if args.hooks_repo == DEFAULT_HOOKS_REPO:
        print(f"note: set `repo:` in {hooks_file.name} to the git URL you install "
              "governance-checker from (or pass --hooks-repo)")
    print("next: fill in model-card.yaml, then run `governance check`")
    return int(ExitCode.OK)
