"""Engine, Dask scheduler and plugins are operator settings (issue 13 item 1).

A policy cannot choose where its evidence is computed (``engine: dask, scheduler: tcp://...``
made the checker connect to any host and unpickle its answers) nor make the checker import an
installed plugin: those come only from the command line or the environment.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from governance.cli import main
from governance.rules import registry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project  # noqa: E402


@pytest.fixture()
def canary() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            seen.append(b"connected")
            conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"tcp://127.0.0.1:{srv.getsockname()[1]}", seen
    stop.set()
    t.join(2)
    srv.close()


def _policy_with(root: Path, params: dict[str, object]) -> None:
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "ACC", "title": "t", "kind": "recomputed_metric",
                        "severity": "high",
                        "params": {"metric": "accuracy", "min": 0.5, "n_resamples": 0,
                                   **params}}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False),
                                      encoding="utf-8")


def _check(root: Path, *extra: str) -> int:
    return main(["check", "--policy", str(root / "policy.yaml"), "--card",
                 str(root / "card.yaml"), "--root", str(root), "--format", "json",
                 "--output-dir", str(root / "out"), "--quiet", *extra])


def test_policy_engine_and_scheduler_are_refused_and_nothing_connects(
        tmp_path: Path, canary: tuple[str, list[bytes]],
        capsys: pytest.CaptureFixture[str]) -> None:
    address, seen = canary
    root = make_project(tmp_path)
    _policy_with(root, {"engine": "dask", "scheduler": address})
    assert _check(root) == 2
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate((root / "policy.yaml").read_text().splitlines(), 1)
                if t.strip().startswith("engine:"))
    assert f"policy.yaml:{line}:" in err
    assert ("rules[0].params.engine: the rule parameter 'engine' was removed: the engine is "
            "an operator setting, `governance check --engine auto|memory|streaming|dask` or "
            "the environment variable GOVERNANCE_ENGINE; delete it from the policy") in err
    assert seen == []
    assert not (root / "out").exists()


def test_policy_scheduler_alone_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    _policy_with(root, {"scheduler": "tcp://127.0.0.1:1"})
    assert _check(root) == 2
    assert ("rules[0].params.scheduler: the rule parameter 'scheduler' was removed: a Dask "
            "scheduler address is an operator setting") in capsys.readouterr().err


def _engine_of(root: Path) -> dict[str, str]:
    env: dict[str, str] = json.loads((root / "out" / "report.json").read_text())["environment"]
    return {k: v for k, v in env.items() if k.startswith("engine")}


def test_engine_flag_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    _policy_with(root, {})
    assert _check(root, "--engine", "streaming") == 0
    assert _engine_of(root) == {"engine": "streaming",
                                "engine:predictions/test.parquet": "streaming"}
    monkeypatch.setenv("GOVERNANCE_ENGINE", "memory")
    assert _check(root) == 0
    assert _engine_of(root) == {"engine": "memory", "engine:predictions/test.parquet": "memory"}
    assert _check(root, "--engine", "streaming") == 0  # the flag wins over the environment
    assert _engine_of(root)["engine"] == "streaming"


def test_bad_operator_settings_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    _policy_with(root, {})
    monkeypatch.setenv("GOVERNANCE_ENGINE", "cluster")
    assert _check(root) == 2
    assert ("GOVERNANCE_ENGINE: GOVERNANCE_ENGINE='cluster' is not an engine; valid: auto, "
            "memory, streaming, dask") in capsys.readouterr().err
    monkeypatch.delenv("GOVERNANCE_ENGINE")
    assert _check(root, "--dask-scheduler", "tcp://127.0.0.1:1") == 2
    assert "needs --engine dask" in capsys.readouterr().err


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installed plugin whose import writes a marker file."""
    site = tmp_path / "site"
    pkg = site / "evilplugin"
    pkg.mkdir(parents=True)
    marker = tmp_path / "imported.txt"
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('imported')\n"
        "from governance.rules.base import Outcome, Params, RuleKind\n"
        "class P(Params):\n    pass\n"
        "KIND = RuleKind(name='evil_kind', family='test', summary='s', params=P,\n"
        "                evaluate=lambda ctx, p: Outcome.passed('plugin ran'))\n",
        encoding="utf-8")
    dist = site / "evilplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: evilplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[governance.rules]\nevil_kind = evilplugin:KIND\n")
    monkeypatch.syspath_prepend(str(site))
    registry._plugin_kinds.cache_clear()
    yield marker
    registry._plugin_kinds.cache_clear()
    sys.modules.pop("evilplugin", None)


def test_plugins_load_only_when_the_operator_enables_them(
        tmp_path: Path, plugin: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p")
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "EVIL", "title": "t", "kind": "evil_kind", "severity": "high"}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    assert _check(root) == 2
    assert ("unknown rule kind 'evil_kind'; 'evil_kind' is an installed plugin, loaded only "
            "when the operator enables plugins (governance check --plugins, or "
            "GOVERNANCE_PLUGINS=1)") in capsys.readouterr().err
    assert not plugin.exists()
    assert _check(root, "--plugins") == 0
    assert plugin.read_text() == "imported"
    plugin.unlink()
    monkeypatch.setenv("GOVERNANCE_PLUGINS", "1")
    assert _check(root) == 0
    report = json.loads((root / "out" / "report.json").read_text())
    assert report["findings"][0]["message"] == "plugin ran"


@pytest.mark.parametrize(("key", "flag"), [
    ("engine", "`governance check --engine` or GOVERNANCE_ENGINE"),
    ("dask_scheduler", "`governance check --dask-scheduler` or GOVERNANCE_DASK_SCHEDULER"),
    ("plugins", "`governance check --plugins` or GOVERNANCE_PLUGINS=1"),
])
def test_governance_yaml_cannot_set_operator_settings(tmp_path: Path, key: str, flag: str,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    root = make_project(tmp_path)
    (root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        f"{key}: tcp://127.0.0.1:1\n", encoding="utf-8")
    assert main(["check", "--config", str(root / "governance.yaml"), "--quiet"]) == 2
    assert (f"governance.yaml:5:1: {key}: {key} is an operator setting, not a governance.yaml "
            f"field: use {flag}") in capsys.readouterr().err


def test_a_plugin_that_fails_to_load_is_named_and_fatal_only_when_used(
        tmp_path: Path, plugin: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    (site / "brokenplugin.py").write_text("raise ImportError('needs libfoo')\n",
                                          encoding="utf-8")
    dist = site / "brokenplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[governance.rules]\nbroken = brokenplugin:KIND\n")
    registry._plugin_kinds.cache_clear()
    root = make_project(tmp_path / "p")
    # The policy uses built-in kinds only: the check runs as without plugins (same exit
    # code, not 2), the broken plugin is named.
    without = _check(root)
    assert without in (0, 1)
    capsys.readouterr()
    assert _check(root, "--plugins") == without
    err = capsys.readouterr().err
    assert ("warning: plugin 'broken' failed to load (ImportError: needs libfoo); its rule "
            "kinds are unavailable") in err
    assert plugin.read_text() == "imported"  # the healthy plugin still loaded
    # A kind nothing provides, with a failed plugin: exit 2, naming the plugin.
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "X", "title": "t", "kind": "libfoo_rule", "severity": "high"}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    assert _check(root, "--plugins") == 2
    assert ("rules[0].kind: unknown rule kind 'libfoo_rule'; plugin(s) that failed to load: "
            "broken (ImportError: needs libfoo)") in capsys.readouterr().err
    sys.modules.pop("brokenplugin", None)


@pytest.mark.parametrize(("key", "flag"), [
    ("key_env", "`--sign-key FILE` or the PEM text in GOVERNANCE_SIGNING_KEY"),
    ("passphrase_env", "GOVERNANCE_KEY_PASSPHRASE"),
])
def test_governance_yaml_cannot_name_a_secret_variable(
        tmp_path: Path, key: str, flag: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # A pull request must not choose which environment variable is read as a key or
    # passphrase (it could name a CI secret): that is the operator's setting.
    root = make_project(tmp_path)
    monkeypatch.setenv("CI_SECRET_TOKEN", "not-a-key")
    (root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        f"signing:\n  {key}: CI_SECRET_TOKEN\n", encoding="utf-8")
    assert main(["check", "--config", str(root / "governance.yaml"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert (f"governance.yaml:6:3: signing.{key}: signing.{key} is an operator setting, not a "
            f"governance.yaml field: use {flag}") in err
    assert "not-a-key" not in err
    assert not (root / "out").exists()
