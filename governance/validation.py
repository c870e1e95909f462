"""Turn pydantic validation errors into ``path:line:col: field: message`` errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import to_json

from governance.errors import GovernanceError, InputError, MultiError
from governance.yamlio import PathKey, YamlDoc, dotted

M = TypeVar("M", bound=BaseModel)


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "bool_type" and isinstance(err.get("input"), str):
        from governance.textsafe import excerpt

        return f"expected true or false, got the string '{excerpt(err['input'], 80)}'"
    msg = str(err.get("msg", "invalid value"))
    # pydantic prefixes custom ValueErrors with "Value error, "
    return msg.removeprefix("Value error, ")


def _drop_tags(doc: YamlDoc, loc: PathKey) -> PathKey:
    """``loc`` without union tags: a name absent from the doc whose next part is present."""
    def known(key: PathKey) -> bool:
        return key in doc.values or key in doc.keys

    def scalar_at(key: PathKey) -> bool:
        node: Any = doc.data
        for part in key:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return False
        return not isinstance(node, dict | list)

    out: list[str | int] = []
    for i, part in enumerate(loc):
        if (isinstance(part, str) and i + 1 < len(loc) and not known((*out, part))
                and known((*out, loc[i + 1]))):
            continue
        # A trailing tag: the union member a scalar was tried as (no field below a scalar).
        if (isinstance(part, str) and i + 1 == len(loc) and not known((*out, part))
                and known(tuple(out)) and scalar_at(tuple(out))):
            continue
        out.append(part)
    return tuple(out)


def errors_from_validation(
    exc: ValidationError, doc: YamlDoc, *, prefix: PathKey = (),
    error_type: type[InputError] = InputError,
) -> list[GovernanceError]:
    out: list[GovernanceError] = []
    for err in exc.errors():
        loc: PathKey = _drop_tags(doc, (*prefix, *(p for p in err["loc"]
                                                   if isinstance(p, str | int))))
        # Tagged unions add the tag name to the location: drop parts that are not in the doc.
        pos = doc.locate(loc, prefer_key=err.get("type") in ("extra_forbidden",))
        out.append(error_type(_message(err), path=doc.path,
                              line=pos.line if pos else None, col=pos.col if pos else None,
                              field=dotted(loc) or None))
    return out


def strict_validate(model: type[M], data: Any) -> M:
    """Validate parsed YAML without pydantic's lax coercions.

    Lax mode turns the *string* ``NO`` into ``False``, ``"1_000"`` into ``1000`` and a quoted
    ``"0.8"`` into a number, undoing the YAML 1.2 core-schema parsing of :mod:`yamlio`.
    Strict JSON mode keeps the conversions YAML data needs (ISO dates, enum values, tuples from
    lists, ints as floats) and refuses the others.

    The JSON text is written by pydantic-core (``json.dumps`` would import the ``json`` package,
    ~1.2 ms of a lint): the same values (NaN and infinities as the constants ``NaN``,
    ``Infinity``, ``-Infinity``; integers of any size), so the same validation and messages.
    """
    return model.model_validate_json(to_json(data, inf_nan_mode="constants"), strict=True)


def validate_doc(model: type[M], data: Any, doc: YamlDoc, *, prefix: PathKey = (),
                 error_type: type[InputError] = InputError) -> M:
    """Validate ``data`` (found at ``prefix`` inside ``doc``) into ``model``."""
    try:
        return strict_validate(model, data)
    except ValidationError as exc:
        errors = errors_from_validation(exc, doc, prefix=prefix, error_type=error_type)
        if len(errors) == 1:
            raise errors[0] from None
        raise MultiError(errors) from None
