"""The values a fairness grouping passes from :mod:`governance.metrics.groups` to the rules:
the rule's grouping settings, a prepared grouping, the groups below the minimum size.

Plain data, no computation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from governance.metrics.names import Average

if TYPE_CHECKING:
    from governance.metrics import compute
    from governance.metrics.counts import Grouping

Row = list[str | int | float | bool | None]


@dataclass(frozen=True)
class GroupSpec:
    """The grouping settings of a fairness rule (its parameters, as plain values)."""

    artifact: str | None = None
    split: str | None = None
    features: Sequence[str] | None = None
    intersections: bool | Sequence[Sequence[str]] = False
    min_group_size: int = 30
    min_group_fraction: float | None = None
    small_groups: str = "error"  # error | exclude
    average: Average | None = None
    n_resamples: int = 0
    joint_overall: bool = False  # the rule compares groups with the overall value


@dataclass
class Prepared:
    """A grouping ready to evaluate: the rows kept and the groups left out."""

    n: int  # rows kept (the groups left out are not counted)
    grouping: Grouping
    values: dict[str, compute.GroupValues]
    excluded: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class SmallGroups:
    """Groups below the minimum size (``small_groups: error``): insufficient evidence."""

    rows: list[Row]  # grouping, group, n, minimum
    limit: int
