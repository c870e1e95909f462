"""``governance card import --from hf|mct FILE`` (issue 7)."""

from __future__ import annotations

from typing import Any


def register(csub: Any) -> None:
    """Adds the import sub-command; filled in by the workflow issue."""
    del csub
