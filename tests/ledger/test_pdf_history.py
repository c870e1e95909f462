"""The PDF process of ``governance check`` reads the previous releases from the ledger itself
(governance.commands.pdf_job): its PDF is byte-identical to the one rendered here with the
releases this process reads, is used only when both read the same releases, and a ledger it
cannot read as it is (none yet, an older schema, in memory) is left to this process, which
then renders the PDF. Reading creates and migrates nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.commands import pdf_job
from governance.commands.pdf_job import PdfJob, history_digests
from governance.ledger.hooks import CheckLedger
from governance.ledger.record import check_entry
from governance.ledger.settings import LedgerSettings
from governance.ledger.store import Ledger, LedgerError, open_reader
from governance.report import Report
from governance.reporters import render
from tests.reporters.conftest import build_report


def _release(version: str) -> Report:
    r = build_report(version=version)
    return r.model_copy(update={"target": r.target.model_copy(
        update={"release": f"credit-scoring-{version}"})})


@pytest.fixture(autouse=True)
def _two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_job, "_cores", lambda: 2)


def _submit(url: str, report: Report) -> tuple[PdfJob, CheckLedger, list[Report]]:
    """What ``check`` does: the child gets the query first, then this process opens the
    ledger and reads the releases for the HTML."""
    settings = LedgerSettings(url=url, explicit=True)
    query = CheckLedger.query(settings, report, ["html", "pdf"])
    assert query == ("credit-scoring", CheckLedger.TREND_RELEASES, report.target.release)
    job = PdfJob.start(url)
    assert job.proc is not None
    job.submit(report, (), None, query)
    ledger = CheckLedger(settings)
    return job, ledger, ledger.history(report, ["html", "pdf"])


def test_the_pdf_process_reads_the_previous_releases_itself(ledger_url: str) -> None:
    with Ledger(ledger_url) as ledger:
        for version in ("1.0.0", "1.0.1"):
            ledger.append(check_entry(_release(version)))
    report = _release("1.1.0")
    job, ledger, history = _submit(ledger_url, report)
    ledger.ledger.close()
    assert [r.model.version for r in history] == ["1.0.0", "1.0.1"]
    from_child = job._collect(history_digests(history))  # the child's answer, not a fallback
    assert from_child is not None
    assert from_child == render(report, "pdf", (), history)


def test_releases_that_differ_from_this_process_are_not_used(ledger_url: str) -> None:
    """E.g. another process recorded a release between the two reads: the PDF is rendered
    here with this process's releases, the ones the HTML shows."""
    with Ledger(ledger_url) as ledger:
        ledger.append(check_entry(_release("1.0.0")))
    report = _release("1.1.0")
    job, ledger, history = _submit(ledger_url, report)
    ledger.ledger.close()
    assert len(history) == 1
    assert job._collect(history_digests([])) is None
    job2, ledger2, _ = _submit(ledger_url, report)
    ledger2.ledger.close()
    assert job2.result([]) == render(report, "pdf", (), [])


def test_no_ledger_yet_means_no_previous_release_and_creates_nothing(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "missing" / "ledger.sqlite")
    assert open_reader(url).ledger is None
    report = _release("1.1.0")
    job = PdfJob.start(url)
    job.submit(report, (), None, ("credit-scoring", 7, "credit-scoring-1.1.0"))
    from_child = job._collect(history_digests([]))
    assert from_child == render(report, "pdf", (), [])
    assert not (tmp_path / "missing").exists()


def test_a_ledger_it_cannot_read_as_it_is_is_left_to_this_process(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "ledger.sqlite")
    with Ledger(url) as ledger:
        ledger.append(check_entry(_release("1.0.0")))
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # as if written by an older release of this tool
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()
    with pytest.raises(LedgerError, match="schema 0000"):
        open_reader(url)
    with pytest.raises(LedgerError, match="in-memory"):
        open_reader("sqlite://")
    report = _release("1.1.0")
    for where in (url, "sqlite://"):
        job = PdfJob.start(where)
        job.submit(report, (), None, ("credit-scoring", 7, "credit-scoring-1.1.0"))
        assert job._collect([]) is None  # the child answered no PDF
    job = PdfJob.start(url)
    job.submit(report, (), None, ("credit-scoring", 7, "credit-scoring-1.1.0"))
    assert job.result([]) == render(report, "pdf", (), [])  # rendered here


def test_the_reader_does_not_migrate(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "ledger.sqlite")
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a file without any schema yet
        conn.execute(sa.text("CREATE TABLE other (x INTEGER)"))
    engine.dispose()
    assert open_reader(url).ledger is None
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == ["other"]
    engine.dispose()


def test_previous_releases_read_only_the_chosen_reports(ledger_url: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The newest check of each of the last releases, oldest first, leaving out the release
    checked now; only those reports' payloads are read from the database."""
    from governance.ledger.queries import previous_reports

    versions = ["1.0.0", "1.0.1", "1.0.0", "1.0.2", "1.1.0", "1.0.3"]
    reports = [_release(v).model_copy(update={"report_id": f"r{i}"})
               for i, v in enumerate(versions)]
    with Ledger(ledger_url) as ledger:
        for r in reports:
            ledger.append(check_entry(r))
        other = build_report(name="other-model", version="9.9.9")
        ledger.append(check_entry(other))
        asked: list[list[int]] = []
        real = Ledger.payloads

        def spy(self: Ledger, seqs: list[int]) -> dict[int, str]:
            asked.append(list(seqs))
            return real(self, seqs)

        monkeypatch.setattr(Ledger, "payloads", spy)
        got = previous_reports(ledger, "credit-scoring", 3, "credit-scoring-1.1.0")
        assert [r.report_id for r in got] == ["r2", "r3", "r5"]  # 1.0.1 is the 4th newest
        assert asked == [[3, 4, 6]]
        assert previous_reports(ledger, "credit-scoring", 0) == []
        assert [r.report_id for r in previous_reports(ledger, "credit-scoring", 9)] == \
            ["r1", "r2", "r3", "r4", "r5"]
