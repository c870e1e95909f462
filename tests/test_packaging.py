"""A built wheel carries the policy packs and templates, and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_packs_and_templates(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                           str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(site)
    packs = sorted(p.stem for p in (ROOT / "policies").glob("*.yaml"))
    assert packs and all(f"governance/_data/policies/{p}.yaml" in names for p in packs)
    assert "governance/_data/templates/report.html.j2" in names
    probe = ("import governance, governance.policy.loader as l, governance.reporters._jinja as j;"
             "print(governance.__file__); print(l.packs_dir()); print(j.TEMPLATES_DIR);"
             "print(sorted(l.shipped_packs()));"
             "import governance.reporters._templates as c; print(c.compiled_dir())")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         cwd=tmp_path).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert out[1] == str(site / "governance" / "_data" / "policies")
    assert out[2] == str(site / "governance" / "_data" / "templates")
    assert out[3] == str(packs)
    # the templates compiled ahead of time ship and match the shipped sources
    assert out[4] == str(site / "governance" / "reporters" / "_compiled")
    # the ledger's Alembic migrations and the trends template ship and run from the wheel
    assert {"governance/ledger/migrations/env.py",
            "governance/ledger/migrations/script.py.mako",
            "governance/ledger/migrations/versions/0001_ledger_entries.py",
            "governance/_data/templates/_trends.html.j2"} <= names
    probe = ("import sys, governance.ledger.store as s; L = s.Ledger(sys.argv[1]);"
             "print(s.__file__); print(L.migrate()); print(L.count())")
    out = subprocess.run([sys.executable, "-c", probe, f"sqlite:///{tmp_path}/l.sqlite"],
                         capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         cwd=tmp_path).stdout.splitlines()
    assert out == [str(site / "governance" / "ledger" / "store.py"), "0001", "0"]
