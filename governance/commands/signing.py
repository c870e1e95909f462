"""``governance keygen | sign | approve | verify``: keys, signed reports, sign-off, release gate.

Handlers import :mod:`governance.signing` lazily; ``verify`` imports nothing heavy (no pandas,
scikit-learn, fairlearn or WeasyPrint). Passphrases and PEM keys come from environment
variables (never from the command line, where ``ps`` would show them); this module is the one
place that reads them and the clock.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from governance.commands.trust import TRUST_ENV, TRUST_FILE_FORMAT
from governance.errors import ExitCode, SigningError

KEY_ENV = "GOVERNANCE_SIGNING_KEY"
PASSPHRASE_ENV = "GOVERNANCE_KEY_PASSPHRASE"  # noqa: S105 - a variable name, not a secret


def key_source_args(p: argparse.ArgumentParser) -> None:
    """--key / --key-env / --passphrase-env: where a signing command finds its key (operator
    flags; shared by sign, approve and waiver sign)."""
    p.add_argument("--key", type=Path, help=f"Ed25519 private key (PEM); default: the PEM text "
                   f"in ${KEY_ENV}")
    p.add_argument("--key-env", default=KEY_ENV, metavar="VAR",
                   help=f"environment variable holding the PEM key (default {KEY_ENV})")
    p.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR",
                   help=f"environment variable holding the key's passphrase (default "
                   f"{PASSPHRASE_ENV})")


def _key_args(p: argparse.ArgumentParser) -> None:
    key_source_args(p)
    p.add_argument("--signer", help="your name, recorded in the signed approval")
    p.add_argument("--comment", help="comment recorded in the signed approval")


def register(sub: Any) -> None:
    from governance.ledger.settings import add_arguments as ledger_arguments

    p = sub.add_parser("keygen", help="generate an Ed25519 signing key pair",
                       description="Write NAME.key (PEM PKCS#8, mode 0600, encrypted when a "
                       "passphrase is given) and NAME.pub (PEM SubjectPublicKeyInfo); print the "
                       "keyid. Never overwrites.")
    p.add_argument("--out-dir", type=Path, required=True, help="folder for the key files")
    p.add_argument("--name", default="governance", help="file name stem (default governance)")
    p.add_argument("--passphrase-env", metavar="VAR",
                   help="encrypt the private key with the passphrase in this variable")
    p.add_argument("--if-missing", action="store_true",
                   help="when NAME.key and NAME.pub both exist already, keep them and just "
                   "print the keyid (for idempotent set-up scripts); a missing PDF key or "
                   "certificate is still created")
    p.add_argument("--owner", help="signer name for the PDF certificate (default: NAME)")
    p.add_argument("--role", action="append", default=[], metavar="ROLE",
                   help="role named in the PDF certificate (repeatable; default author)")
    p.set_defaults(handler=run_keygen)

    p = sub.add_parser("sign", help="sign a saved JSON report (DSSE / in-toto attestation)",
                       description="Sign REPORT.json as an in-toto Statement in a DSSE "
                       "envelope; subjects are the report's inputs, the report file and every "
                       "--subject, by sha256.")
    p.add_argument("report", type=Path, metavar="REPORT.json")
    _key_args(p)
    p.add_argument("--role", default="author", help="role of the signer (default author)")
    p.add_argument("--artifacts-root", type=Path, default=None,
                   help="project root the report's paths are relative to (default: .)")
    p.add_argument("--subject", type=Path, action="append", default=[], metavar="FILE",
                   help="another rendered file to bind (e.g. report.pdf); repeatable")
    p.add_argument("--out", type=Path, help="bundle to write (default: report.dsse.json next "
                   "to the report)")
    ledger_arguments(p)
    p.set_defaults(handler=run_sign)

    p = sub.add_parser("approve", help="co-sign a signed report with a role and a decision",
                       description="Verify the existing signatures against the trust file, "
                       "show the verdict, the release and the failed/error/waived findings, "
                       "then add your signature to the report envelope and a signed approval "
                       "(role, decision, comment). A key signs once. Exit 1 (nothing written) "
                       "when approving a failing report, a report whose verdict does not follow "
                       "from its findings, or a bundle whose signatures do not verify; "
                       "--decision reject is always possible.")
    p.add_argument("envelope", type=Path, metavar="ENVELOPE")
    _key_args(p)
    p.add_argument("--role", required=True, help="role you sign as (must be allowed for your "
                   "key in the trust file)")
    p.add_argument("--decision", choices=("approve", "reject"), default="approve")
    p.add_argument("--artifacts-root", type=Path, default=None,
                   help="also recompute every subject digest and check every signed waiver "
                   "file under this folder before approving (as verify does)")
    p.add_argument("--pdf", type=Path, metavar="FILE",
                   help="also sign this PDF report (an incremental PAdES signature with your "
                   "role and decision; default: report.pdf next to ENVELOPE when it exists)")
    p.add_argument("--trusted-keys", type=Path, help="trust file the existing signatures are "
                   f"verified against (default: ${TRUST_ENV}, else signing.trusted_keys of "
                   "the nearest governance.yaml, with a warning)")
    ledger_arguments(p)
    p.set_defaults(handler=run_approve)

    p = sub.add_parser("verify", help="verify a sign-off: signatures, roles, digests, age",
                       description="Exit 0 only if every check holds; otherwise exit 1 and list "
                       "every reason. Exit 2 on an unreadable envelope or trust file.",
                       epilog=TRUST_FILE_FORMAT,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("envelope", type=Path, metavar="ENVELOPE")
    p.add_argument("--trusted-keys", type=Path, help=f"trust file (default: ${TRUST_ENV}, else "
                   "signing.trusted_keys of the nearest governance.yaml, with a warning: in CI "
                   "pass it from a location the change under review cannot edit)")
    p.add_argument("--require-role", action="append", default=[], metavar="ROLE",
                   help="a role that must have approved (repeatable; distinct keys)")
    p.add_argument("--threshold", type=int, help="distinct trusted keys needed (default: the "
                   "number of required roles, at least 1)")
    p.add_argument("--artifacts-root", type=Path, default=None,
                   help="folder the subjects are recomputed under (default: .)")
    p.add_argument("--outputs-root", type=Path, default=None,
                   help="folder the rendered report files (subjects output:*) are recomputed "
                   "under, when `check --output-dir` was outside the project root; default: "
                   "--artifacts-root")
    p.add_argument("--max-age", type=float, metavar="DAYS", help="reject older reports")
    p.add_argument("--release", help="the release being shipped (must match the report)")
    p.add_argument("--environment", help="the target environment (must match the report)")
    p.add_argument("--fail-on", choices=("critical", "high", "medium", "low", "info"),
                   help="require the report to have been evaluated at least this strictly "
                   "(its fail_on at or below this severity)")
    p.add_argument("--require-signed-waivers", action="store_true",
                   help="fail if any applied waiver is not a signed waiver")
    p.add_argument("--waiver-role", action="append", default=[], metavar="ROLE",
                   help="every applied waiver must be signed by a trusted key in one of these "
                   "roles (repeatable): the report's own policy chose who may waive")
    p.add_argument("--reproduce", action="store_true",
                   help="also re-evaluate the policy on the attested inputs (their digests "
                   "must match) with the report's seed, as-of time, target and fail_on, and "
                   "require identical findings; lists every difference")
    ledger_arguments(p)
    # read_only: may skip interpreter teardown; its ledger entry is committed and the ledger
    # closed before the handler returns.
    p.set_defaults(handler=run_verify, read_only=True)


def _env_secret(var: str | None, *, required: bool) -> str | None:
    if not var:
        return None
    value = os.environ.get(var)
    if required and not value:
        raise SigningError(f"environment variable {var} is not set or empty",
                           field="--passphrase-env")
    return value or None


def _warn_key_file(path: Path | None) -> None:
    from governance.signing.keys import key_file_warning

    warning = key_file_warning(path) if path is not None else None
    if warning:
        sys.stderr.write(warning + "\n")


def _load_key(args: argparse.Namespace) -> Any:
    from governance.signing.keys import resolve_signing_key

    passphrase = _env_secret(args.passphrase_env, required=False)
    key = resolve_signing_key(key_path=args.key, key_pem=os.environ.get(args.key_env),
                              passphrase=passphrase, env_name=args.key_env)
    _warn_key_file(args.key)
    return key


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(microsecond=0)


def _pdf_credentials(args: argparse.Namespace, passphrase: str | None) -> str:
    """Create NAME.pdf.key + NAME.crt (PAdES signing; see governance.signing.pdf)."""
    from governance.signing.pdf import credential_paths, write_pdf_credentials

    pdf_key, cert = credential_paths(args.out_dir / f"{args.name}.key")
    if pdf_key.exists() or cert.exists():
        return f"PDF signing key and certificate exist, kept: {pdf_key}, {cert}\n"
    files = write_pdf_credentials(args.out_dir, args.name, owner=args.owner or args.name,
                                  roles=args.role or ["author"], passphrase=passphrase)
    return (f"PDF signing key: {files.key} (ECDSA P-256, mode 0600"
            f"{', encrypted' if passphrase else ''})\n"
            f"certificate: {files.certificate} (self-signed; sha256 {files.sha256}; add it to "
            "the trust file entry as `certificate:`)\n")


def run_keygen(args: argparse.Namespace) -> int:
    from governance.signing.keys import write_keypair

    if args.if_missing:
        priv, pub = args.out_dir / f"{args.name}.key", args.out_dir / f"{args.name}.pub"
        if priv.exists() and pub.exists():
            from governance.signing.keys import check_key_pair

            keyid = check_key_pair(priv, pub, _env_secret(args.passphrase_env, required=False))
            _warn_key_file(priv)
            extra = _pdf_credentials(args, _env_secret(args.passphrase_env, required=False))
            sys.stdout.write(f"keyid: {keyid}\nkey pair exists, kept: {priv}, {pub}\n{extra}")
            return int(ExitCode.OK)
    passphrase = _env_secret(args.passphrase_env, required=True)
    files = write_keypair(args.out_dir, args.name, passphrase=passphrase)
    extra = _pdf_credentials(args, passphrase)
    sys.stdout.write(f"keyid: {files.keyid}\n"
                     f"private key: {files.private} (mode 0600{', encrypted' if passphrase else ''}"
                     "; keep it secret)\n"
                     f"public key: {files.public}\n{extra}")
    return int(ExitCode.OK)


def run_sign(args: argparse.Namespace) -> int:
    from governance.signing.workflow import sign_report_file

    key = _load_key(args)
    root = args.artifacts_root or Path.cwd()
    path = sign_report_file(args.report, key=key, root=root, extra=args.subject,
                            out_path=args.out, role=args.role, signer=args.signer,
                            comment=args.comment, now=_now())
    sys.stdout.write(f"signed as {args.role} with key {key.keyid}\nwrote {path}\n")
    sys.stderr.write(_record_sign(args, key.keyid, path))
    return int(ExitCode.OK)


def _record_sign(args: argparse.Namespace, keyid: str, bundle: Path) -> str:
    from governance.ledger.hooks import record_entry
    from governance.ledger.record import sign_entry
    from governance.report import load_report
    from governance.yamlio import read_capped

    raw = read_capped(args.report, str(args.report), max_bytes=256 * 1024 * 1024)
    report = load_report(raw, str(args.report))
    return record_entry(args, sign_entry(report, raw, keyid=keyid, role=args.role,
                                         signer=args.signer, bundle=str(bundle)))


def _print_review(review: Any) -> None:
    from governance.textsafe import one_line as q

    out = sys.stdout
    rep = review.report
    if rep is not None:
        tgt = rep.target
        out.write(q(f"report {rep.report_id}: model {rep.model.name} {rep.model.version}, "
                    f"release {tgt.release or '-'}, environment {tgt.environment or '-'}") + "\n"
                  f"verdict: {rep.summary.status.value} (fail_on {rep.summary.fail_on.value})\n")
    for s in review.signatures:
        out.write(_signature_line(s))
    if review.attention:
        out.write(f"findings to review ({len(review.attention)}):\n")
    for f in review.attention:
        line = f"  {f.status.value} {f.rule_id} ({f.severity.value}): {f.message}"
        if f.waiver is not None:
            line += (f" [waiver: {f.waiver.reason}; approved by {f.waiver.approved_by}, "
                     f"expires {f.waiver.expires.isoformat()}]")
        out.write(q(line) + "\n")


def _signature_line(s: Any) -> str:
    from governance.textsafe import one_line

    mark = "ok" if s.verified else "FAILED"
    return one_line(f"signature: {s.role} {s.signer or '?'} key {s.keyid[:16]} "
                    f"{s.decision or '-'} [{mark}]") + "\n"


def run_approve(args: argparse.Namespace) -> int:
    from governance.signing.approve import approve_bundle
    from governance.signing.bundle import load_bundle, save_bundle
    from governance.signing.review import review_bundle
    from governance.signing.trust import load_trust_file

    key = _load_key(args)
    bundle = load_bundle(args.envelope)
    trust = load_trust_file(_trust_path(args))
    _check_own_role(trust, key, args.role)
    review = review_bundle(bundle, trust, _now())
    _print_review(review)
    blockers = [*review.blockers, *_same_person(trust, key, review.signatures)]
    if args.artifacts_root is not None:
        from governance.signing.review import file_problems

        blockers += file_problems(bundle, trust, args.artifacts_root)
    if args.decision == "approve" and blockers:
        sys.stdout.write(f"refusing to approve ({len(blockers)} reason"
                         f"{'s' if len(blockers) != 1 else ''}):\n")
        from governance.textsafe import one_line

        for r in blockers:
            sys.stdout.write(f"  - {one_line(r)}\n")
        return int(ExitCode.GATE_FAILED)
    updated = approve_bundle(bundle, key, role=args.role, decision=args.decision,
                             comment=args.comment, signer=args.signer, now=_now(),
                             where=str(args.envelope))
    pdf_path, signed_pdf, note = _approve_pdf(args)
    if note:
        sys.stdout.write(note)
    save_bundle(args.envelope, updated)
    verb = "approved" if args.decision == "approve" else "rejected"
    sys.stdout.write(f"{verb} as {args.role} with key {key.keyid}\n"
                     f"wrote {args.envelope} ({len(updated.envelope.signatures)} signatures)\n")
    if review.report is not None:
        from governance.ledger.hooks import record_entry
        from governance.ledger.record import approve_entry

        sys.stderr.write(record_entry(args, approve_entry(
            review.report, keyid=key.keyid, role=args.role, decision=args.decision,
            signer=args.signer, comment=args.comment, bundle=str(args.envelope))))
    if pdf_path is not None and signed_pdf is not None:
        from governance.fileio import atomic_write

        atomic_write(pdf_path, signed_pdf)
        sys.stdout.write(f"signed {pdf_path} (PDF signature as {args.role}: {args.decision})\n")
    return int(ExitCode.OK)


def _approve_pdf(args: argparse.Namespace) -> tuple[Path | None, bytes | None, str]:
    """The PDF with the approver's incremental signature (in memory; written after the
    bundle), or a note why the PDF is left as it is."""
    pdf_path = args.pdf if args.pdf is not None else args.envelope.parent / "report.pdf"
    if args.pdf is None and (args.key is None or not pdf_path.is_file()):
        return None, None, ""  # a key from the environment has no PDF key next to it
    from governance.signing.pdf import read_pdf, sign_pdf, signer_for_key

    signer = signer_for_key(args.key, _env_secret(args.passphrase_env, required=False))
    if signer is None:
        if args.pdf is not None:
            raise SigningError("no PDF signing key and certificate next to --key (create them "
                               "with `governance keygen --if-missing`)", field="--pdf")
        return None, None, (f"note: {pdf_path} not signed: no PDF signing key and certificate "
                            "next to your key (`governance keygen --if-missing` creates them)\n")
    data = sign_pdf(read_pdf(pdf_path), signer, role=args.role, decision=args.decision,
                    name=args.signer)
    return pdf_path, data, ""


def _check_own_role(trust: Any, key: Any, role: str) -> None:
    """The approver's own key must be in the trust file with ``role`` (else nothing counts)."""
    from governance.signing.keys import raw_public

    mine = raw_public(key.public)
    entry = next((k for k in trust.keys if raw_public(k.public) == mine), None)
    if entry is None:
        raise SigningError(f"your key {key.keyid[:16]} is not in the trust file {trust.path}: "
                           "an approval by it would not count", field="--key")
    if role not in entry.roles:
        raise SigningError(f"the trust file {trust.path} does not allow your key "
                           f"{key.keyid[:16]} ({entry.owner}) to sign as {role!r} (allowed: "
                           f"{', '.join(entry.roles)})", field="--role")


def _same_person(trust: Any, key: Any, signatures: Any) -> list[str]:
    """An approver who already signed this report with another key (same trust-file owner)."""
    from governance.signing.keys import raw_public
    from governance.signing.verify import person

    mine = raw_public(key.public)
    entry = next((k for k in trust.keys if raw_public(k.public) == mine), None)
    if entry is None:
        return []
    return [f"{entry.owner} already signed this report as {s.role} (key {s.keyid[:16]}); one "
            "person approves once, whatever their keys"
            for s in signatures if s.verified and s.signer is not None
            and s.keyid != entry.keyid  # the same key: approve_bundle says "signs once"
            and person(s.signer) == person(entry.owner)]


def trust_source(explicit: Path | None, *, warn: bool = True) -> Path | None:
    """The trust file: ``--trusted-keys``, else ``$GOVERNANCE_TRUSTED_KEYS``, else governance.yaml.

    The first two are the operator's; ``signing.trusted_keys`` of ./governance.yaml is in the
    repository, where a pull request can point it at a file of its own keys, so using it
    prints a warning on stderr.
    """
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(TRUST_ENV)
    if env:
        return Path(env)
    from governance.config import find_config, load_config

    found = find_config()
    if found is not None:
        config = load_config(found)
        signing = config.model.signing
        if signing is not None and signing.trusted_keys:
            path = config.resolve(signing.trusted_keys, "signing", "trusted_keys", kind="file")
            if warn:
                sys.stderr.write(config_trust_warning(path))
            return path
    return None


def config_trust_warning(path: Path) -> str:
    return (f"warning: trusting the keys in {path} named by governance.yaml, which the change "
            f"under review can edit; in CI pass --trusted-keys or set ${TRUST_ENV}\n")


def _trust_path(args: argparse.Namespace) -> Path:
    path = trust_source(args.trusted_keys)
    if path is None:
        raise SigningError(f"no trust file: pass --trusted-keys FILE (or set ${TRUST_ENV}, or "
                           "signing.trusted_keys in governance.yaml)", field="--trusted-keys")
    return path


def run_verify(args: argparse.Namespace) -> int:
    from governance.report import Severity
    from governance.signing.bundle import load_bundle
    from governance.signing.trust import load_trust_file
    from governance.signing.verify import VerifyOptions, verify_bundle

    if args.threshold is not None and args.threshold < 1:
        raise SigningError("must be at least 1", field="--threshold")
    if args.max_age is not None and not 0 <= args.max_age <= 1e6:
        raise SigningError("must be a number of days from 0 to 1000000", field="--max-age")
    bundle = load_bundle(args.envelope)
    trust_path = _trust_path(args)
    trust = load_trust_file(trust_path)
    opts = VerifyOptions(artifacts_root=args.artifacts_root or Path.cwd(), now=_now(),
                         require_roles=tuple(args.require_role), threshold=args.threshold,
                         max_age_days=args.max_age, release=args.release,
                         environment=args.environment, outputs_root=args.outputs_root,
                         fail_on=Severity(args.fail_on) if args.fail_on else None,
                         require_signed_waivers=args.require_signed_waivers,
                         waiver_roles=tuple(dict.fromkeys(args.waiver_role)))
    result = verify_bundle(bundle, trust, opts)
    reasons = list(result.reasons)
    reproduced: int | None = None
    if args.reproduce and result.report is not None:
        from governance.reproduce import reproduce

        diffs = reproduce(result.report, opts.artifacts_root, trust_path)
        reasons.extend(f"not reproduced: {d}" for d in diffs)
        if not diffs:
            reproduced = len(result.report.findings)
    from governance.ledger.hooks import record_entry
    from governance.ledger.record import verify_entry
    from governance.textsafe import one_line

    ledger_line = record_entry(args, verify_entry(
        result.report, ok=not reasons, reasons=reasons, bundle=str(args.envelope),
        keyids=sorted({s.keyid for s in result.signatures if s.verified})))
    out = sys.stdout
    sys.stderr.write(ledger_line)  # a note: stdout is signatures and the verdict only
    for s in result.signatures:
        out.write(_signature_line(s))
    for s in result.pdf_signatures:
        mark = "ok" if s.verified else "FAILED"
        out.write(one_line(f"PDF signature: {s.role} {s.signer or '?'} {s.decision or '-'} "
                           f"[{mark}]") + "\n")
    if not reasons:
        rep = result.report
        tgt = f" release {rep.target.release}" if rep and rep.target.release else ""
        out.write(one_line(f"verified: report {rep.report_id if rep else '?'}{tgt}; "
                           f"{result.distinct_keys} distinct trusted key(s); "
                           f"{result.subjects_checked} subjects match") + "\n")
        if reproduced is not None:
            out.write(f"reproduced: {reproduced} findings identical from the attested inputs\n")
        return int(ExitCode.OK)
    out.write(f"verification FAILED ({len(reasons)} reason"
              f"{'s' if len(reasons) != 1 else ''}):\n")
    for r in reasons:
        out.write(f"  - {one_line(r)}\n")
    return int(ExitCode.GATE_FAILED)
