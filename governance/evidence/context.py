"""What the evidence and metrics layers need from a rule's context, as a protocol.

The rules layer's ``RuleContext`` satisfies it; metrics, evidence and the engines below the
rules depend on this protocol, never on ``governance.rules`` (layering: rules -> metrics |
evidence).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from governance.card.loader import LoadedCard
    from governance.evidence.store import ArtifactStore

#: The statistics engines an operator may choose (``--engine`` / ``GOVERNANCE_ENGINE``).
ENGINES: tuple[str, ...] = ("auto", "memory", "streaming", "dask")


class RuleRef(Protocol):
    @property
    def id(self) -> str: ...


class EvidenceContext(Protocol):
    """The card, the artifact store, the run's seed and operator settings, the rule's id."""

    @property
    def card(self) -> LoadedCard: ...

    @property
    def store(self) -> ArtifactStore: ...

    @property
    def seed(self) -> int: ...

    @property
    def engine(self) -> str: ...

    @property
    def dask_scheduler(self) -> str | None: ...

    @property
    def extras(self) -> dict[str, Any]: ...

    @property
    def rule(self) -> RuleRef: ...
