"""Issue 12 item 10 (output side): ``check`` signs the digests of the bytes it wrote, and two
runs writing the same output folder at once never produce a bundle that binds the other run's
files (the folder is locked; the second run exits 2 and writes nothing)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from governance.cli import main
from governance.fileio import LOCK_FILENAME

from .conftest import Keys, make_project


def subjects(bundle: Path) -> dict[str, str]:
    data = json.loads(bundle.read_text(encoding="utf-8"))
    statement = json.loads(base64.b64decode(data["envelope"]["payload"]))
    return {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}


def args(root: Path, key: Path, *extra: str) -> list[str]:
    return ["check", "--policy", str(root / "policy.yaml"), "--card", str(root / "card.yaml"),
            "--root", str(root), "--format", "json,markdown", "--output-dir",
            str(root / "reports"), "--sign-key", str(key), "--quiet", *extra]


def test_signature_binds_the_bytes_this_run_wrote(tmp_path: Path, keys: Keys,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import governance.fileio as fileio

    root = tmp_path / "p"
    make_project(root)
    real = fileio.atomic_write_many
    wrote: dict[str, bytes] = {}

    def write_then_someone_else_writes(files: dict[Path, bytes], **kw: object) -> None:
        real(files, **kw)  # type: ignore[arg-type]
        for path, data in files.items():
            wrote[path.name] = data
            if path.name == "report.md":  # another writer replaces the file before signing
                path.write_bytes(b"## forged\n")

    monkeypatch.setattr(fileio, "atomic_write_many", write_then_someone_else_writes)
    assert main(args(root, keys.files["alice"].private)) == 0
    bound = subjects(root / "reports" / "report.dsse.json")
    assert bound["reports/report.md"] == hashlib.sha256(wrote["report.md"]).hexdigest()
    assert bound["reports/report.md"] != hashlib.sha256(b"## forged\n").hexdigest()
    assert bound["reports/report.json"] == hashlib.sha256(wrote["report.json"]).hexdigest()


HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "governance", *argv]


def test_second_run_on_a_locked_output_folder_exits_2_and_writes_nothing(
        tmp_path: Path, keys: Keys) -> None:
    root = tmp_path / "p"
    make_project(root)
    out = root / "reports"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / LOCK_FILENAME)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        run = subprocess.run(_cli(*args(root, keys.files["alice"].private)),
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2, run.stderr
        assert (f"{out}: another `governance check` is writing to this output folder right "
                "now; wait for it to finish or pass another --output-dir") in run.stderr
        assert sorted(p.name for p in out.iterdir()) == [LOCK_FILENAME]
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    run = subprocess.run(_cli(*args(root, keys.files["alice"].private)),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert {"report.json", "report.md", "report.dsse.json"} <= {p.name for p in out.iterdir()}


def test_two_concurrent_checks_leave_a_bundle_that_matches_the_files(
        tmp_path: Path, keys: Keys) -> None:
    """Two real ``check`` processes started together on one output folder: each either wins
    the lock or exits 2; whatever is on disk afterwards is one run's files and its bundle."""
    root = tmp_path / "p"
    make_project(root)
    out = root / "reports"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    procs = [subprocess.Popen(_cli(*args(root, keys.files[k].private, "--release", k)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for k in ("alice", "bob")]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:
            assert "another `governance check` is writing to this output folder" in err
    assert any(code == 0 for code, _ in results)
    bound = subjects(out / "report.dsse.json")
    for name in ("report.json", "report.md"):
        assert bound[f"reports/{name}"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    bundle = json.loads((out / "report.dsse.json").read_text(encoding="utf-8"))
    keyid = bundle["envelope"]["signatures"][0]["keyid"]
    assert keyid == keys.keyid(report["target"]["release"])


def test_sign_binds_the_report_bytes_it_parsed(tmp_path: Path, keys: Keys,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import governance.yamlio as yamlio

    root = tmp_path / "p"
    make_project(root)
    assert main(["check", "--policy", str(root / "policy.yaml"), "--card",
                 str(root / "card.yaml"), "--root", str(root), "--format", "json",
                 "--output-dir", str(root / "reports"), "--quiet"]) == 0
    report = root / "reports" / "report.json"
    parsed = report.read_bytes()
    real = yamlio.read_capped

    def read_then_replaced(path: Path, *a: object, **kw: object) -> bytes:
        raw = real(path, *a, **kw)  # type: ignore[arg-type]
        if Path(path) == report:
            report.write_bytes(raw.replace(b'"status":"pass"', b'"status":"fail"'))
        return raw

    monkeypatch.setattr(yamlio, "read_capped", read_then_replaced)
    assert main(["sign", str(report), "--key", str(keys.files["alice"].private),
                 "--artifacts-root", str(root)]) == 0
    bound = subjects(root / "reports" / "report.dsse.json")
    assert bound["reports/report.json"] == hashlib.sha256(parsed).hexdigest()
