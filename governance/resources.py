"""Where the shipped policy packs and report templates are.

In a source checkout (and an editable install) they are the top-level ``policies/`` and
``templates/`` folders; a built wheel carries copies under ``governance/_data/`` (see
``setup.py``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``policies`` or ``templates``: the checkout's folder, else the wheel's copy."""
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_data" / name
