"""Issue 13 item 4: hostile inputs that used to hang or exhaust memory finish fast and clean.

* ``extends`` fan-out: each policy file is read once per run; depth and file count capped;
* a catastrophic user regex (``^(a|aa)+$``) runs on RE2 (linear time); RE2-incompatible
  patterns are refused at load with exit 2;
* tables: 10^6 columns, a Parquet file whose strings decode to 20 GB, JSON Lines with 10^5
  distinct keys are refused *before* materialising (checked in a subprocess under an
  address-space limit);
* report text: a 4 MB remediation is cut with a visible "… (truncated)";
* card importers: a 10^5-deep JSON or YAML card is a clean exit 2.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

import governance.policy.loader as loader

POLICY_HEAD = "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: n, version: '1'}\n"


def _tree(root: Path, width: int, depth: int) -> Path:
    """Level 0 extends ``width`` files of level 1, each of which extends all of level 2..."""
    for level in range(depth, 0, -1):
        for i in range(width):
            ext = ([f"l{level + 1}_{j}.yaml" for j in range(width)] if level < depth else [])
            (root / f"l{level}_{i}.yaml").write_text(
                POLICY_HEAD + f"extends: {json.dumps(ext)}\nrules: []\n", encoding="utf-8")
    top = root / "top.yaml"
    top.write_text(POLICY_HEAD + f"extends: {json.dumps([f'l1_{j}.yaml' for j in range(width)])}"
                   "\nrules:\n  - {id: R1, title: t, kind: card_fields, severity: low, "
                   "params: {fields: [model.name]}}\n", encoding="utf-8")
    return top


def test_extends_fan_out_reads_each_file_once(tmp_path: Path, cli, timed,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """10 wide x 12 deep: 10^12 paths through the tree, 121 files; each read once."""
    _tree(tmp_path, 10, 12)
    monkeypatch.chdir(tmp_path)
    reads: list[str] = []
    real = loader.read_capped

    def counting(path: Path, display: str, **kw: int) -> bytes:
        reads.append(display)
        return real(path, display, **kw)

    monkeypatch.setattr(loader, "read_capped", counting)
    start = time.monotonic()
    r = timed(20, lambda: cli("policy", "lint", "top.yaml"))
    assert (r.code, r.out, r.err) == (0, "top.yaml: ok (1 rules, 0 waivers)\n", "")
    assert len(reads) == 121 and len(set(reads)) == 121
    assert time.monotonic() - start < 10


def test_extends_fan_out_over_the_file_cap(tmp_path: Path, cli, timed,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """40 wide x 12 deep (the issue's case): 481 files, over the 200-file cap."""
    _tree(tmp_path, 40, 12)
    monkeypatch.chdir(tmp_path)
    r = timed(20, lambda: cli("policy", "lint", "top.yaml"))
    assert r.code == 2
    assert r.err.endswith(f": extends: more than {loader.MAX_POLICY_FILES} policy files through "
                          "extends\n")


def test_extends_depth_cap(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path, 1, 20)
    monkeypatch.chdir(tmp_path)
    r = cli("policy", "lint", "top.yaml")
    assert (r.code, r.err) == (2, f"l17_0.yaml: extends: extends nested deeper than "
                                  f"{loader.MAX_EXTENDS_DEPTH} levels\n")


# ---- regexes ------------------------------------------------------------------------------------

PII_RULE = """\
  - id: PII-1
    title: No personal data
    kind: pii_scan
    severity: high
    params:
      by_value: false
      roles: [predictions]
      extra_name_patterns: {{evil: {pattern}}}
waivers:
"""


def _pii(project, pattern: str, columns: list[str]) -> None:  # type: ignore[no-untyped-def]
    content = (",".join(columns) + "\n" + ",".join("1" for _ in columns) + "\n").encode()
    (project.root / "data" / "preds.csv").write_bytes(content)
    text = project.card.read_text(encoding="utf-8")
    old = text.split("sha256: ")[1].split()[0]
    project.card.write_text(text.replace(old, hashlib.sha256(content).hexdigest()),
                            encoding="utf-8")
    policy = project.policy.read_text(encoding="utf-8").split("waivers:")[0]
    project.policy.write_text(policy + PII_RULE.format(pattern=json.dumps(pattern))
                              .removesuffix("waivers:\n"), encoding="utf-8")


def test_catastrophic_regex_runs_in_linear_time(project, cli, timed) -> None:  # type: ignore[no-untyped-def]
    """Python's re needs ~1.6^n steps for ^(a|aa)+$ on 'a'*n + 'b' (hours at n=60)."""
    _pii(project, "^(a|aa)+$", ["a" * 60 + "b", "a" * 40])
    start = time.monotonic()
    r = timed(20, lambda: cli("check", "--quiet"))
    assert time.monotonic() - start < 10
    assert r.code == 1  # the all-'a' column matches: flagged as personal data
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    pii = next(f for f in report["findings"] if f["rule_id"] == "PII-1")
    assert pii["status"] == "fail" and "a" * 40 in json.dumps(pii)


@pytest.mark.parametrize(("pattern", "detail"), [
    ("(a)\\\\1", "invalid escape sequence: \\1"),
    ("(?=a)b", "invalid perl operator: (?="),
    ("(?<!x)y", "invalid perl operator: (?<!"),
])
def test_regex_without_a_linear_time_engine_is_refused(project, cli, pattern: str,  # type: ignore[no-untyped-def]
                                                      detail: str) -> None:
    _pii(project, json.loads(f'"{pattern}"'), ["a"])
    r = cli("policy", "lint", "policy.yaml")
    assert (r.code, r.err) == (
        2, "policy.yaml:20:28: rules[1].params.extra_name_patterns: name pattern for "
        "'evil': not supported by the linear-time regex engine (RE2; no backreferences or "
        f"lookaround): {detail}\n")


# ---- tables, in a subprocess under an address-space limit -------------------------------------

LIMIT_BYTES = 3 << 30  # generous for Python + pandas + pyarrow; far below what the inputs need


def _limited() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _run_limited(project, seconds: float = 120) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "governance", "check", "--quiet"],
                       cwd=project.root, capture_output=True, text=True, timeout=seconds,
                       preexec_fn=_limited,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert time.monotonic() - start < seconds
    return r


def _table(project, name: str, content: bytes, fmt: str) -> None:  # type: ignore[no-untyped-def]
    (project.root / "data" / name).write_bytes(content)
    text = project.card.read_text(encoding="utf-8")
    old = text.split("sha256: ")[1].split()[0]
    text = text.replace(old, hashlib.sha256(content).hexdigest())
    text = text.replace("    path: data/preds.csv\n", f"    path: data/{name}\n    split: test\n"
                        f"    format: {fmt}\n    columns: {{y_true: y_true, y_pred: y_pred, "
                        "positive_label: 1}\n")
    project.card.write_text(text, encoding="utf-8")
    policy = project.policy.read_text(encoding="utf-8").split("waivers:")[0]
    project.policy.write_text(policy + "  - {id: PERF-1, title: Accuracy, kind: "
                              "recomputed_metric, severity: high, params: {metric: accuracy, "
                              "min: 0.0, n_resamples: 0}}\n", encoding="utf-8")


def _perf_message(project) -> str:  # type: ignore[no-untyped-def]
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    perf = next(f for f in report["findings"] if f["rule_id"] == "PERF-1")
    assert perf["status"] == "error"
    return str(perf["message"])


def test_a_million_columns_is_refused_before_reading(project) -> None:  # type: ignore[no-untyped-def]
    n = 10**6
    content = (",".join("c" for _ in range(n)) + "\n" + ",".join("1" for _ in range(n))
               + "\n").encode()
    _table(project, "wide.csv", content, "csv")
    r = _run_limited(project)
    assert r.returncode == 1, r.stderr
    assert _perf_message(project) == (f"artifact 'preds' (data/wide.csv): the table has {n} "
                                      "columns; at most 10000 allowed")


def test_parquet_that_decodes_to_20_gb_is_refused_before_reading(project) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 400_000  # x 50,000 characters = 20 GB of strings, in a file of a few kB
    indices = pa.array(np.zeros(rows, dtype=np.int32))
    table = pa.table({"y_true": pa.array(np.arange(rows) % 2),
                      "y_pred": pa.array(np.arange(rows) % 2),
                      "note": pa.DictionaryArray.from_arrays(indices, pa.array(["x" * 50_000]))})
    path = project.root / "bomb.parquet"
    pq.write_table(table, path)
    content = path.read_bytes()
    assert len(content) < 100_000
    _table(project, "bomb.parquet", content, "parquet")
    r = _run_limited(project)
    assert r.returncode == 1, r.stderr
    assert _perf_message(project) == (
        "artifact 'preds' (data/bomb.parquet): the table decodes to more than 4294967296 bytes "
        "(column 'note' repeats long values)")


def test_json_lines_with_ever_new_keys_is_refused(project) -> None:  # type: ignore[no-untyped-def]
    lines = [json.dumps({"y_true": 1, "y_pred": 1, f"k{i}": 1}) for i in range(20_000)]
    _table(project, "keys.jsonl", ("\n".join(lines) + "\n").encode(), "jsonl")
    r = _run_limited(project)
    assert r.returncode == 1, r.stderr
    assert _perf_message(project) == ("artifact 'preds' (data/keys.jsonl): the records have "
                                      "more than 10000 distinct keys (columns)")


# ---- report text ------------------------------------------------------------------------------

def test_four_megabyte_remediation_is_truncated_visibly(project, cli, timed) -> None:  # type: ignore[no-untyped-def]
    project.edit(project.policy, "    severity: critical\n",
                 "    severity: critical\n    remediation: \"" + "fix it " * 600_000 + "\"\n")
    text = project.policy.read_text(encoding="utf-8").split("waivers:")[0]
    project.policy.write_text(text, encoding="utf-8")
    with (project.root / "data" / "preds.csv").open("a") as fh:  # fail: details are shown
        fh.write("1,1,0.5,male\n")
    r = timed(60, lambda: cli("check", "--quiet", "--format", "json,markdown,html,pdf"))
    assert r.code == 1, r.err
    md = (project.out / "report.md").read_text(encoding="utf-8")
    html = (project.out / "report.html").read_text(encoding="utf-8")
    assert "… \\(truncated\\)" in md and len(md) < 20_000  # Markdown-escaped
    assert "… (truncated)" in html and len(html) < 300_000
    pdf = subprocess.run(["pdftotext", str(project.out / "report.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "(truncated)" in pdf
    # the canonical JSON keeps the whole text
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    assert len(report["findings"][0]["remediation"]) == len("fix it " * 600_000)


# ---- importers --------------------------------------------------------------------------------

def test_deep_json_card_import_is_exit_2(tmp_path: Path, cli, timed) -> None:  # type: ignore[no-untyped-def]
    card = tmp_path / "card.json"
    card.write_text('{"model_details": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    r = timed(20, lambda: cli("card", "import", "--from", "mct", str(card)))
    assert (r.code, r.err) == (2, f"error: {card}:1:{18 + 64}: invalid JSON: nesting deeper "
                                  "than 64 levels\n")


def test_deep_yaml_in_a_hugging_face_readme_is_exit_2(tmp_path: Path, cli, timed) -> None:  # type: ignore[no-untyped-def]
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: " + "[" * 100_000 + "]" * 100_000 + "\n---\n# M\n",
                      encoding="utf-8")
    r = timed(20, lambda: cli("card", "import", "--from", "hf", str(readme)))
    assert r.code == 2 and r.err.startswith(f"error: {readme}:")
    assert "nesting deeper than 64 levels" in r.err


def test_hugging_face_placeholder_scan_is_linear(tmp_path: Path, cli, timed) -> None:  # type: ignore[no-untyped-def]
    """The old ``\\{\\{.*\\}\\}`` regex took quadratic time on a line of 10^6 ``{{``."""
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\n---\n# M\n\n## Uses\n\n" + "{{" * 1_000_000 + "\n",
                      encoding="utf-8")
    start = time.monotonic()
    r = timed(30, lambda: cli("card", "import", "--from", "hf", str(readme), "--name", "m",
                              "--version", "1.0.0"))
    assert time.monotonic() - start < 10
    assert r.code == 0, r.err


def test_scaling_negation_scan_is_linear() -> None:
    """``feature_scaling`` reads card text: 400,000 negated mentions in one clause."""
    from governance.rules.scaling_checks import declares_scaling

    entry = "no standardised " * 200_000
    start = time.monotonic()
    assert declares_scaling(entry, ["standardi"]) is None
    assert declares_scaling(entry + ". standardised", ["standardi"]) == "standardi"
    assert time.monotonic() - start < 5


def test_huge_integers_are_input_errors(project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Python refuses int('1' * 5000) (and float() of a 400-digit int): exit 2, not 3."""
    project.edit(project.policy, "      require_sha256: true\n",
                 "      require_sha256: true\n      x: " + "1" * 5000 + "\n")
    r = cli("policy", "lint", "policy.yaml")
    assert (r.code, r.err) == (2, "policy.yaml:13:10: rules[0].params.x: integer with 5000 "
                                  "digits; at most 100 allowed\n")
    card = tmp_path / "card.json"
    card.write_text('{"model_details": {"name": "m"}, "quantitative_analysis": '
                    '{"performance_metrics": [{"type": "accuracy", "value": ' + "1" * 400
                    + "}]}}", encoding="utf-8")
    r = cli("card", "import", "--from", "mct", str(card))
    assert (r.code, r.err) == (2, f"error: {card}: invalid JSON: integer with 400 digits; at "
                                  "most 18 allowed\n")


def test_streaming_reader_checks_the_csv_header_and_quotes_little(tmp_path: Path) -> None:
    """The streaming engine (files >= 256 MiB) reads the header with the same caps, and a
    pyarrow parse error quotes at most 200 characters of the offending row."""
    from governance.errors import EvidenceError
    from governance.metrics.streaming import iter_batches

    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n1\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        next(iter_batches(str(wide), "csv", ["c0"], "t", 1000))
    assert str(info.value) == "t: the table has 20000 columns; at most 10000 allowed"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n" + ",".join(["SECRETROW"] * 5000) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        list(iter_batches(str(bad), "csv", ["a"], "t", 1000))
    assert str(info.value).startswith("t: cannot read csv table: ")
    assert len(str(info.value)) <= len("t: cannot read csv table: ") + 200
