"""Adversarial audit of sign / approve / verify through the real CLI.

The attacker can write anything in a pull request (policies, cards, governance.yaml, artifacts,
waiver files, report.json, bundles) but not the operator's trust file, keys or flags. Some
attacks assume an insider holding one trusted key (an author) who tries to get past the other
roles. Each test states the attack and asserts the refusal: exit code and message.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from governance.cli import main
from governance.report import Target
from governance.signing.approve import approval_envelope, approve_bundle
from governance.signing.bundle import Bundle, parse_bundle
from governance.signing.dsse import Envelope, Signature
from governance.signing.strictjson import encode_json

from .conftest import NOW, Keys, Signed, SignFactory, make_project, trust_yaml

LATER = NOW + timedelta(hours=1)
ROLES = ["--require-role", "author", "--require-role", "approver"]


def verify_cli(s: Signed, trust: Path, capsys: pytest.CaptureFixture[str],
               *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["verify", str(s.bundle_path), "--trusted-keys", str(trust),
                 "--artifacts-root", str(s.root), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def cosign(s: Signed, keys: Keys, name: str, role: str = "approver") -> None:
    s.save(approve_bundle(s.bundle(), keys.signing(name), role=role, decision="approve",
                          comment=None, signer=name, now=LATER))


def resigned(s: Signed, keys: Keys, payload: bytes, signers: tuple[tuple[str, str], ...] = (
        ("alice", "author"),)) -> Bundle:
    """What an insider holding trusted keys can build: any payload, validly signed."""
    env = Envelope(payload, "application/vnd.in-toto+json")
    approvals = []
    for name, role in signers:
        key = keys.signing(name)
        env = env.signed_by(key)
        approvals.append(approval_envelope(
            report_payload=payload, key=key, role=role, decision="approve", comment=None,
            signer=name, now=LATER, report_id=s.report.report_id, target=s.report.target))
    return Bundle(env, tuple(approvals))


def statement(s: Signed) -> dict[str, object]:
    data: dict[str, object] = json.loads(s.bundle().envelope.payload)
    return data


# ---------------------------------------------------------------- JSON that parsers disagree on


def test_duplicate_keys_in_the_bundle_are_refused(signed: SignFactory, trust_file: Path,
                                                  keys: Keys,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """{"payload": A, "payload": B}: Python keeps B, other parsers keep A."""
    s = signed()
    cosign(s, keys, "bob")
    good = s.bundle().to_json()
    text = json.dumps(good)
    forged = text.replace('"envelope": {', '"envelope": {"payload": "e30=", ', 1)
    s.bundle_path.write_text(forged, encoding="utf-8")
    code, out, err = verify_cli(s, trust_file, capsys, *ROLES)
    assert code == 2
    assert err == (f"error: {s.bundle_path}: not a JSON sign-off bundle or DSSE envelope: "
                   "duplicate key 'payload' in a JSON object\n")


def test_duplicate_keys_in_a_signed_payload_are_refused(signed: SignFactory, trust_file: Path,
                                                        keys: Keys, capsys: pytest.CaptureFixture[
                                                            str]) -> None:
    """An insider signs {"predicate": {..."verdict": "fail", ..."verdict": "pass"}}."""
    s = signed()
    payload = s.bundle().envelope.payload
    forged = payload.replace(b'"verdict":"pass"', b'"verdict":"fail","verdict":"pass"', 1)
    assert forged != payload
    s.save(resigned(s, keys, forged, (("alice", "author"), ("bob", "approver"))))
    code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
    assert code == 1
    assert ("  - report statement payload is not valid JSON (duplicate key 'verdict' in a JSON "
            "object): not an in-toto Statement\n") in out


@pytest.mark.parametrize(("edit", "why"), [
    (lambda p: p.replace(b'{"_type"', b'{ "_type"', 1), "canonical"),
    (lambda p: p + b"\n", "canonical"),
    (lambda p: p.replace(b'"predicate":{', b'"predicate":{"n":NaN,', 1),
     "non-finite number NaN"),
    (lambda p: p.replace(b'"predicate":{', b'"predicate":{"n":9007199254740993,', 1),
     "integer 9007199254740993 is beyond"),
    (lambda p: p.replace(b'"predicate":{', b'"predicate":{"n":1e400,', 1),
     "overflows to infinity"),
    (lambda p: b"\xef\xbb\xbf" + p, "byte-order mark"),
])
def test_non_canonical_or_ambiguous_payloads_are_refused(signed: SignFactory, trust_file: Path,
                                                         keys: Keys, edit, why: str,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    s = signed()
    s.save(resigned(s, keys, edit(s.bundle().envelope.payload),
                    (("alice", "author"), ("bob", "approver"))))
    code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
    assert code == 1
    assert why in out
    assert "verification FAILED" in out


@pytest.mark.parametrize(("text", "message"), ids=[
    "5000-digit", "2^64", "NaN", "-Infinity", "1e999"], argvalues=[
    ('{"payload": ' + "1" * 5000 + ', "payloadType": "x", "signatures": []}',
     "integer 111111111111111111111111… is beyond ±9007199254740991"),
    ('{"payload": 12345678901234567890, "payloadType": "x", "signatures": []}',
     "integer 12345678901234567890 is beyond"),
    ('{"payload": "", "payloadType": "x", "signatures": [NaN]}',
     "non-finite number NaN is not JSON"),
    ('{"payload": "", "payloadType": "x", "signatures": [], "n": -Infinity}',
     "non-finite number -Infinity is not JSON"),
    ('{"payload": "", "payloadType": "x", "signatures": [1e999]}',
     "overflows to infinity"),
])
def test_malformed_numbers_in_a_bundle_exit_2(tmp_path: Path, trust_file: Path, text: str,
                                              message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "b.json"
    bundle.write_text(text, encoding="utf-8")
    assert main(["verify", str(bundle), "--trusted-keys", str(trust_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bundle}: not a JSON sign-off bundle or DSSE envelope: ")
    assert message in err


# ---------------------------------------------------------------- base64 spellings


def _sig_text(s: Signed, i: int) -> str:
    return base64.b64encode(s.bundle().envelope.signatures[i].sig).decode()


def test_url_safe_unpadded_base64_verifies_like_standard(signed: SignFactory, trust_file: Path,
                                                         keys: Keys,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """The DSSE spec: verifiers accept both alphabets, padding optional; same bytes."""
    s = signed()
    cosign(s, keys, "bob")
    data = s.bundle().to_json()
    for sig in data["envelope"]["signatures"]:
        sig["sig"] = base64.urlsafe_b64encode(base64.b64decode(sig["sig"])).decode().rstrip("=")
    data["envelope"]["payload"] = base64.urlsafe_b64encode(
        s.bundle().envelope.payload).decode().rstrip("=")
    s.bundle_path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
    assert (code, out.splitlines()[-1]) == (
        0, "verified: report 11111111-2222-3333-4444-555555555555 release 1.4.0; 2 distinct "
           "trusted key(s); 6 subjects match")


@pytest.mark.parametrize("spell", [
    pytest.param(lambda t: t[:20] + "\n" + t[20:], id="newline"),
    pytest.param(lambda t: " " + t, id="leading-space"),
    pytest.param(lambda t: t.rstrip("=") + "=", id="one-pad-short"),
    pytest.param(lambda t: t + "==", id="extra-padding"),
    pytest.param(lambda t: "+" + t[1:-3] + "_==", id="mixed-alphabets"),
    pytest.param(lambda t: t[:-3] + chr(ord(t[-3]) + 1) + "==", id="non-zero-unused-bits"),
])
def test_other_base64_spellings_are_refused(signed: SignFactory, trust_file: Path, spell,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """One signature, one spelling: no alternative encodings of the same bytes."""
    s = signed()
    text = _sig_text(s, 0)
    assert text.endswith("==")  # 64 bytes -> 86 characters and 2 padding
    data = s.bundle().to_json()
    data["envelope"]["signatures"][0]["sig"] = spell(text)
    s.bundle_path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = verify_cli(s, trust_file, capsys)
    assert code == 2
    assert err.startswith(f"error: {s.bundle_path}: envelope.signatures[0].sig: not base64")


# ---------------------------------------------------------------- keys, keyids, thresholds


def test_a_malleated_signature_does_not_count_as_a_second_signer(
        signed: SignFactory, trust_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ed25519 S + L is the same signature to a lax verifier; OpenSSL must reject it."""
    s = signed()
    b = s.bundle()
    sig = b.envelope.signatures[0].sig
    order = 2**252 + 27742317777372353535851937790883648493
    s_plus_l = (int.from_bytes(sig[32:], "little") + order).to_bytes(32, "little")
    twin = Signature(keyid="another-keyid", sig=sig[:32] + s_plus_l)
    s.save(Bundle(replace(b.envelope, signatures=(*b.envelope.signatures, twin)), b.approvals))
    code, out, _ = verify_cli(s, trust_file, capsys, "--threshold", "2")
    assert code == 1
    assert "  - signature #2 (keyid another-keyid) was not made by a trusted key\n" in out
    assert "  - 1 distinct trusted key(s) signed the report, 2 required\n" in out


def test_keyid_hint_of_another_key_does_not_make_the_signer_that_key(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Alice's signature labelled with Bob's keyid is still Alice's: Bob has not signed."""
    s = signed()
    b = s.bundle()
    relabelled = Signature(keyid=keys.keyid("bob"), sig=b.envelope.signatures[0].sig)
    s.save(Bundle(replace(b.envelope, signatures=(b.envelope.signatures[0], relabelled)),
                  b.approvals))
    code, out, _ = verify_cli(s, trust_file, capsys, "--threshold", "2")
    assert code == 1
    assert "  - 1 distinct trusted key(s) signed the report, 2 required\n" in out
    assert "repeats signature #1 byte for byte" in out


def test_one_person_with_two_keys_cannot_fill_two_required_roles(
        signed: SignFactory, keys: Keys, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Decision: required roles need distinct people (trust-file owners), not just keys."""
    trust = tmp_path / "same-person.yaml"
    text = trust_yaml(keys, [("alice", ["author"]), ("mallory", ["approver"]),
                             ("bob", ["approver"])])
    trust.write_text(text.replace("owner: mallory", "owner: \" ALICE \""), encoding="utf-8")
    s = signed()
    cosign(s, keys, "mallory")
    code, out, _ = verify_cli(s, trust, capsys, *ROLES)
    assert code == 1
    assert out.endswith(
        "verification FAILED (2 reasons):\n"
        "  - 2 distinct trusted keys signed the report but they belong to 1 distinct owner(s) "
        "in the trust file, 2 required\n"
        "  - required role 'approver' is approved only by ' ALICE ', who already counts for "
        "another required role; required roles need distinct people\n")
    # nor does a threshold of 2 count one person's two keys as two signers
    code, out, _ = verify_cli(s, trust, capsys, "--threshold", "2")
    assert out.endswith(
        "  - 2 distinct trusted keys signed the report but they belong to 1 distinct owner(s) "
        "in the trust file, 2 required\n")
    cosign(s, keys, "bob")  # a second, different person approves: now it holds
    code, out, _ = verify_cli(s, trust, capsys, *ROLES)
    assert code == 0, out


def test_approve_refuses_a_person_who_already_signed_with_another_key(
        signed: SignFactory, keys: Keys, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    trust = tmp_path / "same-person.yaml"
    text = trust_yaml(keys, [("alice", ["author"]), ("mallory", ["approver"])])
    trust.write_text(text.replace("owner: mallory", "owner: Alice"), encoding="utf-8")
    s = signed()
    before = s.bundle_path.read_bytes()
    capsys.readouterr()
    assert main(["approve", str(s.bundle_path), "--role", "approver", "--key",
                 str(keys.files["mallory"].private), "--trusted-keys", str(trust)]) == 1
    assert capsys.readouterr().out.endswith(
        "refusing to approve (1 reason):\n  - Alice already signed this report as author (key "
        f"{keys.keyid('alice')[:16]}); one person approves once, whatever their keys\n")
    assert s.bundle_path.read_bytes() == before


def test_approval_dated_in_the_future_or_before_the_report_is_refused(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    b = s.bundle()
    bob = keys.signing("bob")
    for when, why in [(datetime.now(UTC) + timedelta(days=3), "is dated in the future"),
                      (NOW - timedelta(days=1), "before the report was generated")]:
        approval = approval_envelope(
            report_payload=b.envelope.payload, key=bob, role="approver", decision="approve",
            comment=None, signer="bob", now=when, report_id=s.report.report_id,
            target=s.report.target)
        s.save(Bundle(b.envelope.signed_by(bob), (*b.approvals, approval)))
        code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
        assert code == 1
        assert why in out
        assert "required role 'approver' has no valid approval" in out


def test_an_approval_envelope_carries_exactly_one_signature(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    cosign(s, keys, "bob")
    b = s.bundle()
    doubled = b.approvals[1].signed_by(keys.signing("carol"))
    s.save(Bundle(b.envelope, (b.approvals[0], doubled)))
    code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
    assert code == 1
    assert "  - approval #2 has 2 signatures; an approval is signed by exactly one key\n" in out


# ---------------------------------------------------------------- approve


def test_approve_refuses_a_key_outside_the_trust_file_or_its_roles(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    before = s.bundle_path.read_bytes()
    for name, role, message in [
            ("mallory", "approver", f"your key {keys.keyid('mallory')[:16]} is not in the "
             f"trust file {trust_file}: an approval by it would not count"),
            ("bob", "security", f"the trust file {trust_file} does not allow your key "
             f"{keys.keyid('bob')[:16]} (bob) to sign as 'security' (allowed: approver)")]:
        capsys.readouterr()
        code = main(["approve", str(s.bundle_path), "--role", role, "--key",
                     str(keys.files[name].private), "--trusted-keys", str(trust_file)])
        assert code == 2
        assert message in capsys.readouterr().err
        assert s.bundle_path.read_bytes() == before


# ---------------------------------------------------------------- trust file source


def test_the_operator_trust_file_beats_the_repository_configuration(
        signed: SignFactory, trust_file: Path, keys: Keys, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A pull request points governance.yaml at its own trust file, where Mallory is everyone."""
    s = signed(author="mallory")
    (s.root / "evil-trust.yaml").write_text(trust_yaml(keys, [("mallory", ["author"])]),
                                            encoding="utf-8")
    (s.root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        "signing: {trusted_keys: evil-trust.yaml}\n", encoding="utf-8")
    monkeypatch.chdir(s.root)
    argv = ["verify", str(s.bundle_path), "--artifacts-root", str(s.root), "--require-role",
            "author"]
    capsys.readouterr()
    # relying on the repository's governance.yaml: works, but says loudly what it trusts
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert err == (f"warning: trusting the keys in {s.root / 'evil-trust.yaml'} named by "
                   "governance.yaml, which the change under review can edit; in CI pass "
                   "--trusted-keys or set $GOVERNANCE_TRUSTED_KEYS\n")
    # the operator's trust file (environment) wins and Mallory is nobody
    monkeypatch.setenv("GOVERNANCE_TRUSTED_KEYS", str(trust_file))
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert "  - signature #1 (keyid " in out and "was not made by a trusted key\n" in out


# ---------------------------------------------------------------- operator flags, bounded


@pytest.mark.parametrize("age", ["nan", "inf", "-1", "1e300"])
def test_max_age_must_be_a_finite_number_of_days(signed: SignFactory, trust_file: Path,
                                                 age: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    code, _, err = verify_cli(s, trust_file, capsys, "--max-age", age)
    assert code == 2
    assert err == "error: --max-age: must be a number of days from 0 to 1000000\n"


def test_malformed_approval_payloads_are_reasons_not_crashes(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    b = s.bundle()
    bob = keys.signing("bob")
    bad = [b"not json", b"[]", encode_json({"_type": "https://in-toto.io/Statement/v1"}),
           encode_json({"_type": "https://in-toto.io/Statement/v1", "subject": [
               {"name": "report-statement", "digest": {"sha256": "0" * 64}}],
               "predicateType": "https://governance-checker.dev/attestations/approval/v1",
               "predicate": {"role": "approver", "decision": "approve", "keyid": "x",
                             "signedAt": "not a date", "reportId": "r", "target": {}}})]
    approvals = tuple(Envelope(p, "application/vnd.in-toto+json").signed_by(bob) for p in bad)
    s.save(Bundle(b.envelope.signed_by(bob), (*b.approvals, *approvals)))
    code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
    assert code == 1
    assert "approval #2 payload is not valid JSON" in out
    assert "approval #3 payload is not an in-toto Statement" in out
    assert "approval #5: predicate is invalid: predicate.signedAt" in out


def test_openssl_rejects_what_we_reject_and_accepts_what_we_accept(
        signed: SignFactory, keys: Keys, tmp_path: Path) -> None:
    """Independent check: the malleated S + L signature fails `openssl pkeyutl -verify`."""
    s = signed()
    env = s.bundle().envelope
    sig = env.signatures[0].sig
    order = 2**252 + 27742317777372353535851937790883648493
    bad = sig[:32] + (int.from_bytes(sig[32:], "little") + order).to_bytes(32, "little")
    (tmp_path / "pae").write_bytes(env.pae())
    results = []
    for name, value in (("good", sig), ("bad", bad)):
        (tmp_path / name).write_bytes(value)
        proc = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
             str(keys.files["alice"].public), "-rawin", "-in", str(tmp_path / "pae"),
             "-sigfile", str(tmp_path / name)], capture_output=True, check=False,
            env={**os.environ, "LC_ALL": "C"})
        results.append(proc.returncode)
    assert results[0] == 0
    assert results[1] != 0


# ---------------------------------------------------------------- signed waivers


def _waiver_project(tmp_path: Path, keys: Keys) -> Path:
    from .test_signed_waivers import set_waivers

    root = tmp_path / "wproj"
    make_project(root, fail=True)  # DOC-1 (high) fails
    (root / "trusted-keys.yaml").write_text(trust_yaml(keys, [
        ("alice", ["author"]), ("bob", ["risk-officer"])]), encoding="utf-8")
    set_waivers(root, "  require_signature: true\n  max_days: 90\n  signed: "
                      "[waivers/doc-1.dsse.json]\n")
    return root


def _check_cli(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["check", "--policy", str(root / "policy.yaml"), "--card",
                 str(root / "card.yaml"), "--root", str(root), "--format", "json",
                 "--output-dir", str(root / "out"), "--as-of", "2026-03-01", "--quiet",
                 "--trusted-keys", str(root / "trusted-keys.yaml")])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_signed_waiver_with_duplicate_keys_is_refused(tmp_path: Path, keys: Keys,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """The risk officer's tool shows expires 2026-04-30; Python would read 2999-12-31."""
    from governance.report import Scope, Waiver
    from governance.signing.waiver import envelope_bytes, waiver_statement

    root = _waiver_project(tmp_path, keys)
    waiver = Waiver(rule_id="DOC-1", reason="r", approved_by="Bob", expires="2026-04-30",
                    scope=Scope(model="mini"))
    payload = waiver_statement(waiver, policy="mini", role="risk-officer",
                               keyid=keys.keyid("bob"), signed_at=NOW - timedelta(days=1))
    payload = payload.replace(b'"expires":"2026-04-30"',
                              b'"expires":"2026-04-30","expires":"2999-12-31"', 1)
    env = Envelope(payload, "application/vnd.in-toto+json").signed_by(keys.signing("bob"))
    (root / "waivers").mkdir()
    (root / "waivers" / "doc-1.dsse.json").write_bytes(envelope_bytes(env))
    code, _, err = _check_cli(root, capsys)
    assert code == 2
    assert "waivers/doc-1.dsse.json: signed waiver payload is not valid JSON (duplicate key " \
           "'expires' in a JSON object)" in err


@pytest.mark.parametrize(("change", "why"), [
    ("future", "is dated in the future"),
    ("other-model", None),
    ("approval-as-waiver", "not a signed waiver: predicateType"),
])
def test_signed_waiver_replays_are_refused(tmp_path: Path, keys: Keys, change: str,
                                           why: str | None,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from .test_signed_waivers import signed_waiver

    root = _waiver_project(tmp_path, keys)
    path = signed_waiver(root, keys, "bob")
    if change == "future":  # signed "next month" so that max_days counts from then
        from governance.report import Scope, Waiver
        from governance.signing.waiver import envelope_bytes, sign_waiver

        w = Waiver(rule_id="DOC-1", reason="r", approved_by="Bob", expires="2026-06-30",
                   scope=Scope(model="mini"))
        path.write_bytes(envelope_bytes(sign_waiver(
            w, keys.signing("bob"), role="risk-officer", policy="mini",
            now=datetime.now(UTC) + timedelta(days=30))))
    elif change == "other-model":  # the card of another model claims the waived rule
        card = root / "card.yaml"
        card.write_text(card.read_text("utf-8").replace("name: mini", "name: other"), "utf-8")
    else:  # a risk officer's approval of some report, presented as a waiver
        approval = approval_envelope(
            report_payload=b"{}", key=keys.signing("bob"), role="risk-officer",
            decision="approve", comment="DOC-1", signer="bob", now=NOW, report_id="r",
            target=Target())
        path.write_text(json.dumps(approval.to_json()), encoding="utf-8")
    code, _, err = _check_cli(root, capsys)
    if change == "approval-as-waiver":
        assert code == 2
        assert why is not None and why in err
        return
    assert code == 1
    report = json.loads((root / "out" / "report.json").read_text("utf-8"))
    doc1 = next(f for f in report["findings"] if f["rule_id"] == "DOC-1")
    assert (doc1["status"], doc1["waiver"]) == ("fail", None)
    if why is not None:
        assert why in report["waivers"][0]["message"]


def test_a_waiver_envelope_is_not_an_approval(signed: SignFactory, trust_file: Path,
                                              keys: Keys,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from governance.report import Waiver
    from governance.signing.waiver import sign_waiver

    s = signed()
    b = s.bundle()
    bob = keys.signing("bob")
    w = Waiver(rule_id="DOC-1", reason="r", approved_by="Bob", expires="2026-04-30")
    s.save(Bundle(b.envelope.signed_by(bob), (*b.approvals, sign_waiver(
        w, bob, role="approver", policy=None, now=NOW))))
    code, out, _ = verify_cli(s, trust_file, capsys, *ROLES)
    assert code == 1
    assert ("  - approval #2: not an approval attestation (predicateType "
            "'https://governance-checker.dev/attestations/waiver/v1')\n") in out


# ---------------------------------------------------------------- trust files


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t, k: t.replace("roles: [author]", "roles: [Author]"), "invalid role 'Author'"),
    (lambda t, k: t.replace("roles: [author]", "roles: []"), "keys[0].roles"),
    (lambda t, k: t.replace(k.keyid("alice"), "a" * 64), "keyid does not match the public key"),
    (lambda t, k: t.replace("MCowBQYDK2VwAyEA", "MCowBQYDK2VxAyEA", 1),  # OID 1.3.101.113
     "keys[0].public_key: "),
    (lambda t, k: t.replace("MCowBQYDK2VwAyEA", "MCowBQYDK2VwAyEAAA", 1),
     "keys[0].public_key: malformed public key"),
    (lambda t, k: t + t.split("keys:\n", 1)[1], "is registered twice"),
    (lambda t, k: t.replace("  - keyid:", "  - owner: x\n    keyid:", 1), "owner"),
    (lambda t, k: "keys: {a: 1}\n", "keys"),
    (lambda t, k: "\x00", ""),
])
def test_malformed_trust_files_exit_2(signed: SignFactory, keys: Keys, tmp_path: Path, edit,
                                      message: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    trust = tmp_path / "bad-trust.yaml"
    trust.write_text(edit(trust_yaml(keys, [("alice", ["author"]), ("bob", ["approver"])]),
                          keys), encoding="utf-8")
    code, _, err = verify_cli(s, trust, capsys)
    assert code == 2
    assert err.startswith(f"error: {trust}")
    assert message in err


# ---------------------------------------------------------------- verify --reproduce


def test_reproduce_refuses_a_policy_outside_the_bound_inputs(
        signed: SignFactory, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An insider records run.policies = [copy.yaml], an unbound file that gives the same
    findings today (and can be changed tomorrow)."""
    from governance.report import canonical_json
    from governance.signing.statement import report_statement
    from governance.signing.subjects import collect_subjects

    s = signed()
    (s.root / "copy.yaml").write_bytes((s.root / "policy.yaml").read_bytes())
    assert s.report.run is not None
    forged = s.report.model_copy(update={"run": s.report.run.model_copy(
        update={"policies": ["copy.yaml"]})})
    (s.root / "reports" / "report.json").write_bytes(canonical_json(forged))
    subjects = collect_subjects(forged, {"json": s.root / "reports" / "report.json"}, s.root)
    payload = report_statement(forged, subjects)
    s.save(resigned(s, keys, payload))
    code, out, _ = verify_cli(s, trust_file, capsys, "--require-role", "author", "--reproduce")
    assert code == 1
    assert ("input copy.yaml (policy, sha256 " in out
            and "was read when reproduced but is not recorded in the report" in out)


# ---------------------------------------------------------------- hostile bytes, never a crash


def _signed_parts(raw: bytes) -> list[tuple[bytes, str, tuple[bytes, ...]]]:
    b = parse_bundle(raw, "x")
    return [(e.payload, e.payload_type, tuple(x.sig for x in e.signatures))
            for e in (b.envelope, *b.approvals)]


def test_random_mutations_of_a_bundle_never_crash_and_never_pass(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Deterministic fuzzing: flip, insert and delete bytes and JSON tokens; exit 1 or 2 (an
    unknown field in a signature object, once accepted and ignored, is now refused)."""
    import random
    import time

    s = signed()
    cosign(s, keys, "bob")
    good = s.bundle_path.read_bytes()
    rng = random.Random(12)
    tokens = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"null", b"NaN", b"1e999", b"-0",
              b"\\u0000", b"\xff", b"=", b"\n", b'"payload":"e30",']
    started = time.monotonic()
    codes = []
    for _ in range(120):
        raw = bytearray(good)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(raw))
            op = rng.random()
            if op < 0.4:
                raw[at] = rng.randrange(256)
            elif op < 0.7:
                raw[at:at] = rng.choice(tokens)
            else:
                del raw[at:at + rng.randint(1, 40)]
        if bytes(raw) == good:
            continue
        s.bundle_path.write_bytes(bytes(raw))
        code, _, err = verify_cli(s, trust_file, capsys, *ROLES)
        if code == 0:  # only a mutation of nothing signed may pass: layout or a keyid hint
            assert _signed_parts(bytes(raw)) == _signed_parts(good), bytes(raw)
            continue
        assert code in (1, 2), (code, err)
        codes.append(code)
    assert time.monotonic() - started < 30
    assert set(codes) == {1, 2}


def _json_paths(obj: object, prefix: tuple[str | int, ...] = ()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _json_paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _json_paths(v, (*prefix, i))


def test_validly_signed_hostile_statements_never_crash(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An insider signs statements with wrong types, huge or hostile values anywhere: verify
    answers 0 or 1 (which edits an insider may sign is what --reproduce is for), never 3."""
    import random

    s = signed()
    st = json.loads(s.bundle().envelope.payload)
    where = [p for p in _json_paths(st) if p]
    rng = random.Random(3)
    values = [None, [], {}, "", -1, 0, 1.5e308, "x" * 5000, True, "2026-13-45T99:00:00Z",
              "9999-12-31T23:59:59Z", "0001-01-01T00:00:00", "../../etc/passwd", "pack:../x",
              {"sha256": "0" * 64}, [{"name": "a", "digest": {"sha256": "0" * 64}}], "\u202e",
              -(2**53) + 1]
    codes = set()
    for _ in range(150):
        d = json.loads(json.dumps(st))
        path = rng.choice(where)
        parent = d
        for k in path[:-1]:
            parent = parent[k]
        if rng.random() < 0.15 and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(values)
        s.save(resigned(s, keys, encode_json(d), (("alice", "author"), ("bob", "approver"))))
        code, _, err = verify_cli(s, trust_file, capsys, *ROLES)
        assert code in (0, 1), (path, err)
        codes.add(code)
    assert 1 in codes


def test_bundle_text_cannot_write_ci_commands_or_terminal_escapes(
        tmp_path: Path, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Keyid hints and subject names are listed even when nothing verifies: made inert."""
    st = {"_type": "https://in-toto.io/Statement/v1",
          "predicateType": "https://governance-checker.dev/attestations/report/v1",
          "predicate": {}, "subject": [{"name": "a\n::error file=x::pwned\x1b[31m\u202e",
                                        "digest": {"sha256": "0" * 64}}]}
    env = {"payload": base64.b64encode(encode_json(st)).decode(),
           "payloadType": "application/vnd.in-toto+json",
           "signatures": [{"keyid": "k\r\n##vso[task.setvariable]x",
                           "sig": base64.b64encode(b"\0" * 64).decode()}]}
    bundle = tmp_path / "inj.json"
    bundle.write_text(json.dumps(env), encoding="utf-8")
    assert main(["verify", str(bundle), "--trusted-keys", str(trust_file), "--artifacts-root",
                 str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    assert all(line.startswith(("signature: ", "verification FAILED", "  - "))
               for line in out.splitlines())
    assert "  - subject a\\n::error file=x::pwned\\x1b[31m<U+202E> cannot be checked" in out
    assert "signature: unknown ? key k\\r\\n\\x23#vso[task.se - [FAILED]" in out
    # an unknown field's name in an error message is made inert too
    env["signatures"][0]["\n::error::x"] = 1
    bundle.write_text(json.dumps(env), encoding="utf-8")
    assert main(["verify", str(bundle), "--trusted-keys", str(trust_file)]) == 2
    assert capsys.readouterr().err == (f"error: {bundle}: $.signatures[0].\\n::error::x: "
                                       "unknown field\n")


def test_a_pull_request_cannot_choose_whose_waiver_signatures_count(
        tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """governance.yaml (in the pull request) names a trust file where Mallory is risk officer
    and lists Mallory's signed waiver; the operator's trust file comes from the environment."""
    from .test_signed_waivers import signed_waiver

    root = _waiver_project(tmp_path, keys)
    signed_waiver(root, keys, "mallory")
    (root / "evil-trust.yaml").write_text(trust_yaml(keys, [("mallory", ["risk-officer"])]),
                                          encoding="utf-8")
    (root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        "formats: [json]\nsigning: {trusted_keys: evil-trust.yaml}\n", encoding="utf-8")
    argv = ["check", "--config", str(root / "governance.yaml"), "--as-of", "2026-03-01",
            "--output-dir", str(root / "out"), "--quiet"]
    capsys.readouterr()
    assert main(argv) == 0  # the repository's own trust file: passes, with a warning
    assert capsys.readouterr().err == (
        f"warning: trusting the keys in {root / 'evil-trust.yaml'} named by governance.yaml, "
        "which the change under review can edit; in CI pass --trusted-keys or set "
        "$GOVERNANCE_TRUSTED_KEYS\n")
    monkeypatch.setenv("GOVERNANCE_TRUSTED_KEYS", str(root / "trusted-keys.yaml"))
    assert main(argv) == 1
    assert capsys.readouterr().err == ""
    report = json.loads((root / "out" / "report.json").read_text("utf-8"))
    assert [n["message"] for n in report["waivers"]] == [
        "signed waiver waivers/doc-1.dsse.json for DOC-1 refused: it is not signed by a key in "
        "the trust file"]


def test_render_does_not_show_a_valid_bundle_as_signing_an_edited_report(
        signed: SignFactory, trust_file: Path, keys: Keys, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """report.json edited after signing, rendered next to the genuine bundle: the sign-off
    block must not say the signatures verify for this content."""
    from governance.report import canonical_json, load_report

    s = signed()
    cosign(s, keys, "bob")
    path = s.root / "reports" / "report.json"
    argv = ["render", str(path), "--format", "markdown", "--output-dir", str(tmp_path / "o"),
            "--envelope", str(s.bundle_path), "--trusted-keys", str(trust_file)]
    assert main(argv) == 0
    honest = (tmp_path / "o" / "report.md").read_text("utf-8")
    assert "signs a different report" not in honest
    report = load_report(path.read_bytes())
    edited = report.model_copy(update={"model": report.model.model_copy(
        update={"version": "9.9.9"})})
    path.write_bytes(canonical_json(edited))
    assert main(argv) == 0
    forged = (tmp_path / "o" / "report.md").read_text("utf-8")
    assert "9.9.9" in forged
    assert forged.count("signs a different report") == 2  # both rows, with the reason


def test_a_signed_waiver_dated_in_the_future_without_a_time_zone_is_refused(
        tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    """signedAt "2026-05-01T00:00:00" (no zone) once skipped the future check, so max_days
    counted from a future date and the waiver ran longer than allowed."""
    from governance.report import Scope, Waiver
    from governance.signing.waiver import envelope_bytes, waiver_statement

    root = _waiver_project(tmp_path, keys)
    waiver = Waiver(rule_id="DOC-1", reason="r", approved_by="Bob", expires="2026-07-15",
                    scope=Scope(model="mini"))
    payload = waiver_statement(waiver, policy="mini", role="risk-officer",
                               keyid=keys.keyid("bob"), signed_at=datetime(2026, 5, 1, tzinfo=UTC))
    payload = payload.replace(b'"signedAt":"2026-05-01T00:00:00Z"',
                              b'"signedAt":"2026-05-01T00:00:00"')
    env = Envelope(payload, "application/vnd.in-toto+json").signed_by(keys.signing("bob"))
    (root / "waivers").mkdir()
    (root / "waivers" / "doc-1.dsse.json").write_bytes(envelope_bytes(env))
    code, _, _ = _check_cli(root, capsys)  # as of 2026-03-01
    assert code == 1
    report = json.loads((root / "out" / "report.json").read_text("utf-8"))
    assert [n["message"] for n in report["waivers"]] == [
        "signed waiver waivers/doc-1.dsse.json for DOC-1 refused: it is dated in the future "
        "(2026-05-01T00:00:00)"]


@pytest.mark.parametrize("trick", ["fullwidth", "nfd", "symlink", "dot-segment"])
def test_subject_names_are_matched_exactly_and_never_leave_the_root(
        signed: SignFactory, trust_file: Path, keys: Keys, tmp_path: Path, trick: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """No Unicode normalisation, no symlink following, no path folding: the name attested is
    the file read, and every report input must be attested under exactly its own name."""
    import hashlib
    import unicodedata

    s = signed()
    st = statement(s)
    subjects = st["subject"]
    assert isinstance(subjects, list)
    card = next(x for x in subjects if x["name"] == "card.yaml")
    if trick == "fullwidth":
        card["name"] = "\uff43ard.yaml"  # FULLWIDTH LATIN SMALL LETTER C
    elif trick == "nfd":
        (s.root / "caf\u00e9.bin").write_bytes(b"x")
        subjects.append({"name": unicodedata.normalize("NFD", "caf\u00e9.bin"),
                         "digest": {"sha256": hashlib.sha256(b"x").hexdigest()}})
    elif trick == "symlink":
        outside = tmp_path / "outside.bin"
        outside.write_bytes(b"secret")
        (s.root / "link.bin").symlink_to(outside)
        subjects.append({"name": "link.bin",
                         "digest": {"sha256": hashlib.sha256(b"secret").hexdigest()}})
    else:
        card["name"] = "model/../card.yaml"
    subjects.sort(key=lambda x: x["name"])
    s.save(resigned(s, keys, encode_json(st)))
    code, out, _ = verify_cli(s, trust_file, capsys, "--require-role", "author")
    assert code == 1
    if trick in ("fullwidth", "dot-segment"):
        assert "  - report input card.yaml (card) is not an attested subject\n" in out
    elif trick == "nfd":
        assert "  - subject cafe\u0301.bin cannot be checked: artifact 'cafe\u0301.bin' not " \
               "found under the project root\n" in out
    else:
        assert "  - subject link.bin cannot be checked: " in out and "symlink" in out


def test_approve_refuses_a_waiver_claiming_a_signer_the_trust_file_does_not_allow(
        tmp_path: Path, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An author writes signed_by (a risk officer nobody trusts) into an inline waiver and signs
    the report with a trusted key: the approver is told, and cannot approve."""
    from governance.report import WaiverSigner, canonical_json
    from governance.signing.workflow import sign_report

    from .test_signed_waivers import INLINE, check, set_waivers

    root = tmp_path / "p"
    make_project(root, fail=True)
    (root / "trusted-keys.yaml").write_bytes(trust_file.read_bytes())
    set_waivers(root, INLINE)
    plain = check(root)
    findings = [f.model_copy(update={"waiver": f.waiver.model_copy(update={
        "signed_by": WaiverSigner(keyid=keys.keyid("mallory"), owner="Risk Office",
                                  role="risk-officer", signed_at=NOW)})}) if f.waiver else f
                for f in plain.findings]
    forged = plain.model_copy(update={"findings": findings})
    out = root / "reports"
    out.mkdir()
    (out / "report.json").write_bytes(canonical_json(forged))
    bundle = sign_report(forged, outputs={"json": out / "report.json"}, root=root,
                         key=keys.signing("alice"), out_path=out / "report.dsse.json", now=NOW)
    capsys.readouterr()
    assert main(["approve", str(bundle), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust_file)]) == 1
    assert capsys.readouterr().out.endswith(
        "refusing to approve (1 reason):\n  - finding DOC-1 shows a waiver signed by Risk Office "
        f"as risk-officer (key {keys.keyid('mallory')[:16]}), which the trust file does not "
        "allow\n")


def test_an_author_cannot_self_waive_past_a_verifier_that_names_waiver_roles(
        tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    """The pull request's policy says `roles: [author]`, so the author's own key grants the
    waiver and the report passes; the verifier decides which roles may waive."""
    from governance.report import canonical_json
    from governance.signing.workflow import sign_report

    from .test_signed_waivers import check, set_waivers, signed_waiver

    root = tmp_path / "p"
    make_project(root, fail=True)
    trust = root / "trusted-keys.yaml"
    trust.write_text(trust_yaml(keys, [("alice", ["author"]), ("bob", ["risk-officer"])]),
                     encoding="utf-8")
    signed_waiver(root, keys, "alice", role="author")
    set_waivers(root, "  require_signature: true\n  roles: [author]\n  signed: "
                      "[waivers/doc-1.dsse.json]\n")
    report = check(root)
    assert report.summary.status.value == "pass"
    out = root / "reports"
    out.mkdir()
    (out / "report.json").write_bytes(canonical_json(report))
    bundle = sign_report(report, outputs={"json": out / "report.json"}, root=root,
                         key=keys.signing("alice"), out_path=out / "report.dsse.json", now=NOW)
    argv = ["verify", str(bundle), "--trusted-keys", str(trust), "--artifacts-root", str(root),
            "--require-role", "author"]
    capsys.readouterr()
    assert main(argv) == 0  # nothing else says who may waive: accepted
    assert main([*argv, "--waiver-role", "risk-officer"]) == 1
    assert capsys.readouterr().out.endswith(
        "verification FAILED (1 reason):\n  - finding DOC-1 is waived by alice as 'author', a "
        "role not allowed to grant waivers (--waiver-role risk-officer)\n")


def test_a_policy_extending_a_signature_requirement_cannot_widen_who_may_waive(
        tmp_path: Path, keys: Keys) -> None:
    """base.yaml requires signed waivers (default role risk-officer); the pull request's policy
    extends it and names `roles: [author]` so that the author's key can waive."""
    from governance.report import Status

    from .test_signed_waivers import check, doc1, signed_waiver

    root = tmp_path / "p"
    make_project(root, fail=True)
    (root / "trusted-keys.yaml").write_text(
        trust_yaml(keys, [("alice", ["author"]), ("bob", ["risk-officer"])]), encoding="utf-8")
    policy = root / "policy.yaml"
    base = policy.read_text("utf-8").replace("name: mini", "name: base")
    (root / "base.yaml").write_text(base + "waivers:\n  require_signature: true\n",
                                    encoding="utf-8")
    policy.write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata:\n  name: mini\n  version: \"1\"\n"
        "extends: [base.yaml]\nrules: []\nwaivers:\n  roles: [author]\n"
        "  signed: [waivers/doc-1.dsse.json]\n", encoding="utf-8")
    signed_waiver(root, keys, "alice", role="author")
    report = check(root)
    assert doc1(report) == (Status.FAIL, None)
    assert report.waivers[0].message.endswith(
        "refused: role 'author' may not grant waivers (allowed: none)")


def test_approve_with_artifacts_root_refuses_swapped_files(
        signed: SignFactory, trust_file: Path, keys: Keys,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The model binary is swapped after the author signed: an approver who names the project
    folder sees it before co-signing instead of at deployment."""
    import hashlib

    s = signed()
    model = s.root / "model" / "model.bin"
    before_sha = hashlib.sha256(model.read_bytes()).hexdigest()
    model.write_bytes(b"a different model")
    before = s.bundle_path.read_bytes()
    argv = ["approve", str(s.bundle_path), "--role", "approver", "--key",
            str(keys.files["bob"].private), "--trusted-keys", str(trust_file)]
    capsys.readouterr()
    assert main([*argv, "--artifacts-root", str(s.root)]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "refusing to approve (1 reason):\n  - subject model/model.bin (artifact:model): sha256 "
        f"mismatch: attested {before_sha}, found "
        f"{hashlib.sha256(b'a different model').hexdigest()}\n")
    assert s.bundle_path.read_bytes() == before
    assert main(argv) == 0  # without it, approve reviews the signed content only
