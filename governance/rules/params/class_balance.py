"""Parameters of the ``class_balance`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import Field, model_validator

from governance.rules.params import Params
from governance.rules.params.dataset import _DatasetParams


class ClassBalanceParams(_DatasetParams):
    label: str | None = Field(default=None, description="Label column (default: the "
                              "artifact's columns.label)")
    min_minority_share: float | None = Field(default=None, ge=0, le=1)
    max_imbalance_ratio: float | None = Field(default=None, ge=1,
                                              description="Majority count / minority count")
    min_classes: int = Field(default=2, ge=1)

    @model_validator(mode="after")
    def _some_bound(self) -> Self:
        if self.min_minority_share is None and self.max_imbalance_ratio is None:
            raise ValueError("give min_minority_share or max_imbalance_ratio")
        return self


#: The parameters model of ``class_balance`` (read by the registry).
PARAMS: type[Params] = ClassBalanceParams
