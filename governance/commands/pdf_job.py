"""The PDF of ``governance check`` laid out in a second process, on the second core (issue 16).

A check spends most of its time in two chains that do not depend on each other until the end:
evaluating the rules, and importing WeasyPrint (fonts, Pango, templates) to lay out the PDF.
:class:`PdfJob` starts ``python -m governance.commands.pdf_job`` when the check starts; the
child imports the PDF reporter and warms it up while the parent evaluates. When the report is
ready the parent sends one JSON request on the child's stdin: the report's canonical JSON, the
sign-off rows and the previous releases' canonical JSON (the same bytes ``governance render``
reads; nothing is pickled in either direction). The child answers with the PDF bytes on stdout
and exits; meanwhile the parent renders the other formats.

The child renders with the same function as the parent (:func:`governance.reporters.render`),
so the bytes are those of a sequential run (a test compares them). Nothing is written until
every format is rendered. If the child fails in any way (did not start, crashed, answered
nothing), the parent renders the PDF itself: the outcome, including any error, is the
sequential one. On a machine with one core, no child is started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

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
        self._request: tuple[Any, tuple[Any, ...], tuple[Any, ...]] | None = None

    @classmethod
    def start(cls) -> PdfJob:
        """Start the child (when there is a second core to run it on)."""
        job = cls()
        if _cores() > 1:
            from governance.worker import python_child

            try:
                job.proc = subprocess.Popen(
                    python_child("governance.commands.pdf_job"), stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError:
                job.proc = None
        return job

    def submit(self, report: Any, signatures: Sequence[Any] = (),
               history: Sequence[Any] = ()) -> None:
        """Send the report to the child (a background thread writes, so a large report
        does not block the parent while the child is still importing)."""
        self._request = (report, tuple(signatures), tuple(history))
        proc = self.proc
        if proc is None or proc.stdin is None:
            return
        from governance.report import canonical_json

        payload = json.dumps({
            "report": canonical_json(report).decode("utf-8"),
            "signatures": [s.model_dump(mode="json") for s in signatures],
            "history": [canonical_json(h).decode("utf-8") for h in history],
        }).encode("utf-8")
        stdin = proc.stdin

        def write() -> None:
            try:
                stdin.write(payload)
            except OSError:
                pass  # the child died: result() renders in this process
            finally:
                try:
                    stdin.close()
                except OSError:
                    pass

        self._writer = threading.Thread(target=write, name="pdf-job-request", daemon=True)
        self._writer.start()

    def result(self) -> bytes:
        """The PDF: the child's answer, else rendered here."""
        assert self._request is not None, "submit() first"
        data = self._collect()
        if data is not None:
            return data
        from governance.reporters import render

        report, signatures, history = self._request
        return render(report, "pdf", signatures, history)

    def _collect(self) -> bytes | None:
        proc, self.proc = self.proc, None
        if proc is None or proc.stdout is None:
            return None
        try:
            data = proc.stdout.read(MAX_PDF_BYTES + 1)
            code = proc.wait()
        except OSError:
            _kill(proc)
            return None
        finally:
            if self._writer is not None:
                self._writer.join()
        if code != 0 or not data.startswith(b"%PDF-") or len(data) > MAX_PDF_BYTES:
            return None
        return data

    def close(self) -> None:
        """Stop a child whose answer is not wanted (the check stopped early)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            _kill(proc)


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


def _warm_up() -> None:
    """Imports and one-time set-up that do not depend on the report."""
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


def main() -> int:  # pragma: no cover - exercised through subprocesses
    import gc

    gc.disable()  # a short-lived process: its garbage is freed at exit
    _warm_up()
    request = json.loads(sys.stdin.buffer.read())
    from governance.report import SignatureInfo, load_report
    from governance.reporters import render

    report = load_report(request["report"].encode("utf-8"), "report.json")
    signatures = [SignatureInfo.model_validate(s) for s in request["signatures"]]
    history = [load_report(h.encode("utf-8"), "history") for h in request["history"]]
    data = render(report, "pdf", signatures, history)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    sys.stdout.close()  # the parent reads to end of file: it need not wait for the exit
    return 0


if __name__ == "__main__":  # pragma: no cover
    # No interpreter teardown (WeasyPrint, Pango): the answer is written and closed.
    os._exit(main())
