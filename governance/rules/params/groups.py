"""Groupings shared by the fairness kinds (``GroupParams``); import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field, field_validator

from governance.metrics.names import Average
from governance.rules.params.metric import CIParams


class GroupParams(CIParams):
    """Which predictions, which groupings, and what to do with small groups."""

    artifact: str | None = None
    split: str | None = None
    features: list[str] | None = Field(default=None, description="Sensitive feature columns; "
                                       "default the artifact's columns.sensitive_features")
    intersections: bool | list[list[str]] = Field(
        default=False, description="true: every combination of two or more features; or a "
        "list of feature lists")
    min_group_size: int = Field(default=30, ge=1)
    min_group_fraction: float | None = Field(default=None, gt=0, lt=1, description="Groups "
                                             "below this share of rows are small too")
    small_groups: Literal["error", "exclude"] = "error"
    average: Average | None = None

    @field_validator("intersections")
    @classmethod
    def _inter(cls, v: bool | list[list[str]]) -> bool | list[list[str]]:
        if isinstance(v, list):
            for combo in v:
                if len(combo) < 2:
                    raise ValueError("each intersection lists at least two features")
                if len(set(combo)) != len(combo):
                    raise ValueError(f"intersection {combo} repeats a feature")
        return v
