"""Parameters models of the built-in rule kinds: one module per kind, ``rules/params/<kind>.py``
with the model as ``PARAMS`` (plus a few modules of shared bases: ``metric``, ``groups``,
``dataset``, ``drift``, ``allow``). Import-light (pydantic and small light modules only):
``policy lint`` validates a policy with the models of the kinds it uses, never importing the
rule code or the models of other kinds."""

from pydantic import BaseModel, ConfigDict


class Params(BaseModel):
    """Base for rule parameters: strict about unknown keys, frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def check_range(lo: float | None, hi: float | None, *, need_one: bool) -> None:
    """A ``min``/``max`` pair of a model validator: ``min`` not above ``max`` and, with
    ``need_one``, at least one of them given (ValueError otherwise)."""
    if need_one and lo is None and hi is None:
        raise ValueError("give at least one of min and max")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError("min is greater than max")
