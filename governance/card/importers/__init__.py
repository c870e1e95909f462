"""Importers from other model-card formats into ours (offline; YAML text out).

``import_card("hf" | "mct", path)`` returns an :class:`ImportResult` whose ``yaml_text``
validates with :func:`governance.card.loader.load_card` and lists the fields it could not fill.
"""

from __future__ import annotations

from pathlib import Path

from governance.card.importers._common import ImportResult, MetricValue, parse_metric_value
from governance.errors import InputError

FORMATS = ("hf", "mct")

__all__ = ["FORMATS", "ImportResult", "MetricValue", "import_card", "parse_metric_value"]


def import_card(fmt: str, path: Path, display: str | None = None, *, name: str | None = None,
                version: str | None = None) -> ImportResult:
    if fmt == "hf":
        from governance.card.importers.hf import import_hf

        return import_hf(path, display, name=name, version=version)
    if fmt == "mct":
        from governance.card.importers.mct import import_mct

        return import_mct(path, display, name=name, version=version)
    raise InputError(f"unknown card format {fmt!r} (choose from hf, mct)", field="--from")
