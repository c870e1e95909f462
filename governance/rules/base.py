"""The contract between the engine and a rule kind.

A rule kind is a frozen :class:`RuleKind`: a name, a family, a pydantic ``Params`` model
(``extra="forbid"``) and a pure ``evaluate(ctx, params) -> Outcome`` function. ``Params`` models
live in ``rules/params/<family>.py`` (pydantic and light modules only: a policy lint imports
them, never the rule code); rule modules import heavy libraries (pandas, sklearn, ...) *inside*
``evaluate``. This module imports no report model (evidence types are annotations only). A
rule that cannot get the evidence it needs raises :class:`~governance.errors.EvidenceError` (or
returns :meth:`Outcome.error`): insufficient evidence is never a pass.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import JsonValue

from governance.errors import GovernanceError
from governance.rules.params import Params as Params
from governance.statuses import Status
from governance.terms import SourceLocation

if TYPE_CHECKING:
    from collections.abc import Sequence

    from governance.baseline import Baseline
    from governance.card.loader import LoadedCard
    from governance.evidence.needs import StatNeed
    from governance.evidence.store import ArtifactStore
    from governance.policy.model import Rule
    from governance.report import EvidenceBlock


P = TypeVar("P", bound=Params)


@dataclass(frozen=True)
class Outcome:
    """What a rule found. The engine adds the rule's id, title, severity and references."""

    status: Status
    message: str
    observed: JsonValue = None
    expected: JsonValue = None
    evidence: tuple[EvidenceBlock, ...] = ()
    locations: tuple[SourceLocation, ...] = ()
    notes: tuple[str, ...] = ()
    # The groups / columns / artifacts that made the rule fail: a waiver scoped to a group
    # only waives a failure when it covers every one of them.
    subjects: tuple[str, ...] = ()

    @classmethod
    def passed(cls, message: str, **kw: Any) -> Outcome:
        return cls(Status.PASS, message, **kw)

    @classmethod
    def failed(cls, message: str, **kw: Any) -> Outcome:
        return cls(Status.FAIL, message, **kw)

    @classmethod
    def error(cls, message: str, **kw: Any) -> Outcome:
        return cls(Status.ERROR, message, **kw)

    @classmethod
    def skipped(cls, message: str, **kw: Any) -> Outcome:
        return cls(Status.SKIPPED, message, **kw)


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at. Rules never read the environment or the clock directly."""

    rule: Rule
    card: LoadedCard
    store: ArtifactStore
    now: datetime
    baseline: Baseline | None = None
    seed: int = 0
    extras: dict[str, Any] = field(default_factory=dict)
    # Operator settings (command line / environment, never a policy or card field):
    # which engine computes statistics of predictions, and a Dask scheduler address.
    engine: str = "auto"
    dask_scheduler: str | None = None

    def card_location(self, dotted: str) -> SourceLocation:
        """Where a dotted card field (``model.version``) sits in the card file."""
        return self.card.location(dotted)


@dataclass(frozen=True)
class RuleKind(Generic[P]):
    name: str
    family: str
    summary: str
    params: type[P]
    evaluate: Callable[[RuleContext, P], Outcome]
    # Evaluated in a worker process that is killed on a timeout (kinds that run patterns or
    # code a policy supplies and may not stop by themselves; governance.worker).
    isolated: bool = False
    # The statistics ``evaluate`` will ask for (governance.evidence.needs): the engine computes
    # the needs of all rules in one pass per artifact before the rules run. Optional.
    needs: Callable[[RuleContext, P], Sequence[StatNeed]] | None = None


def _crash_outcome(exc: BaseException) -> Outcome:
    if isinstance(exc, GovernanceError):
        return Outcome.error(str(exc))
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {tb[-1].name}:{tb[-1].lineno}" if tb else ""
    detail = f": {exc}" if str(exc) else ""
    return Outcome.error(f"rule crashed: {type(exc).__name__}{detail}{where}")


def evaluate_inline(kind: RuleKind[Any], params: Any, ctx: RuleContext) -> Outcome:
    """Run one rule in the calling thread; a crash becomes an ``error`` outcome."""
    try:
        result = kind.evaluate(ctx, params)
    except BaseException as exc:
        from governance.extras import missing_extra

        missing = missing_extra(exc, f"rule {ctx.rule.id} ({kind.name})")
        if missing is not None:  # raised: the command stops with exit 2 naming the extra
            raise missing from exc
        return _crash_outcome(exc)
    if not isinstance(result, Outcome):
        return Outcome.error("rule returned no outcome")
    return result
