"""Where the shipped policy packs and report templates are.

In a source checkout (and an editable install) they are the top-level ``policies/`` and
``templates/`` folders; an installed wheel carries copies under ``governance/_data/`` (see
``setup.py``), found with :mod:`importlib.resources`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``policies`` or ``templates``: the checkout's folder, else the installed package's."""
    checkout = _PACKAGE.parent / name
    if checkout.is_dir() and (_PACKAGE.parent / "pyproject.toml").is_file():
        return checkout
    shipped = files("governance").joinpath("_data", name)
    # Installed from a wheel the package is a folder on disk: a real path (Jinja's loader and
    # the policy loader need one). A zipped install is not supported.
    return Path(str(shipped))
