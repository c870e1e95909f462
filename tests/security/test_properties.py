"""Item 7: property-based tests. Whatever the bytes, the policy and card loaders only raise our
own errors (GovernanceError subclasses, exit 2), and ``verify`` never accepts a modified envelope.

Hypothesis runs derandomized (stable on CI) with bounded example counts so the suite stays fast.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.card.loader import load_card
from governance.errors import GovernanceError
from governance.policy.loader import load_policies

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"

SETTINGS = settings(derandomize=True, deadline=None, max_examples=120, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

TOKENS = [
    "apiVersion: governance/v1\n", "kind: Policy\n", "kind: ModelCard\n", "metadata:\n",
    "  name: p\n", '  version: "1"\n', "rules:\n", "  - id: A\n", "    kind: card_fields\n",
    "    severity: high\n", "    params: {fields: [model.name]}\n", "    title: t\n",
    "model:\n", "  task: binary_classification\n", "artifacts:\n", "  - name: a\n",
    "    path: ../x\n", "    role: model\n", "waivers:\n", "  - rule_id: A\n",
    "    expires: 2026-13-40\n", "extends: [baseline]\n", "extends: [/dev/zero]\n",
    ": ", "- ", "  ", "\n", "\t", "#", "&a ", "*a", "!!python/object/apply:os.system [id]",
    "!x ", "[", "]", "{", "}", "'", '"', "\\", "\\x00", "\x00", "\x1b", "\ufeff", "\ud7ff",
    ".nan", ".inf", "1_000", "NO", "yes", "0o17", "22:30", "<<: ", "? ", "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n", "---\n", "...\n", "|\n", ">-\n", "~", "null", "1e999", "-0",
    "é", "\u2028", "\U0001f600",
]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _only_our_errors(load: object, path: Path) -> None:
    try:
        load()  # type: ignore[operator]
    except GovernanceError as exc:
        assert str(exc)  # a message that names something
    # Any other exception propagates and fails the property.


yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
mutation = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255),
                              st.sampled_from(["flip", "insert", "delete"])),
                    min_size=1, max_size=8)


def _mutate(raw: bytes, edits: list[tuple[int, int, str]]) -> bytes:
    data = bytearray(raw)
    for pos, byte, op in edits:
        if not data:
            data.append(byte)
            continue
        i = pos % len(data)
        if op == "flip":
            data[i] ^= byte or 1
        elif op == "insert":
            data.insert(i, byte)
        else:
            del data[i]
    return bytes(data)


@SETTINGS
@given(text=st.one_of(yamlish, st.text(max_size=300)))
def test_policy_loader_on_random_text(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "policy.yaml", text.encode("utf-8", "surrogatepass"))
    _only_our_errors(lambda: load_policies([path], display_base=tmp_path), path)


@SETTINGS
@given(text=st.one_of(yamlish, st.text(max_size=300)))
def test_card_loader_on_random_text(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "card.yaml", text.encode("utf-8", "surrogatepass"))
    _only_our_errors(lambda: load_card(path, "card.yaml"), path)


@SETTINGS
@given(edits=mutation)
def test_policy_loader_on_mutated_example(tmp_path: Path, edits: list[tuple[int, int, str]]
                                          ) -> None:
    raw = (EXAMPLE / "policy.yaml").read_bytes()
    path = _write(tmp_path, "policy.yaml", _mutate(raw, edits))
    _only_our_errors(lambda: load_policies([path], display_base=tmp_path), path)


@SETTINGS
@given(edits=mutation)
def test_card_loader_on_mutated_example(tmp_path: Path, edits: list[tuple[int, int, str]]
                                        ) -> None:
    raw = (EXAMPLE / "model-card.yaml").read_bytes()
    path = _write(tmp_path, "card.yaml", _mutate(raw, edits))
    _only_our_errors(lambda: load_card(path, "card.yaml"), path)


# ---- verify never accepts a modified envelope -----------------------------------------------

@pytest.fixture()
def signed(project, cli) -> tuple[list[str], Path, bytes]:  # type: ignore[no-untyped-def]
    assert cli("keygen", "--out-dir", "keys", "--name", "alice").code == 0
    pub = (project.root / "keys" / "alice.pub").read_text(encoding="utf-8")
    from governance.signing.keys import keyid_of, load_public_key

    keyid = keyid_of(load_public_key(pub.encode(), source="alice.pub"))
    trust = project.root / "trusted-keys.yaml"
    trust.write_text("apiVersion: governance/v1\nkind: TrustedKeys\nkeys:\n"
                     f"  - keyid: {keyid}\n    owner: alice\n    roles: [author]\n"
                     "    public_key: |\n" + "".join(f"      {ln}\n" for ln in pub.splitlines()),
                     encoding="utf-8")
    r = cli("check", "--config", "governance.yaml", "--sign-key", "keys/alice.key", "--quiet")
    assert r.code == 0, r.err
    bundle = project.out / "report.dsse.json"
    argv = ["verify", str(bundle), "--trusted-keys", str(trust), "--artifacts-root",
            str(project.root)]
    assert cli(*argv).code == 0  # the untouched bundle verifies
    return argv, bundle, bundle.read_bytes()


def _b64_flip(value: str, pos: int, xor: int) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[pos % len(raw)] ^= xor
    return base64.b64encode(bytes(raw)).decode()


@settings(derandomize=True, deadline=None, max_examples=60, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(where=st.sampled_from(["payload", "sig", "payloadType", "keyid"]),
       pos=st.integers(min_value=0), xor=st.integers(1, 255))
def test_verify_never_accepts_a_modified_envelope(signed, cli, where: str, pos: int,  # type: ignore[no-untyped-def]
                                                  xor: int) -> None:
    argv, bundle, original = signed
    data = json.loads(original)
    env = data["envelope"]
    if where == "payload":
        env["payload"] = _b64_flip(env["payload"], pos, xor)
    elif where == "sig":
        sig = env["signatures"][0]
        sig["sig"] = _b64_flip(sig["sig"], pos, xor)
    elif where == "payloadType":
        t = bytearray(env["payloadType"].encode())
        t[pos % len(t)] ^= xor & 0x7F or 1
        env["payloadType"] = t.decode("utf-8", "replace")
    else:
        sig = env["signatures"][0]
        k = list(sig["keyid"])
        k[pos % len(k)] = "0123456789abcdef"[(int(k[pos % len(k)], 16) + xor) % 16] \
            if xor % 16 else "x"
        sig["keyid"] = "".join(k)
    bundle.write_text(json.dumps(data), encoding="utf-8")
    try:
        r = cli(*argv)
        changed_keyid_only = where == "keyid"
        if changed_keyid_only:
            # The keyid is a hint, not signed: the signature must still be checked against the
            # trusted key itself (accepting is fine only if the signature is genuine).
            assert r.code in (0, 1, 2)
        else:
            assert r.code in (1, 2), (where, pos, xor, r.out, r.err)
    finally:
        bundle.write_bytes(original)


def test_verify_rejects_random_bytes(signed, cli) -> None:  # type: ignore[no-untyped-def]
    argv, bundle, original = signed
    for junk in (b"", b"\x00" * 10, b"[]", b"{}", b'{"envelope": null}', b"[" * 50_000,
                 original[: len(original) // 2], original.replace(b'"sig"', b'"sig2"', 1)):
        bundle.write_bytes(junk)
        r = cli(*argv)
        assert r.code in (1, 2), junk[:40]
    bundle.write_bytes(original)
