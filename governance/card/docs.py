"""What each model-card field means: ``governance card explain [FIELD]`` and ``card schema``.

Field paths are dotted; list items are written ``artifacts[].columns`` (``artifacts.columns``
and ``artifacts[0].columns`` mean the same).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from governance.card.model import ModelCard
from governance.errors import InputError

# dotted path -> (description, example YAML or "")
FIELDS: dict[str, tuple[str, str]] = {
    "apiVersion": ("Always `governance/v1`.", "apiVersion: governance/v1"),
    "kind": ("Always `ModelCard`.", "kind: ModelCard"),
    "model": ("Identity of the model: name, version, task, owners, licence, risk tier.",
              'model:\n  name: credit-scoring\n  version: "1.1.0"\n'
              "  task: binary_classification\n  owners: [{name: Model Risk, email: "
              "mrm@example.com}]\n  risk_tier: high"),
    "model.name": ("Model name (1-200 characters).", ""),
    "model.version": ("Model version; rules `semver` and `version_bump` check it. Quote it in "
                      'YAML ("1.10" is not the number 1.1).', ""),
    "model.task": ("binary_classification, multiclass_classification, regression or other: "
                   "selects the metrics that can be recomputed.", ""),
    "model.owners": ("Who is accountable: a list of {name, email, role}.", ""),
    "model.risk_tier": ("minimal, limited, high or unacceptable (EU AI Act style); some rules "
                        "apply only to given tiers.", ""),
    "intended_use": ("primary_uses, primary_users, out_of_scope, limitations: lists of "
                     "sentences (rule `intended_use`).", ""),
    "data": ("The training and evaluation data sets: each {name, description, source, "
             "license, artifact (an artifacts[].name), sha256, rows}; plus preprocessing "
             "steps.", ""),
    "artifacts": (
        "Files the checker reads or hashes, relative to the project root: {name, role, path, "
        "sha256, format, split, description, columns}. role is predictions, dataset, "
        "reference_dataset, model, explainability or other. Model binaries are hashed, never "
        "loaded.",
        "artifacts:\n  - name: test-predictions\n    role: predictions\n"
        "    path: predictions/test.csv\n    sha256: 4833...c1   # sha256sum of the file\n"
        "    split: test\n    columns: {y_true: y_true, y_pred: y_pred, y_score: y_score,\n"
        "              sensitive_features: [sex, age_group], positive_label: 1}"),
    "artifacts[].name": ("Unique name other fields and rule params refer to (letters, digits, "
                         "'_', '.', '-').", ""),
    "artifacts[].role": ("predictions | dataset | reference_dataset | model | explainability "
                         "| other.", ""),
    "artifacts[].path": ("Path relative to the project root; no '..', no absolute paths, no "
                         "symlinks out of the root.", ""),
    "artifacts[].sha256": ("Pinned digest (64 lowercase hex); `artifact_integrity` checks it.",
                           ""),
    "artifacts[].format": ("csv | parquet | jsonl | json | binary | other (default: from the "
                           "file suffix).", ""),
    "artifacts[].split": ("train | validation | test | production | other: rules select "
                          "artifacts by split.", ""),
    "artifacts[].columns": (
        "Which columns of this table hold what; every name must exist in the file. For "
        "predictions: y_true, y_pred, y_score (or y_proba for multiclass), sample_weight, "
        "positive_label; for datasets: label and features; for both: sensitive_features, the "
        "list of the table's column names that hold sensitive attributes (plain strings; "
        "compare the top-level `sensitive_features`, which describes each attribute).",
        "columns:\n  y_true: y_true\n  y_pred: y_pred\n  y_score: y_score\n"
        "  sensitive_features: [sex, age_group]   # column names in this file\n"
        "  positive_label: 1\n"
        "# a dataset:\ncolumns:\n  label: credit_risk\n  features: [duration_months, "
        "credit_amount]\n  sensitive_features: [sex]"),
    "artifacts[].columns.y_true": ("Column of true labels (predictions artifacts).", ""),
    "artifacts[].columns.y_pred": ("Column of predicted labels.", ""),
    "artifacts[].columns.y_score": ("Column of scores / probabilities of the positive label "
                                    "(ROC AUC, log loss, Brier).", ""),
    "artifacts[].columns.y_proba": ("Multiclass: a mapping class label -> probability "
                                    "column.", ""),
    "artifacts[].columns.sensitive_features": (
        "Column names of this table that hold sensitive attributes (a list of strings). "
        "Fairness rules group the rows of a predictions artifact by them (or by the rule's "
        "`features`, which may name a top-level sensitive_features[].name).", ""),
    "artifacts[].columns.sample_weight": ("Column of sample weights.", ""),
    "artifacts[].columns.label": ("Target column of a dataset artifact.", ""),
    "artifacts[].columns.features": ("Model input columns of a dataset artifact "
                                     "(`forbidden_features` checks them).", ""),
    "artifacts[].columns.positive_label": ("The positive class (e.g. 1 or \"good\").", ""),
    "sensitive_features": (
        "The sensitive attributes the model is assessed on, each described once: {name, "
        "column, description, reference_group}. `column` is the column name in the tables "
        "(default: name); `reference_group` is the group ratios are taken against. The tables "
        "that contain them list the columns under artifacts[].columns.sensitive_features.",
        "sensitive_features:\n  - name: sex\n    column: sex\n    reference_group: male\n"
        "  - name: age_group\n    column: age_group\n    reference_group: \">=25\""),
    "sensitive_features[].name": ("Name of the attribute (used in rule params and reports).",
                                  ""),
    "sensitive_features[].column": ("Column holding it in the tables (default: name).", ""),
    "sensitive_features[].reference_group": ("Group that ratios and gaps are taken against.",
                                             ""),
    "metrics": (
        "Declared (claimed) metric values: {name, value, split, artifact, slice, ci_lower, "
        "ci_upper, threshold}. `metric_threshold` checks claims; `claim_consistency` compares "
        "them with values recomputed from the artifacts.",
        "metrics:\n  - {name: accuracy, value: 0.7367, split: test}\n"
        "  - {name: roc_auc, value: 0.79, split: test, ci_lower: 0.74, ci_upper: 0.84}"),
    "evaluation": ("sensitive_features_evaluated: the attributes the evaluation covered "
                   "(rule `evaluation_coverage`); notes.", ""),
    "privacy": ("contains_personal_data, legal_basis, retention_period, consent, pii_columns, "
                "quasi_identifiers, anonymisation, dpia (rules `privacy_declarations`, "
                "`pii_scan`, `k_anonymity`).", ""),
    "lineage": ("parent_version, code_commit, code_repository, training_data_sha256, "
                "changelog [{version, date, changes}] (rules `lineage_required`, "
                "`changelog_entry`).", ""),
    "explainability": ("method, artifact (an artifacts[].name), summary (rule "
                       "`explainability_artifact`).", ""),
    "ethical_considerations": ("A list of sentences.", ""),
    "extensions": ("Free-form mapping for your own fields; the checker ignores it.", ""),
}


def normalize(field: str) -> str:
    """``artifacts[0].columns`` and ``artifacts.columns`` -> ``artifacts[].columns``."""
    parts = [re.sub(r"\[\d*\]$", "", p) for p in field.strip().split(".") if p]
    out: list[str] = []
    for i, p in enumerate(parts):
        last = i == len(parts) - 1
        out.append(p + ("[]" if not last and ".".join(parts[:i + 1]) in _LISTS else ""))
    return ".".join(out)


_LISTS = {"artifacts", "sensitive_features", "metrics", "model.owners", "lineage.changelog"}


def card_json_schema() -> dict[str, Any]:
    """JSON Schema of model cards, with the descriptions of :data:`FIELDS`."""
    schema: dict[str, Any] = ModelCard.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "model card (governance/v1 ModelCard)"
    defs: dict[str, Any] = schema.get("$defs", {})

    def node(path: str) -> dict[str, Any] | None:
        current: dict[str, Any] = schema
        for part in path.split("."):
            current = _deref(current, defs)
            prop = current.get("properties", {}).get(part.removesuffix("[]"))
            if prop is None:
                return None
            if part.endswith("[]"):
                prop = _deref(prop, defs).get("items", prop)
            current = prop
        return current

    for path, (text, _) in FIELDS.items():
        target = node(path.removesuffix("[]")) if not path.endswith("[]") else None
        if target is not None:
            target["description"] = text
    return schema


def _deref(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    for _ in range(4):
        if "$ref" in node:
            node = defs.get(node["$ref"].rsplit("/", 1)[-1], node)
        elif "anyOf" in node:
            node = next((n for n in node["anyOf"] if n.get("type") != "null"), node)
            if "anyOf" in node:
                break
        else:
            break
    return node


def explain(field: str | None) -> str:
    if field is None:
        top = [k for k in FIELDS if "." not in k]
        width = max(len(k) for k in top)
        lines = ["model card fields (governance card explain FIELD for details; "
                 "governance card schema for the JSON Schema):", ""]
        lines += [f"  {k:<{width}}  {FIELDS[k][0].split('. ')[0].rstrip('.')}" for k in top]
        return "\n".join(lines) + "\n"
    key = normalize(field)
    if key not in FIELDS:
        close = difflib.get_close_matches(key, list(FIELDS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(f"unknown card field {field!r}{hint} (run `governance card explain` "
                         "for the list)", field="FIELD")
    text, example = FIELDS[key]
    out = [f"{key}", "", *_wrap(text)]
    children = [k for k in FIELDS for pre in (key + ".", key + "[].")
                if k.startswith(pre) and "." not in k[len(pre):]]
    if children:
        out += ["", "fields:"] + [f"  {c}" for c in children]
    if example:
        out += ["", "example:"] + [f"  {line}" for line in example.splitlines()]
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int = 96) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
