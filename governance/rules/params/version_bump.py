"""Parameters of the ``version_bump`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params

Level = Literal["none", "patch", "minor", "major"]


class VersionBumpParams(Params):
    metrics_changed: Level = Field(default="minor", description="Bump needed when a declared "
                                   "metric changed (value, or metric added/removed)")
    training_data_changed: Level = "minor"
    model_changed: Level = "patch"
    artifacts_changed: Level = "patch"
    metric_tolerance: float = Field(default=0.0, ge=0, description="Metric changes up to "
                                    "this absolute size do not count")


#: The parameters model of ``version_bump`` (read by the registry).
PARAMS: type[Params] = VersionBumpParams
