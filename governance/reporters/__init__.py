"""Reporters: pure, deterministic functions ``Report -> bytes``, one module per format."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from governance.errors import InputError
from governance.report import Report, SignatureInfo

#: ``SignatureInfo.reason`` of the signature ``governance check --sign-key`` is about to make:
#: the report it renders names its author instead of saying "unsigned". (Here, not in
#: ``_view``, so that a signing check does not load the HTML view before it needs it.)
SIGNED_BY_THIS_RUN = "signed by this run"

# format -> (module, file suffix). Modules are imported only when their format is asked for.
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("governance.reporters.text", ".txt"),
    "json": ("governance.reporters.json", ".json"),
    "sarif": ("governance.reporters.sarif", ".sarif"),
    "junit": ("governance.reporters.junit", ".junit.xml"),
    "markdown": ("governance.reporters.markdown", ".md"),
    "html": ("governance.reporters.html", ".html"),
    "pdf": ("governance.reporters.pdf", ".pdf"),
    "github": ("governance.reporters.github", ".github.txt"),
    "gitlab": ("governance.reporters.gitlab", ".codequality.json"),
}


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})",
                         field="--format")


def render(report: Report, fmt: str, signatures: Sequence[SignatureInfo] = (),
           history: Sequence[Report] = ()) -> bytes:
    """``history``: previous releases' reports, oldest first (HTML/PDF draw their trends)."""
    check_format(fmt)
    module = importlib.import_module(FORMATS[fmt][0])
    if fmt != "json":  # human-readable formats: every text field capped, visibly
        from governance.reporters._caps import capped

        report = capped(report)
        history = [capped(h) for h in history]
    if history and fmt in ("html", "pdf"):
        data: bytes = module.render(report, signatures=tuple(signatures),
                                    history=tuple(history))
    else:
        data = module.render(report, signatures=tuple(signatures))
    return data


def filename(fmt: str, stem: str = "report") -> str:
    check_format(fmt)
    return stem + FORMATS[fmt][1]
