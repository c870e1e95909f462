"""Parameters of the ``card_fields`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params


class CardFieldsParams(Params):
    fields: list[str] = Field(min_length=1, description="Dotted paths, e.g. model.owners")
    allow_empty: bool = False


#: The parameters model of ``card_fields`` (read by the registry).
PARAMS: type[Params] = CardFieldsParams
