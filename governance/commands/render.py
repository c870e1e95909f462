"""``governance render``: re-render a saved JSON report in other formats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError

#: Saved reports larger than this are refused (a report is kilobytes to a few megabytes).
MAX_REPORT_BYTES = 64 * 1024 * 1024


def register(sub: Any) -> None:
    p = sub.add_parser(
        "render", help="re-render a saved JSON report (html, pdf, sarif, ...)",
        description="Re-render a saved JSON report in one or more formats. Files are written "
        "atomically; nothing is written if any input is invalid (exit 2).")
    p.add_argument("report", type=Path, metavar="REPORT.json", help="a report written by "
                   "`governance check --format json`")
    p.add_argument("--format", action="append", default=None, metavar="FORMAT",
                   help="text|json|sarif|junit|markdown|html|pdf|github|gitlab (repeatable, or "
                   "comma-separated; default: html)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--output-dir", type=Path, help="folder for the rendered files (default: "
                     "the report's folder); names are the report's stem plus the format suffix")
    out.add_argument("--output", type=Path, metavar="FILE|-",
                     help="exact output file (only with a single format); '-' writes it to "
                     "standard output")
    p.add_argument("--envelope", type=Path, metavar="ENVELOPE.json",
                   help="DSSE envelope of the report: its signatures go in the sign-off block")
    p.add_argument("--trusted-keys", type=Path, metavar="FILE",
                   help="trusted keys to check the envelope's signatures against")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    # exit_fast: no interpreter teardown once the files are written (see cli.run)
    p.set_defaults(handler=run, exit_fast=True)


def _formats(raw: list[str] | None) -> list[str]:
    out: list[str] = []
    for item in raw or ["html"]:
        for fmt in (x.strip() for x in item.split(",")):
            if fmt and fmt not in out:
                out.append(fmt)
    if not out:
        raise InputError("no format given", field="--format")
    return out


def read_report_bytes(path: Path) -> bytes:
    """A saved report's bytes; a FIFO, device or folder is refused without blocking."""
    from governance.paths import read_regular

    if not path.exists():
        raise InputError("no such report file (or not a regular file)", path=str(path))
    return read_regular(path, str(path), max_bytes=MAX_REPORT_BYTES, what="report")


def _signatures(envelope: Path | None, trusted: Path | None, report: Any) -> list[Any]:
    if envelope is None:
        if trusted is not None:
            raise InputError("--trusted-keys needs --envelope", field="--trusted-keys")
        return []
    try:
        from governance.signing.display import signature_infos
    except ImportError:
        raise InputError("reading signatures needs the signing module "
                         "(governance.signing.display), which this installation lacks",
                         path=str(envelope), field="--envelope") from None
    return list(signature_infos(envelope, trusted, report=report))


def run(args: argparse.Namespace) -> int:
    from governance.fileio import atomic_write_many
    from governance.report import load_report
    from governance.reporters import check_format, filename, render

    formats = _formats(args.format)
    for fmt in formats:
        check_format(fmt)
    if args.output is not None and len(formats) != 1:
        raise InputError("--output takes exactly one --format; use --output-dir for several",
                         field="--output")
    report = load_report(read_report_bytes(args.report), str(args.report))
    signatures = _signatures(args.envelope, args.trusted_keys, report)

    # Render everything first: a failure leaves no file half-written or half the set updated.
    outputs = {fmt: render(report, fmt, signatures) for fmt in formats}
    if args.output is not None and str(args.output) == "-":
        sys.stdout.buffer.write(outputs[formats[0]])
        sys.stdout.flush()
        return int(ExitCode.OK)
    targets: dict[str, Path] = {}
    for fmt in formats:
        if args.output is not None:
            targets[fmt] = args.output
        else:
            folder = args.output_dir if args.output_dir is not None else args.report.parent
            targets[fmt] = folder / filename(fmt, stem=args.report.stem)
    atomic_write_many({targets[fmt]: outputs[fmt] for fmt in formats})
    for fmt in formats:
        sys.stdout.write(f"wrote {fmt}: {targets[fmt]}\n")
    return int(ExitCode.OK)
