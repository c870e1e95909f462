"""The release gate: verify a sign-off bundle and list *every* reason it fails.

Checks, in order (each failure adds one reason; nothing stops at the first):

1. the main envelope's ``payloadType`` is ``application/vnd.in-toto+json``;
2. it has signatures; each one verifies against a trusted key (keyid is only a hint: every
   trusted key is tried), and no key signs twice. Signers are counted as *distinct public
   keys*, never as keyid strings; the count must reach ``threshold`` (default: the number of
   required roles, at least 1);
3. each approval attestation: in-toto payload type, signed by a trusted key, for *this* report
   statement (subject = sha256 of the main payload), by a key that also signed the main
   envelope, in a role the trust file allows that key, naming the same keyid, report id and
   target release/environment as the report; one approval (so one role) per key; a
   ``reject`` decision is a reason of its own;
4. every ``--require-role`` has a valid ``approve`` from a distinct trusted key;
5. the Statement ``_type`` is in-toto Statement v1 and the ``predicateType`` is ours;
6. every subject digest is recomputed from the file under ``artifacts_root`` (safe paths,
   timing-safe comparison; ``pack:NAME`` from the shipped packs) and every input the report
   records is an attested subject with the same digest;
7. the predicate's id/time/target/verdict agree with the embedded report, whose verdict is
   ``pass``;
8. the report is not older than ``max_age_days`` (relative to ``now``, which the caller
   supplies) and not dated in the future;
9. ``release``/``environment``, when given, match the report's target; the report's
   ``fail_on`` is at least as strict as ``--fail-on``; with ``--require-signed-waivers`` no
   applied waiver is unsigned;
10. the verdict follows from the findings (:func:`governance.verdict.verdict_problems`), and
    every waiver shown as signed is a bound waiver file that verifies against the trust file.

Bad input (unreadable or malformed bundle, bad trust file) raises
:class:`~governance.errors.SigningError` before any of this (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from governance.errors import ArtifactError, SigningError
from governance.evidence.store import ArtifactStore, digests_equal
from governance.report import Report, Severity, SignatureInfo
from governance.signing.bundle import Bundle
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, Envelope
from governance.signing.signers import (
    FUTURE_SKEW,
    _target_text,
    analyse_signatures,
)
from governance.signing.statement import (
    REPORT_PREDICATE_TYPE,
    STATEMENT_TYPE,
    ParsedStatement,
    ReportPredicate,
    iso,
    parse_report_predicate,
    parse_statement,
)
from governance.signing.subjects import digest_of
from governance.signing.trust import TrustStore


@dataclass(frozen=True)
class VerifyOptions:
    artifacts_root: Path
    now: datetime
    require_roles: tuple[str, ...] = ()
    threshold: int | None = None
    max_age_days: float | None = None
    release: str | None = None
    environment: str | None = None
    # Where rendered outputs (roles output:*) are looked up when they were written outside the
    # project root (``check --output-dir`` elsewhere); default: ``artifacts_root``.
    outputs_root: Path | None = None
    # The report must have been evaluated at least this strictly (its fail_on at or below).
    fail_on: Severity | None = None
    require_signed_waivers: bool = False
    # Roles the verifier allows to sign waivers (the report's policy chose its own; empty: any).
    waiver_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    reasons: tuple[str, ...]
    signatures: tuple[SignatureInfo, ...]
    report: Report | None
    distinct_keys: int
    subjects_checked: int
    pdf_signatures: tuple[SignatureInfo, ...] = ()  # PAdES signatures inside attested PDFs


def person(owner: str) -> str:
    """An owner string compared as a person: NFKC, case folded, whitespace collapsed."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", owner).casefold().split())


def _distinct_people(required: Sequence[str], roles: dict[str, tuple[str, ...]],
                     trust: TrustStore) -> list[str]:
    """Required roles must be held by distinct people (trust-file owners), not just keys.

    One person with two registered keys (say ``author`` and ``approver``) must not approve
    their own report twice. Owners are compared after NFKC, case folding and whitespace
    collapsing. A role is satisfied if some assignment of distinct owners to the required
    roles exists (bipartite matching); otherwise the roles left over are reasons.
    """
    owner_of = {k.keyid: person(k.owner) for k in trust.keys}
    shown = {person(k.owner): k.owner for k in trust.keys}
    wanted = [r for r in required if r in roles]
    options = {r: sorted({owner_of[k] for k in roles[r] if k in owner_of}) for r in wanted}
    holder: dict[str, str] = {}  # owner -> role

    def place(role: str, seen: set[str]) -> bool:
        for person in options[role]:
            if person in seen:
                continue
            seen.add(person)
            if person not in holder or place(holder[person], seen):
                holder[person] = role
                return True
        return False

    out: list[str] = []
    for role in wanted:
        if not place(role, set()):
            people = ", ".join(repr(shown[p]) for p in options[role])
            out.append(f"required role {role!r} is approved only by {people}, who already "
                       "counts for another required role; required roles need distinct people")
    return out


def _check_subjects(st_subjects: Sequence[tuple[str, str, tuple[str, ...]]],
                    report: Report | None, root: Path,
                    outputs_root: Path | None = None) -> tuple[list[str], int]:
    reasons: list[str] = []
    inputs_store = ArtifactStore(root)
    outputs_store = ArtifactStore(outputs_root) if outputs_root is not None else inputs_store
    checked = 0
    attested: dict[str, str] = {}
    for name, sha, roles in st_subjects:
        role_text = f" ({', '.join(roles)})" if roles else ""
        if name in attested:
            reasons.append(f"subject {name} is listed twice")
            continue
        attested[name] = sha
        is_output = bool(roles) and all(r.startswith("output:") for r in roles)
        store = outputs_store if is_output else inputs_store
        try:
            actual = digest_of(name, store)
        except ArtifactError as exc:
            reasons.append(f"subject {name}{role_text} cannot be checked: {exc.message}")
            continue
        checked += 1
        if not digests_equal(actual, sha) and "output:pdf" in roles:
            actual = _pdf_unsigned_digest(store, name) or actual  # PAdES-signed since
        if not digests_equal(actual, sha):
            reasons.append(f"subject {name}{role_text}: sha256 mismatch: attested {sha}, "
                           f"found {actual}")
    if report is not None:
        for inp in report.inputs:
            got = attested.get(inp.path)
            if got is None:
                reasons.append(f"report input {inp.path} ({inp.role}) is not an attested "
                               "subject")
            elif not digests_equal(got, inp.sha256):
                reasons.append(f"report input {inp.path} ({inp.role}): the report records "
                               f"sha256 {inp.sha256} but the attested subject is {got}")
    return reasons, checked


def _pdf_unsigned_digest(store: ArtifactStore, name: str) -> str | None:
    """sha256 of a signed PDF's first revision: the bytes the bundle attested."""
    import hashlib

    from governance.signing.pdf import read_pdf, unsigned_revision

    try:
        first = unsigned_revision(read_pdf(store.resolve(name)))
    except (ArtifactError, SigningError):
        return None
    return hashlib.sha256(first).hexdigest() if first is not None else None


def _check_pdf_signatures(st_subjects: Sequence[tuple[str, str, tuple[str, ...]]],
                          trust: TrustStore, opts: VerifyOptions
                          ) -> tuple[list[str], list[SignatureInfo]]:
    """PAdES signatures inside each attested PDF that has any, against the same trust file
    and its roles (see :mod:`governance.signing.pdf`)."""
    from governance.signing.pdf import has_signatures, read_pdf, verify_pdf

    reasons: list[str] = []
    infos: list[SignatureInfo] = []
    store = ArtifactStore(opts.artifacts_root)
    for name, _sha, roles in st_subjects:
        if "output:pdf" not in roles:
            continue
        try:
            data = read_pdf(store.resolve(name))
        except (ArtifactError, SigningError):
            continue  # already reported by the subject check
        if not has_signatures(data):
            continue
        result = verify_pdf(data, trust, name)
        reasons.extend(result.reasons)
        infos.extend(result.infos)
        # Required roles are enforced on the bundle's approvals (the machine-readable record);
        # an approver whose key has no PDF certificate co-signs the bundle only.
    return reasons, infos


def _freshness_problems(report: Report, opts: VerifyOptions) -> list[str]:
    """Verdict, age and strictness of the signed report against the verifier's options."""
    reasons: list[str] = []
    if report.summary.status.value != "pass":
        reasons.append(f"report verdict is {report.summary.status.value!r}, not 'pass'")
    gen = report.generated_at if report.generated_at.tzinfo else report.generated_at.replace(
        tzinfo=UTC)
    now = opts.now if opts.now.tzinfo else opts.now.replace(tzinfo=UTC)
    if gen > now + FUTURE_SKEW:
        reasons.append(f"report generation time {iso(gen)} is in the future (now {iso(now)})")
    if opts.max_age_days is not None and now - gen > timedelta(days=opts.max_age_days):
        age = (now - gen) / timedelta(days=1)
        reasons.append(f"report is stale: generated {iso(gen)}, {age:.1f} days before "
                       f"{iso(now)}; the limit is {opts.max_age_days:g} days (--max-age)")
    if opts.fail_on is not None and report.summary.fail_on.rank > opts.fail_on.rank:
        reasons.append(f"report was evaluated with fail_on {report.summary.fail_on.value!r}, "
                       f"less strict than the required {opts.fail_on.value!r} (--fail-on)")
    return reasons


def _waiver_problems(report: Report, opts: VerifyOptions) -> list[str]:
    """Waivers the verifier does not accept (--require-signed-waivers, --waiver-role)."""
    reasons: list[str] = []
    if opts.require_signed_waivers:
        for f in report.findings:
            if f.waiver is not None and f.waiver.signed_by is None:
                reasons.append(f"finding {f.rule_id} is waived by an unsigned waiver "
                               "(--require-signed-waivers)")
    if opts.waiver_roles:
        allowed = ", ".join(opts.waiver_roles)
        for f in report.findings:
            by = f.waiver.signed_by if f.waiver is not None else None
            if f.waiver is None or (opts.require_signed_waivers and by is None):
                continue
            if by is None:
                reasons.append(f"finding {f.rule_id} is waived by an unsigned waiver "
                               f"(--waiver-role {allowed})")
            elif by.role not in opts.waiver_roles:
                reasons.append(f"finding {f.rule_id} is waived by {by.owner} as {by.role!r}, a "
                               f"role not allowed to grant waivers (--waiver-role {allowed})")
    return reasons


def _check_report(pred: ReportPredicate, opts: VerifyOptions) -> list[str]:
    reasons: list[str] = []
    report = pred.report
    if pred.reportId != report.report_id:
        reasons.append(f"predicate reportId {pred.reportId} disagrees with the embedded report "
                       f"({report.report_id})")
    if pred.generatedAt != report.generated_at:
        reasons.append(f"predicate generatedAt {iso(pred.generatedAt)} disagrees with the "
                       f"embedded report ({iso(report.generated_at)})")
    if pred.target != report.target:
        reasons.append(f"predicate target ({_target_text(pred.target)}) disagrees with the "
                       f"embedded report ({_target_text(report.target)})")
    if pred.verdict != report.summary.status.value:
        reasons.append(f"predicate verdict {pred.verdict!r} disagrees with the embedded report "
                       f"({report.summary.status.value!r})")
    from governance.verdict import verdict_problems

    reasons.extend(f"forged verdict: {p}" for p in verdict_problems(report))
    reasons.extend(_freshness_problems(report, opts))
    reasons.extend(_waiver_problems(report, opts))
    if opts.release is not None and report.target.release != opts.release:
        reasons.append(f"report is for release {report.target.release!r}, not "
                       f"{opts.release!r}")
    if opts.environment is not None and report.target.environment != opts.environment:
        reasons.append(f"report is for environment {report.target.environment!r}, not "
                       f"{opts.environment!r}")
    return reasons


def report_of(envelope: Envelope) -> tuple[ReportPredicate | None, list[str]]:
    return _report_of(*parse_statement(envelope.payload, "report statement"))


def _report_of(st: ParsedStatement | None,
               problems: list[str]) -> tuple[ReportPredicate | None, list[str]]:
    if st is None:
        return None, problems
    reasons: list[str] = list(problems)  # e.g. not canonical: a reason, checked further
    if st.type_ != STATEMENT_TYPE:
        reasons.append(f"statement _type is {st.type_!r}, expected {STATEMENT_TYPE!r}")
    if st.predicate_type != REPORT_PREDICATE_TYPE:
        reasons.append(f"predicateType is {st.predicate_type!r}, expected "
                       f"{REPORT_PREDICATE_TYPE!r}")
        return None, reasons
    pred, problems = parse_report_predicate(st)
    return pred, reasons + problems


def verify_bundle(bundle: Bundle, trust: TrustStore, opts: VerifyOptions) -> VerifyResult:
    env = bundle.envelope
    reasons: list[str] = []
    if env.payload_type != INTOTO_PAYLOAD_TYPE:
        reasons.append(f"payloadType is {env.payload_type!r}, expected "
                       f"{INTOTO_PAYLOAD_TYPE!r}")
    st, parse_problems = parse_statement(env.payload, "report statement")  # parsed once
    pred, statement_reasons = _report_of(st, parse_problems)
    report = pred.report if pred is not None else None
    analysis = analyse_signatures(bundle, trust, report, opts.now)
    reasons.extend(analysis.reasons)

    required = tuple(dict.fromkeys(opts.require_roles))
    threshold = opts.threshold if opts.threshold is not None else max(1, len(required))
    distinct = len(analysis.signers)
    people = len({person(k.owner) for k in analysis.signers})
    if distinct < threshold:
        reasons.append(f"{distinct} distinct trusted key(s) signed the report, {threshold} "
                       "required")
    elif people < threshold:
        reasons.append(f"{distinct} distinct trusted keys signed the report but they belong to "
                       f"{people} distinct owner(s) in the trust file, {threshold} required")
    for role in required:
        if role not in analysis.roles:
            reasons.append(f"required role {role!r} has no valid approval by a trusted key "
                           "allowed to sign as it")
    reasons.extend(_distinct_people(required, analysis.roles, trust))

    reasons.extend(statement_reasons)
    checked = 0
    pdf_infos: list[SignatureInfo] = []
    if st is not None and st.predicate_type == REPORT_PREDICATE_TYPE:
        subject_reasons, checked = _check_subjects(
            [(s.name, s.sha256, s.roles) for s in st.subjects], report, opts.artifacts_root,
            opts.outputs_root)
        reasons.extend(subject_reasons)
        pdf_reasons, pdf_infos = _check_pdf_signatures(
            [(s.name, s.sha256, s.roles) for s in st.subjects], trust, opts)
        reasons.extend(pdf_reasons)
    if pred is not None:
        reasons.extend(_check_report(pred, opts))
        from governance.signing.waiver import report_waiver_problems

        reasons.extend(report_waiver_problems(pred.report, opts.artifacts_root, trust))
    return VerifyResult(ok=not reasons, reasons=tuple(reasons), signatures=analysis.infos,
                        report=report, distinct_keys=distinct, subjects_checked=checked,
                        pdf_signatures=tuple(pdf_infos))
