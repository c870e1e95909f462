"""Statistics a rule declares before the run, so the engine computes them all in one pass.

A rule kind may give ``RuleKind.needs(ctx, params) -> Sequence[StatNeed]``: the statistics
its ``evaluate`` will ask for. Before any rule runs, the engine collects every rule's needs,
groups them by ``(provider, artifact)`` and hands each group to its provider's ``prefetch``
(``PROVIDERS``: a module path with ``prefetch(ctx, needs) -> None``). A provider reads the
artifact once, computes the union of what was asked in one pass and leaves the results in the
run's cache (``ArtifactStore.cached``) under the keys the rules' own look-ups use; each rule
then decides from its statistics, recording the artifact as its input when it uses them.

Declaring is an optimisation with no effect on results: a need that fails to prefetch (bad
column, unreadable file, overrun) is dropped silently and the rule that asked computes, or
reports the error, itself. A provider therefore never records report inputs, never raises for
bad evidence and stops when the store says the pre-pass ran out of time.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

#: provider name -> module with ``prefetch(ctx: EvidenceContext, needs: Sequence[StatNeed])``.
#: Explicit, like the rule registry: nothing is found by scanning.
PROVIDERS: dict[str, str] = {
    "predictions": "governance.metrics.plan",  # fairness / performance / generalization
    # each dataset column's counts (governance.analysis.colstats), for data-quality and drift
    "columns": "governance.analysis.colprovider",
}


@dataclass(frozen=True)
class StatNeed:
    """One statistic of one artifact: ``spec`` is the provider's own hashable description."""

    provider: str
    artifact: str  # the card artifact's name
    spec: Hashable
