"""Self-contained HTML audit report: inline CSS and SVG, no script, no external URL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from governance.report import Report, SignatureInfo, Status
from governance.reporters._view import STATUS_LABEL, STATUS_MEANING, STATUS_SYMBOL, build_view


def created_stamp(report: Report) -> str:
    """``generated_at`` as a W3C date-time (UTC): the PDF's fixed creation date."""
    dt = report.generated_at
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def render_html(report: Report, signatures: Sequence[SignatureInfo] = (), *,
                for_pdf: bool = False, history: Sequence[Report] = ()) -> str:
    """The report as an HTML document (also the source WeasyPrint lays out as the PDF).

    ``history``: reports of the model's previous releases, oldest first (from the release
    ledger): adds the trends and "changes since the previous release" section.
    """
    from governance.reporters._jinja import render_template
    from governance.reporters._safe import visible_controls
    from governance.reporters._trends import build_trends

    return visible_controls(render_template(
        "report.html.j2",
        v=build_view(report, signatures),
        created=created_stamp(report),
        for_pdf=for_pdf,
        trends=build_trends(report, history),
        statuses={s.value: s for s in Status},
        labels=STATUS_LABEL,
        symbols=STATUS_SYMBOL,
        meanings=STATUS_MEANING,
    ))


def render(report: Report, signatures: Sequence[SignatureInfo] = (),
           history: Sequence[Report] = ()) -> bytes:
    return render_html(report, signatures, history=history).encode("utf-8")
