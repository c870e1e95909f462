"""Tagged PDF/A-3a audit report, laid out by WeasyPrint from the HTML report.

* Accessible: PDF/A-3a is tagged PDF (StructTreeRoot, MarkInfo /Marked true, /Lang from
  ``<html lang>``, the title shown as the window title); headings, lists and tables are
  tagged from the HTML (``th scope`` gives each cell its /Headers), and every chart is a
  /Figure whose /Alt is the SVG ``<title>``: the chart's numbers in words.

* Fetch-free: the URL fetcher refuses every URL except ``data:`` (no file, no network), so no
  text from a model card can make the renderer read a local file or call a server.
* The canonical JSON report is embedded as ``report.json`` (AFRelationship ``Data``), so the
  PDF carries the machine-readable evidence it shows.
* Deterministic: dates come from ``report.generated_at``; the same report gives the same bytes,
  so a PDF can be signed as an artifact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from governance.report import Report, SignatureInfo, canonical_json
from governance.reporters._weasy import import_weasyprint
from governance.reporters.html import render_html

ATTACHMENT_NAME = "report.json"
PDF_VARIANT = "pdf/a-3a"


def _fetcher() -> Any:
    base: Any = import_weasyprint().URLFetcher

    class DataOnlyFetcher(base):  # type: ignore[misc]
        """Refuses every URL but ``data:``; never opens files or sockets."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False,
                             fail_on_errors=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise ValueError(f"blocked URL (only data: URIs are allowed): {url[:80]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher()


def _utc_naive(dt: datetime) -> datetime:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def render(report: Report, signatures: Sequence[SignatureInfo] = (),
           history: Sequence[Report] = ()) -> bytes:
    """The PDF. Garbage collection is paused while WeasyPrint lays it out: layout allocates
    millions of short-lived objects that reference counting frees, and the collector's passes
    over them cost time without reclaiming anything (the work is bounded by the report)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _render(report, signatures, history)
    finally:
        if enabled:
            gc.enable()


def _render(report: Report, signatures: Sequence[SignatureInfo],
            history: Sequence[Report] = ()) -> bytes:
    weasyprint = import_weasyprint()
    fetcher = _fetcher()
    html = render_html(report, signatures, for_pdf=True, history=history)
    when = _utc_naive(report.generated_at)
    attachment = weasyprint.Attachment(
        string=canonical_json(report).decode("utf-8"), name=ATTACHMENT_NAME,
        description="Canonical JSON of this governance report", relationship="Data",
        created=when, modified=when, url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    data: bytes = document.write_pdf(
        pdf_variant=PDF_VARIANT, attachments=[attachment], uncompressed_pdf=False)
    return data
