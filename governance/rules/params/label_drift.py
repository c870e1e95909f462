"""Parameters of the ``label_drift`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.drift import DriftMethod, _Thresholds


class LabelDriftParams(_Thresholds):
    reference: str | None = Field(default=None, description="Default: the only "
                                  "reference_dataset artifact")
    current: str | None = Field(default=None, description="Default: the only dataset "
                                "artifact")
    label: str | None = Field(default=None, description="Default: each artifact's "
                              "columns.label (or columns.y_true)")
    method: DriftMethod | None = Field(default=None, description="Default: jensenshannon, "
                                       "or psi when the card's task is regression")


#: The parameters model of ``label_drift`` (read by the registry).
PARAMS: type[Params] = LabelDriftParams
