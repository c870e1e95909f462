"""Parameters of the ``disparate_impact`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.groups import GroupParams


class DisparateImpactParams(GroupParams):
    min_ratio: float = Field(default=0.8, gt=0, le=1, description="Smallest allowed impact "
                             "ratio (four-fifths rule: 0.8)")
    reference: Literal["highest", "reference_group"] = Field(
        default="highest", description="Divide by the most-selected group's rate, or by the "
        "card's reference_group for the feature")


#: The parameters model of ``disparate_impact`` (read by the registry).
PARAMS: type[Params] = DisparateImpactParams
