"""Parameters models of the built-in rule kinds, one module per family module
(``rules/params/<family>.py`` beside ``rules/<family>.py``), each with ``PARAMS``: kind name ->
model. Import-light (pydantic and small shared modules): ``policy lint`` validates a policy
with these and never imports the rule code."""

from pydantic import BaseModel, ConfigDict


class Params(BaseModel):
    """Base for rule parameters: strict about unknown keys, frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
