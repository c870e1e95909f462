"""A rich fixture report: every status, every severity, every evidence type, waivers, notices,
EU AI Act and NIST AI RMF references, and signatures. Plus a hostile twin whose card-derived
text tries to inject markup, links and fetches."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from governance.engine import summarize
from governance.report import (
    CardSummary,
    DatasetSummary,
    Finding,
    GroupMetricEvidence,
    GroupValue,
    InputFile,
    IntervalEvidence,
    KeyValueEvidence,
    ModelRef,
    OwnerSummary,
    PolicyRef,
    Reference,
    Report,
    Scope,
    Severity,
    SignatureInfo,
    SourceLocation,
    Status,
    TableEvidence,
    Target,
    Tool,
    Waiver,
    WaiverNotice,
    sort_findings,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
DATA = Path(__file__).resolve().parent / "data"
UPDATE_GOLDEN = os.environ.get("GOVERNANCE_UPDATE_GOLDEN") == "1"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


EU = "EU AI Act"
NIST = "NIST AI RMF 1.0"


def _policy_loc(line: int, field: str | None = None) -> SourceLocation:
    return SourceLocation(role="policy", path="policy.yaml", line=line, col=5, field=field)


def _card_loc(line: int, field: str) -> SourceLocation:
    return SourceLocation(role="card", path="model-card.yaml", line=line, col=3, field=field)


def build_findings(name: str = "credit-scoring", text: dict[str, str] | None = None
                   ) -> list[Finding]:
    """The fixture findings; ``text`` overrides card-derived strings (for the hostile twin)."""
    t = {
        "group_a": "female", "group_b": "male", "feature": "sex", "message": "",
        "column": "credit_amount", "waiver_reason": "Known under-representation of applicants "
        "over 60; re-sampling planned for the next release.", "approver": "Dana Okafor (MRM)",
        "note": "Bootstrap with 1,000 resamples, seed 0.",
        **(text or {}),
    }
    extra = f" {t['message']}" if t["message"] else ""
    fair_waiver = Waiver(rule_id="FAIR-002", reason=t["waiver_reason"], approved_by=t["approver"],
                         expires=date(2025, 3, 31), ticket="MRM-142",
                         scope=Scope(model=name, group="age 60+"))
    return [
        Finding(
            rule_id="DOC-001", title="Model card documents ownership, purpose and limits",
            kind="card_fields", family="documentation", severity=Severity.HIGH,
            status=Status.PASS, message="All 8 required model-card fields are filled in.",
            observed={"missing": []}, expected={"fields": 8},
            evidence=[KeyValueEvidence(title="Required fields", items={
                "model.owners": "present", "model.license": "present",
                "intended_use.limitations": "present", "lineage.code_commit": "present"})],
            references=[Reference(framework=EU, clause="Art. 11(1)",
                                  title="Technical documentation"),
                        Reference(framework=EU, clause="Art. 13(3)(b)",
                                  title="Characteristics, capabilities and limitations"),
                        Reference(framework=NIST, clause="MAP 1.1",
                                  title="Intended purposes are understood and documented")],
            remediation="Fill in the missing model-card fields before requesting sign-off.",
            locations=[_policy_loc(13, "rules[0]")],
        ),
        Finding(
            rule_id="INT-001", title="Every artifact is present and matches its pinned sha256",
            kind="artifact_integrity", family="integrity", severity=Severity.CRITICAL,
            status=Status.PASS, message="3 artifacts present; all digests match.",
            evidence=[TableEvidence(title="Artifacts", columns=["path", "bytes", "sha256 match"],
                                    rows=[["model/model.skops", 48213, True],
                                          ["predictions/test.csv", 120554, True],
                                          ["data/train.parquet", 88012, True]])],
            references=[Reference(framework=EU, clause="Art. 12(1)", title="Record-keeping")],
            locations=[_policy_loc(35)],
        ),
        Finding(
            rule_id="PERF-001", title="Test accuracy is at least 0.70 (95% CI lower bound)",
            kind="metric_threshold", family="performance", severity=Severity.HIGH,
            status=Status.PASS, message="accuracy 0.7533 (95% CI 0.7267–0.7800) >= 0.70.",
            observed=0.7533, expected={"min": 0.7},
            evidence=[IntervalEvidence(title="Accuracy on the test split", metric="accuracy",
                                       value=0.7533, ci_lower=0.7267, ci_upper=0.78,
                                       confidence=0.95, method="bootstrap (percentile)",
                                       n=300, threshold=0.7)],
            references=[Reference(framework=EU, clause="Art. 15(1)", title="Accuracy"),
                        Reference(framework=NIST, clause="MEASURE 2.3",
                                  title="Performance is measured and documented")],
            locations=[_policy_loc(47), _card_loc(41, "metrics[0].value")],
            notes=[t["note"]],
        ),
        Finding(
            rule_id="FAIR-001",
            title="Selection-rate ratio across sex is at least 0.80 (four-fifths rule)",
            kind="demographic_parity_ratio", family="fairness", severity=Severity.CRITICAL,
            status=Status.FAIL,
            message=f"selection-rate ratio {t['group_a']}/{t['group_b']} is 0.7143 < 0.80." + extra,
            observed=0.7143, expected={"min": 0.8},
            evidence=[GroupMetricEvidence(
                title="Selection rate by sex", feature=t["feature"], metric="selection rate",
                groups=[GroupValue(group=t["group_a"], value=0.5, n=92, ci_lower=0.4, ci_upper=0.6,
                                   flagged=True),
                        GroupValue(group=t["group_b"], value=0.7, n=208, ci_lower=0.636,
                                   ci_upper=0.764)],
                overall=0.6387, threshold=0.56, threshold_label="0.8 × best group")],
            references=[Reference(framework=EU, clause="Art. 10(2)(f)",
                                  title="Examination of possible biases"),
                        Reference(framework=NIST, clause="MEASURE 2.11",
                                  title="Fairness and bias are evaluated")],
            remediation="Re-weight the training data or adjust the decision threshold per "
                        "policy FAIR-REM-2, then re-run the check.",
            locations=[_policy_loc(60, "rules[3].params.min"), _card_loc(12, "data.sensitive")],
        ),
        Finding(
            rule_id="FAIR-002", title="True-positive-rate difference across age groups <= 0.10",
            kind="equal_opportunity_difference", family="fairness", severity=Severity.HIGH,
            status=Status.WAIVED, message="TPR difference is 0.1830 > 0.10 (age 60+ vs 25-40).",
            observed=0.183, expected={"max": 0.1},
            evidence=[GroupMetricEvidence(
                title="True-positive rate by age group", feature="age_group",
                metric="true positive rate",
                groups=[GroupValue(group="under 25", value=0.81, n=41, ci_lower=0.69,
                                   ci_upper=0.92),
                        GroupValue(group="25-40", value=0.868, n=132, ci_lower=0.81,
                                   ci_upper=0.92),
                        GroupValue(group="40-60", value=0.842, n=97, ci_lower=0.77,
                                   ci_upper=0.91),
                        GroupValue(group="age 60+", value=0.685, n=30, ci_lower=0.5,
                                   ci_upper=0.86, flagged=True),
                        GroupValue(group="unknown", value=None, n=0)],
                overall=0.842, threshold=None)],
            references=[Reference(framework=EU, clause="Art. 10(2)(f)",
                                  title="Examination of possible biases"),
                        Reference(framework=NIST, clause="MEASURE 2.11",
                                  title="Fairness and bias are evaluated")],
            remediation="Collect more data for applicants over 60.",
            locations=[_policy_loc(74)],
            waiver=fair_waiver,
        ),
        Finding(
            rule_id="DQ-001", title="Missing values per column are at most 5%",
            kind="missing_values", family="data_quality", severity=Severity.MEDIUM,
            status=Status.FAIL, message=f"1 of 4 columns exceeds 5% missing ({t['column']}).",
            observed={t["column"]: 0.082}, expected={"max": 0.05},
            evidence=[TableEvidence(title="Missing values in the training data",
                                    columns=["column", "missing", "rate", "limit", "ok"],
                                    rows=[["age", 0, 0.0, 0.05, True],
                                          [t["column"], 82, 0.082, 0.05, False],
                                          ["duration", 3, 0.003, 0.05, True],
                                          ["purpose", None, None, 0.05, None]])],
            references=[Reference(framework=EU, clause="Art. 10(3)",
                                  title="Data sets are relevant, representative, free of errors "
                                        "and complete")],
            remediation="Impute or drop incomplete rows and document the choice in the card.",
            locations=[_policy_loc(88)],
        ),
        Finding(
            rule_id="DRIFT-001", title="Population stability index per feature is below 0.2",
            kind="psi", family="drift", severity=Severity.MEDIUM, status=Status.ERROR,
            message="baseline is missing column 'purpose': cannot compute PSI for it.",
            evidence=[TableEvidence(title="Population stability index (baseline vs current)",
                                    columns=["feature", "psi", "limit"],
                                    rows=[["age", 0.021, 0.2], ["duration", 0.087, 0.2],
                                          ["purpose", None, 0.2]])],
            references=[Reference(framework=NIST, clause="MEASURE 2.4",
                                  title="Functionality and behaviour are monitored")],
            locations=[_policy_loc(101)],
        ),
        Finding(
            rule_id="PRIV-001", title="No direct identifiers in released predictions",
            kind="pii_columns", family="privacy", severity=Severity.HIGH, status=Status.PASS,
            message="No column matches a direct-identifier pattern.",
            evidence=[KeyValueEvidence(title="Scan", items={"columns scanned": 21,
                                                            "patterns": 9, "matches": 0})],
            references=[Reference(framework=EU, clause="Art. 10(5)",
                                  title="Special categories of personal data")],
            locations=[_policy_loc(112)],
        ),
        Finding(
            rule_id="VER-001", title="Accuracy did not drop by more than 0.02 since the baseline",
            kind="regression", family="versioning", severity=Severity.LOW,
            status=Status.SKIPPED, message="no baseline given; nothing to compare against.",
            locations=[_policy_loc(124)],
        ),
        Finding(
            rule_id="VER-002", title="Model version follows semantic versioning",
            kind="semver", family="versioning", severity=Severity.LOW, status=Status.ERROR,
            message="card field model.version is missing.",
            locations=[_card_loc(3, "model.version")],
        ),
        Finding(
            rule_id="DOC-002", title="Card lists a contact for incident reports",
            kind="card_fields", family="documentation", severity=Severity.INFO,
            status=Status.FAIL, message="model.contact is empty.",
            expected={"fields": ["model.contact"]}, observed={"missing": ["model.contact"]},
            references=[Reference(framework=EU, clause="Art. 73",
                                  title="Reporting of serious incidents")],
            locations=[_policy_loc(132), _card_loc(7, "model.contact")],
        ),
    ]


def build_report(name: str = "credit-scoring", version: str = "1.1.0",
                 text: dict[str, str] | None = None) -> Report:
    findings = sort_findings(build_findings(name, text))
    t = {"approver": "Dana Okafor (MRM)", "note": "Bootstrap with 1,000 resamples, seed 0.",
         "feature": "sex", **(text or {})}
    notices = [
        WaiverNotice(waiver=Waiver(rule_id="FAIR-002", reason="Known under-representation",
                                   approved_by=t["approver"], expires=date(2025, 3, 31),
                                   ticket="MRM-142"),
                     state="expiring", message="waiver of FAIR-002 expires in 9 days "
                     "(2025-03-31)"),
        WaiverNotice(waiver=Waiver(rule_id="DQ-001", reason="Legacy column",
                                   approved_by="Sam Lee", expires=date(2025, 1, 31)),
                     state="expired", message="waiver of DQ-001 expired on 2025-01-31"),
        WaiverNotice(waiver=Waiver(rule_id="OLD-009", reason="Rule removed",
                                   approved_by="Sam Lee", expires=date(2025, 12, 31)),
                     state="stale", message="waiver of OLD-009 matches no finding"),
    ]
    return Report(
        report_id="7f3c9a1e-5b2d-4c8e-9f10-2a6b4d8e0c11",
        generated_at=datetime(2025, 3, 22, 9, 30, 0, tzinfo=UTC),
        tool=Tool(name="governance-checker", version="0.1.0"),
        model=ModelRef(name=name, version=version),
        target=Target(release="credit-scoring-1.1.0", environment="production"),
        inputs=[InputFile(role="policy", path="policy.yaml", sha256=sha("policy")),
                InputFile(role="card", path="model-card.yaml", sha256=sha("card")),
                InputFile(role="artifact", path="predictions/test.csv", sha256=sha("pred")),
                InputFile(role="artifact", path="data/train.parquet", sha256=sha("train")),
                InputFile(role="artifact", path="model/model.skops", sha256=sha("model"))],
        policy=PolicyRef(name="credit-scoring-release", version="1.0.0", sha256=sha("policy"),
                         files=["policy.yaml"]),
        summary=summarize(findings, notices, Severity.LOW),
        findings=findings,
        waivers=notices,
        environment={"python": "3.11.7", "platform": "linux", "numpy": "2.3.1",
                     "pandas": "3.1.0", "scikit-learn": "1.9.0", "fairlearn": "0.15.0"},
        card=CardSummary(
            description="Ranks consumer-credit applications for manual review.",
            task="binary_classification", algorithm="logistic regression", risk_tier="high",
            license="Apache-2.0",
            owners=[OwnerSummary(name="Credit Risk Modelling Team", role="model owner",
                                 email="credit-risk-ml@example.com"),
                    OwnerSummary(name=t["approver"], role="independent validation")],
            primary_uses=["Rank incoming applications for review by a credit officer."],
            primary_users=["Credit officers"],
            out_of_scope=["Fully automated credit decisions.", "Business loans."],
            limitations=["Trained on 700 historical applications.", t["note"]],
            training_data=DatasetSummary(name="Statlog German Credit (train)",
                                         source="UCI", license="CC BY 4.0", rows=700),
            evaluation_data=DatasetSummary(name="Statlog German Credit (test)", rows=300),
            sensitive_features=[t["feature"], "age_group"]),
    )


SIGNATURES = (
    SignatureInfo(keyid="a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
                  role="author", signer="Ada Lovelace (ML engineering)", decision="submit",
                  signed_at=datetime(2025, 3, 22, 9, 31, tzinfo=UTC), verified=True),
    SignatureInfo(keyid="0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                  role="risk-officer", signer="Grace Hopper (Model Risk)", decision="approve",
                  comment="Approved with waiver MRM-142; re-check fairness at 1.2.0.",
                  signed_at=datetime(2025, 3, 23, 14, 5, tzinfo=UTC), verified=False,
                  reason="key not in the trusted keys file"),
    SignatureInfo(keyid="99aa88bb77cc66dd55ee44ff33009911", role="compliance", signer=None,
                  decision="approve", verified=None),
)


@pytest.fixture(scope="session")
def report() -> Report:
    return build_report()


@pytest.fixture(scope="session")
def signatures() -> tuple[SignatureInfo, ...]:
    return SIGNATURES


def check_golden(name: str, data: bytes) -> None:
    """Compare with tests/reporters/golden/NAME; GOVERNANCE_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.is_file(), f"missing golden file {path}; run with GOVERNANCE_UPDATE_GOLDEN=1"
    expected = path.read_bytes()
    assert data == expected, (f"{name} differs from its golden file; review the change and "
                              f"regenerate with GOVERNANCE_UPDATE_GOLDEN=1")


class Canary:
    """A loopback HTTP server that records every request it gets (it must get none)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                canary.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    c.thread.start()
    try:
        yield c
    finally:
        c.server.shutdown()
        c.server.server_close()


def hostile_text(c: Canary) -> dict[str, str]:
    return {
        "group_a": "<script>alert(1)</script>",
        "group_b": f"<img src=file:///etc/passwd><img src={c.url('img')}>",
        "feature": "javascript:alert(1)",
        "message": (f"[click](javascript:alert(1)) <a href=\"javascript:alert(1)\">x</a> "
                    f"<style>@import url({c.url('import')}); body{{background:"
                    f"url({c.url('bg')})}}</style> <link rel=attachment "
                    f"href=file:///etc/passwd> <link rel=stylesheet href={c.url('css')}> "
                    f"![i]({c.url('md')}) @everyone"),
        "column": f"url({c.url('col')})",
        "waiver_reason": f"<a rel=\"attachment\" href=\"file:///etc/passwd\">p</a> "
                         f"<iframe src={c.url('frame')}></iframe>",
        "approver": "<b onmouseover=alert(1)>Mallory</b>",
        "note": f"<object data={c.url('obj')}></object> <svg><image href={c.url('svg')}/></svg>",
    }


@pytest.fixture(scope="session")
def golden():  # type: ignore[no-untyped-def]
    return check_golden


@pytest.fixture(scope="session")
def make_report():  # type: ignore[no-untyped-def]
    return build_report


HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_VERSION = "javascript:alert(1)"


@pytest.fixture
def hostile(canary: Canary) -> tuple[Canary, Report]:
    """A report whose card-derived text attacks the renderers, and the canary it aims at."""
    return canary, build_report(name=HOSTILE_NAME, version=HOSTILE_VERSION,
                                text=hostile_text(canary))
