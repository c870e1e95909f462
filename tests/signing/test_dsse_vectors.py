"""The DSSE spec's test vectors (secure-systems-lab/dsse) against our PAE, signer and verifier.

``data/dsse_vectors.json`` is transcribed from the spec repository's ``testvectors/vectors.json``
(Ed25519 keys from RFC 8032 §7.1, so signatures are deterministic). The protocol document's
worked example (ECDSA P-256) is checked too: its PAE bytes and its signature.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from governance.signing.dsse import Envelope, accepted_keys, b64decode, pae
from governance.signing.keys import SigningKey, keyid_of, raw_public

DATA = json.loads((Path(__file__).parent / "data" / "dsse_vectors.json").read_text("utf-8"))
KEYS = {name: Ed25519PrivateKey.from_private_bytes(bytes.fromhex(k["seed"]))
        for name, k in DATA["keys"].items()}
VECTORS: list[dict[str, Any]] = DATA["vectors"]


def test_rfc8032_seeds_give_the_published_public_keys() -> None:
    for name, key in KEYS.items():
        assert raw_public(key.public_key()).hex() == DATA["keys"][name]["public"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    env = Envelope.from_json(vector["envelope"], where=vector["id"])
    expected_pae = bytes.fromhex(vector["pae"])
    if vector["id"] == "payload-type-swapped":
        # the signatures cover the original type, the envelope claims another one
        assert env.pae() != expected_pae
        assert pae("application/vnd.in-toto+json", env.payload) == expected_pae
    else:
        assert env.pae() == expected_pae
    trusted = [KEYS[k].public_key() for k in vector["trustedKeys"]]
    accepted = accepted_keys(env, trusted, supported_types=vector["supportedPayloadTypes"])
    verdict = "accept" if len(accepted) >= vector["threshold"] else "reject"
    assert verdict == vector["expect"]
    # Ed25519 is deterministic: our signer reproduces every signature by key A over the PAE
    # the vector documents.
    signer = SigningKey(KEYS["A"], keyid_of(KEYS["A"].public_key()), "A")
    sig_a = b64decode(vector["envelope"]["signatures"][0]["sig"], where="v", field="sig")
    assert signer.sign(expected_pae) == sig_a


def test_url_safe_and_unpadded_base64_are_accepted() -> None:
    assert b64decode("-_-_Pj8=", where="x", field="f") == bytes.fromhex("fbffbf3e3f")
    assert b64decode("-_-_Pj8", where="x", field="f") == bytes.fromhex("fbffbf3e3f")
    assert b64decode("+/+/Pj8=", where="x", field="f") == bytes.fromhex("fbffbf3e3f")


def test_protocol_document_example() -> None:
    """protocol.md: PAE of 'hello world' typed http://example.com/HelloWorld, ECDSA P-256."""
    body = b"hello world"
    ptype = "http://example.com/HelloWorld"
    assert pae(ptype, body) == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    env = Envelope.from_json({
        "payload": "aGVsbG8gd29ybGQ=", "payloadType": ptype,
        "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJ"
                               "PcIAriEGAHTVeCUjW2JIZA=="}]}, where="protocol.md")
    assert env.payload == body
    x = 46950820868899156662930047687818585632848591499744589407958293238635476079160
    y = 5640078356564379163099075877009565129882514886557779369047442380624545832820
    public = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    raw = env.signatures[0].sig
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, env.pae(), ec.ECDSA(hashes.SHA256()))  # raises if invalid
