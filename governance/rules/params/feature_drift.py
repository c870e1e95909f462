"""Parameters of the ``feature_drift`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.drift import DriftMethod, _Thresholds
from governance.terms import new_dict, new_list


class ColumnDriftSpec(Params):
    """Per-column settings; ``threshold`` is a maximum statistic for psi / jensenshannon and
    a significance level (drift when p < threshold) for ks / chi2."""

    method: DriftMethod | None = None
    threshold: float | None = Field(default=None, gt=0)


class FeatureDriftParams(_Thresholds):
    reference: str | None = Field(default=None, description="Reference artifact (default: the "
                                  "only reference_dataset artifact)")
    current: str | None = Field(default=None, description="Current artifact (default: the "
                                "only dataset artifact, or the one data.evaluation names)")
    columns: list[str] | None = Field(default=None, description="Default: every column the "
                                      "two tables share")
    exclude: list[str] = Field(default_factory=new_list)
    categorical: list[str] = Field(default_factory=new_list, description="Treat these numeric "
                                   "columns as categorical")
    numeric_method: Literal["psi", "ks"] = "psi"
    categorical_method: Literal["psi", "chi2", "jensenshannon"] = "jensenshannon"
    per_column: dict[str, ColumnDriftSpec] = Field(default_factory=new_dict)
    max_drifted_share: float = Field(default=0.0, ge=0, le=1, description="Highest share of "
                                     "checked columns allowed to drift")


#: The parameters model of ``feature_drift`` (read by the registry).
PARAMS: type[Params] = FeatureDriftParams
