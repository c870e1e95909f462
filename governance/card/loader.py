"""Load and validate a model card, keeping the position of every field."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.card.model import ModelCard
from governance.errors import CardError, GovernanceError, MultiError
from governance.terms import SourceLocation
from governance.validation import validate_doc
from governance.yamlio import PathKey, YamlDoc, decode, dotted, parse_yaml, read_capped


@dataclass(frozen=True)
class LoadedCard:
    """A validated model card with its raw mapping, line map and digest."""

    path: str  # as shown in messages and reports
    file: Path  # where it was read from
    data: dict[str, Any]  # the raw mapping, for dotted-path lookups
    card: ModelCard
    doc: YamlDoc
    sha256: str

    def location(self, field: str) -> SourceLocation:
        key = parse_dotted(field)
        pos = self.doc.locate(key)
        return SourceLocation(role="card", path=self.path, line=pos.line if pos else None,
                              col=pos.col if pos else None, field=field)

    def lookup(self, field: str) -> tuple[bool, Any]:
        """Value at a dotted path (``model.owners``, ``artifacts[0].path``); (found, value)."""
        node: Any = self.data
        for part in parse_dotted(field):
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return False, None
                node = node[part]
            else:
                if not isinstance(node, dict) or part not in node:
                    return False, None
                node = node[part]
        return True, node


def parse_dotted(field: str) -> PathKey:
    """``artifacts[0].path`` -> ``("artifacts", 0, "path")``."""
    out: list[str | int] = []
    for piece in field.split("."):
        while "[" in piece and piece.endswith("]"):
            head, _, rest = piece.partition("[")
            if head:
                out.append(head)
            idx, _, tail = rest.partition("]")
            out.append(int(idx) if idx.isdigit() else idx)
            piece = tail
        if piece:
            out.append(piece)
    return tuple(out)


def _semantic_checks(card: ModelCard, doc: YamlDoc) -> list[GovernanceError]:
    errors: list[GovernanceError] = []

    def err(msg: str, key: PathKey) -> None:
        pos = doc.locate(key)
        errors.append(CardError(msg, path=doc.path, line=pos.line if pos else None,
                                col=pos.col if pos else None, field=dotted(key)))

    names: dict[str, int] = {}
    for i, art in enumerate(card.artifacts):
        if art.name in names:
            err(f"duplicate artifact name {art.name!r} (first at artifacts[{names[art.name]}])",
                ("artifacts", i, "name"))
        names.setdefault(art.name, i)
    refs: list[tuple[str | None, PathKey]] = []
    if card.data:
        if card.data.training:
            refs.append((card.data.training.artifact, ("data", "training", "artifact")))
        if card.data.evaluation:
            refs.append((card.data.evaluation.artifact, ("data", "evaluation", "artifact")))
    if card.explainability:
        refs.append((card.explainability.artifact, ("explainability", "artifact")))
    for i, m in enumerate(card.metrics):
        refs.append((m.artifact, ("metrics", i, "artifact")))
    for name, key in refs:
        if name is not None and name not in names:
            err(f"no artifact named {name!r} in artifacts", key)
    features: set[str] = set()
    for i, sf in enumerate(card.sensitive_features):
        if sf.name in features:
            err(f"duplicate sensitive feature {sf.name!r}", ("sensitive_features", i, "name"))
        features.add(sf.name)
    return errors


def load_card(path: Path, display: str | None = None) -> LoadedCard:
    name = display if display is not None else str(path)
    raw = read_capped(path, name)
    doc = parse_yaml(decode(raw, name), name)
    if not isinstance(doc.data, dict):
        raise CardError("a model card must be a mapping", path=name, line=1, col=1)
    card = validate_doc(ModelCard, doc.data, doc, error_type=CardError)
    errors = _semantic_checks(card, doc)
    if errors:
        raise errors[0] if len(errors) == 1 else MultiError(errors)
    return LoadedCard(path=name, file=path, data=doc.data, card=card, doc=doc,
                      sha256=hashlib.sha256(raw).hexdigest())
