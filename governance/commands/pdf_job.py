"""The PDF of ``governance check`` laid out in a second process, on the second core (issue 16).

A check spends most of its time in two chains that do not depend on each other until the end:
evaluating the rules, and importing WeasyPrint (fonts, Pango, templates) to lay out the PDF.
:class:`PdfJob` starts ``python -m governance.commands.pdf_job`` when the check starts; the
child imports the PDF reporter and warms it up while the parent evaluates. When the report is
ready the parent sends one JSON request on the child's stdin: the report's canonical JSON, the
sign-off rows and the previous releases' canonical JSON (the same bytes ``governance render``
reads; nothing is pickled in either direction). The child answers with one JSON header line
and the PDF bytes on stdout and exits; meanwhile the parent renders the other formats.

The release ledger: the PDF draws the model's previous releases from the ledger. Opening it
(SQLAlchemy, the schema check) takes the parent ~0.15 s, which would delay the PDF. So the
parent names the ledger to the child when it starts it (the first line on stdin), the child
opens it while it waits, and the request carries the query instead of the reports; the child
reads the previous releases itself, renders, and names them in its header (digests of their
canonical JSON). Meanwhile the parent opens and migrates the ledger as before and reads the
same releases for the HTML; if the child's differ (another process wrote in between), could not
be read here (no schema yet, an older one) or anything failed, the parent renders the PDF
itself with its own. Either way HTML and PDF show the same releases.

The child warms up in a thread of low CPU priority (``nice`` 10): while the rules run, the
check's own process is the one the run waits for, and the warm-up takes only what that process
leaves. The PDF is laid out by the child's main thread, at normal priority.

The child renders with the same function as the parent (:func:`governance.reporters.render`),
so the bytes are those of a sequential run (a test compares them). Nothing is written until
every format is rendered. If the child fails in any way (did not start, crashed, answered
nothing), the parent renders the PDF itself: the outcome, including any error, is the
sequential one. On a machine with one core, no child is started.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

#: A ledger query: (model name, number of previous releases, release checked now).
Query = tuple[str, int, str | None]

#: Largest PDF accepted from the child (a report's PDF is well below).
MAX_PDF_BYTES = 512 * 1024 * 1024


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class PdfJob:
    """One child process that renders one PDF; see the module documentation."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None
        self._request: tuple[Any, tuple[Any, ...], tuple[Any, ...] | None] | None = None

    @classmethod
    def start(cls, ledger_url: str | None = None) -> PdfJob:
        """Start the child (when there is a second core to run it on); ``ledger_url``: the
        ledger it may read the previous releases from (see :meth:`submit`)."""
        job = cls()
        if _cores() > 1:
            from governance.worker import python_child

            try:
                job.proc = subprocess.Popen(
                    python_child("governance.commands.pdf_job"), stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError:
                job.proc = None
            else:
                job._send(json.dumps({"ledger_url": ledger_url}).encode("utf-8") + b"\n",
                          close=False)
        return job

    def submit(self, report: Any, signatures: Sequence[Any] = (),
               history: Sequence[Any] | None = (), query: Query | None = None) -> None:
        """Send the report to the child (a background thread writes, so a large report
        does not block the parent while the child is still importing). ``history``: the
        previous releases' reports; None with a ``query``: the child reads them from the
        ledger named at :meth:`start`, and :meth:`result` is given the parent's own."""
        self._request = (report, tuple(signatures), None if history is None else tuple(history))
        if self.proc is None or self.proc.stdin is None:
            return
        from governance.report import canonical_json

        payload = json.dumps({
            "report": canonical_json(report).decode("utf-8"),
            "signatures": [s.model_dump(mode="json") for s in signatures],
            "history": None if history is None
            else [canonical_json(h).decode("utf-8") for h in history],
            "query": list(query) if history is None and query is not None else None,
        }).encode("utf-8") + b"\n"
        self._send(payload, close=True)

    def _send(self, payload: bytes, *, close: bool) -> None:
        proc = self.proc
        if proc is None or proc.stdin is None:
            return
        stdin = proc.stdin
        before = self._writer

        def write() -> None:
            if before is not None:
                before.join()
            try:
                stdin.write(payload)
                stdin.flush()
            except OSError:
                pass  # the child died: result() renders in this process
            finally:
                if close:
                    try:
                        stdin.close()
                    except OSError:
                        pass

        self._writer = threading.Thread(target=write, name="pdf-job-request", daemon=True)
        self._writer.start()

    def result(self, history: Sequence[Any] | None = None) -> bytes:
        """The PDF: the child's answer, else rendered here. ``history``: the previous
        releases this process read (required when the child was sent a query); the child's
        PDF is used only if it drew exactly these."""
        assert self._request is not None, "submit() first"
        report, signatures, sent = self._request
        if history is None:
            assert sent is not None, "the child read the ledger: pass the history read here"
            history = sent
        data = self._collect(history_digests(history))
        if data is not None:
            return data
        from governance.reporters import render

        return render(report, "pdf", signatures, history)

    def _collect(self, want: list[str] | None = None) -> bytes | None:
        """The child's PDF, if it answered one drawn from the previous releases ``want``
        (digests; None: whichever were sent)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.stdout is None:
            return None
        try:
            header = proc.stdout.readline(64 * 1024)
            data = proc.stdout.read(MAX_PDF_BYTES + 1)
            code = proc.wait()
        except OSError:
            _kill(proc)
            return None
        finally:
            if self._writer is not None:
                self._writer.join()
        try:
            used = json.loads(header).get("history")
        except (ValueError, AttributeError):
            return None
        if code != 0 or not data.startswith(b"%PDF-") or len(data) > MAX_PDF_BYTES:
            return None
        if want is not None and used != want:
            return None
        return data

    def close(self) -> None:
        """Stop a child whose answer is not wanted (the check stopped early)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            _kill(proc)


def history_digests(history: Sequence[Any]) -> list[str]:
    """sha256 of each previous release's canonical JSON: which releases a PDF drew."""
    from governance.report import canonical_json

    return [hashlib.sha256(canonical_json(h)).hexdigest() for h in history]


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


#: A fixed document laid out once before the report arrives: WeasyPrint's one-time set-up
#: (fontconfig, the user-agent style sheet, cffi's C type parsing) is then done. Later
#: documents come out byte-identical (tests/reporters/test_pdf_job.py).
WARM_UP_HTML = ('<html lang="en"><head><title>w</title></head><body><h1>w</h1><p>x <b>b</b> '
                '<i>i</i> <code>c</code></p><table><tr><th>h</th><td>1</td></tr></table>'
                '</body></html>')


def _warm_up(ledger_url: str | None) -> Any:
    """Imports and one-time set-up that do not depend on the report; the ledger reader
    (None: no ledger, or it cannot be read here)."""
    from governance.reporters import pdf
    from governance.reporters._jinja import environment
    from governance.reporters._templates import TEMPLATES_DIR
    from governance.reporters._weasy import import_weasyprint

    weasyprint = import_weasyprint()
    env = environment()
    for template in sorted(TEMPLATES_DIR.iterdir()):
        if template.name.endswith((".j2", ".css")):
            env.get_template(template.name)
    weasyprint.HTML(string=WARM_UP_HTML, base_url=None, url_fetcher=pdf._fetcher()).write_pdf(
        pdf_variant=pdf.PDF_VARIANT)
    if not ledger_url:
        return None
    try:
        from governance.ledger.store import open_reader

        return open_reader(ledger_url)
    except Exception:  # the parent opens it too, and reports what is wrong
        return None


def _previous(reader: Any, query: Any) -> list[Any] | None:
    """The previous releases read from the ledger; None when this process cannot tell (the
    parent then renders with the releases it reads)."""
    if reader is None or not isinstance(query, list) or len(query) != 3:
        return None
    if reader.ledger is None:
        return []  # no ledger yet: no previous release
    from governance.ledger.queries import previous_reports

    model, limit, release = query
    try:
        return previous_reports(reader.ledger, str(model), int(limit),
                                None if release is None else str(release))
    except Exception:
        return None


def _lower_priority() -> None:
    """This thread at nice 10 (Linux: a thread's own priority), so that the check's own
    process, which the run waits for, goes first on a busy core; the rendering thread keeps
    the normal priority (an ordinary process could not raise it back)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


def main() -> int:  # pragma: no cover - exercised through subprocesses
    import gc

    gc.disable()  # a short-lived process: its garbage is freed at exit
    first = json.loads(sys.stdin.buffer.readline())
    warmed: list[Any] = []

    def warm_up() -> None:
        _lower_priority()
        warmed.append(_warm_up(first.get("ledger_url")))

    # The warm-up runs in a thread of low priority while the rules run; this thread waits
    # for the request (blocked, using no CPU) and renders at normal priority.
    warming = threading.Thread(target=warm_up, name="pdf-warm-up", daemon=True)
    warming.start()
    request = json.loads(sys.stdin.buffer.readline())
    warming.join()
    reader = warmed[0] if warmed else None
    from governance.report import SignatureInfo, load_report
    from governance.reporters import render

    report = load_report(request["report"].encode("utf-8"), "report.json")
    signatures = [SignatureInfo.model_validate(s) for s in request["signatures"]]
    history: list[Any] | None
    if request["history"] is not None:
        history = [load_report(h.encode("utf-8"), "history") for h in request["history"]]
    else:
        history = _previous(reader, request.get("query"))
    out = sys.stdout.buffer
    if history is None:  # the parent renders the PDF with the releases it reads
        out.write(b'{"history": null}\n')
    else:
        data = render(report, "pdf", signatures, history)
        out.write(json.dumps({"history": history_digests(history)}).encode("utf-8") + b"\n")
        out.write(data)
    out.flush()
    sys.stdout.close()  # the parent reads to end of file: it need not wait for the exit
    return 0


if __name__ == "__main__":  # pragma: no cover
    # No interpreter teardown (WeasyPrint, Pango): the answer is written and closed.
    os._exit(main())
