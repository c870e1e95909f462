"""Item 2: artifact paths that try to leave the project root or read something that is not a file.

Through the CLI each one is an ``artifact_integrity`` failure naming the artifact (exit 1), never
a read outside the root, never a hang; through :class:`ArtifactStore` the exact ArtifactError.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from governance.errors import ArtifactError
from governance.evidence.store import ArtifactStore

CASES = [
    ("dotdot", "../outside.csv", None,
     "path '../outside.csv' leaves the project root ('..')"),
    ("dotdot-inner", "data/../../outside.csv", None,
     "path 'data/../../outside.csv' leaves the project root ('..')"),
    ("backslash-dotdot", "data\\\\..\\\\..\\\\outside.csv", None,
     "path 'data\\\\..\\\\..\\\\outside.csv' leaves the project root ('..')"),
    ("absolute", "/etc/passwd", None,
     "absolute path '/etc/passwd' is not allowed; use a path relative to the project root"),
    ("windows-drive", "C:/Windows/win.ini", None,
     "absolute path 'C:/Windows/win.ini' is not allowed; use a path relative to the project "
     "root"),
    ("symlink-out", "data/link.csv", "symlink:../../outside.csv",
     "artifact 'data/link.csv' resolves outside the project root (symlink)"),
    ("symlink-etc", "data/passwd", "symlink:/etc/passwd",
     "artifact 'data/passwd' resolves outside the project root (symlink)"),
    ("symlink-dev-zero", "data/zero", "symlink:/dev/zero",
     "artifact 'data/zero' resolves outside the project root (symlink)"),
    ("symlink-dir-out", "up/outside.csv", "dirlink:..",
     "artifact 'up/outside.csv' resolves outside the project root (symlink)"),
    ("symlink-loop", "data/loop", "loop",
     "cannot resolve artifact 'data/loop': Symlink loop from "),
    ("fifo", "data/fifo.csv", "fifo", "artifact 'data/fifo.csv' is not a regular file"),
    ("directory", "data", None, "artifact 'data' is not a regular file"),
    ("missing", "data/nope.csv", None, "artifact 'data/nope.csv' not found under the project root"),
    ("leading-space", " data/preds.csv", None, "invalid path ' data/preds.csv'"),
]


def _make(root: Path, rel: str, how: str | None) -> None:
    (root.parent / "outside.csv").write_text("secret\n", encoding="utf-8")
    target = root / rel.replace("\\\\", "/")
    if how is None:
        return
    if how.startswith("dirlink:"):
        os.symlink(root.parent, root / rel.split("/")[0])
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if how.startswith("symlink:"):
        os.symlink(how.removeprefix("symlink:"), target)
    elif how == "loop":
        os.symlink("loop", target)
    elif how == "fifo":
        os.mkfifo(target)


@pytest.mark.parametrize(("rel", "how", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_unsafe_artifact_paths_fail_integrity(project, cli, timed, rel: str, how: str | None,
                                              message: str) -> None:
    _make(project.root, rel, how)
    text = project.policy.read_text(encoding="utf-8")  # drop the waiver: failures must count
    project.policy.write_text(text.split("waivers:")[0], encoding="utf-8")
    project.edit(project.card, "path: data/preds.csv", f'path: "{rel}"')
    r = timed(20, lambda: cli("check", "--config", "governance.yaml", "--quiet"))
    assert r.code == 1
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    (finding,) = report["findings"]
    assert finding["status"] == "fail"
    table = finding["evidence"][0]["rows"]
    shown = json.loads(f'"{rel}"')
    assert len(table) == 1 and table[0][:2] == ["preds", shown] and table[0][3] is None
    state = table[0][4]
    assert state.startswith(f"unreadable: {message}"), state
    assert finding["message"].startswith("1 of 1 artifacts failed integrity: preds (unreadable: ")
    # Nothing outside the root was read: no input recorded for it.
    assert [i["role"] for i in report["inputs"]] == ["policy", "card"]


def test_nul_byte_in_artifact_path_is_a_card_error(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.edit(project.card, "path: data/preds.csv", 'path: "data/preds.csv\\x00../../x"')
    r = cli("check", "--config", "governance.yaml")
    assert (r.code, r.err) == (2, "error: card.yaml:14:11: artifacts[0].path: path contains a "
                                  "NUL byte\n")


def test_symlink_inside_the_root_is_followed(project, cli) -> None:  # type: ignore[no-untyped-def]
    os.symlink("preds.csv", project.root / "data" / "alias.csv")
    project.edit(project.card, "path: data/preds.csv", "path: data/alias.csv")
    assert cli("check", "--config", "governance.yaml", "--quiet").code == 0


# ---- the store itself ---------------------------------------------------------------------

@pytest.fixture()
def store_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    (root / "small.bin").write_bytes(b"x" * 10)
    (root / "big.bin").write_bytes(b"x" * 101)
    os.mkfifo(root / "fifo")
    os.symlink("/dev/zero", root / "zero")
    return root


def _err(fn) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ArtifactError) as info:
        fn()
    return str(info.value)


def test_size_cap_is_enforced_before_reading(store_root: Path) -> None:
    store = ArtifactStore(store_root, max_bytes=100)
    assert store.digest("small.bin").size == 10
    assert _err(lambda: store.digest("big.bin", field="artifacts[1].path", where="card.yaml")) \
        == "card.yaml: artifacts[1].path: artifact 'big.bin' is 101 bytes, over the 100-byte cap"


def test_file_growing_while_hashed_hits_the_cap(store_root: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = ArtifactStore(store_root, max_bytes=100)
    real_resolve = ArtifactStore.resolve

    def grow_after_check(self: ArtifactStore, rel: str, **kw: object) -> Path:
        path = real_resolve(self, rel, **kw)  # type: ignore[arg-type]
        with path.open("ab") as fh:  # the file grows between the size check and the read
            fh.write(b"y" * 500)
        return path

    monkeypatch.setattr(ArtifactStore, "resolve", grow_after_check)
    assert _err(lambda: store.digest("small.bin")) == \
        "artifact 'small.bin' grew over the 100-byte cap while being read"


@pytest.mark.parametrize(("swapped", "message"), [
    ("fifo", "artifact 'small.bin' is not a regular file"),
    ("zero", "cannot open artifact 'small.bin': Too many levels of symbolic links"),
])
def test_file_swapped_after_the_check_is_not_read(store_root: Path, timed,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch, swapped: str,
                                                  message: str) -> None:
    """A race: ``resolve`` checked a regular file, then it became a FIFO or a symlink."""
    store = ArtifactStore(store_root, max_bytes=100)
    monkeypatch.setattr(ArtifactStore, "resolve",
                        lambda self, rel, **kw: store_root / swapped)
    assert timed(5, lambda: _err(lambda: store.digest("small.bin"))) == message


def test_dev_zero_and_fifo_never_block(store_root: Path, timed) -> None:  # type: ignore[no-untyped-def]
    store = ArtifactStore(store_root)
    assert timed(5, lambda: _err(lambda: store.digest("fifo"))) == \
        "artifact 'fifo' is not a regular file"
    assert timed(5, lambda: _err(lambda: store.digest("zero"))) == \
        "artifact 'zero' resolves outside the project root (symlink)"
    inner = ArtifactStore(Path("/dev"))
    assert timed(5, lambda: _err(lambda: inner.digest("zero"))) == \
        "artifact 'zero' is not a regular file"
