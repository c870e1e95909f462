"""Hugging Face import keeps metric identity and units, on real published model cards
(tests/data/hf-cards/, sources in its README): averages stay part of the metric's identity,
0-100 values become fractions with a note, split names are mapped, several datasets no longer
put a slice on every metric, and metric_threshold selects by average, dataset, split or slice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.api import CheckRequest, run_check
from governance.card.importers import import_card
from governance.card.loader import load_card
from governance.card.model import ModelCard
from governance.report import Finding, Status

CARDS = Path(__file__).resolve().parents[1] / "data" / "hf-cards"
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def _import(name: str, tmp_path: Path) -> tuple[ModelCard, tuple[str, ...], Path]:
    r = import_card("hf", CARDS / f"{name}.md", f"{name}.md", version="1.0.0")
    path = tmp_path / "card.yaml"
    path.write_text(r.yaml_text, encoding="utf-8")
    return load_card(path).card, r.notes, path


def _ids(card: ModelCard) -> list[tuple[object, ...]]:
    return [(m.name, m.average, m.dataset, m.split, m.value) for m in card.metrics]


def _threshold(tmp_path: Path, params: str) -> Finding:
    (tmp_path / "policy.yaml").write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        f"  - {{id: R1, title: t, kind: metric_threshold, severity: high, params: {params}}}\n",
        encoding="utf-8")
    report = run_check(CheckRequest(policies=[tmp_path / "policy.yaml"],
                                    card=tmp_path / "card.yaml", root=tmp_path, now=NOW,
                                    report_id="r")).report
    [f] = report.findings
    return f


@pytest.mark.parametrize("name", sorted(p.stem for p in CARDS.glob("*.md") if p.stem != "README"))
def test_every_real_card_imports_without_duplicate_identities(name: str, tmp_path: Path) -> None:
    card, _, _ = _import(name, tmp_path)
    keys = [(m.name, m.average, m.dataset, m.split, m.slice) for m in card.metrics]
    assert keys and len(keys) == len(set(keys))
    assert all(m.slice is None for m in card.metrics)  # datasets are not slices
    assert all(m.split in (None, "train", "validation", "test") for m in card.metrics)


def test_averages_percentages_and_split_from_the_name(tmp_path: Path) -> None:
    card, notes, _ = _import("Jorgeutd_sagemaker-roberta-base-emotion", tmp_path)
    assert _ids(card) == [
        ("accuracy", None, "emotion", "validation", 0.941),  # 94.1, "Validation Accuracy"
        ("f1", None, "emotion", "validation", 0.9413),  # 94.13, "Validation F1"
        ("accuracy", None, "emotion", "test", 0.931),
        ("precision", "macro", "emotion", "test", 0.8833042147663716),
        ("precision", "micro", "emotion", "test", 0.931),
        ("precision", "weighted", "emotion", "test", 0.9337002742192515),
        ("recall", "macro", "emotion", "test", 0.9087144572668905),
        ("recall", "micro", "emotion", "test", 0.931),
        ("recall", "weighted", "emotion", "test", 0.931),
        ("f1", "macro", "emotion", "test", 0.8949974527433656),
        ("f1", "micro", "emotion", "test", 0.931),
        ("f1", "weighted", "emotion", "test", 0.9318434300647934),
        ("loss", None, "emotion", "test", 0.17379647493362427),
    ]
    assert ("metrics: accuracy on emotion: 94.1 read as a percentage (accuracy lies in 0-1) "
            "and stored as 0.941") in notes
    assert ("metrics: accuracy on emotion: split 'validation' taken from the metric name "
            "'Validation Accuracy'") in notes
    assert not any("several datasets" in n or "results on" in n for n in notes)


def test_average_from_args_and_plain_metric_kept_apart(tmp_path: Path) -> None:
    card, _, _ = _import("Sociovestix_lenu_FI", tmp_path)
    assert _ids(card) == [
        ("f1", None, "Sociovestix/lenu/FI", "test", 0.9853882549401615),
        ("f1", "macro", "Sociovestix/lenu/FI", "test", 0.7040205972185964)]
    # The rule without average takes the plain f1; with average: macro, the macro one.
    f = _threshold(tmp_path, "{metric: f1, min: 0.9}")
    assert (f.status, f.message) == (Status.PASS,
                                     "declared f1 = 0.9853882549401615 is within bounds")
    f = _threshold(tmp_path, "{metric: f1, average: macro, min: 0.9}")
    # shown with the digits the decision used (issue 12: shown value = compared value)
    assert (f.status, f.message) == (Status.FAIL, "declared f1 (average macro) = "
                                     "0.7040205972185964 is below the minimum 0.9")


def test_dev_split_is_validation(tmp_path: Path) -> None:
    card, notes, _ = _import("Formzu_bert-base-japanese-jsnli", tmp_path)
    assert _ids(card) == [("accuracy", None, "snli", "validation", 0.9288)]
    assert "metrics: split 'dev' mapped to 'validation'" in notes
    f = _threshold(tmp_path, "{metric: accuracy, split: validation, min: 0.9}")
    assert f.status is Status.PASS


def test_several_datasets_select_by_dataset(tmp_path: Path) -> None:
    card, notes, _ = _import("aapot_whisper-medium-fi", tmp_path)
    cv, fleurs = "mozilla-foundation/common_voice_11_0/fi", "google/fleurs/fi_fi"
    assert _ids(card) == [("wer", None, cv, "test", 0.1171), ("cer", None, cv, "test", 0.0212),
                          ("wer", None, fleurs, "test", 0.108),
                          ("cer", None, fleurs, "test", 0.0271)]
    assert (f"metrics: results on 2 datasets ({cv}, {fleurs}); each metric names its dataset "
            "(select with `dataset:` in rules)") in notes
    # Without dataset the rule is ambiguous and says why; with it, it finds the one value.
    f = _threshold(tmp_path, "{metric: wer, max: 0.12}")
    assert (f.status, f.message) == (
        Status.ERROR, "the card declares wer 2 times (wer (dataset mozilla-foundation/"
        "common_voice_11_0/fi, split test); wer (dataset google/fleurs/fi_fi, split test)); "
        "give average/dataset/split/slice to choose one")
    f = _threshold(tmp_path, f"{{metric: wer, dataset: {fleurs}, max: 0.11}}")
    assert (f.status, f.message) == (Status.PASS, f"declared wer (dataset {fleurs}) = 0.108 is "
                                     "within bounds")
    f = _threshold(tmp_path, f"{{metric: wer, dataset: '{cv}', max: 0.11}}")
    assert f.status is Status.FAIL and f.observed == 0.1171


def test_metric_declared_only_with_averages_says_so(tmp_path: Path) -> None:
    card, notes, _ = _import("JeremiahZ_bert-base-uncased-mnli", tmp_path)
    assert [(m.name, m.average, m.dataset) for m in card.metrics][:3] == [
        ("accuracy", None, "glue/mnli"), ("accuracy", None, "glue/mnli_matched"),
        ("precision", "macro", "glue/mnli_matched")]
    f = _threshold(tmp_path, "{metric: f1, min: 0.8}")
    assert f.status is Status.ERROR
    assert f.message == (
        "the card declares no metric f1 (it declares: f1 (average macro, dataset "
        "glue/mnli_matched, split validation); f1 (average micro, dataset glue/mnli_matched, "
        "split validation); f1 (average weighted, dataset glue/mnli_matched, split "
        "validation)); set average, dataset, split or slice to choose one: insufficient "
        "evidence")
    f = _threshold(tmp_path, "{metric: f1, average: weighted, min: 0.8}")
    assert (f.status, f.observed) == (Status.PASS, 0.8469586362613581)
    f = _threshold(tmp_path, "{metric: accuracy, dataset: glue/mnli, min: 0.85}")
    assert (f.status, f.observed) == (Status.PASS, 0.8500813669650122)
