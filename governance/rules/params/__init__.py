"""Parameters models of the built-in rule kinds: one module per kind, ``rules/params/<kind>.py``
with the model as ``PARAMS`` (plus a few modules of shared bases: ``metric``, ``groups``,
``dataset``, ``drift``, ``allow``). Import-light (pydantic and small light modules only):
``policy lint`` validates a policy with the models of the kinds it uses, never importing the
rule code or the models of other kinds."""

from pydantic import BaseModel, ConfigDict


class Params(BaseModel):
    """Base for rule parameters: strict about unknown keys, frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
