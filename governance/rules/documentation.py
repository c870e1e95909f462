"""Rule kinds of the documentation family."""

from __future__ import annotations

from governance.rules.base import RuleKind

KINDS: tuple[RuleKind, ...] = ()  # type: ignore[type-arg]
