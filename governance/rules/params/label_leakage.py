"""Parameters of the ``label_leakage`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.dataset import _DatasetParams
from governance.terms import new_list


class LabelLeakageParams(_DatasetParams):
    label: str | None = None
    features: list[str] | None = Field(default=None, description="Default: the artifact's "
                                       "columns.features, else every column but the label")
    exclude: list[str] = Field(default_factory=new_list)
    max_score: float = Field(default=0.95, gt=0.5, le=1,
                             description="Highest single-feature ROC AUC / stump balanced "
                             "accuracy")
    max_categories: int = Field(default=50, ge=2)


#: The parameters model of ``label_leakage`` (read by the registry).
PARAMS: type[Params] = LabelLeakageParams
