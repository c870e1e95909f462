"""PAdES signatures inside the PDF report, checked with poppler's pdfsig and pyHanko's own
validator (the oracles), and governance's verify against the trust file's certificates/roles."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from governance.cli import main
from governance.signing.keys import write_keypair
from governance.signing.pdf import (
    credential_paths,
    load_pdf_signer,
    sign_pdf,
    unsigned_revision,
    verify_pdf,
    write_pdf_credentials,
)
from governance.signing.trust import load_trust_file

ROLES = {"author": "author", "mrm": "model-risk"}


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    import weasyprint

    from governance.reporters.pdf import _fetcher

    html = ("<html lang='en'><head><title>t</title></head><body><h1>Report</h1>"
            "<p>Evidence.</p></body></html>")
    data: bytes = weasyprint.HTML(string=html, url_fetcher=_fetcher()).write_pdf(
        pdf_variant="pdf/a-3a")
    return data


def _indent(text: str) -> str:
    return "".join(f"      {line}\n" for line in text.strip().splitlines())


def make_keys(folder: Path, names: dict[str, str], trusted: dict[str, str] | None = None
              ) -> Path:
    """Ed25519 + P-256 credentials per name; a trust file granting ``trusted`` roles."""
    entries = []
    for name, role in names.items():
        kp = write_keypair(folder, name)
        files = write_pdf_credentials(folder, name, owner=f"{name.title()} Example",
                                      roles=[role], passphrase=None)
        grant = (trusted or names)[name]
        entries.append(f"  - keyid: {kp.keyid}\n    owner: {name.title()} Example\n"
                       f"    roles: [{grant}]\n    public_key: |\n{_indent(kp.public.read_text())}"
                       f"    certificate: |\n{_indent(files.certificate.read_text())}")
    trust = folder / "trusted-keys.yaml"
    trust.write_text("keys:\n" + "".join(entries))
    return trust


def signer(folder: Path, name: str):  # type: ignore[no-untyped-def]
    key, cert = credential_paths(folder / f"{name}.key")
    return load_pdf_signer(key, cert, None)


def pdfsig(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    sigs = []
    for block in re.split(r"^Signature #\d+:\n", out, flags=re.M)[1:]:
        sigs.append(dict(re.findall(r"^[ \t]+- ([^:\n]+): (.*)$", block, flags=re.M)))
    return sigs


def pyhanko_statuses(data: bytes, certs: list[Path]) -> list[object]:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(
        c.read_bytes()).public_bytes(encoding=__import__(
            "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]
        ).Encoding.DER)) for c in certs]
    reader = PdfFileReader(io.BytesIO(data))
    return [validate_pdf_signature(s, ValidationContext(trust_roots=roots))
            for s in reader.embedded_signatures]


def test_keygen_certificate_names_owner_and_role(tmp_path: Path) -> None:
    files = write_pdf_credentials(tmp_path, "alice", owner="Alice Example",
                                  roles=["model-risk"], passphrase="s3cret")
    cert = x509.load_pem_x509_certificate(files.certificate.read_bytes())
    assert cert.subject.rfc4514_string() == \
        "OU=governance-checker signer,2.5.4.12=model-risk,CN=Alice Example"  # 2.5.4.12: title
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    assert files.key.stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in files.key.read_bytes()
    assert files.sha256 == hashlib.sha256(subprocess.run(
        ["openssl", "x509", "-in", str(files.certificate), "-outform", "DER"],
        capture_output=True, check=True).stdout).hexdigest()
    loaded = load_pdf_signer(files.key, files.certificate, "s3cret")
    assert loaded.common_name == "Alice Example" and loaded.sha256 == files.sha256


def test_author_and_approver_signatures_valid_in_pdfsig_and_pyhanko(
        tmp_path: Path, plain_pdf: bytes) -> None:
    trust = make_keys(tmp_path, ROLES)
    once = sign_pdf(plain_pdf, signer(tmp_path, "author"), role="author")
    twice = sign_pdf(once, signer(tmp_path, "mrm"), role="model-risk", name="Dana Okafor")
    assert twice.startswith(once) and once.startswith(plain_pdf)  # incremental updates
    path = tmp_path / "signed.pdf"
    path.write_bytes(twice)

    sigs = pdfsig(path)
    assert [s["Signer Certificate Common Name"] for s in sigs] == ["Author Example",
                                                                  "Mrm Example"]
    assert all(s["Signature Validation"] == "Signature is Valid." for s in sigs)
    assert all(s["Signature Type"] == "ETSI.CAdES.detached" for s in sigs)

    statuses = pyhanko_statuses(twice, [tmp_path / "author.crt", tmp_path / "mrm.crt"])
    assert [(s.intact, s.valid, s.trusted) for s in statuses] == [(True, True, True)] * 2

    result = verify_pdf(twice, load_trust_file(trust))
    assert result.reasons == ()
    assert [(i.role, i.signer, i.decision, i.verified) for i in result.infos] == [
        ("author", "Author Example", "approve", True),
        ("model-risk", "Mrm Example", "approve", True)]
    assert unsigned_revision(twice) == plain_pdf


def test_tampered_untrusted_and_wrong_role_are_reported(tmp_path: Path,
                                                        plain_pdf: bytes) -> None:
    trust = make_keys(tmp_path, ROLES, trusted={"author": "author", "mrm": "compliance"})
    signed = sign_pdf(plain_pdf, signer(tmp_path, "author"), role="author")
    signed = sign_pdf(signed, signer(tmp_path, "mrm"), role="model-risk")
    store = load_trust_file(trust)
    reasons = verify_pdf(signed, store, "r.pdf").reasons
    assert reasons == ("r.pdf: PDF signature Signature2: role 'model-risk' is not allowed for "
                       "Mrm Example (allowed: compliance)",)

    i = signed.index(b"Evidence") if b"Evidence" in signed else len(plain_pdf) // 2
    tampered = signed[:i] + bytes([signed[i] ^ 1]) + signed[i + 1:]
    reasons = verify_pdf(tampered, store, "r.pdf").reasons
    assert any("digest mismatch" in r for r in reasons), reasons

    other = tmp_path / "other"
    make_keys(other, {"eve": "author"})
    forged = sign_pdf(plain_pdf, signer(other, "eve"), role="author")
    reasons = verify_pdf(forged, store, "r.pdf").reasons
    assert "r.pdf: PDF signature Signature1: its certificate is not in the trust file" in reasons

    appended = signed + b"\n% unsigned tail\n"
    reasons = verify_pdf(appended, load_trust_file(make_keys(tmp_path / "t2", ROLES)),
                         "r.pdf").reasons
    assert any("unsigned content after the last signature" in r
               or "not in the trust file" in r for r in reasons), reasons


def test_check_signs_pdf_approve_adds_signature_verify_checks_both(
        example_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = example_copy / "keys"
    (keys / "author.key").unlink()
    (keys / "author.pub").unlink()
    trust = make_keys(keys, ROLES)
    # plus the example's DEMO risk officer, who signed its waiver (verify checks it too)
    demo = (example_copy / "trusted-keys.yaml").read_text().split("\nkeys:\n", 1)[1]
    trust.write_text(trust.read_text() + demo)
    reports = example_copy / "reports"
    assert main(["check", "--config", str(example_copy / "governance.yaml"), "--quiet"]) == 0
    pdf = reports / "report.pdf"
    first = pdf.read_bytes()
    assert [s["Signature Validation"] for s in pdfsig(pdf)] == ["Signature is Valid."]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert "Author Example" in text and "This report is unsigned" not in text
    # deterministic under the signature: the signed file starts with exactly the rendering of
    # the saved report plus the author's sign-off row
    from governance.report import SignatureInfo, load_report
    from governance.reporters import SIGNED_BY_THIS_RUN, render
    from governance.signing.keys import keyid_of, load_public_key

    report = load_report((reports / "report.json").read_bytes())
    author = SignatureInfo(
        keyid=keyid_of(load_public_key((keys / "author.pub").read_bytes(), source="pub")),
        role="author", signer="Author Example", decision="approve",
        signed_at=report.generated_at, reason=SIGNED_BY_THIS_RUN)
    assert unsigned_revision(first) == render(report, "pdf", [author])

    assert main(["approve", str(reports / "report.dsse.json"), "--key",
                 str(keys / "mrm.key"), "--role", "model-risk", "--trusted-keys", str(trust),
                 "--signer",
                 "Dana Okafor"]) == 0
    assert pdf.read_bytes().startswith(first)
    sigs = pdfsig(pdf)
    assert [(s["Signer Certificate Common Name"], s["Signature Validation"]) for s in sigs] == [
        ("Author Example", "Signature is Valid."), ("Mrm Example", "Signature is Valid.")]
    capsys.readouterr()
    argv = ["verify", str(reports / "report.dsse.json"), "--trusted-keys", str(trust),
            "--artifacts-root", str(example_copy), "--require-role", "model-risk"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "PDF signature: author Author Example approve [ok]" in out
    assert "PDF signature: model-risk Mrm Example approve [ok]" in out

    data = pdf.read_bytes()
    i = len(data) - 200  # inside the approver's revision
    pdf.write_bytes(data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1:])
    assert main(argv) == 1
    failed = capsys.readouterr().out.split("verification FAILED", 1)[1]
    assert "reports/report.pdf" in failed  # the PDF's own check fails, whatever the damage


def test_an_unsigned_update_that_rewrites_the_page_is_reported(tmp_path: Path,
                                                              plain_pdf: bytes) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    trust = load_trust_file(make_keys(tmp_path, ROLES))
    signed = sign_pdf(plain_pdf, signer(tmp_path, "author"), role="author")
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=b"BT ET"))
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    edited = out.getvalue()
    reasons = verify_pdf(edited, trust, "r.pdf").reasons
    assert "r.pdf: the file has incremental updates that are not signatures (2 updates, " \
        "1 signatures)" in reasons
    # the same edit by a trusted approver's signed update is still refused
    resigned = sign_pdf(edited, signer(tmp_path, "mrm"), role="model-risk")
    reasons = verify_pdf(resigned, trust, "r.pdf").reasons
    assert any("changes rendered object" in r or "not signatures" in r for r in reasons)


def test_a_signed_pdf_is_bound_by_its_rendered_revision(tmp_path: Path,
                                                       plain_pdf: bytes) -> None:
    from governance.signing.subjects import _unsigned_pdf_digest

    make_keys(tmp_path, ROLES)
    path = tmp_path / "report.pdf"
    path.write_bytes(plain_pdf)
    assert _unsigned_pdf_digest(path) is None  # unsigned: the file's own digest is used
    path.write_bytes(sign_pdf(plain_pdf, signer(tmp_path, "author"), role="author"))
    assert _unsigned_pdf_digest(path) == hashlib.sha256(plain_pdf).hexdigest()
