"""Signed reports and release sign-off: keys, DSSE/in-toto attestations, approvals, verify.

Modules (one job each):

* :mod:`~governance.signing.keys` — Ed25519 keys: generate, load (file, PEM text from an
  environment variable, optional passphrase), key ids.
* :mod:`~governance.signing.dsse` — the DSSE envelope: PAE, base64, sign, verify.
* :mod:`~governance.signing.statement` — in-toto Statement v1 for a report and for approvals.
* :mod:`~governance.signing.subjects` — which files a report attestation binds, and their digests.
* :mod:`~governance.signing.bundle` — the sign-off bundle file (``report.dsse.json``).
* :mod:`~governance.signing.trust` — the trust file ``trusted-keys.yaml``.
* :mod:`~governance.signing.approve` — co-signing a bundle with a signed approval.
* :mod:`~governance.signing.verify` — the release gate: every check, every reason.
* :mod:`~governance.signing.workflow` — signing from ``governance check`` / ``governance sign``.
* :mod:`~governance.signing.display` — signature rows for the HTML/PDF sign-off block.

Nothing here imports pandas, numpy, scikit-learn, fairlearn or WeasyPrint: ``governance verify``
must stay fast and light.
"""
