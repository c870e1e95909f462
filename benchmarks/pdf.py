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

    from governance.signing.pdf import (
        credential_paths,
        load_pdf_signer,
        sign_pdf,
        write_pdf_credentials,
    )

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


def run_processes(runs: int = 3) -> dict[str, Any]:
    """Whole processes, medians of interleaved runs (issue 16 targets):

    - ``governance render REPORT.json --format pdf`` of the 50-rule report, next to the same
      command writing HTML (its peer: the PDF's input) ;
    - the bundled example's full ``governance check`` (all seven formats, DSSE + PAdES
      signing by a fresh demo key), next to the same check writing JSON only (its peer: the
      check without rendering)."""
    import os
    import shutil
    import statistics
    import subprocess
    import sys
    import tempfile

    from governance.report import canonical_json

    gov = [sys.executable, "-m", "governance"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    with tempfile.TemporaryDirectory(prefix="governance-bench-pdf-") as tmp:
        folder = Path(tmp)
        report = folder / "report.json"
        report.write_bytes(canonical_json(fifty_rule_report()))
        example = folder / "example"
        shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("reports", "keys"))
        subprocess.run([*gov, "keygen", "--out-dir", str(example / "keys"), "--name", "author",
                        "--owner", "benchmark", "--role", "author"], check=True,
                       capture_output=True, env=env)
        config = str(example / "governance.yaml")
        commands = {
            "render_pdf": [*gov, "render", str(report), "--format", "pdf", "--output",
                           str(folder / "r.pdf")],
            "render_html": [*gov, "render", str(report), "--format", "html", "--output",
                            str(folder / "r.html")],
            "example_all": [*gov, "check", "--config", config, "--quiet", "--output-dir",
                            str(example / "out-all")],
            "example_json": [*gov, "check", "--config", config, "--quiet", "--format", "json",
                             "--output-dir", str(example / "out-json")],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        cpu: dict[str, list[float]] = {k: [] for k in commands}
        load_start = os.getloadavg()[0]
        for i in range(runs + 1):  # the first round warms caches and is not counted
            for name, argv in commands.items():
                before = _children_cpu()
                t = time.perf_counter()
                done = subprocess.run(argv, capture_output=True, env=env, check=False)
                elapsed = time.perf_counter() - t
                if done.returncode not in (0, 1):
                    raise RuntimeError(f"{argv} exited {done.returncode}: "
                                       f"{done.stderr[-2000:]!r}")
                if i:
                    times[name].append(elapsed)
                    cpu[name].append(_children_cpu() - before)
        pages = _pages(folder / "r.pdf")
    out: dict[str, Any] = {k: statistics.median(v) for k, v in times.items()}
    out.update({f"{k}_best": min(v) for k, v in times.items()})
    out.update({f"{k}_cpu": statistics.median(v) for k, v in cpu.items()})
    out.update(runs=runs, pages=pages, load=os.getloadavg()[0], load_start=load_start)
    return out


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process (and its own children,
    e.g. the check's PDF process and rule worker): the work done, whatever the load."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return len(doc.pages)
