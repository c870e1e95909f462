"""Reporters: pure, deterministic functions ``Report -> bytes``, one module per format."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from governance.errors import InputError
from governance.report import Report, SignatureInfo

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


def render(report: Report, fmt: str, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    check_format(fmt)
    module = importlib.import_module(FORMATS[fmt][0])
    if fmt != "json":  # human-readable formats: every text field capped, visibly
        from governance.reporters._caps import capped

        report = capped(report)
    data: bytes = module.render(report, signatures=tuple(signatures))
    return data


def filename(fmt: str, stem: str = "report") -> str:
    check_format(fmt)
    return stem + FORMATS[fmt][1]
