"""Default guidance per rule kind, shown when a failing rule's policy gives no remediation.

The policy's own ``remediation`` always wins; these texts only make sure a reader of a failed
or undecided finding is never left without a next step.
"""

from __future__ import annotations

from governance.report import Finding, Status

#: For ``error`` findings the first step is always to supply the evidence.
ERROR_GUIDANCE = ("Supply the missing or unreadable evidence named in the message (fix the card "
                  "field or artifact path it names), then re-run the check.")

DEFAULTS: dict[str, str] = {
    "card_fields": "Fill in the missing model card fields listed above.",
    "metric_threshold": "Improve the model or correct the declared metric; if the bound is "
    "wrong for this use, change the policy through review.",
    "artifact_integrity": "Restore the artifact or update its pinned sha256 in the model card "
    "after confirming the new file is the intended one.",
    "recomputed_metric": "Improve the model on the evaluation data, or collect more evaluation "
    "data if the confidence interval is too wide to decide.",
    "metric_regression": "Investigate the regression against the baseline release before "
    "shipping; retrain or document and waive it with a justification.",
    "claim_consistency": "Correct the metrics declared in the model card so they match the "
    "values recomputed from the artifacts (or fix the artifacts).",
    "generalization_gap": "Reduce overfitting (regularisation, more data) or explain the gap "
    "in the model card's limitations.",
    "cv_spread": "Stabilise training (more data, fewer features, regularisation) and re-run "
    "cross-validation.",
    "fairness_gap": "Investigate the flagged groups: check data representation and labels, "
    "consider mitigation, and document the result; waive only with a justification.",
    "disparate_impact": "Investigate the flagged groups' selection rates, consider mitigation, "
    "and document the result.",
    "group_metric_floor": "Improve the model for the flagged groups or collect more data for "
    "them; document the residual risk.",
    "missing_values": "Clean or impute the missing values, or declare the column's missing "
    "markers and a justified limit.",
    "duplicate_rows": "Remove duplicate rows from the dataset (or explain them) and re-run.",
    "constant_columns": "Drop constant columns or explain why they are kept.",
    "class_balance": "Rebalance the data (resampling, weighting) or document the imbalance "
    "and its effect.",
    "data_schema": "Make the dataset match the declared schema (columns, types, ranges).",
    "outliers": "Inspect the outlying values; correct data errors or document them.",
    "dimensionality": "Reduce the number of features or add rows.",
    "feature_correlation": "Remove or combine highly correlated features, or document them.",
    "label_leakage": "Remove features that leak the label from the model inputs.",
    "feature_scaling": "Scale the features as the policy requires.",
    "feature_drift": "Investigate the drifted columns: refresh the training data or retrain, "
    "and document the change.",
    "prediction_drift": "Investigate why predictions shifted against the reference before "
    "shipping.",
    "label_drift": "Investigate the label distribution change; retrain on current data.",
    "pii_scan": "Remove or mask the personal data, or declare the columns with a legal basis "
    "in the model card's privacy section.",
    "forbidden_features": "Remove sensitive attributes from the model inputs and retrain.",
    "k_anonymity": "Generalise or suppress quasi-identifiers until each group is large enough.",
    "privacy_declarations": "Complete the model card's privacy section (legal basis, "
    "retention, consent, DPIA).",
    "semver": "Use a semantic version (MAJOR.MINOR.PATCH) for the model.",
    "version_bump": "Bump the model version as the changes since the baseline require.",
    "lineage_required": "Record the lineage (code commit, training data digest, parent "
    "release) in the model card.",
    "changelog_entry": "Add a changelog entry for this version to the model card.",
    "artifacts_pinned": "Pin every artifact with its sha256 in the model card.",
    "explainability_artifact": "Add the explainability artifact the policy requires and "
    "reference it from the model card.",
    "intended_use": "Describe the intended and out-of-scope uses in the model card.",
    "evaluation_coverage": "Evaluate the model on every sensitive feature and record it in "
    "the model card's evaluation section.",
}

GENERIC = "Review the evidence above, fix the cause, and re-run the check; document an " \
    "accepted risk as a waiver with a justification."


def remediation(f: Finding) -> tuple[str | None, bool]:
    """(text, is_default) for a finding that needs action; (None, False) otherwise."""
    if f.status not in (Status.FAIL, Status.ERROR, Status.WAIVED):
        return None, False
    if f.remediation:
        return f.remediation, False
    if f.status is Status.ERROR:
        return ERROR_GUIDANCE, True
    return DEFAULTS.get(f.kind, GENERIC), True
