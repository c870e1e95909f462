"""Shared fixtures: project paths, the bundled example, a tiny synthetic project."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credit-scoring"
DATA = ROOT / "tests" / "data"  # real public data sets; sources in tests/data/LICENSE.md


class UnpicklingForbidden(AssertionError):
    """Raised by every unpickling entry point during the test session (issue 9 item 4)."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise UnpicklingForbidden("unpickling is forbidden: model binaries are hashed, never loaded")


class _RefusingUnpickler(pickle.Unpickler):
    def load(self) -> NoReturn:
        _refuse()


@pytest.fixture(scope="session", autouse=True)
def _no_unpickling() -> Iterator[None]:
    """Whole session: pickle.load, pickle.Unpickler(...).load and joblib.load raise."""
    mp = pytest.MonkeyPatch()
    mp.setattr(pickle, "load", _refuse)
    mp.setattr(pickle, "Unpickler", _RefusingUnpickler)
    try:
        import joblib
        import joblib.numpy_pickle
    except ImportError:  # pragma: no cover - joblib comes with scikit-learn
        pass
    else:
        mp.setattr(joblib, "load", _refuse)
        mp.setattr(joblib.numpy_pickle, "load", _refuse)
    try:
        yield
    finally:
        mp.undo()


@pytest.fixture(scope="session", autouse=True)
def _ledger_off_outside_ledger_tests() -> Iterator[None]:
    """Commands in other tests do not record (their output stays exactly what they assert,
    and nothing is written into the working tree); tests/ledger switch it back on."""
    import os

    old = os.environ.get("GOVERNANCE_LEDGER")
    os.environ["GOVERNANCE_LEDGER"] = "off"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("GOVERNANCE_LEDGER", None)
        else:
            os.environ["GOVERNANCE_LEDGER"] = old


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def real_data() -> Path:
    """tests/data: German credit, Adult and COMPAS, unmodified (see LICENSE.md there)."""
    assert DATA.is_dir(), f"test data sets not found at {DATA}"
    return DATA


@pytest.fixture()
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled example (edit it freely)."""
    dest = tmp_path / "credit-scoring"
    shutil.copytree(EXAMPLE, dest,
                    ignore=shutil.ignore_patterns("reports", "keys", "__pycache__",
                                                  ".governance"))
    # The example signs its report with keys/author.key (not committed): make a fresh pair.
    from governance.signing.keys import write_keypair

    write_keypair(dest / "keys", "author")
    return dest


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture()
def mini_project(tmp_path: Path) -> Path:
    """A tiny project: one artifact, a card pinning it, and an empty-rules policy."""
    art = tmp_path / "data" / "preds.csv"
    art.parent.mkdir(parents=True)
    art.write_text("y_true,y_pred\n1,1\n0,0\n1,0\n", encoding="utf-8")
    write(tmp_path / "card.yaml", f"""
        apiVersion: governance/v1
        kind: ModelCard
        model:
          name: mini
          version: "0.1.0"
          task: binary_classification
          owners:
            - name: Team A
          license: MIT
        intended_use:
          primary_uses: [testing]
          out_of_scope: []
        artifacts:
          - name: preds
            role: predictions
            path: data/preds.csv
            sha256: {sha256_of(art)}
        metrics:
          - name: accuracy
            value: 0.8
            split: test
          - name: roc_auc
            value: 0.7
    """)
    return tmp_path


def write_policy(root: Path, rules: Sequence[tuple[str, dict[str, Any]]]) -> Path:
    """``root/policy.yaml``: one high-severity rule per ``(kind, params)``, ids R0, R1, ..."""
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "t", "version": "1"},
              "rules": [{"id": f"R{i}", "title": kind, "kind": kind, "severity": "high",
                         "params": params} for i, (kind, params) in enumerate(rules)]}
    path = root / "policy.yaml"
    path.write_text(json.dumps(policy), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                          dashboard_address=None) as cluster:
            yield cluster.scheduler_address
