"""`governance init`: scaffold, refuse to overwrite (all or nothing), lint + validate clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.cli import main


def test_init_scaffolds_files_that_lint_and_validate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "fraud model"
    repo.mkdir()
    assert main(["init", str(repo), "--hooks-repo", "https://example.org/gc.git",
                 "--hooks-rev", "v9.9.9"]) == 0
    out = capsys.readouterr().out
    assert out == (f"wrote {repo / 'governance.yaml'}\nwrote {repo / 'policy.yaml'}\n"
                   f"wrote {repo / 'model-card.yaml'}\nwrote {repo / '.pre-commit-config.yaml'}\n"
                   "next: fill in model-card.yaml, then run `governance check`\n")
    assert sorted(p.name for p in repo.iterdir()) == [
        ".pre-commit-config.yaml", "governance.yaml", "model-card.yaml", "policy.yaml"]
    assert main(["policy", "lint", str(repo / "policy.yaml")]) == 0
    assert main(["card", "validate", str(repo / "model-card.yaml")]) == 0
    out = capsys.readouterr().out
    assert f"{repo / 'model-card.yaml'}: ok (fraud-model 0.1.0, 0 artifacts)" in out
    policy = (repo / "policy.yaml").read_text(encoding="utf-8")
    assert "extends: [baseline]" in policy
    hooks = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "repo: https://example.org/gc.git\n    rev: v9.9.9\n" in hooks
    for hook in ("governance-policy-lint", "governance-card-validate", "governance-check"):
        assert f"- id: {hook}" in hooks
    # The pre-commit snippet is valid for pre-commit itself.
    from pre_commit.clientlib import load_config

    assert load_config(str(repo / ".pre-commit-config.yaml"))["repos"][0]["rev"] == "v9.9.9"
    # The empty template honestly fails the baseline gate (exit 1, not 2 or 3).
    monkeypatch.chdir(repo)
    assert main(["check", "--quiet"]) == 1


def test_init_refuses_to_overwrite_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "model-card.yaml").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path}: refusing to overwrite existing files (nothing was written): "
        "model-card.yaml\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-card.yaml"]
    assert (tmp_path / "model-card.yaml").read_text(encoding="utf-8") == "mine\n"


def test_init_prints_snippet_when_pre_commit_config_exists(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / ".pre-commit-config.yaml"
    existing.write_text("repos: []\n", encoding="utf-8")
    assert main(["init", str(tmp_path), "--name", "credit"]) == 0
    out = capsys.readouterr().out
    assert f"{existing} exists; add these hooks to it:\n" in out
    assert "      - id: governance-policy-lint\n" in out
    assert "note: set `repo:` in .pre-commit-config.yaml to the git URL" in out
    assert existing.read_text(encoding="utf-8") == "repos: []\n"
    assert "  name: credit\n" in (tmp_path / "model-card.yaml").read_text(encoding="utf-8")


def test_init_needs_an_existing_folder(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    assert main(["init", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: {missing}: DIR: not an existing folder\n"
    assert not missing.exists()
