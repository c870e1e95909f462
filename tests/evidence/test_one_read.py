"""The bytes hashed are the bytes parsed (issue 12 item 10, input side): each table artifact is
opened and read once per run; a file that changes between two reads is an error."""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from governance.api import CheckRequest, run_check
from governance.errors import ArtifactError
from governance.evidence.store import ArtifactStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project  # noqa: E402


def test_a_file_changed_between_reads_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    store = ArtifactStore(tmp_path)
    d = store.digest("a.csv")
    assert d.sha256 == hashlib.sha256(b"x\n1\n").hexdigest()
    (tmp_path / "a.csv").write_text("x\n2\n")
    with pytest.raises(ArtifactError) as exc:
        store.read_bytes("a.csv")
    assert exc.value.message.startswith("artifact 'a.csv' changed while the check was running")


def test_read_bytes_returns_the_hashed_bytes(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # several chunks
    (tmp_path / "b.bin").write_bytes(data)
    d, got = ArtifactStore(tmp_path).read_bytes("b.bin")
    assert got == data and d.sha256 == hashlib.sha256(data).hexdigest() and d.size == len(data)


@pytest.mark.parametrize("engine", ["memory", "streaming"])
def test_every_rule_shares_one_read_of_the_predictions(tmp_path: Path, engine: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)  # nine performance and fairness rules on one artifact
    target = (root / "predictions" / "test.parquet").resolve()
    digest = hashlib.sha256(target.read_bytes()).hexdigest()

    def check() -> Any:
        return run_check(CheckRequest(policies=[root / "policy.yaml"],
                                      card=root / "card.yaml", root=root,
                                      now=datetime(2026, 1, 1, tzinfo=UTC), report_id="r",
                                      engine=engine)).report

    honest = check()
    (root / "garbage").write_bytes(b"not a parquet file")
    opened: list[str] = []
    real_open = os.open

    def spy(path: Any, *args: Any, **kw: Any) -> int:
        fd = real_open(path, *args, **kw)
        if Path(path) == target:
            opened.append(str(path))
            # swap the file right after the first open: any later read (a second parse, a
            # separate hashing pass, a C-level reader) would see the garbage
            os.replace(root / "garbage", target)
        return fd

    monkeypatch.setattr(os, "open", spy)
    report = check()
    assert len(opened) == 1
    assert [i.sha256 for i in report.inputs if i.role == "artifact:predictions"] == [digest]
    assert [(f.rule_id, f.status, f.message) for f in report.findings] == \
        [(f.rule_id, f.status, f.message) for f in honest.findings]
