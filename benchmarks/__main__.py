"""Run every benchmark and print each figure next to its peer measured in the same run.

    .venv/bin/python -m benchmarks            # full: 1M/10M rows, 50M-row Parquet (~30 min)
    .venv/bin/python -m benchmarks --quick    # small sizes, about a minute
    .venv/bin/python -m benchmarks --only startup,pdf --markdown out.md

Targets (issue 8): >= 25x fairlearn MetricFrame at 10M rows with ROC AUC, >= 100x without;
``policy lint`` < 150 ms whole-process (issue 16: <= 1.3x the pydantic+yaml import floor, with
and without bytecode cache); issue 16: 50-rule PDF ``governance render`` <= 2 s, the bundled
example's full check with all formats <= 2 s; 50M-row Parquet through the streaming engine < 1.5 GiB
peak RSS. Issue 14, end to end (``e2e``: the whole ``governance check`` process): >= 2x faster
than a plain pandas groupby script, >= 50x faster than a fairlearn MetricFrame script, 95% CIs
on every value at most 1.5x the time without. Values are asserted identical (1e-9) to the peer
wherever there is one.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GiB = 1024**3


def _line(text: str, out: list[str]) -> None:
    print(text, flush=True)
    out.append(text)


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--only", default="startup,pdf,memory,fairness,e2e",
                    help="comma-separated subset of startup,pdf,memory,fairness,e2e")
    ap.add_argument("--e2e-sizes", help="comma-separated row counts of the end-to-end "
                    "benchmark (default 1M,10M; quick 100k)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="e2e: runs of ours and the pandas script, interleaved (best kept); "
                    "pdf: runs of each whole-process command (median and best shown)")
    ap.add_argument("--no-fairlearn", action="store_true",
                    help="e2e: skip the fairlearn MetricFrame peer (minutes per 1M rows)")
    ap.add_argument("--rows", type=int, help="rows of the Parquet memory benchmark")
    ap.add_argument("--sizes", help="comma-separated row counts of the fairness benchmark")
    ap.add_argument("--no-in-memory", action="store_true",
                    help="memory benchmark: skip the in-memory peer run")
    ap.add_argument("--markdown", type=Path, help="also write the lines to this file")
    ap.add_argument("--json", type=Path, help="write the raw numbers as JSON")
    args = ap.parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    out: list[str] = []
    raw: dict[str, Any] = {"quick": args.quick, "python": platform.python_version(),
                           "machine": platform.machine(), "started": time.strftime("%F %T")}
    _line(f"# benchmarks ({'quick' if args.quick else 'full'} run, {time.strftime('%F %T')}, "
          f"Python {platform.python_version()}, {platform.machine()})", out)

    if "startup" in only:
        from benchmarks import startup

        r = startup.run(5 if args.quick else 15)
        raw["startup"] = r
        for key, label in (("cached", "bytecode cached"),
                           ("package_uncompiled", "package not compiled (editable install, "
                            "PYTHONDONTWRITEBYTECODE)"),
                           ("no_cache", "nothing compiled (fresh __pycache__)")):
            c = r[key]
            _line(f"- policy lint (example policy), whole process, {label}: "
                  f"{c['lint'] * 1e3:.0f} ms vs floor `python -c \"from pydantic import "
                  f"BaseModel; import yaml\"` {c['floor'] * 1e3:.0f} ms = {c['ratio']:.2f}x "
                  f"(bare `python -c pass` {c['bare'] * 1e3:.0f} ms; median of {r['runs']}, "
                  f"interleaved; load {r['load']:.1f}); target <= 1.3x: "
                  f"{verdict(c['ratio'] <= 1.3)}; CPU time {c['cpu']['lint'] * 1e3:.0f} ms vs "
                  f"{c['cpu']['floor'] * 1e3:.0f} ms = {c['cpu_ratio']:.2f}x", out)

    if "pdf" in only:
        from benchmarks import pdf

        r = pdf.run(1 if args.quick else 3)
        raw["pdf"] = r
        if r["available"]:
            _line(f"- PDF render, {r['findings']}-rule report: {r['pdf_s']:.2f} s vs HTML render "
                  f"of the same report {r['html_s'] * 1e3:.0f} ms = "
                  f"{r['pdf_s'] / r['html_s']:.0f}x ({r['pdf_bytes'] / 1024:.0f} KiB PDF); "
                  f"two PAdES signatures {r['sign_s']:.2f} s", out)
            p = pdf.run_processes(1 if args.quick else args.repeat)
            raw["pdf_processes"] = p
            _line(f"- `governance render` (whole process), {r['findings']}-rule report to PDF "
                  f"({p['pages']} pages): {p['render_pdf']:.2f} s vs to HTML "
                  f"{p['render_html']:.2f} s = {p['render_pdf'] / p['render_html']:.1f}x "
                  f"(median of {p['runs']}, best {p['render_pdf_best']:.2f} s; "
                  f"CPU {p['render_pdf_cpu']:.2f} s vs "
                  f"{p['render_html_cpu']:.2f} s; load {p['load_start']:.1f} -> "
                  f"{p['load']:.1f}); target <= 2 s: {verdict(p['render_pdf'] <= 2.0)}", out)
            _line(f"- bundled example, whole `governance check` with all 7 formats and signing: "
                  f"{p['example_all']:.2f} s vs the same check writing JSON only "
                  f"{p['example_json']:.2f} s = {p['example_all'] / p['example_json']:.1f}x "
                  f"(median of {p['runs']}, best {p['example_all_best']:.2f} s; CPU of all its "
                  "processes "
                  f"{p['example_all_cpu']:.2f} s vs {p['example_json_cpu']:.2f} s: the PDF is "
                  f"laid out on the second core); target <= 2 s: "
                  f"{verdict(p['example_all'] <= 2.0)}", out)
        else:
            _line(f"- PDF render: not available ({r['reason']})", out)

    if "memory" in only:
        from benchmarks import memory

        rows = args.rows or (2_000_000 if args.quick else 50_000_000)
        with tempfile.TemporaryDirectory(prefix="governance-bench-") as tmp:
            r = memory.run(rows, Path(tmp), in_memory=not args.no_in_memory)
        raw["memory"] = r
        s = r["streaming"]
        text = (f"- {rows / 1e6:g}M-row Parquet ({r['file_bytes'] / GiB:.2f} GiB), 7 metrics incl. "
                f"ROC AUC/AP/log loss x (sex, age_group, sex & age_group) + sha256: streaming "
                f"peak RSS {s['peak_rss'] / GiB:.2f} GiB in {s['seconds']:.1f} s")
        if "memory" in r:
            m = r["memory"]
            text += (f" vs in-memory {m['peak_rss'] / GiB:.2f} GiB in {m['seconds']:.1f} s "
                     f"= {m['peak_rss'] / s['peak_rss']:.1f}x less memory; "
                     f"{r['values_compared']} values identical (1e-9)")
        if rows >= 50_000_000:
            text += f"; target < 1.5 GiB: {verdict(s['peak_rss'] < 1.5 * GiB)}"
        _line(text, out)

    if "fairness" in only:
        from benchmarks import fairness

        sizes = ([int(x) for x in args.sizes.split(",")] if args.sizes else
                 [200_000] if args.quick else [1_000_000, 10_000_000])
        raw["fairness"] = []
        for n in sizes:
            for r in fairness.run(n):
                auc = r["auc"]
                raw["fairness"].append(r)
                target = 25 if auc else 100
                text = (f"- fairness + metrics, {n / 1e6:g}M rows, 2 sensitive features + "
                        f"intersection, 7 count metrics{' + ROC AUC' if auc else ''}: "
                        f"{r['ours_s']:.3f} s vs fairlearn MetricFrame {r['peer_s']:.1f} s = "
                        f"{r['speedup']:.0f}x faster; {r['values_compared']} values identical "
                        "(1e-9)")
                if n >= 10_000_000:
                    text += f"; target >= {target}x: {verdict(r['speedup'] >= target)}"
                _line(text, out)

    if "e2e" in only:
        from benchmarks import e2e

        sizes = ([int(x) for x in args.e2e_sizes.split(",")] if args.e2e_sizes else
                 [100_000] if args.quick else [1_000_000, 10_000_000])
        raw["e2e"] = []
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix="governance-e2e-") as tmp:
                r = e2e.run(Path(tmp), n, fairlearn=not args.no_fairlearn,
                            repeat=1 if args.quick else args.repeat)
            raw["e2e"].append(r)
            pandas_x = r["pandas_s"] / r["ours_s"]
            ci_x = r["ours_ci_s"] / r["ours_s"]
            text = (f"- end to end, {n / 1e6:g}M rows Parquet, 2 sensitive features + "
                    f"intersection, 7 count metrics + ROC AUC: `governance check` "
                    f"{r['ours_s']:.2f} s vs pandas groupby script {r['pandas_s']:.2f} s = "
                    f"{pandas_x:.2f}x (target >= 2x: {verdict(pandas_x >= 2)})")
            if "fairlearn_s" in r:
                fl_x = r["fairlearn_s"] / r["ours_s"]
                text += (f"; fairlearn MetricFrame script {r['fairlearn_s']:.1f} s = "
                         f"{fl_x:.0f}x (target >= 50x: {verdict(fl_x >= 50)})")
            text += (f"; with 95% CIs on every value {r['ours_ci_s']:.2f} s = {ci_x:.2f}x the "
                     f"time without (target <= 1.5x: {verdict(ci_x <= 1.5)}); "
                     f"{r['values_compared']} values identical (1e-9); load "
                     f"{r['load'][0]:.1f} -> {r['load'][1]:.1f}")
            _line(text, out)

    if args.markdown:
        args.markdown.write_text("\n".join(out) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
