"""The templates compiled ahead of time (governance/reporters/_compiled) are current, render
exactly what the sources render, and are not used once a source differs."""

from __future__ import annotations

import filecmp
import json
import shutil

from jinja2 import FileSystemLoader

from governance.reporters import _precompile, _templates
from governance.reporters._jinja import environment, new_environment
from governance.reporters._templates import TEMPLATES_DIR
from governance.reporters.html import render_html


def test_compiled_templates_are_current(tmp_path):
    fresh = tmp_path / "compiled"
    _precompile.compile_into(fresh)
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in _templates.COMPILED.iterdir()
                           if p.name != "__pycache__")
    _, mismatch, errors = filecmp.cmpfiles(fresh, _templates.COMPILED, names, shallow=False)
    assert not mismatch and not errors, ("templates changed: run "
                                         "`python -m governance.reporters._precompile`")
    assert _templates.compiled_dir() == _templates.COMPILED
    assert environment().loader.__class__.__name__ == "ModuleLoader"


def test_compiled_and_source_templates_render_the_same(report, signatures, monkeypatch):
    compiled = render_html(report, signatures, for_pdf=True)
    monkeypatch.setattr("governance.reporters._jinja.environment",
                        lambda: new_environment(FileSystemLoader(str(TEMPLATES_DIR))))
    assert render_html(report, signatures, for_pdf=True) == compiled


def test_edited_source_or_other_jinja_is_not_served_stale(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    monkeypatch.setattr(_templates, "TEMPLATES_DIR", folder)
    assert _templates.compiled_dir() == _templates.COMPILED
    css = folder / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert _templates.compiled_dir() is None
    monkeypatch.undo()
    manifest = json.loads((_templates.COMPILED / _templates.MANIFEST).read_text())
    monkeypatch.setattr(_templates, "jinja_version", lambda: manifest["jinja2"] + ".post1")
    assert _templates.compiled_dir() is None
