"""Where the ledger lives, and whether this run records to it.

Order: ``--no-ledger`` or ``GOVERNANCE_LEDGER=off`` disable it; ``--ledger-url`` or
``GOVERNANCE_LEDGER_URL`` (operator settings: a database outside the project, e.g.
``postgresql+psycopg://user@host/db``) name a database; else ``ledger:`` of governance.yaml (a
SQLite file path, confined to the project root); else ``.governance/ledger.sqlite`` under the
project root. Without the ``ledger`` extra (SQLAlchemy) the default ledger is skipped silently;
a ledger the operator named explicitly is an error then.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.errors import InputError

URL_ENV = "GOVERNANCE_LEDGER_URL"
SWITCH_ENV = "GOVERNANCE_LEDGER"
DEFAULT_PATH = ".governance/ledger.sqlite"
OFF = ("0", "off", "false", "no")


@dataclass(frozen=True)
class LedgerSettings:
    url: str
    explicit: bool  # named by the operator (or governance.yaml): failures are errors


def add_arguments(p: argparse.ArgumentParser, *, record: bool = True) -> None:
    """``--ledger-url`` (and ``--no-ledger`` on commands that record)."""
    p.add_argument("--ledger-url", metavar="URL", default=None,
                   help=f"operator setting: ledger database (default: ${URL_ENV}, else "
                   f"{DEFAULT_PATH} under the project root); e.g. postgresql+psycopg://…")
    if record:
        p.add_argument("--no-ledger", action="store_true",
                       help=f"do not record this run in the ledger (also {SWITCH_ENV}=off)")


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path)


def available() -> bool:
    """The ``ledger`` extra is installed (SQLAlchemy importable)."""
    try:
        return importlib.util.find_spec("sqlalchemy") is not None
    except ImportError:
        return False


def resolve(args: argparse.Namespace, root: Path, config_path: Path | None = None,
            *, required: bool = False) -> LedgerSettings | None:
    """The ledger of this run, or None when recording is off (see the module text).

    ``config_path``: the ledger path written in governance.yaml, already confined.
    ``required``: the command is a ledger query (an absent extra is an error).
    """
    if getattr(args, "no_ledger", False) or os.environ.get(SWITCH_ENV, "").lower() in OFF:
        if required:
            raise InputError(f"the ledger is switched off ({SWITCH_ENV})", field=SWITCH_ENV)
        return None
    url = getattr(args, "ledger_url", None) or os.environ.get(URL_ENV) or None
    explicit = required or url is not None or config_path is not None
    if url is None:
        url = sqlite_url(config_path or root / DEFAULT_PATH)
    if not available():
        if explicit:
            from governance.extras import MissingExtraError

            raise MissingExtraError("ledger", "sqlalchemy", "the release ledger")
        return None
    return LedgerSettings(url=url, explicit=explicit)


def project_settings(args: argparse.Namespace, *, required: bool = False
                     ) -> LedgerSettings | None:
    """For commands without a configuration of their own (sign, approve, verify, waiver,
    queries): the project around the current folder and its governance.yaml ``ledger:``."""
    from governance.paths import project_root

    root = project_root(Path.cwd())
    return resolve(args, root, _config_ledger(root), required=required)


def _config_ledger(root: Path) -> Path | None:
    cfg = root / "governance.yaml"
    if not cfg.is_file():
        return None
    from governance.config import load_config

    config = load_config(cfg)
    return config_ledger_path(config, None)


def config_ledger_path(config: Any, boundary: Any) -> Path | None:
    """``ledger:`` of a loaded configuration, confined to the project root."""
    if config is None or config.model.ledger is None:
        return None
    path: Path = config.resolve(config.model.ledger, "ledger", boundary=boundary, kind=None)
    return path
