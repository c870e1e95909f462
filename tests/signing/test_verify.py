"""verify: the happy path and the tamper matrix, each rejected with its exact reason."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from governance.errors import SigningError, VerificationError
from governance.signing.approve import approval_envelope, approve_bundle, create_bundle
from governance.signing.bundle import Bundle
from governance.signing.dsse import Envelope
from governance.signing.statement import Subject
from governance.signing.subjects import collect_subjects
from governance.signing.trust import load_trust_file
from governance.signing.verify import VerifyOptions, VerifyResult, verify_bundle

from .conftest import NOW, Keys, Signed, SignFactory, sha, trust_yaml


def verify(s: Signed, trust: Path, *, roles: tuple[str, ...] = ("author", "approver"),
           now=NOW + timedelta(hours=2), **kw: object) -> VerifyResult:
    opts = VerifyOptions(artifacts_root=s.root, now=now, require_roles=roles, **kw)  # type: ignore[arg-type]
    return verify_bundle(s.bundle(), load_trust_file(trust), opts)


def cosign(s: Signed, keys: Keys, name: str, role: str, decision: str = "approve",
           comment: str | None = None) -> None:
    s.save(approve_bundle(s.bundle(), keys.signing(name), role=role, decision=decision,
                          comment=comment, signer=name, now=NOW + timedelta(hours=1)))


def who(keys: Keys, name: str) -> str:
    return f"key {keys.keyid(name)[:16]} ({name})"


@pytest.fixture()
def approved(signed: SignFactory, keys: Keys) -> Signed:
    s = signed()
    cosign(s, keys, "bob", "approver", comment="ok to ship")
    return s


def test_signed_and_approved_report_verifies(approved: Signed, trust_file: Path,
                                             keys: Keys) -> None:
    result = verify(approved, trust_file, max_age_days=30, release="1.4.0",
                    environment="production")
    assert result.reasons == ()
    assert result.ok
    assert result.distinct_keys == 2
    # card, policy, model, predictions, report.json, report.pdf
    assert result.subjects_checked == 6
    assert [(i.role, i.signer, i.keyid, i.decision, i.verified) for i in result.signatures] == [
        ("author", "alice", keys.keyid("alice"), "approve", True),
        ("approver", "bob", keys.keyid("bob"), "approve", True),
    ]
    assert result.signatures[1].comment == "ok to ship"


def test_author_alone_lacks_the_approver_role(signed: SignFactory, trust_file: Path) -> None:
    s = signed()
    assert verify(s, trust_file, roles=("author",)).ok
    result = verify(s, trust_file)
    assert list(result.reasons) == [
        "1 distinct trusted key(s) signed the report, 2 required",
        "required role 'approver' has no valid approval by a trusted key allowed to sign as it",
    ]


def _edit_envelope(s: Signed, **changes: object) -> None:
    b = s.bundle()
    s.save(replace(b, envelope=replace(b.envelope, **changes)))  # type: ignore[arg-type]


def test_flipped_payload_byte(approved: Signed, trust_file: Path, keys: Keys) -> None:
    env = approved.bundle().envelope
    old = b'"model":{"name":"mini","version":"0.1.0"}'
    assert env.payload.count(old) == 1
    i = env.payload.index(old) + len(old) - 3  # the last "0" of the version: one byte
    flipped = env.payload[:i] + bytes([env.payload[i] ^ 0x01]) + env.payload[i + 1:]
    assert flipped.count(b'"model":{"name":"mini","version":"0.1.1"}') == 1
    _edit_envelope(approved, payload=flipped)
    result = verify(approved, trust_file)
    assert not result.ok
    for n, name in ((1, "alice"), (2, "bob")):
        assert (f"signature #{n} by {who(keys, name)} is invalid: the payload or payloadType "
                "was altered after signing") in result.reasons
    assert (f"approval #1 (author by {who(keys, 'alice')}) was signed for a different report "
            "statement") in result.reasons
    assert "0 distinct trusted key(s) signed the report, 2 required" in result.reasons


def test_changed_payload_type(approved: Signed, trust_file: Path, keys: Keys) -> None:
    _edit_envelope(approved, payload_type="application/json")
    result = verify(approved, trust_file)
    assert result.reasons[0] == ("payloadType is 'application/json', expected "
                                 "'application/vnd.in-toto+json'")
    assert (f"signature #1 by {who(keys, 'alice')} is invalid: the payload or payloadType was "
            "altered after signing") in result.reasons


def test_missing_signature(approved: Signed, trust_file: Path, keys: Keys) -> None:
    env = approved.bundle().envelope
    _edit_envelope(approved, signatures=env.signatures[:1])
    result = verify(approved, trust_file)
    assert list(result.reasons) == [
        f"approval #2 (approver by {who(keys, 'bob')}): the key has no valid signature on the "
        "report envelope",
        "1 distinct trusted key(s) signed the report, 2 required",
        "required role 'approver' has no valid approval by a trusted key allowed to sign as it",
    ]
    _edit_envelope(approved, signatures=())
    result = verify(approved, trust_file, roles=())
    assert result.reasons[0] == "the envelope has no signatures"
    assert "0 distinct trusted key(s) signed the report, 1 required" in result.reasons


def test_duplicated_signature_counts_once(approved: Signed, trust_file: Path,
                                          keys: Keys) -> None:
    env = approved.bundle().envelope
    alice = env.signatures[0]
    # The copy carries bob's keyid: keyids are hints, the key that verifies decides.
    _edit_envelope(approved, signatures=(alice, replace(alice, keyid=keys.keyid("bob"))))
    result = verify(approved, trust_file)
    # byte-identical signatures are dropped before verifying (issue 12 item 11)
    assert result.reasons[0] == ("signature #2 repeats signature #1 byte for byte; a key signs "
                                 "once and counts once")
    assert "1 distinct trusted key(s) signed the report, 2 required" in result.reasons
    assert result.distinct_keys == 1


def test_untrusted_key(approved: Signed, trust_file: Path, keys: Keys) -> None:
    cosign(approved, keys, "mallory", "approver")
    result = verify(approved, trust_file)
    assert list(result.reasons) == [
        f"signature #3 (keyid {keys.keyid('mallory')[:16]}) was not made by a trusted key",
        "approval #3 is not validly signed by a trusted key",
    ]


def test_one_key_registered_under_two_roles_is_rejected(tmp_path: Path, keys: Keys) -> None:
    path = tmp_path / "trusted-keys.yaml"
    path.write_text(trust_yaml(keys, [("alice", ["author"]), ("bob", ["approver"]),
                                      ("alice", ["approver"])]), encoding="utf-8")
    with pytest.raises(SigningError) as exc:
        load_trust_file(path)
    assert str(exc.value) == (
        f"{path}:21:5: keys[2].public_key: key {keys.keyid('alice')[:16]} is registered twice: "
        "already at keys[0] (owner 'alice', roles author); a key may appear in one entry only")


def test_one_key_counts_for_one_role(approved: Signed, trust_file: Path, keys: Keys) -> None:
    # carol may sign as approver or security, but one key gives one approval: a forged
    # second approval by carol's key does not satisfy a second role.
    cosign(approved, keys, "carol", "approver")
    b = approved.bundle()
    forged = approval_envelope(report_payload=b.envelope.payload, key=keys.signing("carol"),
                               role="security", decision="approve", comment=None,
                               signer="carol", now=NOW, report_id=approved.report.report_id,
                               target=approved.report.target)
    approved.save(replace(b, approvals=(*b.approvals, forged)))
    result = verify(approved, trust_file, roles=("author", "approver", "security"))
    assert list(result.reasons) == [
        f"approval #4 (security by {who(keys, 'carol')}): this key already approved as "
        "'approver' in an earlier approval; one key counts for one role",
        "required role 'security' has no valid approval by a trusted key allowed to sign as it",
    ]


def test_role_not_allowed_for_key(signed: SignFactory, trust_file: Path, keys: Keys) -> None:
    s = signed()
    cosign(s, keys, "bob", "security")
    result = verify(s, trust_file, roles=("author", "security"))
    assert list(result.reasons) == [
        f"approval #2 (security by {who(keys, 'bob')}): the trust file does not allow this key "
        "to sign as 'security' (allowed: approver)",
        "required role 'security' has no valid approval by a trusted key allowed to sign as it",
    ]


def test_rejection_is_a_reason(signed: SignFactory, trust_file: Path, keys: Keys) -> None:
    s = signed()
    cosign(s, keys, "bob", "approver", decision="reject", comment="bias audit pending")
    result = verify(s, trust_file)
    assert list(result.reasons) == [
        f"approval #2 (approver by {who(keys, 'bob')}): bob rejected the release: bias audit "
        "pending",
        "required role 'approver' has no valid approval by a trusted key allowed to sign as it",
    ]
    assert result.signatures[1].decision == "reject"
    assert result.signatures[1].verified is False


def test_swapped_model_file(approved: Signed, trust_file: Path) -> None:
    model = approved.root / "model" / "model.bin"
    before = sha(model)
    model.write_bytes(b"another model")
    result = verify(approved, trust_file)
    assert list(result.reasons) == [
        f"subject model/model.bin (artifact:model): sha256 mismatch: attested {before}, "
        f"found {hashlib.sha256(b'another model').hexdigest()}"]


def test_edited_pdf(approved: Signed, trust_file: Path) -> None:
    import pikepdf

    pdf_path = approved.root / "reports" / "report.pdf"
    before = sha(pdf_path)
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata() as meta:
            meta["dc:title"] = "Governance report (edited)"
        pdf.save(pdf_path, deterministic_id=True)
    result = verify(approved, trust_file)
    assert list(result.reasons) == [
        f"subject reports/report.pdf (output:pdf): sha256 mismatch: attested {before}, "
        f"found {sha(pdf_path)}"]


def test_edited_policy_file(approved: Signed, trust_file: Path) -> None:
    policy = approved.root / "policy.yaml"
    before = sha(policy)
    policy.write_text(policy.read_text(encoding="utf-8").replace("critical", "low"),
                      encoding="utf-8")
    result = verify(approved, trust_file)
    assert list(result.reasons) == [
        f"subject policy.yaml (policy): sha256 mismatch: attested {before}, found {sha(policy)}"]


def test_wrong_policy_digest_in_the_statement(signed: SignFactory, trust_file: Path,
                                              keys: Keys) -> None:
    s = signed()
    real = collect_subjects(s.report, {}, s.root)
    policy_sha = sha(s.root / "policy.yaml")
    wrong = "0" * 64
    subjects = [Subject(x.name, wrong, x.roles) if x.name == "policy.yaml" else x for x in real]
    s.save(create_bundle(s.report, subjects, keys.signing("alice"), role="author", now=NOW))
    result = verify(s, trust_file, roles=("author",))
    assert list(result.reasons) == [
        f"subject policy.yaml (policy): sha256 mismatch: attested {wrong}, found {policy_sha}",
        f"report input policy.yaml (policy): the report records sha256 {policy_sha} but the "
        f"attested subject is {wrong}",
    ]


def test_stale_report(approved: Signed, trust_file: Path) -> None:
    assert verify(approved, trust_file, max_age_days=30, now=NOW + timedelta(days=30)).ok
    result = verify(approved, trust_file, max_age_days=30, now=NOW + timedelta(days=31))
    assert list(result.reasons) == [
        "report is stale: generated 2026-03-01T12:00:00Z, 31.0 days before "
        "2026-04-01T12:00:00Z; the limit is 30 days (--max-age)"]


def test_future_dated_report(approved: Signed, trust_file: Path) -> None:
    result = verify(approved, trust_file, now=NOW - timedelta(days=1))
    assert list(result.reasons)[-1:] == [
        "report generation time 2026-03-01T12:00:00Z is in the future (now "
        "2026-02-28T12:00:00Z)"]
    # the approvals made after it are dated in the future as well
    assert sum("is dated in the future" in r for r in result.reasons) == 2


def test_failed_verdict(signed: SignFactory, trust_file: Path, keys: Keys) -> None:
    s = signed(fail=True)
    with pytest.raises(VerificationError, match="refusing to approve a failing report"):
        cosign(s, keys, "bob", "approver")
    result = verify(s, trust_file, roles=("author",))
    assert list(result.reasons) == ["report verdict is 'fail', not 'pass'"]


def test_replay_for_another_release(approved: Signed, trust_file: Path) -> None:
    result = verify(approved, trust_file, release="2.0.0", environment="staging")
    assert list(result.reasons) == [
        "report is for release '1.4.0', not '2.0.0'",
        "report is for environment 'production', not 'staging'",
    ]


def test_approval_replayed_onto_another_report(approved: Signed, signed: SignFactory,
                                               trust_file: Path, keys: Keys) -> None:
    other = signed(release="2.0.0", name="other")
    bob_approval = approved.bundle().approvals[1]
    b = other.bundle()
    bob_sig = approved.bundle().envelope.signatures[1]
    other.save(Bundle(replace(b.envelope, signatures=(*b.envelope.signatures, bob_sig)),
                      (*b.approvals, bob_approval)))
    result = verify(other, trust_file, release="2.0.0")
    label = f"approval #2 (approver by {who(keys, 'bob')})"
    assert list(result.reasons) == [
        f"signature #2 by {who(keys, 'bob')} is invalid: the payload or payloadType was altered "
        "after signing",
        f"{label} was signed for a different report statement",
        f"{label} is for release '1.4.0', environment 'production', but the report is for "
        "release '2.0.0', environment 'production'",
        f"{label}: the key has no valid signature on the report envelope",
        "1 distinct trusted key(s) signed the report, 2 required",
        "required role 'approver' has no valid approval by a trusted key allowed to sign as it",
    ]


def test_bare_envelope_is_read_without_approvals(approved: Signed, trust_file: Path) -> None:
    import json

    env = approved.bundle().envelope
    approved.bundle_path.write_text(json.dumps(env.to_json()), encoding="utf-8")
    result = verify(approved, trust_file, roles=(), threshold=2)
    assert result.ok, result.reasons
    assert [i.role for i in result.signatures] == ["unknown", "unknown"]
    assert verify(approved, trust_file, roles=("author",)).reasons == (
        "required role 'author' has no valid approval by a trusted key allowed to sign as it",)


def test_statement_and_predicate_types(signed: SignFactory, trust_file: Path,
                                       keys: Keys) -> None:
    import json

    s = signed()
    env = s.bundle().envelope
    st = json.loads(env.payload)
    st["_type"] = "https://in-toto.io/Statement/v0.1"
    st["predicateType"] = "https://slsa.dev/provenance/v1"
    payload = json.dumps(st, sort_keys=True, separators=(",", ":")).encode()
    resigned = Envelope(payload, env.payload_type).signed_by(keys.signing("alice"))
    s.save(Bundle(resigned, ()))
    result = verify(s, trust_file, roles=())
    assert list(result.reasons) == [
        "statement _type is 'https://in-toto.io/Statement/v0.1', expected "
        "'https://in-toto.io/Statement/v1'",
        "predicateType is 'https://slsa.dev/provenance/v1', expected "
        "'https://governance-checker.dev/attestations/report/v1'",
    ]


def test_subject_paths_cannot_escape_the_artifacts_root(signed: SignFactory, trust_file: Path,
                                                        keys: Keys) -> None:
    s = signed()
    subjects = [*collect_subjects(s.report, {}, s.root),
                Subject("../outside.bin", "1" * 64, ("output:bin",)),
                Subject("/etc/hostname", "2" * 64, ("output:txt",))]
    s.save(create_bundle(s.report, subjects, keys.signing("alice"), role="author", now=NOW))
    result = verify(s, trust_file, roles=("author",))
    assert list(result.reasons) == [
        "subject ../outside.bin (output:bin) cannot be checked: path '../outside.bin' leaves the "
        "project root ('..')",
        "subject /etc/hostname (output:txt) cannot be checked: absolute path '/etc/hostname' is "
        "not allowed; use a path relative to the project root",
    ]
