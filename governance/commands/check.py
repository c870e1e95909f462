"""``governance check``: evaluate a policy against a model card and write the reports."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError

SEVERITIES = ("critical", "high", "medium", "low", "info")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="evaluate policies against a model card and its artifacts",
        description="Evaluate policies against a model card and the artifacts it references; "
        "write the report in every requested format. Exit 0 if the gate passed, 1 if it "
        "failed, 2 on bad input, 3 on an internal error.")
    p.add_argument("--config", type=Path, help="project configuration (default: "
                   "./governance.yaml when present)")
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
    p.add_argument("--output-dir", type=Path, help="where report files are written")
    p.add_argument("--fail-on", choices=SEVERITIES,
                   help="lowest severity whose fail/error fails the gate (default: info)")
    p.add_argument("--sign-key", type=Path, help="sign the report with this Ed25519 key")
    p.add_argument("--require-signed-waivers", action="store_true",
                   help="refuse every waiver not signed by a trusted key (operator setting; "
                   "adds to `waivers: {require_signature: true}` of policies/configuration)")
    p.add_argument("--trusted-keys", type=Path, help="trust file signed waivers are checked "
                   "against (default: $GOVERNANCE_TRUSTED_KEYS, else signing.trusted_keys of the "
                   "configuration, with a warning); keep it "
                   "where a pull request cannot change it")
    p.add_argument("--sign-role", default=None, help="role of the signer (default: author)")
    p.add_argument("--release", help="target release the report is for (bound into signatures)")
    p.add_argument("--environment", help="target environment (e.g. production)")
    p.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="evaluate waiver expiry as of this date (default: today)")
    p.add_argument("--seed", type=int, help="seed of the bootstrap confidence intervals "
                   "(default: the configuration's seed, else 0); same seed, same report")
    p.add_argument("--engine", choices=("auto", "memory", "streaming", "dask"), default=None,
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
    p.set_defaults(handler=run)


def _formats(raw: list[str] | None, default: list[str]) -> list[str]:
    if not raw:
        return list(default)
    out: list[str] = []
    for item in raw:
        out.extend(x.strip() for x in item.split(",") if x.strip())
    return out


class _Progress:
    """One status line on stderr: rules done and rows read by the streaming engine."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.done = 0
        self.total = 0
        self.rule = ""
        self.rows: tuple[int, int | None] | None = None
        self._last = 0.0

    def _draw(self) -> None:
        from governance.textsafe import one_line

        text = f"checking rules {self.done}/{self.total}"
        if self.rows is not None:  # the running rule streams a table
            read, total = self.rows
            text += f" · read {read:,}" + (f" of {total:,}" if total else "") + " rows"
        elif self.rule:
            text += f" {one_line(self.rule)}"
        self.stream.write(f"\r\x1b[2K{text}")
        self.stream.flush()

    def rule_done(self, done: int, total: int, rule_id: str) -> None:
        self.done, self.total, self.rule, self.rows = done, total, rule_id, None
        self._draw()
        if done == total:
            self.stream.write("\n")
            self.stream.flush()

    def rows_read(self, read: int, total: int | None) -> None:
        import time

        self.rows = (read, total)
        now = time.monotonic()
        if now - self._last >= 0.1 or read == total:  # at most ten redraws a second
            self._last = now
            self._draw()


def _author_signature(will_sign: bool, key_path: Path | None, key_pem: str | None,
                      passphrase: str | None, role: str, when: datetime
                      ) -> tuple[list[Any], Any]:
    """The author's row for the sign-off page of a run that signs, and its PDF signer."""
    if not will_sign:
        return [], None
    from governance.report import SignatureInfo
    from governance.reporters._view import SIGNED_BY_THIS_RUN
    from governance.signing.keys import resolve_signing_key
    from governance.signing.pdf import signer_for_key

    key = resolve_signing_key(key_path=key_path, key_pem=key_pem, passphrase=passphrase)
    pdf_signer = signer_for_key(key_path, passphrase)
    info = SignatureInfo(keyid=key.keyid, role=role,
                         signer=pdf_signer.common_name if pdf_signer else None,
                         decision="approve", signed_at=when, reason=SIGNED_BY_THIS_RUN)
    return [info], pdf_signer


def _progress(enabled: bool) -> _Progress | None:
    """Progress on a terminal only: not with --quiet, in CI or when stderr is not a TTY."""
    return _Progress() if enabled else None


def operator_settings(args: argparse.Namespace) -> tuple[str, str | None, bool]:
    """Engine, Dask scheduler and plugins: command line, else environment; never a file in
    the repository (DESIGN principle 9)."""
    engine = args.engine or os.environ.get("GOVERNANCE_ENGINE") or "auto"
    if engine not in ("auto", "memory", "streaming", "dask"):
        raise InputError(f"GOVERNANCE_ENGINE={engine!r} is not an engine; valid: auto, "
                         "memory, streaming, dask", field="GOVERNANCE_ENGINE")
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
    from governance.config import DEFAULT_CONFIG, load_config

    if args.config is not None:
        return load_config(args.config)
    if Path(DEFAULT_CONFIG).is_file() and (args.policy is None or args.card is None):
        return load_config(Path(DEFAULT_CONFIG))
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
    partial = _Inputs(config, boundary, [], Path(), Path(), None, [], Path(), None, None,
                      datetime.now(UTC))
    conf = partial.conf
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


def _trusted_keys(args: argparse.Namespace, inp: _Inputs) -> tuple[Path | None, bool]:
    """The operator's trust file (flag, then environment) beats the repository's
    governance.yaml; the flag says whether it came from governance.yaml."""
    from governance.commands.signing import TRUST_ENV

    trusted_keys = args.trusted_keys or (Path(os.environ[TRUST_ENV]) if os.environ.get(
        TRUST_ENV) else None)
    cm = inp.config.model if inp.config else None
    from_config = trusted_keys is None and bool(cm and cm.signing and cm.signing.trusted_keys)
    if from_config and cm and cm.signing and cm.signing.trusted_keys:
        trusted_keys = inp.conf(cm.signing.trusted_keys, "signing", "trusted_keys")
    return trusted_keys, from_config


def _request(args: argparse.Namespace, inp: _Inputs, operator: tuple[str, str | None, bool],
             progress: _Progress | None, trusted_keys: Path | None) -> Any:
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
        extras={"progress_rows": progress.rows_read} if progress else {},
        engine=engine, dask_scheduler=scheduler, plugins=plugins,
        isolate_rules=bool(args.isolate_rules),
        waiver_settings=_waiver_settings(cm, args.require_signed_waivers),
        config_path=_display_path(inp.config.path, inp.root)
        if inp.config and inp.config.path else "governance.yaml",
        trusted_keys=trusted_keys,
    )


@dataclass(frozen=True)
class _Signing:
    """How this run signs its outputs (nothing when ``sign`` is false)."""

    sign: bool
    key_path: Path | None
    key_pem: str | None
    passphrase: str | None
    role: str


def _signing(args: argparse.Namespace, inp: _Inputs) -> _Signing:
    from governance.config import SigningConfig

    signing = inp.config.model.signing if inp.config else None
    key_path = args.sign_key or (inp.conf(signing.key, "signing", "key")
                                 if signing and signing.key else None)
    key_env = signing.key_env if signing else None
    key_pem = os.environ.get(key_env) if key_env else None
    sign = key_path is not None or bool(key_pem)
    passphrase = (os.environ.get(signing.passphrase_env) if signing and signing.passphrase_env
                  else os.environ.get("GOVERNANCE_KEY_PASSPHRASE"))
    role = args.sign_role or (signing or SigningConfig()).role
    return _Signing(sign, key_path, key_pem, passphrase, role)


def _write(report: Any, outputs: dict[str, bytes], out_dir: Path, root: Path, sg: _Signing,
           pdf_signer: Any) -> dict[str, Path]:
    """Write the rendered files and, when signing, the DSSE bundle and the PDF signature."""
    from governance.fileio import atomic_write_many, output_dir_lock
    from governance.reporters import filename

    written: dict[str, Path] = {fmt: out_dir / filename(fmt) for fmt in outputs if fmt != "text"}
    files = {path: outputs[fmt] for fmt, path in written.items()}
    if not files and not sg.sign:
        return written
    # One run at a time per output folder: files and signature come from this run only;
    # the signature binds digests of the bytes rendered here, never re-read from disk.
    with output_dir_lock(out_dir):
        atomic_write_many(files)
        if sg.sign:
            from governance.signing.workflow import sign_check_outputs

            envelope_path = sign_check_outputs(
                report=report, outputs=written, out_dir=out_dir, root=root,
                key_path=sg.key_path, key_pem=sg.key_pem,
                passphrase=sg.passphrase, role=sg.role, written=files,
            )
            written["dsse"] = envelope_path
            # The bundle binds the PDF as rendered; the PDF's own signature is an
            # incremental update on top of those bytes (see governance.signing.pdf).
            if pdf_signer is not None and "pdf" in written:
                from governance.signing.pdf import sign_pdf_file

                sign_pdf_file(written["pdf"], pdf_signer, role=sg.role)
    return written


def _print(report: Any, outputs: dict[str, bytes], written: dict[str, Path]) -> None:
    text = outputs.get("text")
    if text is None:
        from governance.reporters import render

        text = render(report, "text")
    sys.stdout.write(text.decode("utf-8"))
    for fmt, path in written.items():
        sys.stdout.write(f"wrote {fmt}: {path}\n")


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


def run(args: argparse.Namespace) -> int:
    from governance.api import render_all, run_check
    from governance.reporters import check_format

    inp = _inputs(args)
    for fmt in inp.formats:
        check_format(fmt)
    operator = operator_settings(args)
    sg = _signing(args, inp)
    quiet = bool(args.quiet)
    progress = _progress(not quiet and sys.stderr.isatty() and not os.environ.get("CI"))
    trusted_keys, trust_from_config = _trusted_keys(args, inp)
    req = _request(args, inp, operator, progress, trusted_keys)
    result = run_check(req)
    report = result.report
    _warn_plugin_failures(operator[2])
    if trust_from_config and trusted_keys is not None and any(
            f.waiver is not None and f.waiver.signed_by is not None for f in report.findings):
        from governance.commands.signing import config_trust_warning

        sys.stderr.write(config_trust_warning(trusted_keys))

    if sg.sign and sg.key_path is not None:
        from governance.signing.keys import key_file_warning

        warning = key_file_warning(sg.key_path)
        if warning:
            sys.stderr.write(warning + "\n")
    # A signing run's HTML/PDF name their author on the sign-off page (never "unsigned").
    author, pdf_signer = _author_signature(sg.sign, sg.key_path, sg.key_pem, sg.passphrase,
                                           sg.role, report.generated_at)
    outputs = render_all(report, inp.formats, author)
    written = _write(report, outputs, inp.out_dir, inp.root, sg, pdf_signer)

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "markdown" in outputs:
        with open(summary_file, "ab") as fh:
            fh.write(outputs["markdown"])
    if not quiet:
        _print(report, outputs, written)
    if report.summary.status.value == "pass":
        return int(ExitCode.OK)
    return int(ExitCode.GATE_FAILED)
