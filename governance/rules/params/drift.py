"""Methods and thresholds shared by the drift kinds; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params

DriftMethod = Literal["psi", "ks", "chi2", "jensenshannon"]


NUMERIC = ("psi", "ks")


CATEGORICAL = ("psi", "chi2", "jensenshannon")


class _Thresholds(Params):
    psi_threshold: float = Field(default=0.2, gt=0, description="Drift when PSI > this")
    ks_alpha: float = Field(default=0.05, gt=0, lt=1, description="Drift when the KS p-value "
                            "< this")
    chi2_alpha: float = Field(default=0.05, gt=0, lt=1, description="Drift when the "
                              "chi-square p-value < this")
    js_threshold: float = Field(default=0.1, gt=0, le=1, description="Drift when the "
                                "Jensen-Shannon distance (base 2) > this")
    bins: int = Field(default=10, ge=2, le=100, description="Quantile bins of the reference "
                      "for numeric PSI")
    min_rows: int = Field(default=20, ge=1, description="Fewest non-missing values per "
                          "column in each sample; fewer is insufficient evidence")
