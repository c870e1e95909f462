"""Table reader limits: huge cells and duplicate column names are clear evidence errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.card.loader import load_card
from governance.errors import EvidenceError
from governance.evidence.store import ArtifactStore
from governance.evidence.tables import MAX_CELL_CHARS, find_artifact, read_table
from governance.policy.model import Rule
from governance.report import Severity
from governance.rules.base import RuleContext


def ctx_for(project: Path) -> RuleContext:
    card = load_card(project / "card.yaml", "card.yaml")
    rule = Rule(id="R", title="t", kind="card_fields", severity=Severity.LOW)
    return RuleContext(rule=rule, card=card, store=ArtifactStore(project),
                       now=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(("content", "message"), [
    ("y_true,y_pred\n1," + "x" * (MAX_CELL_CHARS + 1) + "\n",
     f"artifact 'preds' (data/preds.csv): column 'y_pred' has a cell longer than "
     f"{MAX_CELL_CHARS} characters"),
    ("a,a,b\n1,2,3\n", "artifact 'preds' (data/preds.csv): duplicate column names (a.1)"),
    ("", "artifact 'preds' (data/preds.csv): the file is empty"),
    ("y_true,y_pred\n", "artifact 'preds' (data/preds.csv): the table has a header but no rows"),
])
def test_reader_rejections(mini_project: Path, content: str, message: str) -> None:
    (mini_project / "data" / "preds.csv").write_text(content, encoding="utf-8")
    ctx = ctx_for(mini_project)
    i, art = find_artifact(ctx, "preds")
    with pytest.raises(EvidenceError) as exc:
        read_table(ctx, art, i)
    assert str(exc.value) == message
