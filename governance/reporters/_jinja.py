"""The one Jinja environment every template is rendered with: sandboxed and autoescaping.

Report text comes from model cards and policies, which are user input. Templates therefore
run in an :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` with ``autoescape=True`` for
every template (whatever its file name), undefined variables are errors, and templates never
put report data into ``href``/``src`` attributes or into ``<style>``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, ModuleLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.reporters._templates import TEMPLATES_DIR, compiled_dir


def fmt_number(value: Any, digits: int = 4) -> str:
    """Numbers for people: integers as is, floats with up to ``digits`` decimals, no ``-0``."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        if value != 0 and abs(value) < 10 ** -digits:
            return f"{value:.{digits - 1}e}"
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | bool | int | float)


def fmt_value(value: Any, digits: int = 4) -> str:
    """A JSON value (observed/expected, table cell) as compact, stable, readable text.

    Scalars as with :func:`fmt_number` (``digits`` decimals); flat lists as ``a, b``; flat
    objects as ``key: value; key: value`` (keys sorted); anything nested as compact JSON
    (exact numbers).
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return fmt_number(value, digits)
    if isinstance(value, list) and all(_scalar(v) for v in value):
        return ", ".join(fmt_value(v, digits) for v in value) if value else "none"
    if isinstance(value, dict) and all(
            _scalar(v) or (isinstance(v, list) and all(_scalar(x) for x in v))
            for v in value.values()):
        return "; ".join(f"{k}: {fmt_value(value[k], digits)}" for k in sorted(value)) or "—"
    if isinstance(value, dict) and all(isinstance(v, dict) and all(_scalar(x) for x in
                                                                   v.values())
                                       for v in value.values()):
        # Two levels (e.g. per feature: value, CI bounds): "sex: value 0.07, ci_lower 0.01"
        return "; ".join(
            f"{k}: " + (", ".join(f"{ik} {fmt_value(value[k][ik], digits)}"
                                  for ik in sorted(value[k])) or "—")
            for k in sorted(value)) or "—"
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "),
                      default=str)


def fmt_percent(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value * 100, 1) + " %"
    return "—"


def new_environment(loader: BaseLoader) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["num"] = fmt_number
    env.filters["value"] = fmt_value
    env.filters["percent"] = fmt_percent
    return env


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The templates as compiled ahead of time when they match their sources (see
    :mod:`governance.reporters._templates`), else compiled from ``templates/``."""
    compiled = compiled_dir()
    loader: BaseLoader = (ModuleLoader(str(compiled)) if compiled is not None
                          else FileSystemLoader(str(TEMPLATES_DIR)))
    return new_environment(loader)


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
