"""Our envelopes verify with independent implementations: securesystemslib and openssl."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from securesystemslib.dsse import Envelope as SslibEnvelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import CryptoSigner, SSlibKey

from governance.signing.approve import approve_bundle
from governance.signing.dsse import pae
from governance.signing.statement import (
    APPROVAL_PREDICATE_TYPE,
    REPORT_PREDICATE_TYPE,
    STATEMENT_TYPE,
)

from .conftest import NOW, Keys, Signed, SignFactory, sha, trust_yaml


def sslib_key(keys: Keys, name: str, keyid: str | None = None) -> SSlibKey:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    pub = load_pem_public_key(keys.files[name].public.read_bytes())
    key = SSlibKey.from_crypto(pub, keyid=keyid or keys.keyid(name))  # type: ignore[arg-type]
    return key


@pytest.fixture()
def two_signers(signed: SignFactory, keys: Keys) -> Signed:
    s = signed()
    s.save(approve_bundle(s.bundle(), keys.signing("bob"), role="approver", decision="approve",
                          comment=None, signer="bob", now=NOW + timedelta(hours=1)))
    return s


def test_securesystemslib_verifies_author_and_approver(two_signers: Signed, keys: Keys) -> None:
    data = json.loads(two_signers.bundle_path.read_text("utf-8"))
    env = SslibEnvelope.from_dict(data["envelope"])
    assert env.payload_type == "application/vnd.in-toto+json"
    accepted = env.verify([sslib_key(keys, "alice"), sslib_key(keys, "bob")], 2)
    assert set(accepted) == {keys.keyid("alice"), keys.keyid("bob")}
    statement = json.loads(env.payload)
    assert statement["_type"] == STATEMENT_TYPE
    assert statement["predicateType"] == REPORT_PREDICATE_TYPE
    assert statement["predicate"]["target"] == {"release": "1.4.0",
                                                "environment": "production"}
    names = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}
    assert names["model/model.bin"] == sha(two_signers.root / "model" / "model.bin")
    assert names["reports/report.pdf"] == sha(two_signers.root / "reports" / "report.pdf")
    # each approval is itself a DSSE envelope securesystemslib verifies
    for approval, name in zip(data["approvals"], ("alice", "bob"), strict=True):
        a = SslibEnvelope.from_dict(approval)
        a.verify([sslib_key(keys, name)], 1)
        st = json.loads(a.payload)
        assert st["predicateType"] == APPROVAL_PREDICATE_TYPE
        assert st["subject"][0]["digest"]["sha256"] == hashlib.sha256(env.payload).hexdigest()


def test_securesystemslib_rejects_one_signer_for_threshold_two(signed: SignFactory,
                                                               keys: Keys) -> None:
    s = signed()
    env = SslibEnvelope.from_dict(json.loads(s.bundle_path.read_text("utf-8"))["envelope"])
    env.verify([sslib_key(keys, "alice")], 1)
    with pytest.raises(VerificationError):
        env.verify([sslib_key(keys, "alice"), sslib_key(keys, "bob")], 2)


def test_securesystemslib_counts_keyids_we_count_keys(signed: SignFactory, keys: Keys) -> None:
    """The same key registered under two keyids meets securesystemslib's threshold of 2."""
    from dataclasses import replace

    s = signed()
    bundle = s.bundle()
    alice_sig = bundle.envelope.signatures[0]
    twice = replace(bundle.envelope,
                    signatures=(alice_sig, replace(alice_sig, keyid="alias-of-alice")))
    env = SslibEnvelope.from_dict(twice.to_json())
    accepted = env.verify([sslib_key(keys, "alice"), sslib_key(keys, "alice", "alias-of-alice")],
                          2)
    assert len(accepted) == 2  # securesystemslib is fooled ...
    from governance.signing.dsse import accepted_keys
    from governance.signing.keys import load_public_key

    pub = load_public_key(keys.pub("alice"), source="alice")
    assert len(accepted_keys(twice, [pub, pub],
                             supported_types=["application/vnd.in-toto+json"])) == 1  # ... we not


def test_securesystemslib_signature_verifies_with_our_verifier(tmp_path: Path, keys: Keys,
                                                               signed: SignFactory) -> None:
    """The other direction: a co-signature made by securesystemslib's CryptoSigner."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from governance.signing.bundle import parse_bundle
    from governance.signing.trust import load_trust_file
    from governance.signing.verify import VerifyOptions, verify_bundle

    s = signed()
    env = SslibEnvelope.from_dict(json.loads(s.bundle_path.read_text("utf-8"))["envelope"])
    priv = load_pem_private_key(keys.files["carol"].private.read_bytes(), password=None)
    env.sign(CryptoSigner(priv, sslib_key(keys, "carol")))  # type: ignore[arg-type]
    bundle = parse_bundle(json.dumps(env.to_dict()).encode(), "sslib")  # a bare envelope
    assert len(bundle.envelope.signatures) == 2
    trust = tmp_path / "t.yaml"
    trust.write_text(trust_yaml(keys, [("alice", ["author"]), ("carol", ["approver"])]))
    result = verify_bundle(bundle, load_trust_file(trust),
                           VerifyOptions(artifacts_root=s.root, now=NOW, threshold=2))
    assert result.reasons == ()
    assert result.distinct_keys == 2


def test_openssl_verifies_every_signature_over_the_pae(two_signers: Signed, keys: Keys,
                                                       tmp_path: Path) -> None:
    data = json.loads(two_signers.bundle_path.read_text("utf-8"))["envelope"]
    body = base64.b64decode(data["payload"], validate=True)
    pae_file = tmp_path / "pae.bin"
    pae_file.write_bytes(pae(data["payloadType"], body))
    assert pae_file.read_bytes().startswith(
        b"DSSEv1 28 application/vnd.in-toto+json %d {" % len(body))
    for sig, name in zip(data["signatures"], ("alice", "bob"), strict=True):
        assert sig["keyid"] == keys.keyid(name)
        sig_file = tmp_path / f"{name}.sig"
        sig_file.write_bytes(base64.b64decode(sig["sig"], validate=True))
        cmd = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
               str(keys.files[name].public), "-rawin", "-in", str(pae_file), "-sigfile",
               str(sig_file)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Signature Verified Successfully" in done.stdout
    # a flipped byte in the PAE fails openssl too
    tampered = bytearray(pae_file.read_bytes())
    tampered[-5] ^= 0x01
    pae_file.write_bytes(bytes(tampered))
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                           str(keys.files["alice"].public), "-rawin", "-in", str(pae_file),
                           "-sigfile", str(tmp_path / "alice.sig")],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "Signature Verification Failure" in done.stdout
