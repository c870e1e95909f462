"""PAdES signatures inside the PDF report (pyHanko): sign, co-sign incrementally, verify.

Why ECDSA P-256 and not the Ed25519 key: poppler's ``pdfsig`` (NSS) cannot verify Ed25519 CMS
signatures ("Document isn't signed or corrupted data"), and the officer's PDF readers are no
better. So next to each Ed25519 signing key (``NAME.key``) ``governance keygen`` writes a PDF
signing key ``NAME.pdf.key`` (ECDSA P-256, PKCS#8 PEM, 0600, encrypted with the same
passphrase) and a self-signed X.509 certificate ``NAME.crt`` naming the owner (CN) and role
(title). An organisation's own certificate and key can be put in those two files instead.

Trust: the trust file entry of the signer carries the certificate (``certificate:``, PEM);
:func:`verify_pdf` accepts a PDF signature only if its signing certificate is exactly a
trusted entry's certificate and the role in the signature's reason (``ROLE: DECISION``) is one
that entry allows, i.e. the same trust file and roles as the DSSE bundle.

Digests: the DSSE bundle binds the PDF *as rendered*, before any PDF signature. Every PDF
signature is an incremental update, so those bytes stay the file's first revision;
:func:`unsigned_revision` recovers them (the bytes up to the ``%%EOF`` of revision 0) and the
verifier hashes them. The signatures then cover the whole file, revision by revision.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance.errors import SigningError
from governance.report import SignatureInfo

if TYPE_CHECKING:
    from governance.signing.trust import TrustStore

PDF_KEY_SUFFIX = ".pdf.key"
CERT_SUFFIX = ".crt"
CERT_YEARS = 5
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_SIGNATURES = 64
_REASON = re.compile(r"^([a-z0-9][a-z0-9_-]*): (approve|reject)$")


def credential_paths(key_path: Path) -> tuple[Path, Path]:
    """``keys/author.key`` -> (``keys/author.pdf.key``, ``keys/author.crt``)."""
    stem = key_path.name.removesuffix(".key") if key_path.name.endswith(".key") \
        else key_path.name
    return key_path.with_name(stem + PDF_KEY_SUFFIX), key_path.with_name(stem + CERT_SUFFIX)


def certificate_sha256(pem_or_der: bytes) -> str:
    """sha256 hex of a certificate's DER (``openssl x509 -outform DER | sha256sum``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = (x509.load_pem_x509_certificate(pem_or_der) if b"-----BEGIN" in pem_or_der
            else x509.load_der_x509_certificate(pem_or_der))
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def load_certificate(pem: bytes | str, *, source: str, field_name: str | None = None,
                     line: int | None = None, col: int | None = None) -> Any:
    from cryptography import x509

    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        raise SigningError("malformed certificate: expected PEM '-----BEGIN CERTIFICATE-----'",
                           path=source, line=line, col=col, field=field_name) from None


@dataclass(frozen=True)
class PdfCredentialFiles:
    key: Path
    certificate: Path
    sha256: str


def write_pdf_credentials(out_dir: Path, name: str, *, owner: str, roles: Sequence[str],
                          passphrase: str | None, now: datetime | None = None
                          ) -> PdfCredentialFiles:
    """A P-256 key (``NAME.pdf.key``, 0600) and its self-signed certificate (``NAME.crt``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from governance.signing.keys import _write_new

    key_path, cert_path = credential_paths(out_dir / f"{name}.key")
    for p in (key_path, cert_path):
        if p.exists() or p.is_symlink():
            raise SigningError("file exists; refusing to overwrite a key", path=str(p))
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, owner[:64] or name)]
    if roles:
        attrs.append(x509.NameAttribute(NameOID.TITLE, ", ".join(roles)[:64]))
    attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME,
                                    "governance-checker signer"))
    subject = x509.Name(attrs)
    start = (now or datetime.now(UTC)).replace(microsecond=0) - timedelta(days=1)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=365 * CERT_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")) if passphrase
        else serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    _write_new(key_path, key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8, encryption), 0o600)
    try:
        _write_new(cert_path, cert_pem, 0o644)
    except SigningError:
        key_path.unlink(missing_ok=True)
        raise
    return PdfCredentialFiles(key_path, cert_path, certificate_sha256(cert_pem))


@dataclass(frozen=True)
class PdfSigner:
    """A PDF signing key and its certificate; ``repr`` never shows key material."""

    key_der: bytes = field(repr=False)
    cert_der: bytes
    common_name: str | None
    source: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.cert_der).hexdigest()


def _read(path: Path, what: str) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(64 * 1024 + 1)
    except FileNotFoundError:
        raise SigningError(f"{what} not found (run `governance keygen --if-missing` to create "
                           "the PDF signing key and certificate next to your key)",
                           path=str(path)) from None
    except OSError as exc:
        raise SigningError(f"cannot read {what}: {exc.strerror}", path=str(path)) from None


def load_pdf_signer(key_path: Path, cert_path: Path, passphrase: str | None) -> PdfSigner:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    pem = _read(key_path, "PDF signing key")
    cert = load_certificate(_read(cert_path, "certificate"), source=str(cert_path))
    encrypted = b"ENCRYPTED" in pem
    if encrypted and not passphrase:
        raise SigningError("the PDF signing key is encrypted: provide its passphrase",
                           path=str(key_path))
    try:
        key = serialization.load_pem_private_key(
            pem, password=passphrase.encode("utf-8") if encrypted and passphrase else None)
    except (ValueError, TypeError):
        raise SigningError("cannot load the PDF signing key (wrong passphrase or malformed "
                           "PEM)", path=str(key_path)) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise SigningError("the PDF signing key must be ECDSA (P-256) or RSA: PDF readers "
                           "cannot check Ed25519 signatures", path=str(key_path))
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise SigningError("the certificate does not belong to the PDF signing key "
                           f"{key_path}", path=str(cert_path))
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(cns[0].value) if cns else None
    return PdfSigner(
        key_der=key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
        cert_der=cert.public_bytes(serialization.Encoding.DER), common_name=cn,
        source=str(key_path))


def signer_for_key(key_path: Path | None, passphrase: str | None) -> PdfSigner | None:
    """The PDF signer next to an Ed25519 key file, or None when there is none."""
    if key_path is None:
        return None
    pdf_key, cert = credential_paths(key_path)
    if not pdf_key.exists() and not cert.exists():
        return None
    return load_pdf_signer(pdf_key, cert, passphrase)


def preload() -> None:
    """Import pyHanko's signing modules now (~0.3 s: pyHanko imports aiohttp), e.g. while
    another process lays out the PDF; :func:`sign_pdf` then starts at once."""
    import asn1crypto.keys  # noqa: F401
    import pyhanko.pdf_utils.incremental_writer
    import pyhanko.sign  # noqa: F401
    import pyhanko_certvalidator.registry  # noqa: F401


def sign_pdf(data: bytes, signer: PdfSigner, *, role: str, decision: str = "approve",
             name: str | None = None) -> bytes:
    """``data`` plus one incremental PAdES signature (reason ``ROLE: DECISION``)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if not _REASON.match(f"{role}: {decision}"):
        raise SigningError(f"invalid role/decision {role!r}/{decision!r}", field="--role")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        count = len(writer.prev.embedded_signatures)  # the PDF is parsed once
        if count >= MAX_SIGNATURES:
            raise SigningError(f"the PDF already has {count} signatures (the cap)")
        cms_signer = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(signer.cert_der),
            signing_key=asn1_keys.PrivateKeyInfo.load(signer.key_der),
            cert_registry=SimpleCertificateStore())  # type: ignore[no-untyped-call]
        meta = signers.PdfSignatureMetadata(
            field_name=f"Signature{count + 1}", reason=f"{role}: {decision}",
            name=name or signer.common_name, md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES)
        out = signers.PdfSigner(meta, signer=cms_signer).sign_pdf(writer)
    except SigningError:
        raise
    except Exception as exc:  # pyHanko raises many types for a malformed PDF
        raise SigningError(f"cannot sign the PDF: {type(exc).__name__}: {exc}") from None
    signed: bytes = out.getvalue()
    return signed


def sign_pdf_file(path: Path, signer: PdfSigner, *, role: str, decision: str = "approve",
                  name: str | None = None) -> None:
    """Add one signature to the PDF at ``path`` (written atomically)."""
    from governance.fileio import atomic_write

    data = read_pdf(path)
    atomic_write(path, sign_pdf(data, signer, role=role, decision=decision, name=name))


def read_pdf(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_PDF_BYTES + 1)
    except FileNotFoundError:
        raise SigningError("PDF not found", path=str(path)) from None
    except OSError as exc:
        raise SigningError(f"cannot read PDF: {exc.strerror}", path=str(path)) from None
    if len(data) > MAX_PDF_BYTES:
        raise SigningError(f"PDF is larger than the {MAX_PDF_BYTES}-byte cap", path=str(path))
    return data


def has_signatures(data: bytes) -> bool:
    return b"/ByteRange" in data and b"/Sig" in data


def unsigned_revision(data: bytes) -> bytes | None:
    """The PDF as rendered, before its first signature (None if it has no signature)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not has_signatures(data):
        return None
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
        if not sigs:
            return None
        first = min(s.signed_revision for s in sigs)
        if first < 1:
            return None
        start = reader.xrefs.get_startxref_for_revision(first - 1)
    except Exception:  # a malformed file: no unsigned revision to recover
        return None
    end = data.find(b"%%EOF", start)
    if end < 0:
        return None
    end += len(b"%%EOF")
    if data[end:end + 2] == b"\r\n":
        end += 2
    elif data[end:end + 1] in (b"\n", b"\r"):
        end += 1
    return data[:end]


@dataclass(frozen=True)
class PdfVerification:
    infos: tuple[SignatureInfo, ...]
    reasons: tuple[str, ...]
    roles: tuple[str, ...]  # roles approved by valid, trusted signatures

    @property
    def ok(self) -> bool:
        return not self.reasons


def _cert_name(cert: Any) -> str | None:
    try:
        name: str = cert.subject.native.get("common_name")
        return name
    except Exception:
        return None


#: Keys of a redefined catalog/page that must stay as rendered (the content people read).
_KEEP = {"/Catalog": ("/Pages", "/StructTreeRoot", "/Names", "/AF", "/Lang", "/MarkInfo",
                      "/OutputIntents"),
         "/Page": ("/Contents", "/Resources", "/MediaBox", "/Parent")}
MAX_OBJECTS_PER_SIGNATURE = 16


def _revision_problems(reader: Any, sigs: Sequence[Any]) -> list[str]:
    """What the incremental updates after the rendered revision change.

    pyHanko's full diff analysis costs minutes on a tagged report (thousands of structure
    objects), so this checks what matters here directly: one revision per signature, each
    small, and no update rewrites a rendered object except the document info, the XMP
    metadata, and a page or the catalog with their content, resources, page tree, structure
    tree, attachments and language unchanged (a signature adds a field and a widget)."""
    from pyhanko.pdf_utils import generic

    problems: list[str] = []
    total = reader.xrefs.total_revisions
    if [s.signed_revision for s in sigs] != list(range(1, len(sigs) + 1)) or \
            total != len(sigs) + 1:
        return ["the file has incremental updates that are not signatures "
                f"({total - 1} updates, {len(sigs)} signatures)"]
    old = reader.get_historical_resolver(0)
    rendered = {r.idnum for r in reader.xrefs.explicit_refs_in_revision(0)}
    info = reader.trailer.raw_get("/Info")
    meta = reader.root.raw_get("/Metadata") if "/Metadata" in reader.root else None
    allowed_ids = {getattr(x, "idnum", None) for x in (info, meta)} - {None}
    for rev in range(1, total):
        refs = list(reader.xrefs.explicit_refs_in_revision(rev))
        if len(refs) > MAX_OBJECTS_PER_SIGNATURE:
            problems.append(f"update {rev} rewrites {len(refs)} objects (a signature needs "
                            f"at most {MAX_OBJECTS_PER_SIGNATURE})")
            continue
        new = reader.get_historical_resolver(rev)
        for ref in refs:
            if ref.idnum not in rendered or ref.idnum in allowed_ids:
                continue  # a new object (signature, field, widget) or info/metadata
            before, after = old(ref), new(ref)
            kind = before.get("/Type") if isinstance(before, generic.DictionaryObject) else None
            keep = _KEEP.get(str(kind)) if kind is not None else None
            if keep is None or not isinstance(after, generic.DictionaryObject) or any(
                    (k in before) != (k in after)
                    or (k in before and before.raw_get(k) != after.raw_get(k))
                    for k in keep):
                problems.append(f"update {rev} changes rendered object {ref.idnum} "
                                f"({kind or type(before).__name__})")
    return problems


def _signature_problems(sig: Any, roots: list[Any], entry: Any, m: re.Match[str] | None,
                        role: str, reason_text: str) -> tuple[list[str], Any]:
    """What is wrong with one embedded signature (integrity, cryptography, trust, role),
    and its coverage (None when it could not be validated)."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    problems: list[str] = []
    try:
        ctx = ValidationContext(trust_roots=roots, allow_fetching=False,
                                revocation_mode="soft-fail")
        status = validate_pdf_signature(sig, ctx, skip_diff=True)
        intact, valid, trusted = status.intact, status.valid, status.trusted
        coverage = status.coverage
    except Exception as exc:
        intact = valid = trusted = False
        coverage = None
        problems.append(f"cannot be validated ({type(exc).__name__})")
    if not intact:
        problems.append("the signed bytes were changed (digest mismatch)")
    if not valid:
        problems.append("the cryptographic signature does not verify")
    if entry is None:
        problems.append("its certificate is not in the trust file")
    elif not trusted:
        problems.append("its certificate does not validate")
    if m is None:
        problems.append(f"reason {reason_text[:60]!r} is not 'ROLE: approve|reject'")
    elif entry is not None and role not in entry.roles:
        problems.append(f"role {role!r} is not allowed for {entry.owner} (allowed: "
                        f"{', '.join(entry.roles)})")
    return problems, coverage


def verify_pdf(data: bytes, trust: TrustStore, where: str = "<pdf>") -> PdfVerification:
    """Every PDF signature: intact, valid, by a trusted certificate in an allowed role, the
    last one covering the whole file. Lists every reason; never stops at the first."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    by_cert = {k.certificate_sha256: k for k in trust.keys if k.certificate_sha256}
    roots = [asn1_x509.Certificate.load(k.certificate_der) for k in trust.keys
             if k.certificate_der]
    reasons: list[str] = []
    infos: list[SignatureInfo] = []
    roles: list[str] = []
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:
        return PdfVerification((), (f"{where}: cannot read the PDF: {type(exc).__name__}",),
                               ())
    if not sigs:
        return PdfVerification((), (f"{where}: the PDF has no signature",), ())
    if len(sigs) > MAX_SIGNATURES:
        return PdfVerification((), (f"{where}: more than {MAX_SIGNATURES} signatures",), ())
    try:
        reasons.extend(f"{where}: {p}" for p in _revision_problems(reader, sigs))
    except Exception as exc:
        reasons.append(f"{where}: cannot analyse the incremental updates "
                       f"({type(exc).__name__})")
    seen_certs: set[str] = set()
    for i, sig in enumerate(sigs):
        label = f"{where}: PDF signature {sig.field_name or i + 1}"
        raw_reason = sig.sig_object.get("/Reason")
        reason_text = str(raw_reason) if raw_reason is not None else ""
        m = _REASON.match(reason_text)
        role, decision = (m.group(1), m.group(2)) if m else ("unknown", None)
        cert = sig.signer_cert
        sha = hashlib.sha256(cert.dump()).hexdigest()
        entry = by_cert.get(sha)
        problems, coverage = _signature_problems(sig, roots, entry, m, role, reason_text)
        if sha in seen_certs:
            problems.append("the same certificate signed twice")
        seen_certs.add(sha)
        last = i == len(sigs) - 1
        if last and coverage is not None and coverage != SignatureCoverageLevel.ENTIRE_FILE:
            problems.append("the file has unsigned content after the last signature")
        if decision == "reject" and not problems:
            reasons.append(f"{label}: {role} rejected the report")
        when = sig.self_reported_timestamp
        infos.append(SignatureInfo(
            keyid=entry.keyid if entry else f"certificate sha256 {sha}",
            role=role, signer=(entry.owner if entry else _cert_name(cert)),
            decision=decision, signed_at=when.astimezone(UTC) if when else None,
            verified=not problems, reason="; ".join(problems) or None))
        reasons.extend(f"{label}: {p}" for p in problems)
        if not problems and decision == "approve":
            roles.append(role)
    return PdfVerification(tuple(infos), tuple(reasons), tuple(roles))
