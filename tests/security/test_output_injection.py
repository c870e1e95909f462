"""Issue 13 item 3: text from inputs never acts as a terminal escape or a CI workflow command.

A model name, rule title, waiver reason and remediation carrying newlines followed by GitHub
workflow commands (``::warning::``, ``::stop-commands::``), Azure commands (``##vso[``,
``##[error]``), ESC/BEL sequences and bidi overrides go through the real CLI into every
format and into error messages. In every output: no raw control or bidi character, no line
that begins with ``::`` or ``##[``, no ``##vso[`` anywhere; the payload is shown escaped.
"""

from __future__ import annotations

import json

import pytest

from governance.textsafe import block, one_line

PAYLOAD = ("m\n::warning::x\n::stop-commands::t\x1b]0;pwned\x07\u202eevil\u2066 "
           "##vso[task.setvariable variable=X]1\n##[error]boom\r::error::cr\u2028::notice::ls")
RAW = ("\x1b", "\x07", "\r", "\u202e", "\u2066", "\u2028", "\x9b")


def _yaml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def _inert(name: str, text: str) -> None:
    for ch in RAW:
        assert ch not in text, f"{name}: raw {ch!r}"
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" \t")
        assert not stripped.startswith(("::", "##[")), f"{name}:{number}: {line[:80]!r}"
        assert "##vso[" not in line.lower(), f"{name}:{number}: {line[:80]!r}"


@pytest.fixture()
def hostile(project):  # type: ignore[no-untyped-def]
    project.edit(project.card, "  name: sec-model\n", f"  name: {_yaml(PAYLOAD)}\n")
    project.edit(project.policy, "    title: Artifacts match their digests\n",
                 f"    title: {_yaml(PAYLOAD)}\n    remediation: {_yaml(PAYLOAD * 3)}\n")
    project.edit(project.policy, "    reason: accepted for the test\n",
                 f"    reason: {_yaml(PAYLOAD)}\n")
    return project


def test_every_report_format_and_the_terminal_are_inert(hostile, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("check", "--format", "text,json,markdown,junit,sarif,html,gitlab")
    assert r.code == 0, r.err
    outputs = {"stdout": r.out, "stderr": r.err}
    for path in sorted(hostile.out.iterdir()):
        outputs[path.name] = path.read_text(encoding="utf-8")
    assert set(outputs) >= {"report.json", "report.md", "report.junit.xml", "report.sarif",
                            "report.html"}
    for name, text in outputs.items():
        _inert(name, text)
    # shown, not applied: the escapes are visible in the terminal report
    assert "m\\n::warning::x\\n::stop-commands::t\\x1b]0;pwned\\x07<U+202E>evil<U+2066> " \
        "\\x23#vso[task.setvariable" in r.out
    # the JSON report still holds the exact value (escaped as JSON, parsed back identical)
    report = json.loads(outputs["report.json"])
    assert report["model"]["name"] == PAYLOAD


def test_error_messages_are_inert(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.edit(project.card, "privacy:\n", f"{_yaml(PAYLOAD)}: 1\nprivacy:\n")
    for argv in (("card", "validate", "card.yaml"), ("check", "--quiet")):
        r = cli(*argv)
        assert r.code == 2
        _inert("stderr", r.err)
        assert r.err.count("\n") == 1  # one error, one line
        assert "unknown field" in r.err and "\\x1b]0;pwned\\x07<U+202E>" in r.err


def test_policy_lint_error_is_inert(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.edit(project.policy, "    kind: artifact_integrity\n",
                 f"    kind: {_yaml(PAYLOAD)}\n")
    r = cli("policy", "lint", "policy.yaml")
    assert r.code == 2
    _inert("stderr", r.err)
    assert r.err.startswith("policy.yaml:9:11: rules[0].kind: unknown rule kind 'm\\n::warning")


@pytest.mark.parametrize(("text", "line", "multi"), [
    ("a\nb", "a\\nb", "a\nb"),
    ("::error::x", "\\x3a:error::x", "\\x3a:error::x"),
    ("  ::error::x", "  \\x3a:error::x", "  \\x3a:error::x"),
    ("##[group]x", "\\x23#[group]x", "\\x23#[group]x"),
    ("ok ##vso[task.complete]", "ok \\x23#vso[task.complete]", "ok \\x23#vso[task.complete]"),
    ("x\n::add-mask::y", "x\\n::add-mask::y", "x\n\\x3a:add-mask::y"),
    ("tab\tbel\x07del\x7fcsi\x9b", "tab\\tbel\\x07del\\x7fcsi\\x9b",
     "tab\tbel\\x07del\\x7fcsi\\x9b"),
    ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
     "<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069><U+200E>"
     "<U+200F><U+061C>", None),
    ("caf\u00e9 \u2713 \u4e2d", "caf\u00e9 \u2713 \u4e2d", "caf\u00e9 \u2713 \u4e2d"),
])
def test_the_one_sanitiser(text: str, line: str, multi: str | None) -> None:
    assert one_line(text) == line
    assert block(text) == (multi if multi is not None else line)


def test_canonical_json_escapes_c1_and_bidi(hostile, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("check", "--quiet").code == 0
    raw = (hostile.out / "report.json").read_bytes()
    assert b"\\u202e" in raw and "\u202e".encode() not in raw
    assert b"\\u0023#vso[" in raw and b"##vso[" not in raw


def test_template_text_never_needs_neutralising(project, cli) -> None:  # type: ignore[no-untyped-def]
    """The final pass of the HTML (and text, Markdown) reporters escapes any line that starts
    with ``::``; template text itself must never do so (write CSS pseudo-elements after their
    selector on the same line), or a layout would break silently."""
    r = cli("check", "--format", "text,markdown,html,junit,sarif", "--quiet")
    assert r.code == 0, r.err
    for path in sorted(project.out.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert "\\x3a:" not in text and "\\x23#" not in text, path.name


def test_imported_card_printed_to_the_log_is_inert(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    """`card import` without --output prints YAML: JSON-style escapes keep it inert and the
    values exact."""
    from governance.yamlio import parse_yaml

    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\n---\n# M\n\n## Uses\n\n" + PAYLOAD.replace("\n", " ")
                      + "\n", encoding="utf-8")
    r = cli("card", "import", "--from", "hf", str(readme), "--name", "m", "--version", "1.0.0")
    assert r.code == 0, r.err
    _inert("stdout", r.out)
    _inert("stderr", r.err)
    uses = parse_yaml(r.out).data["intended_use"]["primary_uses"]
    assert uses == [" ".join(PAYLOAD.split())]  # the importer folds whitespace
