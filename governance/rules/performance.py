"""Rule kinds of the performance family."""

from __future__ import annotations

from governance.rules.base import RuleKind

KINDS: tuple[RuleKind, ...] = ()  # type: ignore[type-arg]
