"""Fixtures for signing tests: a tiny synthetic project checked by the real engine, keys, trust."""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.api import CheckRequest, run_check
from governance.report import Report, Target, canonical_json
from governance.signing.bundle import Bundle, load_bundle, save_bundle
from governance.signing.keys import KeyPairFiles, SigningKey, load_private_key, write_keypair
from governance.signing.workflow import sign_check_outputs

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_project(root: Path, *, fail: bool = False) -> None:
    """Card pinning a model binary and predictions; a policy with card_fields and integrity."""
    (root / "model").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "model" / "model.bin").write_bytes(bytes(range(256)) * 8)
    (root / "data" / "preds.csv").write_text("y_true,y_pred\n1,1\n0,0\n1,0\n", encoding="utf-8")
    write(root / "card.yaml", f"""
        apiVersion: governance/v1
        kind: ModelCard
        model:
          name: mini
          version: "0.1.0"
          task: binary_classification
          owners:
            - name: Team A
        artifacts:
          - name: model
            role: model
            path: model/model.bin
            sha256: {sha(root / "model" / "model.bin")}
          - name: preds
            role: predictions
            path: data/preds.csv
            sha256: {sha(root / "data" / "preds.csv")}
    """)
    fields = "[model.owners, model.license]" if fail else "[model.owners]"
    write(root / "policy.yaml", f"""
        apiVersion: governance/v1
        kind: Policy
        metadata:
          name: mini
          version: "1"
        rules:
          - id: DOC-1
            title: Owners declared
            kind: card_fields
            severity: high
            params:
              fields: {fields}
          - id: INT-1
            title: Artifacts pinned
            kind: artifact_integrity
            severity: critical
    """)


def fake_pdf(path: Path) -> Path:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    with pdf.open_metadata() as meta:
        meta["dc:title"] = "Governance report"
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path, deterministic_id=True)
    return path


@dataclass
class Keys:
    files: dict[str, KeyPairFiles]

    def signing(self, name: str) -> SigningKey:
        f = self.files[name]
        return load_private_key(f.private.read_bytes(), source=str(f.private))

    def keyid(self, name: str) -> str:
        return self.files[name].keyid

    def pub(self, name: str) -> str:
        return self.files[name].public.read_text(encoding="ascii")


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("keys")
    return Keys({n: write_keypair(folder, n) for n in ("alice", "bob", "carol", "mallory")})


def trust_yaml(keys: Keys, entries: Sequence[tuple[str, Sequence[str]]]) -> str:
    lines = ["apiVersion: governance/v1", "kind: TrustedKeys", "keys:"]
    for name, roles in entries:
        lines += [f"  - keyid: {keys.keyid(name)}", f"    owner: {name}",
                  f"    roles: [{', '.join(roles)}]", "    public_key: |"]
        lines += [f"      {ln}" for ln in keys.pub(name).splitlines()]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def trust_file(tmp_path: Path, keys: Keys) -> Path:
    path = tmp_path / "trusted-keys.yaml"
    path.write_text(trust_yaml(keys, [("alice", ["author"]), ("bob", ["approver"]),
                                      ("carol", ["approver", "security"])]), encoding="utf-8")
    return path


@dataclass
class Signed:
    root: Path
    report: Report
    bundle_path: Path

    def bundle(self) -> Bundle:
        return load_bundle(self.bundle_path)

    def save(self, bundle: Bundle) -> None:
        save_bundle(self.bundle_path, bundle)


def check_report(root: Path, *, release: str = "1.4.0", environment: str = "production",
                 now: datetime = NOW) -> Report:
    return run_check(CheckRequest(
        policies=[root / "policy.yaml"], card=root / "card.yaml", root=root, now=now,
        report_id="11111111-2222-3333-4444-555555555555",
        target=Target(release=release, environment=environment))).report


SignFactory = Callable[..., Signed]


@pytest.fixture()
def signed(tmp_path: Path, keys: Keys) -> SignFactory:
    """Check the project, write json + pdf outputs, sign as alice (author)."""

    def make(*, release: str = "1.4.0", fail: bool = False, author: str = "alice",
             name: str = "project") -> Signed:
        root = tmp_path / name
        make_project(root, fail=fail)
        report = check_report(root, release=release)
        assert report.summary.status.value == ("fail" if fail else "pass")
        out = root / "reports"
        out.mkdir()
        (out / "report.json").write_bytes(canonical_json(report))
        fake_pdf(out / "report.pdf")
        path = sign_check_outputs(
            report=report, outputs={"json": out / "report.json", "pdf": out / "report.pdf"},
            out_dir=out, root=root, key_path=keys.files[author].private, key_pem=None,
            passphrase=None, role="author", now=NOW)
        return Signed(root, report, path)

    return make
