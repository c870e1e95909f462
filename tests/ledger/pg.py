"""A throwaway PostgreSQL cluster for the ledger tests (Debian's `postgresql` binaries).

`.ci/run` starts one and exports GOVERNANCE_TEST_PG_URL; without it the tests start their own
when initdb/pg_ctl exist (as the `postgres` user when running as root: postgres refuses root),
listening only on a unix socket in a temp folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@dataclass
class Cluster:
    folder: Path
    bindir: Path
    as_root: bool

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@/postgres?host={self.folder}"

    def _run(self, *cmd: str) -> None:
        argv = list(cmd)
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                      "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Cluster | None:
    """A running cluster, or None when the PostgreSQL binaries are not installed."""
    bindir = _bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        return None
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="governance-pg-"))
    folder.chmod(0o755)
    if as_root:
        shutil.chown(folder, "postgres")
    cluster = Cluster(folder, bindir, as_root)
    cluster._run(str(bindir / "initdb"), "-D", str(folder / "data"), "-A", "trust",
                 "-U", "postgres", "-E", "UTF8", "--no-sync")
    cluster._run(str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-l",
                 str(folder / "log"), "-w", "-o",
                 f"-k {folder} -c listen_addresses='' -c fsync=off", "start")
    return cluster
