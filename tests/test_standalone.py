"""The repository stands alone (issue 15 item 1): nothing reads or links outside it."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / p for p in out.decode().split("\0") if p]


def _text_files() -> list[Path]:
    suffixes = {".py", ".md", ".yaml", ".yml", ".toml", ".txt", ".cfg", ".ini", ".j2",
                ".html", ".sh", ""}
    return [p for p in _tracked() if p.is_file() and p.suffix in suffixes
            and DATA not in p.parents]


def test_data_files_match_their_recorded_digests() -> None:
    text = (DATA / "LICENSE.md").read_text("utf-8")
    recorded = dict((name, digest) for digest, name in
                    re.findall(r"^([0-9a-f]{64})  (\S+)$", text, flags=re.M))
    assert sorted(recorded) == ["adult/adult.data", "adult/adult.names", "adult/adult.test",
                                "compas/compas-scores-two-years.csv",
                                "german-credit/german.data", "german-credit/values_maps.json"]
    for name, digest in recorded.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 10 * 1024 * 1024


def test_no_file_reads_or_links_the_sibling_shared_folder() -> None:
    offenders = []
    pattern = re.compile(r"\.\./shared|[\"'/]shared[\"']\s*/|/work/")
    for path in _text_files():
        if path == Path(__file__):
            continue
        for n, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("doc", ["README.md", "ARCHITECTURE.md", "tests/data/LICENSE.md"])
def test_relative_links_of_docs_stay_in_the_repository(doc: str) -> None:
    text = (ROOT / doc).read_text("utf-8")
    links = [t for t in re.findall(r"\]\(([^)\s]+)\)", text)
             if not re.match(r"[a-z]+:|#", t)]
    for target in links:
        resolved = (ROOT / doc).parent.joinpath(target.split("#")[0]).resolve()
        assert ROOT in resolved.parents or resolved == ROOT, target
        assert resolved.exists(), target


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    return re.findall(r"```sh\n(python3 -m venv \.venv[^\n]*)\n```", text)


def test_ci_runs_the_readme_test_command_verbatim_in_an_isolated_clone() -> None:
    install, tests = _readme_commands()
    assert "pip install -e '.[all]'" in install
    assert "pip install -q -e '.[dev]'" in tests and "pytest -q" in tests
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert ci[-1] == tests
    clone = next(i for i, line in enumerate(ci) if line.startswith("git clone"))
    cd = ci.index('cd "$isolated/governance-checker"')
    assert clone < cd < len(ci) - 1
    assert ci[clone] == 'git clone -q --no-hardlinks "$PWD" "$isolated/governance-checker"'
    assert '[ "$(ls -A "$isolated")" = "governance-checker" ]' in ci
