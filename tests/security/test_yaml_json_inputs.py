"""Item 1: hostile YAML and JSON through every entry point that reads them.

Each input must give exit code 2 and one exact ``file:line:col: field: message`` line: never a
traceback (the ``cli`` fixture fails on one), never a hang, never a silently coerced value.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from governance.card.loader import load_card
from governance.errors import GovernanceError, InputError, YamlError
from governance.report import load_report
from governance.yamlio import MAX_BYTES, MAX_DEPTH, MAX_NODES

ROOT = Path(__file__).resolve().parents[2]

LAUGHS = (
    "extensions:\n"
    '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)

# (id, old text, new text, exact message) applied to the synthetic card.yaml
CARD_CASES = [
    ("python-tag", "name: sec-model", 'name: !!python/object/apply:os.system ["touch CANARY"]',
     "card.yaml:4:9: explicit tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
     "allowed"),
    ("python-name-tag", "name: sec-model", "name: !!python/name:os.system ''",
     "card.yaml:4:9: explicit tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    ("local-tag", "name: sec-model", "name: !custom sec-model",
     "card.yaml:4:9: explicit tag '!custom' is not allowed"),
    ("binary-tag", "name: sec-model", "name: !!binary c2VjLW1vZGVs",
     "card.yaml:4:9: explicit tag 'tag:yaml.org,2002:binary' is not allowed"),
    ("float-tag", 'version: "1.0.0"', "version: !!float 1",
     "card.yaml:5:12: explicit tag 'tag:yaml.org,2002:float' is not allowed"),
    ("billion-laughs", "privacy:\n", LAUGHS + "privacy:\n",
     "card.yaml:10:6: anchors (&a) are not allowed"),
    ("bare-alias", "name: sec-model", "name: *undefined",
     "card.yaml:4:9: aliases (*name) are not allowed"),
    ("merge-key", "  owners:\n", "  <<: {license: MIT}\n  owners:\n",
     "card.yaml:7:3: model: merge keys (<<) are not allowed"),
    ("complex-key", "  task: binary_classification\n",
     "  task: binary_classification\n  ? [a, b]\n  : c\n",
     "card.yaml:7:5: model: mapping keys must be plain strings"),
    ("duplicate-version", '  version: "1.0.0"\n', '  version: "1.0.0"\n  version: "9.9.9"\n',
     "card.yaml:6:3: model.version: duplicate key 'version' (first defined at line 5)"),
    ("duplicate-personal-data", "  contains_personal_data: true\n",
     "  contains_personal_data: true\n  contains_personal_data: false\n",
     "card.yaml:11:3: privacy.contains_personal_data: duplicate key 'contains_personal_data' "
     "(first defined at line 10)"),
    ("duplicate-quoted-key", "  contains_personal_data: true\n",
     "  contains_personal_data: true\n  \"contains_personal_data\": false\n",
     "card.yaml:11:3: privacy.contains_personal_data: duplicate key 'contains_personal_data' "
     "(first defined at line 10)"),
    ("float-version", 'version: "1.0.0"', "version: 1.0",
     "card.yaml:5:12: model.version: Input should be a valid string"),
    ("int-version", 'version: "1.0.0"', "version: 2",
     "card.yaml:5:12: model.version: Input should be a valid string"),
    ("octal-version", 'version: "1.0.0"', "version: 0o17",
     "card.yaml:5:12: model.version: Input should be a valid string"),
    ("NO", "contains_personal_data: true", "contains_personal_data: NO",
     "card.yaml:10:27: privacy.contains_personal_data: expected true or false, got the string "
     "'NO'"),
    ("no", "contains_personal_data: true", "contains_personal_data: no",
     "card.yaml:10:27: privacy.contains_personal_data: expected true or false, got the string "
     "'no'"),
    ("off", "contains_personal_data: true", "contains_personal_data: off",
     "card.yaml:10:27: privacy.contains_personal_data: expected true or false, got the string "
     "'off'"),
    ("yes", "contains_personal_data: true", "contains_personal_data: yes",
     "card.yaml:10:27: privacy.contains_personal_data: expected true or false, got the string "
     "'yes'"),
    ("quoted-false", "contains_personal_data: true", 'contains_personal_data: "false"',
     "card.yaml:10:27: privacy.contains_personal_data: expected true or false, got the string "
     "'false'"),
    ("one-as-bool", "contains_personal_data: true", "contains_personal_data: 1",
     "card.yaml:10:27: privacy.contains_personal_data: Input should be a valid boolean"),
    ("underscore-int", "privacy:\n", "data:\n  training:\n    name: t\n    rows: 1_000\nprivacy:\n",
     "card.yaml:12:11: data.training.rows: Input should be a valid integer"),
    ("quoted-int", "privacy:\n", 'data:\n  training:\n    name: t\n    rows: "700"\nprivacy:\n',
     "card.yaml:12:11: data.training.rows: Input should be a valid integer"),
    ("sexagesimal-int", "privacy:\n",
     "data:\n  training:\n    name: t\n    rows: 22:30\nprivacy:\n",
     "card.yaml:12:11: data.training.rows: Input should be a valid integer"),
    ("date-as-int", "privacy:\n",
     "data:\n  training:\n    name: t\n    rows: 2026-01-01\nprivacy:\n",
     "card.yaml:12:11: data.training.rows: Input should be a valid integer"),
    ("bad-date", "  owners:\n", "  release_date: 2026-02-30\n  owners:\n",
     "card.yaml:7:17: model.release_date: Input should be a valid date in the format YYYY-MM-DD, "
     "day value is outside expected range"),
    ("nan-metric", "privacy:\n", "metrics:\n  - name: accuracy\n    value: .nan\nprivacy:\n",
     "card.yaml:11:12: metrics[0].value: Input should be a finite number"),
    ("nul-in-path", "path: data/preds.csv", 'path: "data/preds.csv\\0.png"',
     "card.yaml:14:11: artifacts[0].path: path contains a NUL byte"),
    ("two-documents", "privacy:\n", "---\nprivacy:\n",
     "card.yaml:9:1: invalid YAML: but found another document"),
    ("tab-indent", "  owners:\n", "\towners:\n",
     "card.yaml:7:1: invalid YAML: found a tab character that violates indentation"),
    ("top-level-list", "apiVersion: governance/v1\n", "- apiVersion: governance/v1\n",
     "card.yaml:2:1: invalid YAML: did not find expected '-' indicator"),
]


@pytest.mark.parametrize(("old", "new", "message"), [c[1:] for c in CARD_CASES],
                         ids=[c[0] for c in CARD_CASES])
def test_hostile_card_text_is_an_exit_2_error_everywhere(project, cli, old: str, new: str,
                                                          message: str) -> None:
    project.edit(project.card, old, new)
    validate = cli("card", "validate", "card.yaml")
    assert (validate.code, validate.err, validate.out) == (2, message + "\n", "")
    check = cli("check", "--config", "governance.yaml")
    assert (check.code, check.err) == (2, f"error: {message}\n")
    assert not project.out.exists()  # nothing written
    assert not (project.root / "CANARY").exists()


def _card_bytes(project) -> bytes:  # type: ignore[no-untyped-def]
    return project.card.read_bytes()


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda raw: raw.replace(b"sec-model", b"sec-\xffmodel"),
     "card.yaml:4:13: not valid UTF-8 (byte 0xff)"),
    (lambda raw: raw.replace(b"sec-model", b"sec-\xc3model"),  # truncated 2-byte sequence
     "card.yaml:4:13: not valid UTF-8 (byte 0xc3)"),
    (lambda raw: raw.replace(b"sec-model", b"sec-\xed\xa0\x80model"),  # UTF-8 surrogate
     "card.yaml:4:13: not valid UTF-8 (byte 0xed)"),
    (lambda raw: b"\xff\xfe" + raw.decode().encode("utf-16-le"),  # a UTF-16 file
     "card.yaml:1:1: not valid UTF-8 (byte 0xff)"),
    (lambda raw: raw.replace(b"sec-model", b"sec\x00model"),
     "card.yaml:4:12: control character U+0000 is not allowed"),
    (lambda raw: raw + b"\x00",
     "card.yaml:16:1: control character U+0000 is not allowed"),
    (lambda raw: raw.replace(b"sec-model", b"sec\x1b[2Jmodel"),  # terminal escape
     "card.yaml:4:12: control character U+001B is not allowed"),
    (lambda raw: raw.replace(b"sec-model", b"sec\x7fmodel"),
     "card.yaml:4:12: control character U+007F is not allowed"),
    (lambda raw: b"", "card.yaml:1:1: empty document"),
    (lambda raw: b"# only a comment\n", "card.yaml:1:1: empty document"),
    (lambda raw: b"- a\n- b\n", "card.yaml:1:1: a model card must be a mapping"),
    (lambda raw: b"just a string\n", "card.yaml:1:1: a model card must be a mapping"),
    (lambda raw: raw + b"# " + b"x" * MAX_BYTES + b"\n",
     f"card.yaml: file is {MAX_BYTES + 339} bytes, larger than the {MAX_BYTES}-byte cap"),
], ids=["0xff", "truncated", "surrogate", "utf-16", "nul", "nul-at-end", "escape", "del",
        "empty", "comment-only", "list", "scalar", "oversized"])
def test_bytes_that_are_not_a_card(project, cli, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    project.card.write_bytes(mutate(_card_bytes(project)))
    validate = cli("card", "validate", "card.yaml")
    assert (validate.code, validate.err) == (2, message + "\n")
    check = cli("check", "--config", "governance.yaml")
    assert (check.code, check.err) == (2, f"error: {message}\n")


def test_utf8_bom_is_accepted_and_hashes_the_file_as_is(project, cli) -> None:  # type: ignore[no-untyped-def]
    raw = b"\xef\xbb\xbf" + project.card.read_bytes()
    project.card.write_bytes(raw)
    assert cli("card", "validate", "card.yaml").code == 0
    import hashlib

    assert load_card(project.card, "card.yaml").sha256 == hashlib.sha256(raw).hexdigest()


def test_yaml_12_core_scalars_on_typed_fields(project) -> None:  # type: ignore[no-untyped-def]
    """What YAML 1.1 would turn into a number, a date or a bool stays what YAML 1.2 says."""
    project.edit(project.card, 'version: "1.0.0"', "version: 22:30")  # 1.1: 1350
    project.edit(project.card, "  owners:\n",
                 "  algorithm: 2026-01-01\n  license: NO\n  release_date: 2026-01-01\n"
                 "  owners:\n")
    project.edit(project.card, "privacy:\n",
                 "data:\n  training:\n    name: on\n    rows: 017\n  evaluation:\n    name: y\n"
                 "    rows: 0o17\nprivacy:\n")
    card = load_card(project.card, "card.yaml").card
    assert card.model.version == "22:30"
    assert card.model.algorithm == "2026-01-01"  # a string, not a date
    assert card.model.license == "NO"  # a string, not False
    assert card.model.release_date == dt.date(2026, 1, 1)  # ISO date on a date field: fine
    assert card.data is not None and card.data.training and card.data.evaluation
    assert card.data.training.name == "on"
    assert card.data.training.rows == 17  # 1.1 would read 017 as octal 15
    assert card.data.evaluation.rows == 15  # 1.2 octal
    assert card.privacy is not None and card.privacy.contains_personal_data is True


def test_deep_nesting_and_node_count_fail_fast(project, cli, timed) -> None:  # type: ignore[no-untyped-def]
    depth = 200_000
    project.card.write_bytes(_card_bytes(project) + b"extensions:\n  x: " + b"[" * depth
                             + b"]" * depth + b"\n")
    r = timed(10, lambda: cli("card", "validate", "card.yaml"))
    # Our composer stops at MAX_DEPTH; libyaml's scanner may meet its own cap (1000) first
    # while looking ahead through the brackets: either way the same message, on line 17.
    assert r.code == 2 and r.err.startswith("card.yaml:17:") and r.err.endswith(
        f": nesting deeper than {MAX_DEPTH} levels\n")
    project.card.write_bytes(b"extensions:\n  x: {" + b"a: {" * depth + b"}" * depth + b"}\n")
    r = timed(10, lambda: cli("card", "validate", "card.yaml"))
    assert r.code == 2 and r.err.startswith("card.yaml:2:") and r.err.endswith(
        f"nesting deeper than {MAX_DEPTH} levels\n")
    # Millions of tiny nodes inside the byte cap: stopped at the node cap within seconds.
    n = 2_000_000
    project.card.write_bytes(b"extensions:\n  x: [" + b"1," * n + b"1]\n")
    r = timed(20, lambda: cli("card", "validate", "card.yaml"))
    col = 7 + 2 * (MAX_NODES - 5)  # five nodes come before the list items
    assert (r.code, r.err) == (2, f"card.yaml:2:{col}: more than {MAX_NODES} YAML nodes\n")


# ---- policy lint -----------------------------------------------------------------------------

POLICY_CASES = [
    ("duplicate-approved_by", "    approved_by: alice\n",
     "    approved_by: alice\n    approved_by: mallory\n",
     "policy.yaml:17:5: waivers[0].approved_by: duplicate key 'approved_by' (first defined at "
     "line 16)"),
    ("duplicate-expires", "    expires: 2099-01-01\n",
     "    expires: 2020-01-01\n    expires: 2099-01-01\n",
     "policy.yaml:18:5: waivers[0].expires: duplicate key 'expires' (first defined at line 17)"),
    ("duplicate-rules", "waivers:\n", "rules: []\nwaivers:\n",
     "policy.yaml:13:1: rules: duplicate key 'rules' (first defined at line 6)"),
    ("enabled-NO", "    severity: critical\n", "    severity: critical\n    enabled: NO\n",
     "policy.yaml:11:14: rules[0].enabled: expected true or false, got the string 'NO'"),
    ("param-no", "require_sha256: true", "require_sha256: no",
     "policy.yaml:12:23: rules[0].params.require_sha256: expected true or false, got the string "
     "'no'"),
    ("param-underscore", "      require_sha256: true\n",
     "      require_sha256: true\n      min_artifacts: 1_0\n",
     "policy.yaml:13:22: rules[0].params.min_artifacts: Input should be a valid integer"),
    ("nan-param", "      require_sha256: true\n",
     "      require_sha256: true\n      min_artifacts: .nan\n",
     "policy.yaml:13:22: rules[0].params.min_artifacts: NaN is not allowed here; give a "
     "number"),
    ("nan-threshold", "waivers:\n",
     "  - id: PERF-1\n    title: t\n    kind: metric_threshold\n    severity: high\n"
     "    params: {metric: accuracy, min: .NaN}\nwaivers:\n",
     "policy.yaml:17:37: rules[1].params.min: NaN is not allowed here; give a number"),
    ("expires-sexagesimal", "expires: 2099-01-01", "expires: 22:30",
     "policy.yaml:17:14: waivers[0].expires: Input should be a valid date in the format "
     "YYYY-MM-DD, input is too short"),
    ("expires-int", "expires: 2099-01-01", "expires: 20990101",
     "policy.yaml:17:14: waivers[0].expires: Input should be a valid date"),
    ("severity-tag", "severity: critical", "severity: !!python/str critical",
     "policy.yaml:10:15: explicit tag 'tag:yaml.org,2002:python/str' is not allowed"),
    ("anchor", "  - rule_id: INT-001\n", "  - &w rule_id: INT-001\n",
     "policy.yaml:14:5: anchors (&w) are not allowed"),
    ("float-policy-version", 'version: "1.0"', "version: 1.0",
     "policy.yaml:5:12: metadata.version: Input should be a valid string"),
]


@pytest.mark.parametrize(("old", "new", "message"), [c[1:] for c in POLICY_CASES],
                         ids=[c[0] for c in POLICY_CASES])
def test_hostile_policy_text_is_an_exit_2_error_everywhere(project, cli, old: str, new: str,
                                                            message: str) -> None:
    project.edit(project.policy, old, new)
    lint = cli("policy", "lint", "policy.yaml")
    assert (lint.code, lint.err, lint.out) == (2, message + "\n", "")
    check = cli("check", "--config", "governance.yaml")
    assert (check.code, check.err) == (2, f"error: {message}\n")
    assert not project.out.exists()


@pytest.mark.parametrize(("target", "message"), [
    ("/dev/zero", "policy.yaml:6:11: extends[0]: absolute path '/dev/zero' is not allowed; "
                  "use a path relative to the project root"),
    ("fifo.yaml", "policy.yaml:6:11: extends[0]: not a regular file (a FIFO)"),
    ("sub/", "policy.yaml:6:11: extends[0]: not a regular file (a directory)"),
])
def test_policy_extends_special_files_do_not_block(project, cli, timed, target: str,
                                                   message: str) -> None:
    import os

    os.mkfifo(project.root / "fifo.yaml")
    (project.root / "sub").mkdir()
    project.edit(project.policy, "rules:\n", f"extends: [{target}]\nrules:\n")
    r = timed(10, lambda: cli("policy", "lint", "policy.yaml"))
    assert (r.code, r.err) == (2, message + "\n")


@pytest.mark.parametrize(("path", "message"), [
    ("/dev/zero", "/dev/zero: not a regular file (a device or pseudo file system)"),
    ("/proc/self/environ", "/proc/self/environ: not a regular file (a device or pseudo file "
                           "system)"),
    ("fifo.yaml", "fifo.yaml: not a regular file (a FIFO)"),
    ("data", "data: not a regular file (a directory)"),
    ("missing.yaml", "missing.yaml: file not found"),
])
def test_special_files_given_on_the_command_line(project, cli, timed, path: str,
                                                 message: str) -> None:
    import os

    os.mkfifo(project.root / "fifo.yaml")
    for argv in (("policy", "lint", path), ("card", "validate", path)):
        r = timed(10, lambda argv=argv: cli(*argv))
        assert (r.code, r.err) == (2, message + "\n")
    r = timed(10, lambda: cli("check", "--config", path))
    assert (r.code, r.err) == (2, f"error: {message}\n")


# ---- governance.yaml ---------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "message"), [
    ("rule_timeout: 5", "rule_timeout: NO",
     "governance.yaml:8:15: rule_timeout: Input should be a valid number"),
    ("rule_timeout: 5", "rule_timeout: 0",
     "governance.yaml:8:15: rule_timeout: Input should be greater than 0"),
    ("rule_timeout: 5", "rule_timeout: .inf",
     "governance.yaml:8:15: rule_timeout: Input should be a finite number"),
    ("rule_timeout: 5", "rule_timeout: 1_0",
     "governance.yaml:8:15: rule_timeout: Input should be a valid number"),
    ("formats: [json]", "formats: [json, exe]",
     "governance.yaml:7:17: formats[1]: unknown format 'exe' (choose from text, json, sarif, "
     "junit, markdown, html, pdf, github, gitlab)"),
    ("card: card.yaml", "card: !!python/object/new:os.system [id]",
     "governance.yaml:4:7: explicit tag 'tag:yaml.org,2002:python/object/new:os.system' is not "
     "allowed"),
    ("root: .\n", "root: .\nroot: /\n",
     "governance.yaml:6:1: root: duplicate key 'root' (first defined at line 5)"),
])
def test_hostile_project_config(project, cli, old: str, new: str, message: str) -> None:  # type: ignore[no-untyped-def]
    project.edit(project.config, old, new)
    r = cli("check", "--config", "governance.yaml")
    assert (r.code, r.err) == (2, f"error: {message}\n")
    assert not project.out.exists()


# ---- report JSON (load_report, --baseline report.json) ----------------------------------------

@pytest.fixture()
def saved_report(project, cli) -> bytes:  # type: ignore[no-untyped-def]
    assert cli("check", "--config", "governance.yaml", "--quiet").code == 0
    return (project.out / "report.json").read_bytes()


def _sub(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert old in raw
    return raw.replace(old, new, 1)


def _json_cases(good: bytes) -> list[tuple[str, bytes, str]]:
    data = json.loads(good)
    half = len(good) // 2
    return [
        ("nan", _sub(good, b'"observed":', b'"observed":NaN,"x":'),
         "report.json: not a JSON report: non-finite number NaN is not allowed"),
        ("infinity", _sub(good, b'"observed":', b'"observed":-Infinity,"x":'),
         "report.json: not a JSON report: non-finite number -Infinity is not allowed"),
        ("deep", b"[" * 100_000 + b"]" * 100_000,
         "report.json: not a JSON report: nested too deeply"),
        ("not-utf8", b"\xff" + good, "report.json: not a JSON report: 'utf-8' codec can't "
         "decode byte 0xff in position 0: invalid start byte"),
        ("nul", b"\x00", "report.json:1:1: not a JSON report: Expecting value: line 1 column 1 "
         "(char 0)"),
        ("truncated", good[:half], "report.json:1:"),
        ("array", b"[]", "report.json: Input should be a valid dictionary or instance of "
         "Report"),
        ("extra-field", json.dumps({**data, "evil": 1}).encode(),
         "report.json: evil: Extra inputs are not permitted"),
        ("duplicate-key", _sub(good, b',"findings":', b',"findings":[],"findings":'),
         "report.json: not a JSON report: duplicate key 'findings' in a JSON object"),
        ("duplicate-status", _sub(good, b'"status":"pass"', b'"status":"fail","status":"pass"'),
         "report.json: not a JSON report: duplicate key 'status' in a JSON object"),
    ]


def test_report_json_loading_rejects_hostile_documents(saved_report: bytes) -> None:
    load_report(saved_report, "report.json")  # the untouched report loads
    for name, raw, expected in _json_cases(saved_report):
        with pytest.raises(InputError) as info:
            load_report(raw, "report.json")
        msg = str(info.value)
        if name == "truncated":
            assert msg.startswith(expected) and ": not a JSON report: " in msg, (name, msg)
        else:
            assert msg == expected, (name, msg)


def test_hostile_baseline_report_through_check(project, cli, saved_report: bytes) -> None:  # type: ignore[no-untyped-def]
    base = project.root / "baseline.json"
    base.write_bytes(saved_report.replace(b'"observed":', b'"observed":NaN,"x":', 1))
    r = cli("check", "--config", "governance.yaml", "--baseline", "baseline.json")
    assert (r.code, r.err) == (2, "error: baseline.json: not a JSON report: non-finite number "
                                  "NaN is not allowed\n")
    base.write_bytes(b"[" * 100_000)
    r = cli("check", "--config", "governance.yaml", "--baseline", "baseline.json")
    assert (r.code, r.err) == (2, "error: baseline.json: not a JSON report: nested too deeply\n")


# ---- the real process: no traceback reaches stderr --------------------------------------------

@pytest.mark.parametrize(("argv", "content", "message"), [
    (["card", "validate"], b"model: {name: x\x00}\n",
     "{path}:1:16: control character U+0000 is not allowed"),
    (["policy", "lint"], b"a: &a [1]\nb: *a\n", "{path}:1:4: anchors (&a) are not allowed"),
    (["card", "validate"], b"x: !!python/object/apply:os.system [touch CANARY]\n",
     "{path}:1:4: explicit tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
     "allowed"),
])
def test_subprocess_reports_cleanly(tmp_path: Path, argv: list[str], content: bytes,
                                    message: str) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(content)
    done = subprocess.run([sys.executable, "-m", "governance", *argv, "in.yaml"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          check=False)
    assert done.returncode == 2
    assert done.stderr == message.format(path="in.yaml") + "\n"
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "CANARY").exists()


def test_errors_are_our_types() -> None:
    assert issubclass(YamlError, InputError) and issubclass(InputError, GovernanceError)
