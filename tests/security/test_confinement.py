"""Issue 13 item 2: one trust boundary for every path the gate reads or writes.

Paths written in governance.yaml, in a policy's ``extends`` and in policy test files are
contributor input: absolute, ``..``, symlinks out, FIFOs, devices and /proc are refused with
exit 2 and a ``file:line:col: field`` message, before anything is read or written. Paths on
the command line are the operator's; ``--allow-outside-root DIR`` widens the boundary.

Each case also proves that nothing outside the project was read (the outside files hold a
canary that would appear in the message or the report) or written (the outside folder is
unchanged, no report folder appears).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

CANARY = "CANARY-7f1e-outside-the-project"
HINT = " (an operator can allow a folder with --allow-outside-root DIR)"


@pytest.fixture()
def outside(project) -> Path:  # type: ignore[no-untyped-def]
    """A folder next to the project holding valid-looking inputs full of canaries, plus
    symlinks, a FIFO and device links inside the project pointing out."""
    folder = project.root.parent / "outside"
    folder.mkdir()
    for name in ("card.yaml", "policy.yaml", "base.yaml", "key.pem", "trust.yaml"):
        (folder / name).write_text(f"# {CANARY}\n{CANARY}: [\n", encoding="utf-8")
    os.symlink(folder / "card.yaml", project.root / "link.yaml")
    os.symlink(folder, project.root / "updir")
    os.symlink("/dev/zero", project.root / "zero")
    os.symlink("/proc/self/environ", project.root / "environ")
    os.mkfifo(project.root / "fifo.yaml")
    return folder


def _snapshot(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.lstat().st_size) for p in folder.rglob("*"))


def _config(project, line: str) -> int:  # type: ignore[no-untyped-def]
    """Replace (or add) a top-level key of governance.yaml; returns its line number."""
    text = project.config.read_text(encoding="utf-8")
    key = line.split(":", 1)[0]
    kept = [ln for ln in text.splitlines() if not ln.startswith(f"{key}:")]
    project.config.write_text("\n".join(kept) + "\n" + line + "\n", encoding="utf-8")
    return len(kept) + 1


# (id, governance.yaml line (moved to the end), column of the value, field, message)
CONFIG_CASES = [
    ("card-absolute", "card: /etc/passwd", 7, "card",
     "absolute path '/etc/passwd' is not allowed; use a path relative to the project root"
     + HINT),
    ("card-dotdot", "card: ../outside/card.yaml", 7, "card",
     "path '../outside/card.yaml' leaves the project root ('..')" + HINT),
    ("card-symlink", "card: link.yaml", 7, "card",
     "path 'link.yaml' resolves outside the project root (symlink)" + HINT),
    ("card-dirlink", "card: updir/card.yaml", 7, "card",
     "path 'updir/card.yaml' resolves outside the project root (symlink)" + HINT),
    ("card-fifo", "card: fifo.yaml", 7, "card", "not a regular file (a FIFO)"),
    ("card-device", "card: zero", 7, "card",
     "path 'zero' resolves outside the project root (symlink)" + HINT),
    ("card-proc", "card: /proc/self/environ", 7, "card",
     "absolute path '/proc/self/environ' is not allowed; use a path relative to the project "
     "root" + HINT),
    ("card-proc-link", "card: environ", 7, "card",
     "path 'environ' resolves outside the project root (symlink)" + HINT),
    ("card-directory", "card: data", 7, "card", "not a regular file (a directory)"),
    ("policies-absolute", "policies: [/etc/hostname]", 12, "policies[0]",
     "absolute path '/etc/hostname' is not allowed; use a path relative to the project root"
     + HINT),
    ("policies-dotdot", "policies: [../outside/policy.yaml]", 12, "policies[0]",
     "path '../outside/policy.yaml' leaves the project root ('..')" + HINT),
    ("root-slash", "root: /", 7, "root",
     "absolute path '/' is not allowed; use a path relative to the project root" + HINT),
    ("root-dotdot", "root: ..", 7, "root", "path '..' leaves the project root ('..')" + HINT),
    ("root-proc", "root: environ/..", 7, "root",
     "path 'environ/..' resolves outside the project root (symlink)" + HINT),
    ("baseline-dotdot", "baseline: ../outside/card.yaml", 11, "baseline",
     "path '../outside/card.yaml' leaves the project root ('..')" + HINT),
    ("baseline-url", "baseline: http://127.0.0.1:9/b.yaml", 11, "baseline",
     "file 'http://127.0.0.1:9/b.yaml' not found"),
    ("output-absolute", "output_dir: /tmp", 13, "output_dir",
     "absolute path '/tmp' is not allowed; use a path relative to the project root" + HINT),
    ("output-dotdot", "output_dir: ../outside", 13, "output_dir",
     "path '../outside' leaves the project root ('..')" + HINT),
    ("output-symlink", "output_dir: updir", 13, "output_dir",
     "path 'updir' resolves outside the project root (symlink)" + HINT),
    ("key-absolute", "signing: {key: /etc/ssl/private/k.pem}", 16, "signing.key",
     "absolute path '/etc/ssl/private/k.pem' is not allowed; use a path relative to the "
     "project root" + HINT),
    ("key-symlink", "signing: {key: updir/key.pem}", 16, "signing.key",
     "path 'updir/key.pem' resolves outside the project root (symlink)" + HINT),
    ("key-fifo", "signing: {key: fifo.yaml}", 16, "signing.key", "not a regular file (a FIFO)"),
    ("key-device", "signing: {key: /dev/zero}", 16, "signing.key",
     "absolute path '/dev/zero' is not allowed; use a path relative to the project root"
     + HINT),
]


@pytest.mark.parametrize(("line", "col", "field", "message"), [c[1:] for c in CONFIG_CASES],
                         ids=[c[0] for c in CONFIG_CASES])
def test_config_paths_stay_inside_the_project(project, outside: Path, cli, timed,  # type: ignore[no-untyped-def]
                                              line: str, col: int, field: str,
                                              message: str) -> None:
    before = _snapshot(outside)
    at = _config(project, line)
    r = timed(10, lambda: cli("check", "--quiet"))
    assert (r.code, r.err) == (2, f"error: governance.yaml:{at}:{col}: {field}: {message}\n")
    assert CANARY not in r.out + r.err
    assert not project.out.exists()  # nothing written half-way
    assert _snapshot(outside) == before  # nothing written outside
    assert not (Path("/tmp") / "report.json").exists() or line != "output_dir: /tmp"


def test_operator_flag_allows_an_outside_folder(project, outside: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """--allow-outside-root DIR: the operator may point governance.yaml outside."""
    (outside / "card.yaml").write_text(project.card.read_text(encoding="utf-8"),
                                       encoding="utf-8")
    _config(project, "card: ../outside/card.yaml")
    assert cli("check", "--quiet").code == 2
    r = cli("check", "--quiet", "--allow-outside-root", str(outside))
    assert r.code == 0, r.err
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    assert {i["role"] for i in report["inputs"]} >= {"card", "policy"}


def test_command_line_paths_are_the_operators(project, outside: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A card named on the command line may be anywhere (the operator chose it)."""
    card = outside / "card.yaml"
    card.write_text(project.card.read_text(encoding="utf-8"), encoding="utf-8")
    r = cli("check", "--quiet", "--card", str(card))
    assert r.code == 0, r.err


# ---- extends ----------------------------------------------------------------------------------

EXTENDS_CASES = [
    ("absolute", "/etc/hostname",
     "absolute path '/etc/hostname' is not allowed; use a path relative to the project root"),
    ("dotdot", "../outside/base.yaml", "path '../outside/base.yaml' leaves the project root "
     "('..')"),
    ("symlink", "link.yaml", "path 'link.yaml' resolves outside the project root (symlink)"),
    ("dirlink", "updir/base.yaml",
     "path 'updir/base.yaml' resolves outside the project root (symlink)"),
    ("fifo", "fifo.yaml", "not a regular file (a FIFO)"),
    ("device", "./zero", "path './zero' resolves outside the project root (symlink)"),
    ("proc", "/proc/self/environ", "absolute path '/proc/self/environ' is not allowed; use a "
     "path relative to the project root"),
    ("url", "http://127.0.0.1:9/p.yaml", "policy file 'http://127.0.0.1:9/p.yaml' not found"),
]


@pytest.mark.parametrize(("ref", "message"), [c[1:] for c in EXTENDS_CASES],
                         ids=[c[0] for c in EXTENDS_CASES])
def test_extends_stays_inside_the_project(project, outside: Path, cli, timed, ref: str,  # type: ignore[no-untyped-def]
                                          message: str) -> None:
    project.edit(project.policy, "rules:\n", f'extends: ["{ref}"]\nrules:\n')
    where = "policy.yaml:6:11: extends[0]: "
    lint = timed(10, lambda: cli("policy", "lint", "policy.yaml"))
    assert (lint.code, lint.err) == (2, where + message + "\n")
    check = timed(10, lambda: cli("check", "--quiet"))
    hint = HINT if "project root" in message else ""
    assert (check.code, check.err) == (2, f"error: {where}{message}{hint}\n")
    assert CANARY not in lint.err + check.err
    assert not project.out.exists()


def test_extends_inside_the_root_through_dotdot_is_fine(project, cli) -> None:  # type: ignore[no-untyped-def]
    sub = project.root / "policies" / "team"
    sub.mkdir(parents=True)
    (project.root / "policies" / "base.yaml").write_text(
        project.policy.read_text(encoding="utf-8"), encoding="utf-8")
    (sub / "p.yaml").write_text("apiVersion: governance/v1\nkind: Policy\nmetadata:\n  name: t\n"
                                "  version: '1'\nextends: [../base.yaml]\nrules: []\n",
                                encoding="utf-8")
    _config(project, "policies: [policies/team/p.yaml]")
    assert cli("check", "--quiet").code == 0


def test_trust_file_from_the_config_is_confined(project, outside: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("keygen", "--out-dir", "keys", "--name", "a").code == 0
    assert cli("check", "--quiet", "--sign-key", "keys/a.key").code == 0
    _config(project, "signing: {trusted_keys: ../outside/trust.yaml}")
    r = cli("verify", "out/report.dsse.json")
    assert (r.code, r.err) == (
        2, "error: governance.yaml:9:25: signing.trusted_keys: path '../outside/trust.yaml' "
        "leaves the project root ('..')\n")
    assert CANARY not in r.err


@pytest.mark.parametrize(("path", "message"), [
    ("fifo.yaml", "not a regular file (a FIFO)"),
    ("/dev/zero", "not a regular file (a device or pseudo file system)"),
    ("/proc/self/environ", "not a regular file (a device or pseudo file system)"),
    ("data", "not a regular file (a directory)"),
])
def test_key_files_on_the_command_line_must_be_regular(project, outside: Path, cli, timed,  # type: ignore[no-untyped-def]
                                                       path: str, message: str) -> None:
    """A FIFO as --sign-key used to hang forever; a device or /proc file is never read."""
    r = timed(10, lambda: cli("check", "--quiet", "--sign-key", path))
    assert (r.code, r.err) == (2, f"error: {path}: {message}\n")


def test_policy_test_file_paths_are_confined(project, outside: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (project.root / "t.test.yaml").write_text(
        "apiVersion: governance/v1\nkind: PolicyTest\npolicy: policy.yaml\ncases:\n"
        "  - name: c\n    card: ../outside/card.yaml\n    expect: {verdict: pass}\n",
        encoding="utf-8")
    r = cli("policy", "test", "t.test.yaml")
    assert (r.code, r.err) == (2, "error: t.test.yaml:6:11: cases[0].card: path "
                                  "'../outside/card.yaml' leaves the project root ('..')\n")


def test_urls_in_paths_are_never_fetched(project, cli, canary_server) -> None:  # type: ignore[no-untyped-def]
    """A URL where a path belongs is a (missing) relative path: nothing connects to it."""
    url = f"{canary_server.url}/payload.yaml"
    project.edit(project.policy, "rules:\n", f'extends: ["{url}"]\nrules:\n')
    r = cli("check", "--quiet")
    assert (r.code, r.err) == (2, f"error: policy.yaml:6:11: extends[0]: policy file "
                                  f"'{url}' not found\n")
    project.edit(project.policy, f'extends: ["{url}"]\n', "")
    for line in (f"card: {url}", f"baseline: {url}", f"signing: {{key: {url}}}"):
        at = _config(project, line)
        r = cli("check", "--quiet")
        if line.startswith("signing"):  # an absent key file: a warning, the report unsigned
            assert r.code == 0 and r.err.startswith("warning: signing key "), r.err
            assert "(signing.key of governance.yaml) not found" in r.err
        else:
            assert r.code == 2 and r.err.startswith(f"error: governance.yaml:{at}:"), r.err
            assert f"file '{url}' not found" in r.err
        _config(project, "card: card.yaml")
        text = project.config.read_text(encoding="utf-8")
        project.config.write_text("\n".join(ln for ln in text.splitlines() if not ln.startswith(
            ("baseline:", "signing:"))) + "\n", encoding="utf-8")
    assert canary_server.hits == []


@pytest.mark.parametrize("argv", [
    ("render", "fifo.yaml", "--format", "text"),
    ("verify", "fifo.yaml", "--trusted-keys", "fifo.yaml"),
    ("approve", "fifo.yaml", "--role", "r", "--key", "fifo.yaml"),
    ("sign", "fifo.yaml", "--key", "fifo.yaml"),
])
def test_fifos_named_on_the_command_line_never_block(project, outside: Path, cli, timed,  # type: ignore[no-untyped-def]
                                                    argv: tuple[str, ...]) -> None:
    r = timed(10, lambda: cli(*argv))
    assert r.code == 2
    assert r.err == "error: fifo.yaml: not a regular file (a FIFO)\n", r.err


def test_lint_from_a_subfolder_knows_the_project(project, cli,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The project root of lint/explain/test is the nearest folder with governance.yaml."""
    sub = project.root / "policies"
    sub.mkdir()
    (sub / "team.yaml").write_text("apiVersion: governance/v1\nkind: Policy\nmetadata:\n"
                                   "  name: t\n  version: '1'\nextends: [../policy.yaml]\n"
                                   "rules: []\n", encoding="utf-8")
    monkeypatch.chdir(sub)
    r = cli("policy", "lint", "team.yaml")
    assert (r.code, r.out) == (0, "team.yaml: ok (1 rules, 1 waivers)\n")
    (sub / "team.yaml").write_text((sub / "team.yaml").read_text(encoding="utf-8").replace(
        "../policy.yaml", "../../outside.yaml"), encoding="utf-8")
    r = cli("policy", "lint", "team.yaml")
    assert (r.code, r.err) == (2, "team.yaml:6:11: extends[0]: path '../../outside.yaml' leaves "
                                  "the project root ('..')\n")


def test_symlink_loop_in_a_configured_path(project, cli, timed) -> None:  # type: ignore[no-untyped-def]
    os.symlink("loop.yaml", project.root / "loop.yaml")
    at = _config(project, "card: loop.yaml")
    r = timed(10, lambda: cli("check", "--quiet"))
    assert (r.code, r.err) == (2, f"error: governance.yaml:{at}:7: card: cannot resolve path "
                                  "'loop.yaml' (symlink loop)\n")
