"""``governance policy explain`` and ``governance policy test`` (issue 7)."""

from __future__ import annotations

from typing import Any


def register(psub: Any) -> None:
    """Adds the explain/test sub-commands; filled in by the workflow issue."""
    del psub
