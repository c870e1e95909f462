"""``governance ledger verify|export|migrate``, ``history``, ``status`` and ``diff``."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError


def register(sub: Any) -> None:
    from governance.ledger.settings import add_arguments

    p = sub.add_parser("ledger", help="the release ledger: verify the hash chain, export it",
                       description="The release ledger records every check, signature, "
                       "approval, waiver and verification in a hash chain.")
    lsub = p.add_subparsers(dest="ledger_command", metavar="ACTION")
    v = lsub.add_parser("verify", help="check the hash chain (exit 1 at the first bad entry)")
    v.add_argument("--expect-head", metavar="HASH",
                   help="the head hash recorded elsewhere (detects removed newest entries)")
    add_arguments(v, record=False)
    v.set_defaults(handler=run_verify)
    e = lsub.add_parser("export", help="JSON Lines of every entry with its chain hashes")
    e.add_argument("--out", type=Path, help="file to write (default: standard output)")
    add_arguments(e, record=False)
    e.set_defaults(handler=run_export)
    m = lsub.add_parser("migrate", help="create or upgrade the ledger schema (Alembic)")
    add_arguments(m, record=False)
    m.set_defaults(handler=run_migrate)
    p.set_defaults(handler=lambda _a: _usage(p))

    h = sub.add_parser("history", help="releases, verdicts, approvals and expiring waivers "
                       "of a model, from the ledger")
    h.add_argument("model", metavar="MODEL")
    h.add_argument("--within", type=int, default=30, metavar="DAYS",
                   help="list waivers expiring within DAYS (default 30)")
    add_arguments(h, record=False)
    h.set_defaults(handler=run_history)

    s = sub.add_parser("status", help="is MODEL VERSION approved, for which environment, by "
                       "whom (exit 0 approved, 1 not approved, 2 unknown)")
    s.add_argument("model", metavar="MODEL")
    s.add_argument("version", metavar="VERSION")
    s.add_argument("--environment", help="only this environment")
    add_arguments(s, record=False)
    s.set_defaults(handler=run_status)

    d = sub.add_parser("diff", help="compare two reports (JSON files) or two releases of a "
                       "model in the ledger")
    d.add_argument("a", metavar="A", help="report.json, or a release/version with --model")
    d.add_argument("b", metavar="B", help="report.json, or a release/version with --model")
    d.add_argument("--model", help="look A and B up as releases of this model in the ledger")
    d.add_argument("--format", choices=("text", "markdown"), default="text")
    add_arguments(d, record=False)
    d.set_defaults(handler=run_diff)


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return int(ExitCode.USAGE)


def _open(args: argparse.Namespace) -> Any:
    from governance.ledger.settings import project_settings
    from governance.ledger.store import Ledger

    settings = project_settings(args, required=True)
    assert settings is not None
    return Ledger(settings.url)


def run_verify(args: argparse.Namespace) -> int:
    from governance.ledger.chain import verify_entries

    with _open(args) as ledger:
        result = verify_entries(ledger.entries(), args.expect_head)
    if result.ok:
        sys.stdout.write(f"ledger intact: {result.checked} entries; head {result.head}\n")
        return int(ExitCode.OK)
    sys.stdout.write(f"ledger BROKEN at entry #{result.bad_seq}: {result.reason}\n"
                     f"({result.checked} entries before it verified)\n")
    return int(ExitCode.GATE_FAILED)


def run_export(args: argparse.Namespace) -> int:
    from governance.ledger.chain import export_lines
    from governance.textsafe import json_inert

    with _open(args) as ledger:
        text = "".join(json_inert(line) for line in export_lines(ledger.entries()))
    if args.out is not None:
        from governance.fileio import atomic_write

        atomic_write(args.out, text.encode("ascii"))
        sys.stdout.write(f"wrote {args.out} ({text.count(chr(10))} entries)\n")
    else:
        sys.stdout.write(text)
    return int(ExitCode.OK)


def run_migrate(args: argparse.Namespace) -> int:
    with _open(args) as ledger:
        rev = ledger.migrate()
        sys.stdout.write(f"ledger {ledger.shown} at schema revision {rev}\n")
    return int(ExitCode.OK)


def run_history(args: argparse.Namespace) -> int:
    from governance.ledger.queries import history
    from governance.textsafe import one_line as q

    with _open(args) as ledger:
        h = history(ledger, args.model, datetime.now(UTC).date(), args.within)
    out = sys.stdout
    out.write(q(f"model {args.model}: {len(h.checks)} checks") + "\n")
    for e in h.checks:
        out.write(q(f"  #{e.seq} {e.ts} check {e.model_version} release {e.release or '-'} "
                    f"environment {e.environment or '-'}: {e.verdict} (policy "
                    f"{e.policy_name} {e.policy_version})") + "\n")
    out.write(f"signatures and approvals: {len(h.approvals)}\n")
    for e in h.approvals:
        out.write(q(f"  #{e.seq} {e.ts} {e.kind} {e.model_version} environment "
                    f"{e.environment or '-'}: {e.decision} by {e.role} {e.actor or '?'} key "
                    f"{(e.keyid or '?')[:16]}") + "\n")
    out.write(f"waivers expiring within {args.within} days: {len(h.waivers)}\n")
    for w in h.waivers:
        state = "EXPIRED" if w.days_left < 0 else f"{w.days_left} days left"
        out.write(q(f"  #{w.seq} {w.rule_id} expires {w.expires.isoformat()} ({state}); "
                    f"approved by {w.approved_by}") + "\n")
    return int(ExitCode.OK)


def run_status(args: argparse.Namespace) -> int:
    from governance.ledger.queries import status
    from governance.textsafe import one_line as q

    with _open(args) as ledger:
        st = status(ledger, args.model, args.version, args.environment)
    out = sys.stdout
    if not st.known:
        where = f" for environment {args.environment}" if args.environment else ""
        out.write(q(f"unknown: no check of {args.model} {args.version}{where} in the "
                    "ledger") + "\n")
        return int(ExitCode.USAGE)
    for env, verdict in sorted(st.verdicts.items()):
        approvals = st.approved.get(env)
        if approvals:
            who = ", ".join(f"{a.role} {a.actor or '?'} (key {(a.keyid or '?')[:16]}, {a.ts})"
                            for a in approvals)
            out.write(q(f"approved for {env}: {args.model} {args.version} by {who}") + "\n")
        else:
            why = ("rejected by " + ", ".join(f"{a.role} {a.actor or '?'}"
                                              for a in st.rejected[env])
                   if env in st.rejected else f"newest check {verdict}" +
                   ("" if verdict == "pass" else ", not passing") + "; no approval of it")
            out.write(q(f"NOT approved for {env}: {args.model} {args.version} ({why})") + "\n")
    return int(ExitCode.OK if st.approved else ExitCode.GATE_FAILED)


def _report(args: argparse.Namespace, ref: str, ledger: Any) -> Any:
    if args.model is None:
        from governance.report import load_report
        from governance.yamlio import read_capped

        path = Path(ref)
        return load_report(read_capped(path, ref, max_bytes=256 * 1024 * 1024), ref)
    from governance.ledger.queries import release_report

    report = release_report(ledger, args.model, ref)
    if report is None:
        raise InputError(f"no check of {args.model} release or version {ref!r} in the ledger",
                         field="diff")
    return report


def run_diff(args: argparse.Namespace) -> int:
    from governance.ledger.diff import diff_reports, render_markdown, render_text

    if args.model is None:
        a, b = _report(args, args.a, None), _report(args, args.b, None)
    else:
        with _open(args) as ledger:
            a, b = _report(args, args.a, ledger), _report(args, args.b, ledger)
    d = diff_reports(a, b)
    sys.stdout.write(render_markdown(d) if args.format == "markdown" else render_text(d))
    return int(ExitCode.OK)
