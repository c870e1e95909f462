"""The ledger through the CLI on the bundled example: recording by default, two releases with
a trend and a diff, sign/approve/status/verify/waiver entries, settings and failures."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pikepdf
import pytest
from sklearn.metrics import roc_auc_score

from governance.cli import main
from governance.reporters._jinja import fmt_number

MODEL = "credit-scoring"


@pytest.fixture()
def example(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example as the current folder, with the default ledger (no session override)."""
    monkeypatch.delenv("GOVERNANCE_LEDGER_URL", raising=False)
    monkeypatch.delenv("GOVERNANCE_LEDGER", raising=False)
    monkeypatch.chdir(example_copy)
    return example_copy


def _second_release(root: Path) -> None:
    """Release 1.2.0 of the example: every 4th test score replaced by 1 - score."""
    path = root / "predictions" / "test.csv"
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    lines = path.read_text().splitlines()
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        cells = line.split(",")
        if i % 4 == 0:
            cells[3] = f"{1 - float(cells[3]):.10f}"
        out.append(",".join(cells))
    path.write_text("\n".join(out) + "\n")
    card = root / "model-card.yaml"
    card.write_text(card.read_text().replace(old, hashlib.sha256(path.read_bytes()).hexdigest()))


def _auc(root: Path) -> float:
    df = pd.read_csv(root / "predictions" / "test.csv")
    return float(roc_auc_score(df["y_true"], df["y_score"]))


def _ledger_rows(root: Path) -> list[tuple[int, str, str | None]]:
    con = sqlite3.connect(root / ".governance" / "ledger.sqlite")
    try:
        return con.execute("SELECT seq, kind, release FROM ledger_entries ORDER BY seq").fetchall()
    finally:
        con.close()


def _figure_alts(pdf_path: Path) -> list[str]:
    out = []
    with pikepdf.open(pdf_path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == pikepdf.Name.Figure and "/Alt" in node:
                    out.append(str(node.Alt))
                kids = node.get("/K")
                if kids is not None:
                    stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return out


def test_example_twice_records_trend_and_diff(example: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    auc1 = _auc(example)
    assert main(["check", "--config", "governance.yaml", "--format", "json"]) == 0
    assert "recorded in ledger sqlite:///" in capsys.readouterr().out
    first = example / "r1.json"
    first.write_bytes((example / "reports" / "report.json").read_bytes())
    _second_release(example)
    auc2 = _auc(example)
    assert auc2 < 0.7 < auc1  # the second release fails PERF-001
    assert main(["check", "--config", "governance.yaml", "--release", "credit-scoring-1.2.0",
                 "--format", "json,html,pdf", "-q"]) == 1
    assert _ledger_rows(example) == [  # the example signs its report as the author
        (1, "check", "credit-scoring-1.1.0"), (2, "sign", "credit-scoring-1.1.0"),
        (3, "check", "credit-scoring-1.2.0"), (4, "sign", "credit-scoring-1.2.0")]
    # the check entry's payload is the canonical report JSON written as report.json
    con = sqlite3.connect(example / ".governance" / "ledger.sqlite")
    payload, digest = con.execute("SELECT payload, report_digest FROM ledger_entries "
                                  "WHERE seq = 3").fetchone()
    con.close()
    assert payload.encode() == (example / "reports" / "report.json").read_bytes()
    assert digest == hashlib.sha256(payload.encode()).hexdigest()

    # trends: HTML section and PDF figure alt text carry both releases' values (sklearn)
    html = (example / "reports" / "report.html").read_text()
    assert 'id="trends"' in html and "Changes since credit-scoring-1.1.0" in html
    alt = (f"Line chart of roc_auc recomputed from test-predictions (PERF-001) over 2 "
           f"releases, oldest first: credit-scoring-1.1.0 {fmt_number(auc1, 4)} (confidence "
           "interval ")
    assert alt in html
    assert f"; credit-scoring-1.2.0 {fmt_number(auc2, 4)} (confidence interval " in html
    alts = _figure_alts(example / "reports" / "report.pdf")
    trend = [a for a in alts if a.startswith("Line chart of roc_auc recomputed")]
    assert len(trend) == 1 and trend[0].startswith(alt) and "Threshold 0.7." in trend[0]
    assert f"credit-scoring-1.2.0 {fmt_number(auc2, 4)} (" in trend[0]
    capsys.readouterr()

    # diff between the two releases in the ledger, and between the two report files
    assert main(["diff", "--model", MODEL, "credit-scoring-1.1.0", "credit-scoring-1.2.0"]) == 0
    text = capsys.readouterr().out
    assert "verdict pass -> fail" in text
    new = text.split("new failures (")[1].split("fixed (")[0]
    assert re.search(r"^  PERF-001 pass -> fail", new, flags=re.M)
    assert (f"PERF-001 roc_auc recomputed from test-predictions: {auc1:.4f}" in text
            and f"-> {auc2:.4f}" in text and f"(delta {auc2 - auc1:+.4f}; threshold 0.7000)"
            in text)
    assert main(["diff", str(first), "reports/report.json", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### Governance diff: credit-scoring 1.1.0 \\(credit-scoring-1.1.0\\)")
    assert f"| {auc2 - auc1:+.4f} | 0.7000 |" in md
    assert "- `PERF-001` pass → fail:" in md

    assert main(["history", MODEL]) == 0
    hist = capsys.readouterr().out
    assert "model credit-scoring: 2 checks" in hist and "release credit-scoring-1.2.0" in hist
    assert main(["ledger", "verify"]) == 0
    assert "ledger intact: 4 entries" in capsys.readouterr().out


def _trust(example: Path) -> Path:
    from governance.signing.keys import write_keypair

    approver = write_keypair(example / "keys", "approver")
    author_pub = (example / "keys" / "author.pub").read_text()
    from governance.signing.keys import keyid_of, load_public_key

    author_id = keyid_of(load_public_key(author_pub, source="author.pub"))
    text = (example / "trusted-keys.yaml").read_text()
    for keyid, name, role, pub in ((author_id, "Alice", "author", author_pub),
                                   (approver.keyid, "Bob", "approver",
                                    approver.public.read_text())):
        text += (f"  - keyid: {keyid}\n    owner: {name}\n    roles: [{role}]\n"
                 "    public_key: |\n" + "".join(f"      {line}\n"
                                                  for line in pub.splitlines()))
    path = example / "trust-all.yaml"
    path.write_text(text)
    return path


def test_sign_approve_status_verify_waiver(example: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    trust = _trust(example)
    assert main(["status", MODEL, "1.1.0"]) == 2  # nothing recorded: unknown
    assert "unknown: no check of credit-scoring 1.1.0" in capsys.readouterr().out
    assert main(["check", "--config", "governance.yaml", "--format", "json", "-q",
                 "--trusted-keys", str(trust)]) == 0
    assert main(["status", MODEL, "1.1.0"]) == 1
    assert ("NOT approved for production: credit-scoring 1.1.0 (newest check pass; no "
            "approval of it)") in capsys.readouterr().out
    bundle = example / "reports" / "report.dsse.json"
    assert main(["approve", str(bundle), "--role", "approver", "--key", "keys/approver.key",
                 "--trusted-keys", str(trust), "--signer", "Bob"]) == 0
    assert "#3 approve" in capsys.readouterr().err  # #1 check, #2 its author's signature
    assert main(["status", MODEL, "1.1.0", "--environment", "production"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("approved for production: credit-scoring 1.1.0 by approver Bob")
    assert main(["status", MODEL, "1.1.0", "--environment", "staging"]) == 2
    assert main(["status", MODEL, "9.9.9"]) == 2
    assert main(["verify", str(bundle), "--trusted-keys", str(trust), "--artifacts-root",
                 "."]) == 0
    assert re.search(r"recorded in ledger .*#4 verify", capsys.readouterr().err)
    expires = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert main(["waiver", "sign", "--rule-id", "PERF-001", "--reason", "r", "--approved-by",
                 "Risk", "--expires", expires, "--model", MODEL, "--key",
                 "waivers/DEMO-risk-officer.key", "--out", "w.dsse.json"]) == 0
    capsys.readouterr()
    assert main(["history", MODEL]) == 0
    hist = capsys.readouterr().out
    assert "approve 1.1.0 environment production: approve by approver Bob" in hist
    assert f"PERF-001 expires {expires} (10 days left)" in hist
    assert "FAIR-002" not in hist  # the example's policy waiver expires in 2027
    days = (date(2027, 11, 30) - datetime.now(UTC).date()).days
    assert main(["history", MODEL, "--within", str(days)]) == 0
    hist = capsys.readouterr().out
    assert f"#1 FAIR-002 expires 2027-11-30 ({days} days left)" in hist  # from the check
    assert [k for _, k, _ in _ledger_rows(example)] == ["check", "sign", "approve", "verify",
                                                        "waiver"]
    assert main(["ledger", "verify"]) == 0
