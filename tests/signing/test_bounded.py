"""Issue 12 item 11: verification has bounded cost, whatever the envelope holds."""

from __future__ import annotations

import base64
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from governance.cli import main
from governance.signing import dsse
from governance.signing.bundle import Bundle, load_bundle
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, Envelope, Signature
from governance.signing.keys import write_keypair
from governance.signing.trust import load_trust_file
from governance.signing.verify import VerifyOptions, verify_bundle

from .conftest import NOW, Keys, SignFactory, trust_yaml

MiB = 1024 * 1024


def measured(fn: Callable[[], object]) -> tuple[object, float, int]:
    """(result, seconds, peak bytes allocated by Python while running fn)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def flood(path: Path, bundle_json: dict[str, object], size: int) -> Path:
    """The bundle with its first signature repeated until the file is ``size`` bytes."""
    env = bundle_json["envelope"]
    assert isinstance(env, dict)
    one = json.dumps(env["signatures"][0]) + ","
    head = json.dumps({**bundle_json, "envelope": {**env, "signatures": ["@"]}})
    before, after = head.split('"@"')
    n = (size - len(head)) // len(one)
    with path.open("w", encoding="ascii") as fh:
        fh.write(before)
        fh.write(one * n)
        fh.write(json.dumps(env["signatures"][0]))
        fh.write(after)
    return path


@pytest.mark.parametrize("size", [50 * MiB, 15 * MiB])
def test_an_envelope_of_repeated_signatures_is_rejected_fast_and_small(
        signed: SignFactory, trust_file: Path, tmp_path: Path, size: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    path = flood(tmp_path / "flood.dsse.json", json.loads(s.bundle_path.read_text("utf-8")),
                 size)
    assert abs(path.stat().st_size - size) < 1000
    argv = ["verify", str(path), "--trusted-keys", str(trust_file), "--artifacts-root",
            str(s.root), "--require-role", "author"]
    code, seconds, peak = measured(lambda: main(argv))
    assert code == 2
    assert seconds < 2.0
    assert peak < 40 * MiB  # at most the 16 MiB cap read once, never the parsed flood
    err = capsys.readouterr().err
    assert len(set(err.splitlines())) == 1  # the same message for the timed and traced run
    err = err.splitlines(keepends=True)[0]
    if size > 16 * MiB:
        assert err == (f"error: {path}: envelope is larger than the 16777216-byte cap\n")
    else:
        assert err.startswith(f"error: {path}: not a sign-off bundle: ")
        assert err.endswith(" JSON values and separators, more than the 20000 a bundle of at "
                            "most 16 approvals can have\n")


def test_more_than_16_signatures_or_approvals_are_refused(signed: SignFactory,
                                                          tmp_path: Path) -> None:
    from governance.errors import SigningError
    from governance.signing.bundle import parse_bundle

    data = json.loads(signed().bundle_path.read_text("utf-8"))
    sig = data["envelope"]["signatures"][0]
    many = {**data, "envelope": {**data["envelope"], "signatures": [sig] * 17}}
    with pytest.raises(SigningError) as exc:
        parse_bundle(json.dumps(many).encode(), "b.json")
    assert str(exc.value) == ("b.json: envelope.signatures: 17 signatures: at most 16 are "
                              "accepted")
    with pytest.raises(SigningError) as exc:
        parse_bundle(json.dumps({**data, "approvals": data["approvals"] * 17}).encode(),
                     "b.json")
    assert str(exc.value) == "b.json: approvals: 17 approvals: at most 16 are accepted"


def test_byte_identical_signatures_are_verified_once(signed: SignFactory, trust_file: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    s = signed()
    b = s.bundle()
    sig = b.envelope.signatures[0]
    many = Bundle(Envelope(b.envelope.payload, b.envelope.payload_type, (sig,) * 16),
                  b.approvals)
    calls: list[int] = []
    real = dsse.verify_signature

    def counting(key: object, message: bytes, signature: bytes) -> bool:
        calls.append(len(message))
        return real(key, message, signature)  # type: ignore[arg-type]

    monkeypatch.setattr(dsse, "verify_signature", counting)
    result = verify_bundle(many, load_trust_file(trust_file),
                           VerifyOptions(artifacts_root=s.root, now=NOW,
                                         require_roles=("author",)))
    # one attempt for the envelope signature (hinted key), one for the author's approval
    assert len(calls) == 2
    assert result.distinct_keys == 1
    assert result.reasons[0] == ("signature #2 repeats signature #1 byte for byte; a key signs "
                                 "once and counts once")
    assert len([r for r in result.reasons if "byte for byte" in r]) == 15


def test_bogus_signatures_against_a_long_trust_file_stay_within_the_budget(
        tmp_path: Path, keys: Keys) -> None:
    folder = tmp_path / "many"
    names = [f"k{i}" for i in range(24)]
    files = {n: write_keypair(folder, n) for n in names}
    k = Keys(files)
    trust = tmp_path / "trust.yaml"
    trust.write_text(trust_yaml(k, [(n, ["approver"]) for n in names]), encoding="utf-8")
    payload = b"{" + b" " * (dsse.MAX_PAYLOAD_BYTES - 2) + b"}"
    bogus = tuple(Signature(keyid=None, sig=bytes([i]) * 64) for i in range(16))
    bundle = Bundle(Envelope(payload, INTOTO_PAYLOAD_TYPE, bogus))
    path = tmp_path / "big.dsse.json"
    path.write_bytes(bundle.to_bytes())
    store = load_trust_file(trust)
    opts = VerifyOptions(artifacts_root=tmp_path, now=NOW)
    start = time.perf_counter()
    result = verify_bundle(load_bundle(path), store, opts)
    seconds = time.perf_counter() - start
    # without the budget: 16 x 24 verifications of 8 MiB, about 5 s on one core
    assert seconds < 2.0
    assert not result.ok
    spent = [r for r in result.reasons if "verification budget is spent" in r]
    unmatched = [r for r in result.reasons if "was not made by a trusted key" in r]
    assert len(spent) + len(unmatched) == 16
    assert spent and len(unmatched) == dsse.VERIFY_BUDGET_BYTES // (24 * len(bundle.envelope
                                                                             .pae()))


def test_a_payload_above_the_cap_is_refused_before_decoding(tmp_path: Path) -> None:
    from governance.errors import SigningError
    from governance.signing.bundle import parse_bundle

    text = base64.b64encode(b"x" * (dsse.MAX_PAYLOAD_BYTES + 3)).decode()
    raw = json.dumps({"payload": text, "payloadType": INTOTO_PAYLOAD_TYPE,
                      "signatures": []}).encode()
    with pytest.raises(SigningError) as exc:
        parse_bundle(raw, "e.json")
    assert str(exc.value) == "e.json: $.payload: payload is larger than the 8388608-byte cap"
