"""PDF render time of a 50-rule report (the bundled example's findings, repeated with distinct
rule ids to 50), next to the HTML render of the same report (the PDF's input)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credit-scoring"


def fifty_rule_report() -> Any:
    from governance.api import CheckRequest, run_check
    from governance.config import load_config

    config = load_config(EXAMPLE / "governance.yaml")
    cm = config.model
    report = run_check(CheckRequest(
        policies=[config.resolve(p) for p in cm.policies], card=config.resolve(cm.card),
        root=config.resolve(cm.root),
        baseline=config.resolve(cm.baseline) if cm.baseline else None)).report
    base = list(report.findings)
    findings = []
    i = 0
    while len(findings) < 50:
        f = base[i % len(base)]
        findings.append(f.model_copy(update={"rule_id": f"{f.rule_id}-{i:02d}"}))
        i += 1
    return report.model_copy(update={"findings": findings})


def run(repeat: int = 3) -> dict[str, Any]:
    try:
        from governance.reporters import check_format, render

        check_format("pdf")
    except Exception as exc:  # the PDF reporter is another helper's work in progress
        return {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    report = fifty_rule_report()
    render(report, "pdf")  # warm-up: fonts, imports
    best_pdf = best_html = float("inf")
    size = 0
    for _ in range(repeat):
        t = time.perf_counter()
        html = render(report, "html")
        best_html = min(best_html, time.perf_counter() - t)
        t = time.perf_counter()
        pdf = render(report, "pdf")
        best_pdf = min(best_pdf, time.perf_counter() - t)
        size = len(pdf)
    sign_s = _sign_time(pdf, repeat)
    return {"available": True, "findings": len(report.findings), "pdf_s": best_pdf,
            "html_s": best_html, "pdf_bytes": size, "html_bytes": len(html),
            "sign_s": sign_s}


def _sign_time(pdf: bytes, repeat: int) -> float:
    """Best time to add two PAdES signatures (author, approver) to the rendered PDF."""
    import tempfile

    from governance.signing.pdf import credential_paths, load_pdf_signer, sign_pdf, \
        write_pdf_credentials

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        signers = []
        for name in ("author", "approver"):
            write_pdf_credentials(folder, name, owner=name, roles=[name], passphrase=None)
            signers.append(load_pdf_signer(*credential_paths(folder / f"{name}.key"), None))
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            sign_pdf(sign_pdf(pdf, signers[0], role="author"), signers[1], role="approver")
            best = min(best, time.perf_counter() - t)
    return best
