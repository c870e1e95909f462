"""``governance check``: evaluate a policy against a model card and write the reports."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError
from governance.evidence.context import ENGINES

SEVERITIES = ("critical", "high", "medium", "low", "info")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="evaluate policies against a model card and its artifacts",
        description="Evaluate policies against a model card and the artifacts it references; "
        "write the report in every requested format. Exit 0 if the gate passed, 1 if it "
        "failed, 2 on bad input, 3 on an internal error.")
    p.add_argument("--config", type=Path, help="project configuration (default: the nearest "
                   "governance.yaml in the current folder or a parent, up to the repository "
                   "top)")
    p.add_argument("--policy", type=Path, action="append", default=None,
                   help="policy file (repeatable); overrides the configuration")
    p.add_argument("--card", type=Path, help="model card (YAML)")
    p.add_argument("--baseline", type=Path,
                   help="previous release: its model card (YAML) or report (JSON)")
    p.add_argument("--root", type=Path, help="project root that artifact paths are relative "
                   "to (default: the configuration's folder, else the current folder)")
    p.add_argument("--format", action="append", default=None, metavar="FORMAT",
                   help="text|json|sarif|junit|markdown|html|pdf|github|gitlab (repeatable, or "
                   "comma-separated)")
    p.add_argument("--output-dir", type=Path, help="where report files are written (may be "
                   "outside the project root: rendered files are then recorded relative to it)")
    p.add_argument("--output", metavar="FILE|-", help="write the one --format to FILE instead "
                   "of the output folder; '-' writes it to standard output")
    p.add_argument("--fail-on", choices=SEVERITIES,
                   help="lowest severity whose fail/error fails the gate (default: info)")
    p.add_argument("--require-signed-waivers", action="store_true",
                   help="refuse every waiver not signed by a trusted key (operator setting; "
                   "adds to `waivers: {require_signature: true}` of policies/configuration)")
    p.add_argument("--trusted-keys", type=Path, help="trust file signed waivers are checked "
                   "against (default: $GOVERNANCE_TRUSTED_KEYS, else signing.trusted_keys of the "
                   "configuration, with a warning); keep it "
                   "where a pull request cannot change it")
    p.add_argument("--release", help="target release the report is for (bound into signatures)")
    p.add_argument("--environment", help="target environment (e.g. production)")
    p.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="evaluate waiver expiry as of this date (default: today)")
    p.add_argument("--seed", type=int, help="seed of the bootstrap confidence intervals "
                   "(default: the configuration's seed, else 0); same seed, same report")
    p.add_argument("--exit-zero", action="store_true", help="report only: exit 0 even when "
                   "the gate fails (input and internal errors still exit 2 and 3)")
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="operator setting: engine computing statistics of predictions "
                   "(default: $GOVERNANCE_ENGINE, else auto = streaming for artifacts of "
                   "256 MiB and more)")
    p.add_argument("--dask-scheduler", metavar="ADDR", default=None,
                   help="operator setting: Dask scheduler address for --engine dask (default: "
                   "$GOVERNANCE_DASK_SCHEDULER, else a local cluster)")
    p.add_argument("--plugins", action="store_true", default=None,
                   help="operator setting: load rule kinds from installed entry-point plugins "
                   "(group governance.rules; also GOVERNANCE_PLUGINS=1)")
    p.add_argument("--isolate-rules", action="store_true",
                   help="evaluate every rule in a worker process that is killed at its "
                   "timeout (always done for kinds that run policy-supplied patterns)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress and no text report on the terminal")
    p.add_argument("--allow-outside-root", type=Path, action="append", default=None,
                   metavar="DIR", help="let paths written in governance.yaml, policies and "
                   "cards reach into DIR outside the project root (repeatable; operator only)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    from governance.commands.check_signing import add_arguments
    from governance.ledger.settings import add_arguments as ledger_arguments

    add_arguments(p)
    ledger_arguments(p)
    # exit_fast: no interpreter teardown once the files are written (see cli.run)
    p.set_defaults(handler=run, exit_fast=True)


def _formats(raw: list[str] | None, default: list[str]) -> list[str]:
    if not raw:
        return list(default)
    out: list[str] = []
    for item in raw:
        out.extend(x.strip() for x in item.split(",") if x.strip())
    return out


def _author_signature(plan: Any, when: datetime) -> tuple[list[Any], Any]:
    """The author's row for the sign-off page of a run that signs, and its PDF signer (from
    the PDF credentials next to a key file; a key from the environment has none)."""
    if plan.key is None:
        return [], None
    from governance.report import SignatureInfo
    from governance.reporters import SIGNED_BY_THIS_RUN
    from governance.signing.pdf import signer_for_key

    pdf_signer = signer_for_key(plan.key_path, plan.passphrase)
    info = SignatureInfo(keyid=plan.key.keyid, role=plan.role,
                         signer=pdf_signer.common_name if pdf_signer else None,
                         decision="approve", signed_at=when, reason=SIGNED_BY_THIS_RUN)
    return [info], pdf_signer


def operator_settings(args: argparse.Namespace) -> tuple[str, str | None, bool]:
    """Engine, Dask scheduler and plugins: command line, else environment; never a file in
    the repository (DESIGN principle 9)."""
    engine = args.engine or os.environ.get("GOVERNANCE_ENGINE") or "auto"
    if engine not in ENGINES:
        raise InputError(f"GOVERNANCE_ENGINE={engine!r} is not an engine; valid: "
                         f"{', '.join(ENGINES)}", field="GOVERNANCE_ENGINE")
    scheduler = args.dask_scheduler or os.environ.get("GOVERNANCE_DASK_SCHEDULER") or None
    if scheduler is not None and engine != "dask":
        raise InputError("a Dask scheduler address (--dask-scheduler or "
                         "GOVERNANCE_DASK_SCHEDULER) needs --engine dask", field="--engine")
    plugins = bool(args.plugins) or os.environ.get("GOVERNANCE_PLUGINS", "") in (
        "1", "true", "yes")
    return engine, scheduler, plugins


def _waiver_settings(cm: Any, required: bool) -> Any:
    from governance.report import WaiverSettings

    settings = cm.waivers if cm is not None else None
    if required:
        return (settings or WaiverSettings()).model_copy(update={"require_signature": True})
    return settings


def _display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Inputs:
    """What ``governance check`` works on: command-line flags over governance.yaml over the
    defaults (:func:`governance.config.overlay`)."""

    config: Any  # ProjectConfig | None
    boundary: Any  # paths.Boundary
    policies: list[Path]
    card: Path
    root: Path
    baseline: Path | None
    formats: list[str]
    out_dir: Path
    fail_on: Any  # Severity
    target: Any  # Target
    now: datetime

    def conf(self, rel: str, *key: str | int, kind: str | None = "file") -> Path:
        """A path written in governance.yaml, confined to the project boundary."""
        assert self.config is not None
        return Path(self.config.resolve(rel, *key, boundary=self.boundary, kind=kind))


def _load_config(args: argparse.Namespace) -> Any:
    from governance.config import find_config, load_config

    if args.config is not None:
        return load_config(args.config)
    if args.policy is None or args.card is None:
        found = find_config()
        return load_config(found) if found is not None else None
    return None


def _inputs(args: argparse.Namespace) -> _Inputs:
    from governance.config import default, overlay
    from governance.paths import Boundary
    from governance.report import Severity, Target

    config = _load_config(args)
    cm = config.model if config else None
    # Paths on the command line are the operator's and may be anywhere; paths written in
    # governance.yaml are contributor input and stay inside the project root (the
    # configuration's folder, or --root) unless the operator allowed a folder.
    project_root = args.root or (config.base if config else Path.cwd())
    boundary = Boundary.of(project_root, args.allow_outside_root or (),
                           flag="--allow-outside-root")
    conf = _Inputs(config, boundary, [], Path(), Path(), None, [], Path(), None, None,
                   datetime.now(UTC)).conf
    if args.policy:
        policies = list(args.policy)
    elif cm:
        policies = [conf(p, "policies", i) for i, p in enumerate(cm.policies)]
    else:
        raise InputError("no policy: pass --policy or write a governance.yaml "
                         "(see `governance init`)", field="--policy")
    if args.card:
        card = args.card
    elif cm:
        card = conf(cm.card, "card")
    else:
        raise InputError("no model card: pass --card or set card in governance.yaml",
                         field="--card")
    root = args.root or (conf(cm.root, "root", kind="dir") if cm else Path.cwd())
    baseline = args.baseline or (conf(cm.baseline, "baseline") if cm and cm.baseline else None)
    formats = _formats(args.format, overlay(None, cm, "formats"))
    out_dir = args.output_dir or (conf(cm.output_dir, "output_dir", kind=None) if cm
                                  else Path(default("output_dir")))
    fail_on = overlay(Severity(args.fail_on) if args.fail_on else None, cm, "fail_on")
    target = overlay(None, cm, "target")
    if args.release or args.environment:
        target = Target(release=args.release or target.release,
                        environment=args.environment or target.environment)
    now = datetime.now(UTC).replace(microsecond=0)
    if args.as_of is not None:
        now = datetime(args.as_of.year, args.as_of.month, args.as_of.day, 12, tzinfo=UTC)
    return _Inputs(config, boundary, policies, card, root, baseline, formats, out_dir,
                   fail_on, target, now)


def _check_outputs(args: argparse.Namespace, formats: list[str]) -> None:
    """``--output`` with exactly one format; the pdf extra when PDF is asked for."""
    if args.output is not None and len(dict.fromkeys(formats)) != 1:
        raise InputError(f"--output takes exactly one --format (got {', '.join(formats)})",
                         field="--output")
    if "pdf" in formats:
        from governance.extras import require

        require("pdf", "--format pdf")


def _signing_plan(args: argparse.Namespace, inp: _Inputs, to_stdout: bool) -> Any:
    """How this run signs (``plan.key`` None: it does not); warns about a key file."""
    from governance.commands.check_signing import plan_signing

    plan = plan_signing(args, inp.config, inp.boundary)
    if to_stdout and plan.key is not None:
        if args.sign_key is not None or args.require_signature:
            raise InputError("a report written to standard output cannot be signed: pass "
                             "--output FILE, or --no-sign", field="--output")
        plan = dataclasses.replace(plan, key=None)
    if plan.warning:  # one inert line: the path comes from governance.yaml
        from governance.reporters._safe import visible_controls

        line = visible_controls(plan.warning.replace("\n", "\\n"))
        sys.stderr.write(f"warning: {line}\n")
    return plan


def _trusted_keys(args: argparse.Namespace, inp: _Inputs) -> tuple[Path | None, bool]:
    """The operator's trust file (flag, then environment) beats the repository's
    governance.yaml; the flag says whether it came from governance.yaml."""
    from governance.commands.trust import TRUST_ENV

    trusted_keys = args.trusted_keys or (Path(os.environ[TRUST_ENV]) if os.environ.get(
        TRUST_ENV) else None)
    cm = inp.config.model if inp.config else None
    from_config = trusted_keys is None and bool(cm and cm.signing and cm.signing.trusted_keys)
    if from_config and cm and cm.signing and cm.signing.trusted_keys:
        trusted_keys = inp.conf(cm.signing.trusted_keys, "signing", "trusted_keys")
    return trusted_keys, from_config


def _request(args: argparse.Namespace, inp: _Inputs, operator: tuple[str, str | None, bool],
             progress: Any, trusted_keys: Path | None) -> Any:
    from governance.api import CheckRequest
    from governance.config import overlay

    engine, scheduler, plugins = operator
    cm = inp.config.model if inp.config else None
    return CheckRequest(
        policies=inp.policies, card=inp.card, root=inp.root, baseline=inp.baseline,
        fail_on=inp.fail_on, now=inp.now, target=inp.target, boundary=inp.boundary,
        rule_timeout=overlay(None, cm, "rule_timeout"),
        seed=overlay(args.seed, cm, "seed"),
        waiver_warn_days=overlay(None, cm, "waiver_warn_days"),
        on_rule_done=progress.rule_done if progress else None,
        on_rule_start=progress.rule_started if progress else None,
        extras={"progress_rows": progress.rows_read} if progress else {},
        engine=engine, dask_scheduler=scheduler, plugins=plugins,
        isolate_rules=bool(args.isolate_rules),
        waiver_settings=_waiver_settings(cm, args.require_signed_waivers),
        config_path=_display_path(inp.config.path, inp.root)
        if inp.config and inp.config.path else "governance.yaml",
        trusted_keys=trusted_keys,
    )


def _warn_plugin_failures(plugins: bool) -> None:
    """A plugin that failed to load is named; the policy did not need it (else: exit 2)."""
    if not plugins:
        return
    from governance.rules.registry import plugin_failures, plugins_enabled
    from governance.textsafe import one_line

    with plugins_enabled(True):
        failures = plugin_failures()
    for name, why in failures.items():
        sys.stderr.write(one_line(f"warning: plugin {name!r} failed to load ({why}); its rule "
                                  "kinds are unavailable") + "\n")


def _write(args: argparse.Namespace, inp: _Inputs, report: Any, outputs: dict[str, bytes],
           plan: Any, pdf_signer: Any) -> dict[str, Path]:
    """Write the rendered files and, when signing, the DSSE bundle and the PDF signature."""
    from governance.fileio import atomic_write_many, output_dir_lock
    from governance.reporters import filename

    if args.output is not None:
        written: dict[str, Path] = {fmt: Path(args.output) for fmt in outputs}
    else:
        written = {fmt: inp.out_dir / filename(fmt) for fmt in outputs if fmt != "text"}
    files = {path: outputs[fmt] for fmt, path in written.items()}

    if plan.key is None and args.output is not None:
        atomic_write_many(files)  # one file, written atomically: no folder to lock
    elif files or plan.key is not None:
        # One run at a time per output folder: files and signature come from this run only;
        # the signature binds digests of the bytes rendered here, never re-read from disk.
        with output_dir_lock(inp.out_dir):
            atomic_write_many(files)
            if plan.key is not None:
                from governance.signing.workflow import sign_check_outputs

                envelope_path = sign_check_outputs(
                    report=report, outputs=written, out_dir=inp.out_dir, root=inp.root,
                    key=plan.key, role=plan.role, written=files, outputs_root=_outputs_root(
                        Path(args.output).parent if args.output else inp.out_dir, inp.root))
                written["dsse"] = envelope_path
                # The bundle binds the PDF as rendered; the PDF's own signature is an
                # incremental update on top of those bytes (see governance.signing.pdf).
                if pdf_signer is not None and "pdf" in written:
                    from governance.signing.pdf import sign_pdf_file

                    sign_pdf_file(written["pdf"], pdf_signer, role=plan.role)
    return written


def _print(report: Any, outputs: dict[str, bytes], written: dict[str, Path]) -> None:
    text = outputs.get("text")
    if text is None:
        from governance.reporters import render

        text = render(report, "text")
    from governance.commands.colour import colourize, use_colour

    shown = text.decode("utf-8")
    sys.stdout.write(colourize(shown) if use_colour(sys.stdout) else shown)
    for fmt, path in written.items():
        sys.stdout.write(f"wrote {fmt}: {path}\n")


def run(args: argparse.Namespace) -> int:
    from governance.reporters import check_format

    inp = _inputs(args)
    for fmt in inp.formats:
        check_format(fmt)
    operator = operator_settings(args)
    _check_outputs(args, inp.formats)
    to_stdout = args.output == "-"
    plan = _signing_plan(args, inp, to_stdout)
    quiet = bool(args.quiet)
    from governance.commands.progress import progress_for
    from governance.ledger.hooks import check_settings  # issue 18: the release ledger

    progress = progress_for(quiet)
    trusted_keys, trust_from_config = _trusted_keys(args, inp)
    ledger = check_settings(args, inp.config, inp.boundary, inp.boundary.root)
    # The PDF is laid out by a second process that warms up while the rules run.
    pdf_job = _pdf_job(inp.formats, ledger)
    try:
        return _run(args, inp, operator, plan, progress, trusted_keys, trust_from_config,
                    pdf_job, ledger)
    finally:
        if pdf_job is not None:
            pdf_job.close()


def _pdf_job(formats: list[str], ledger: Any) -> Any:
    if "pdf" not in formats:
        return None
    from governance.commands.pdf_job import PdfJob

    return PdfJob.start(ledger.url if ledger is not None else None)


def _render(report: Any, inp: _Inputs, author: list[Any], ledger_settings: Any,
            pdf_job: Any, pdf_signer: Any) -> tuple[dict[str, bytes], Any]:
    """Every format in memory (nothing is written before all are rendered), and the opened
    ledger. The PDF comes from its process, which is sent the report first: it reads the
    previous releases from the ledger itself while this process opens (and migrates) the
    ledger, reads them for the HTML, renders the other formats and loads the PDF signer's
    library (see governance.commands.pdf_job)."""
    from governance.api import render_all
    from governance.ledger.hooks import CheckLedger

    formats = inp.formats
    if pdf_job is not None:
        query = CheckLedger.query(ledger_settings, report, formats)
        pdf_job.submit(report, author, None if query is not None else (), query)
    ledger = CheckLedger(ledger_settings)
    try:
        history = ledger.history(report, formats)
        if pdf_job is None:
            return render_all(report, formats, author, history), ledger
        others = render_all(report, [f for f in formats if f != "pdf"], author, history)
        if pdf_signer is not None:
            from governance.signing.pdf import preload

            preload()
        pdf = pdf_job.result(history)
    except BaseException:
        if ledger.ledger is not None:
            ledger.ledger.close()
        raise
    outputs = {fmt: pdf if fmt == "pdf" else others[fmt] for fmt in dict.fromkeys(formats)}
    return outputs, ledger


def _run(args: argparse.Namespace, inp: _Inputs, operator: tuple[str, str | None, bool],
         plan: Any, progress: Any, trusted_keys: Path | None, trust_from_config: bool,
         pdf_job: Any, ledger_settings: Any) -> int:
    from governance.api import run_check

    quiet = bool(args.quiet)
    to_stdout = args.output == "-"
    try:
        result = run_check(_request(args, inp, operator, progress, trusted_keys))
    finally:
        if progress is not None:
            progress.close()
    report = result.report
    _warn_plugin_failures(operator[2])
    if trust_from_config and trusted_keys is not None and any(
            f.waiver is not None and f.waiver.signed_by is not None for f in report.findings):
        from governance.commands.signing import config_trust_warning

        sys.stderr.write(config_trust_warning(trusted_keys))

    # A signing run's HTML/PDF name their author on the sign-off page (never "unsigned").
    author, pdf_signer = _author_signature(plan, report.generated_at)
    outputs, ledger = _render(report, inp, author, ledger_settings, pdf_job, pdf_signer)
    if to_stdout:
        (fmt,) = outputs
        sys.stdout.buffer.write(outputs[fmt])
        sys.stdout.flush()
        sys.stderr.write(ledger.record(report))
        return _exit_code(report.summary.status.value, args.exit_zero)
    written = _write(args, inp, report, outputs, plan, pdf_signer)

    ledger_line = ledger.record(report, author, written.get("dsse"))

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "markdown" in outputs:
        with open(summary_file, "ab") as fh:
            fh.write(outputs["markdown"])
    if not quiet:
        _print(report, outputs, written)
        sys.stdout.write(ledger_line)
    return _exit_code(report.summary.status.value, args.exit_zero)


def _exit_code(status: str, exit_zero: bool) -> int:
    if status == "pass" or exit_zero:
        return int(ExitCode.OK)
    return int(ExitCode.GATE_FAILED)


def _outputs_root(out_dir: Path, root: Path) -> Path:
    """The folder rendered files are named relative to: the project root when the output
    folder is inside it, else the output folder itself (an operator's choice)."""
    try:
        out_dir.resolve().relative_to(root.resolve())
    except ValueError:
        return out_dir
    return root
