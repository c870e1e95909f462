"""`governance render`: re-render a saved report; atomic writes; exit 2 on bad input."""

from __future__ import annotations

import sys
import types

import pytest

from governance.cli import main
from governance.report import canonical_json
from governance.reporters import render


@pytest.fixture
def saved(tmp_path, report):
    path = tmp_path / "in" / "report.json"
    path.parent.mkdir()
    path.write_bytes(canonical_json(report))
    return path


def test_renders_formats_to_output_dir(saved, report, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["render", str(saved), "--format", "html,markdown", "--format", "sarif",
                 "--output-dir", str(out)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.md",
                                                     "report.sarif"]
    assert (out / "report.html").read_bytes() == render(report, "html")
    assert (out / "report.md").read_bytes() == render(report, "markdown")
    assert (out / "report.sarif").read_bytes() == render(report, "sarif")
    assert f"wrote html: {out / 'report.html'}" in capsys.readouterr().out


def test_default_is_html_next_to_the_report(saved, report):
    assert main(["render", str(saved)]) == 0
    assert (saved.parent / "report.html").read_bytes() == render(report, "html")


def test_output_file_for_one_format(saved, report, tmp_path):
    target = tmp_path / "x" / "audit.junit.xml"
    assert main(["render", str(saved), "--format", "junit", "--output", str(target)]) == 0
    assert target.read_bytes() == render(report, "junit")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "html,pdf", "--output", "OUT"], "--output takes exactly one --format"),
    (["--format", "docx"], "unknown format 'docx'"),
    (["--trusted-keys", "keys.json"], "--trusted-keys needs --envelope"),
])
def test_usage_errors_exit_2(saved, tmp_path, capsys, args, message):
    args = [a.replace("OUT", str(tmp_path / "o.html")) for a in args]
    assert main(["render", str(saved), *args]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in saved.parent.iterdir()) == ["report.json"]


def test_bad_report_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"report_id": 1,\n  oops}')
    out = tmp_path / "out"
    assert main(["render", str(bad), "--output-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}:2:")
    assert not out.exists()

    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"report_id": "x"}')
    assert main(["render", str(invalid), "--output-dir", str(out)]) == 2
    assert f"error: {invalid}: " in capsys.readouterr().err
    assert not out.exists()

    assert main(["render", str(tmp_path / "missing.json")]) == 2
    assert "no such report file" in capsys.readouterr().err


def test_envelope_without_signing_module_is_a_clear_input_error(saved, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "governance.signing.display", None)  # import fails
    code = main(["render", str(saved), "--envelope", str(saved.parent / "report.dsse.json")])
    assert code == 2
    assert "needs the signing module" in capsys.readouterr().err
    assert sorted(p.name for p in saved.parent.iterdir()) == ["report.json"]


def test_envelope_signatures_go_into_the_signoff(saved, monkeypatch, signatures, tmp_path):
    calls = []

    def signature_infos(envelope_path, trusted_keys, *, report=None):
        calls.append((envelope_path, trusted_keys))
        return list(signatures)

    fake = types.ModuleType("governance.signing.display")
    fake.signature_infos = signature_infos
    monkeypatch.setitem(sys.modules, "governance.signing.display", fake)
    env, keys = tmp_path / "e.json", tmp_path / "k.json"
    out = tmp_path / "out"
    assert main(["render", str(saved), "--format", "html,markdown", "--output-dir", str(out),
                 "--envelope", str(env), "--trusted-keys", str(keys)]) == 0
    assert calls == [(env, keys)]
    html = (out / "report.html").read_text()
    assert "Grace Hopper (Model Risk)" in html and "This report is unsigned" not in html
    assert "Ada Lovelace" in (out / "report.md").read_text()
