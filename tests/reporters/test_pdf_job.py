"""The PDF laid out by a second process (governance.commands.pdf_job) is byte-identical to the
one rendered in the same process; a failing child falls back to rendering here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from governance.commands import pdf_job
from governance.commands.pdf_job import PdfJob
from governance.reporters import render
from tests.reporters.conftest import build_report


def _history() -> list:
    return [build_report(version="1.0.0"), build_report(version="1.0.1")]


def test_child_pdf_is_byte_identical_to_in_process(report, signatures, monkeypatch):
    monkeypatch.setattr(pdf_job, "_cores", lambda: 2)
    history = _history()
    job = PdfJob.start()
    assert job.proc is not None
    job.submit(report, signatures, history)
    from_child = job._collect()  # the child's own answer, not the fallback
    assert from_child is not None
    assert from_child == render(report, "pdf", signatures, history)


def test_failing_child_falls_back_to_rendering_here(report, monkeypatch):
    monkeypatch.setattr(pdf_job, "_cores", lambda: 2)
    job = PdfJob()
    # A child that exits with an error instead of answering a PDF.
    job.proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    job.submit(report)
    assert job._collect() is None
    job.proc = None
    job.submit(report)
    assert job.result() == render(report, "pdf")


def test_single_core_starts_no_child(monkeypatch):
    monkeypatch.setattr(pdf_job, "_cores", lambda: 1)
    job = PdfJob.start()
    assert job.proc is None


def test_close_stops_an_unwanted_child(monkeypatch):
    monkeypatch.setattr(pdf_job, "_cores", lambda: 2)
    job = PdfJob.start()
    proc = job.proc
    assert proc is not None
    job.close()
    assert proc.poll() is not None
    with pytest.raises(AssertionError):
        job.result()  # nothing was submitted
