"""Item 4: model binaries are hashed, never unpickled.

A pickle whose ``__reduce__`` runs ``os.system("touch CANARY")`` goes through the whole gate;
the canary proves nothing ran. A control run in a subprocess shows the payload is live (so the
test could fail), and the session-wide ban in ``tests/conftest.py`` is checked to be in force.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest


class Payload:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (self.command,))


@pytest.fixture()
def evil_model(project) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    canary = project.root.parent / "CANARY"
    model = project.root / "model" / "model.pkl"
    model.parent.mkdir()
    model.write_bytes(pickle.dumps(Payload(f"touch {canary}")))
    sha = hashlib.sha256(model.read_bytes()).hexdigest()
    project.edit(project.card, "artifacts:\n",
                 "artifacts:\n  - name: model\n    role: model\n    path: model/model.pkl\n"
                 f"    sha256: {sha}\n    format: binary\n")
    return model, canary


def test_payload_is_live_when_unpickled(evil_model: tuple[Path, Path]) -> None:
    """Control: unpickling this file (outside the checker) does run the command."""
    model, canary = evil_model
    subprocess.run([sys.executable, "-c",
                    "import pickle,sys; pickle.loads(open(sys.argv[1],'rb').read())",
                    str(model)], check=True, timeout=60)
    assert canary.exists()


def test_pickle_payload_is_hashed_and_reported_never_run(project, cli,  # type: ignore[no-untyped-def]
                                                         evil_model: tuple[Path, Path]) -> None:
    model, canary = evil_model
    sha = hashlib.sha256(model.read_bytes()).hexdigest()
    r = cli("check", "--config", "governance.yaml", "--quiet")
    assert r.code == 0
    assert not canary.exists()
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    (finding,) = report["findings"]
    assert finding["status"] == "pass"
    rows = {row[0]: row for row in finding["evidence"][0]["rows"]}
    assert rows["model"] == ["model", "model/model.pkl", sha, sha, "ok"]
    assert {"role": "artifact:model", "path": "model/model.pkl", "sha256": sha} in \
        report["inputs"]


def test_tampered_pickle_is_reported_with_its_digest(project, cli,  # type: ignore[no-untyped-def]
                                                     evil_model: tuple[Path, Path]) -> None:
    model, canary = evil_model
    declared = hashlib.sha256(model.read_bytes()).hexdigest()
    model.write_bytes(pickle.dumps(Payload(f"touch {canary}; echo tampered")))
    actual = hashlib.sha256(model.read_bytes()).hexdigest()
    text = project.policy.read_text(encoding="utf-8")
    project.policy.write_text(text.split("waivers:")[0], encoding="utf-8")
    r = cli("check", "--config", "governance.yaml", "--quiet")
    assert r.code == 1
    assert not canary.exists()
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    (finding,) = report["findings"]
    assert finding["status"] == "fail"
    assert finding["message"] == "1 of 2 artifacts failed integrity: model (digest mismatch)"
    rows = {row[0]: row for row in finding["evidence"][0]["rows"]}
    assert rows["model"] == ["model", "model/model.pkl", declared, actual, "digest mismatch"]


def test_unpickling_is_banned_for_the_whole_session(evil_model: tuple[Path, Path]) -> None:
    model, canary = evil_model
    raw = model.read_bytes()
    with pytest.raises(AssertionError, match="unpickling is forbidden"), model.open("rb") as fh:
        pickle.load(fh)
    with pytest.raises(AssertionError, match="unpickling is forbidden"):
        pickle.Unpickler(io.BytesIO(raw)).load()
    import joblib

    with pytest.raises(AssertionError, match="unpickling is forbidden"):
        joblib.load(model)
    import pandas as pd

    with pytest.raises(AssertionError, match="unpickling is forbidden"):
        pd.read_pickle(model)
    assert not canary.exists()
