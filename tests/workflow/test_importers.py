"""Card importers: Hugging Face README front matter and Model Card Toolkit JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.card.importers import MetricValue, import_card, parse_metric_value
from governance.card.importers.hf import import_hf_text
from governance.card.importers.mct import import_mct_text
from governance.card.loader import load_card
from governance.cli import main
from governance.errors import CardError, InputError

DATA = Path(__file__).resolve().parent / "data" / "cards"


@pytest.mark.parametrize(("raw", "expected"), [
    (0.91, MetricValue(0.91)),
    (79, MetricValue(79.0)),
    ("0.91", MetricValue(0.91)),
    ("20.0 ± 1.2", MetricValue(20.0, 18.8, 21.2)),
    ("20.0 +/- 1.2", MetricValue(20.0, 18.8, 21.2)),
    ("-147.07 +/- 80.80", MetricValue(-147.07, -227.87, -66.27)),
    ("0.79±0.02", MetricValue(0.79, 0.77, 0.81)),
    ("86.4%", MetricValue(0.864, percent=True)),
    ("86.4 %", MetricValue(0.864, percent=True)),
    ("(91.5 ± 0.4)%", MetricValue(0.915, 0.911, 0.919, True)),
    ("91.5% ± 0.4%", MetricValue(0.915, 0.911, 0.919, True)),
    ("\u22120.5", MetricValue(-0.5)),
    ("1e-3", MetricValue(0.001)),
])
def test_metric_values(raw: object, expected: MetricValue) -> None:
    assert parse_metric_value(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [
    ("n/a", "value 'n/a' is not available"),
    ("N/A", "value 'N/A' is not available"),
    ("", "value '' is not available"),
    (None, "value of type NoneType is not a number"),
    (True, "value True is not a number"),
    ("high", "value 'high' is not a number"),
    ("20 ± ", "value '20 ± ' is not a number"),
    ([1, 2], "value of type list is not a number"),
    (float("nan"), "value nan is not a finite number"),
])
def test_metric_values_skipped(raw: object, reason: str) -> None:
    assert parse_metric_value(raw) == reason


def _write(tmp_path: Path, result_text: str) -> Path:
    out = tmp_path / "model-card.yaml"
    out.write_text(result_text, encoding="utf-8")
    return out


def test_hf_reinforcement_learning_card_plus_minus(tmp_path: Path) -> None:
    r = import_card("hf", DATA / "hf-ppo-lunarlander.md", "hf-ppo-lunarlander.md")
    card = load_card(_write(tmp_path, r.yaml_text)).card
    assert card.model.name == "PPO"
    assert card.model.version == "0.0.0"
    assert card.model.task.value == "other"
    [m] = card.metrics
    assert (m.name, m.value, m.ci_lower, m.ci_upper, m.split, m.slice) == (
        "mean_reward", -147.07, -227.87, -66.27, None, None)
    assert card.data is not None and card.data.evaluation is not None
    assert card.data.evaluation.name == "LunarLander-v2"
    assert r.unfilled == ("model.version", "model.task", "model.owners", "model.license",
                          "intended_use.primary_uses", "intended_use.out_of_scope",
                          "intended_use.limitations", "data.training", "artifacts",
                          "sensitive_features", "privacy", "lineage")
    assert "model.version: Hugging Face cards carry no version; set to 0.0.0 (pass --version)" \
        in r.notes
    assert r.yaml_text.startswith(
        "# Imported from Hugging Face model card by `governance card import` from "
        "hf-ppo-lunarlander.md.\n# Review every field: the importer copies claims, it does not "
        "check them.\n# Could not fill (fill in by hand): model.version, model.task, ")
    assert card.extensions["imported"]["unfilled"] == list(r.unfilled)
    assert card.extensions["huggingface"]["tags"][0] == "LunarLander-v2"


def test_hf_asr_card_mapping_dataset_and_indented_metrics(tmp_path: Path) -> None:
    r = import_card("hf", DATA / "hf-xlsr-vietnamese.md", name=None, version="2.1.0")
    card = load_card(_write(tmp_path, r.yaml_text)).card
    assert card.model.name == "MT5 Fix Asr Vietnamese by Ontocord"
    assert card.model.version == "2.1.0"
    assert card.model.license == "apache-2.0"
    # "Test WER" 25.207182: a percentage (WER lies in 0-1), the split taken from the name
    assert [(m.name, m.value, m.dataset, m.split) for m in card.metrics] == [
        ("wer", 0.25207182, "common_voice/vi", "test")]
    assert ("metrics: wer on common_voice/vi: 25.207182 read as a percentage (wer lies in 0-1) "
            "and stored as 0.25207182") in r.notes
    assert "metrics: wer on common_voice/vi: split 'test' taken from the metric name " \
        "'Test WER'" in r.notes
    assert card.data is not None and card.data.training is not None
    assert card.data.training.name == "common_voice"
    assert ("data.training: the first of several training datasets (common_voice, FOSD)"
            in r.notes)
    assert "model.version" not in r.unfilled


def test_hf_verified_results_with_split_and_config(tmp_path: Path) -> None:
    r = import_card("hf", DATA / "hf-squad-verified.md", name="qa", version="1.0.0")
    card = load_card(_write(tmp_path, r.yaml_text)).card
    assert card.model.name == "qa"
    # squad reports 0-100: normalised to fractions
    assert [(m.name, m.value, m.split, m.dataset) for m in card.metrics] == [
        ("exact_match", 0.795998, "validation", "squad/plain_text"),
        ("f1", 0.869965, "validation", "squad/plain_text")]
    assert card.data is not None and card.data.evaluation is not None
    assert card.data.evaluation.source == ("Hugging Face dataset squad (config plain_text), "
                                           "split validation")
    results = card.extensions["huggingface"]["model_index_results"]
    assert [x["verified"] for x in results] == [True, True]
    assert "verifyToken" not in r.yaml_text


def test_hf_variations_percent_plus_minus_na_two_datasets_body(tmp_path: Path) -> None:
    r = import_card("hf", DATA / "hf-variations.md", "hf-variations.md")
    card = load_card(_write(tmp_path, r.yaml_text)).card
    got = [(m.name, m.value, m.ci_lower, m.ci_upper, m.dataset, m.slice)
           for m in card.metrics]
    adult = "scikit-learn/adult-census-income"  # config "default" is the dataset itself
    assert got == [
        ("accuracy", 0.2, 0.188, 0.212, adult, None),  # "20.0 ± 1.2": a percentage
        ("f1", 0.864, None, None, adult, None),
        ("roc_auc", 0.915, 0.911, 0.919, adult, None),
        ("recall", 0.81, None, None, adult, None),
        ("accuracy", 0.79, 0.77, 0.81, "internal/adult-2024", None),
    ]
    assert ("metrics: results on 2 datasets (scikit-learn/adult-census-income, "
            "internal/adult-2024); each metric names its dataset (select with `dataset:` in "
            "rules)") in r.notes
    assert ("metrics: precision on scikit-learn/adult-census-income skipped: value "
            "'n/a' is not available") in r.notes
    assert "metrics: f1 on scikit-learn/adult-census-income: percentage converted " \
        "to a fraction" in r.notes
    assert card.model.license == "mit OR cc-by-4.0"
    assert card.model.framework == "scikit-learn"
    assert card.intended_use is not None
    assert card.intended_use.primary_uses == ["Ranking census records for a teaching exercise."]
    assert card.intended_use.out_of_scope == ["Decisions about real people."]
    assert card.intended_use.limitations == []  # "More information needed" is a placeholder
    assert "intended_use.limitations" in r.unfilled
    assert card.ethical_considerations == ["Sex and race are in the training data."]


def test_hf_regression_task_is_mapped() -> None:
    text = "---\npipeline_tag: tabular-regression\nmodel_name: price\n---\n"
    r = import_hf_text(text, "README.md")
    assert r.data["model"]["task"] == "regression"
    assert "model.task" not in r.unfilled


def test_hf_name_from_folder_when_card_has_none(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# hi\n", encoding="utf-8")
    r = import_card("hf", folder / "README.md")
    assert r.data["model"]["name"] == "my-model"
    assert "model.name: taken from the folder name 'my-model'" in r.notes
    assert "metrics" in r.unfilled


@pytest.mark.parametrize(("text", "message"), [
    ("# just markdown\n", "README.md:1:1: no YAML front matter: a Hugging Face model card "
                          "starts with a '---' line"),
    ("---\nlicense: mit\n", "README.md:1:1: the YAML front matter is not closed by a '---' "
                            "line"),
    ("---\n---\n", "README.md:1:1: the YAML front matter is empty"),
    ("---\nlicense: mit\nlicense: apache-2.0\n---\n",
     "README.md:3:1: license: duplicate key 'license' (first defined at line 2)"),
    ("---\n- a\n- b\n---\n", "README.md:2:1: the YAML front matter must be a mapping"),
])
def test_hf_bad_input_messages(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        import_hf_text(text, "README.md", folder_name="x")
    assert str(exc.value) == message


def test_mct_v001_cats_vs_dogs(tmp_path: Path) -> None:
    r = import_card("mct", DATA / "mct-cats-vs-dogs-v0.0.1.json")
    card = load_card(_write(tmp_path, r.yaml_text)).card
    assert card.model.name == "Fine-tuned MobileNetV2 Model for Cat vs. Dogs"
    assert card.model.version == "v1.0"
    assert str(card.model.release_date) == "2020-08-28"
    assert card.model.license == "Apache-2.0"
    assert [(o.name, o.email) for o in card.model.owners] == [
        ("Model Cards Team", "model-cards@google.com")]
    got = [(m.name, m.value, m.slice, m.ci_lower, m.ci_upper, m.threshold)
           for m in card.metrics]
    assert got == [
        ("accuracy", 0.9781249761581421, None, None, None, 0.5),
        ("accuracy", 0.9932885766029358, "cat", 0.9832885766, 1.0032885766, 0.5),
        ("accuracy", 0.9649122953414917, "Dog", 0.95491229534, 0.97491229534, 0.5),
    ]
    use = card.intended_use
    assert use is not None
    assert use.primary_users == ["Fans of dogs and cats."]
    assert use.primary_uses == ["This model classifies images of cats and dogs."]
    assert use.limitations == ["This model is not able to classify images of other classes.",
                               "Trade-off: Recall vs Precision."]
    assert card.ethical_considerations[0].endswith(
        "could be considered offensive. Mitigation: Avoid application on non-dog and non-cat "
        "images.")
    assert card.data is not None and card.data.training is not None
    assert (card.data.training.name, card.data.evaluation and card.data.evaluation.name) == (
        "train", "eval")
    assert "1 quantitative-analysis graphics (base64 images) not imported" in r.notes
    assert r.unfilled == ("model.task", "intended_use.out_of_scope", "artifacts",
                          "sensitive_features", "privacy", "lineage")


def test_mct_v002_string_values_and_confidence_interval(tmp_path: Path) -> None:
    r = import_card("mct", DATA / "mct-full-v0.0.2.json", version="1.0.0")
    card = load_card(_write(tmp_path, r.yaml_text)).card
    [m] = card.metrics
    assert (m.name, m.value, m.slice, m.ci_lower, m.ci_upper) == (
        "accuracy", 0.9, None, 0.85, 0.95)
    assert card.model.version == "1.0.0"
    assert card.model.description == "overview\n\ndocumentation"
    assert [s.name for s in card.sensitive_features] == ["age"]
    assert card.lineage is not None
    assert [(c.version, str(c.date), c.changes) for c in card.lineage.changelog] == [
        ("1.0.0", "2020-02-02", ["The diff with last version."])]
    assert card.ethical_considerations == [
        "ethical considerations name. Mitigation: mitigation strategy"]
    assert card.extensions["model_card_toolkit"]["references"] == [
        "https://www.kaggle.com/c/dogs-vs-cats", "https://arxiv.org/abs/1801.04381"]


def test_mct_ambiguous_date_na_metric_and_bad_interval() -> None:
    text = """{"model_details": {"name": "m", "version": {"name": "1.0.0", "date": "02/03/2020"}},
      "quantitative_analysis": {"performance_metrics": [
        {"type": "auc", "value": "n/a"},
        {"type": "f1", "value": "81%", "confidence_interval":
          {"lower_bound": 0.9, "upper_bound": 0.7}}]},
      "extra_key": 1}"""
    r = import_mct_text(text, "card.json")
    assert r.data["metrics"] == [{"name": "f1", "value": 0.81}]
    assert r.notes == (
        "model.task: Model Card Toolkit cards do not state the task; set to 'other'",
        "model.release_date: '02/03/2020' is ambiguous (day/month); skipped",
        "metrics: quantitative_analysis.performance_metrics[0] (auc) skipped: value 'n/a' is "
        "not available",
        "metrics: quantitative_analysis.performance_metrics[1] (f1): lower bound above upper "
        "bound; interval skipped",
        "metrics: quantitative_analysis.performance_metrics[1] (f1): percentage converted to a "
        "fraction",
        "extra_key: not part of the Model Card Toolkit schema; ignored",
    )


@pytest.mark.parametrize(("text", "message"), [
    ('{"model_details": {"name": "m",}}', "card.json:1:32: invalid JSON: Expecting property "
                                          "name enclosed in double quotes"),
    ("[1, 2]", "card.json:1:1: a Model Card Toolkit card must be a JSON object"),
    ('{"model_details": {"name": "a", "name": "b"}}',
     "card.json: invalid JSON: duplicate key 'name'"),
    ('{"model_details": {}}', "card.json: model_details.name: no model name "
                              "(model_details.name); pass --name"),
])
def test_mct_bad_input_messages(text: str, message: str) -> None:
    with pytest.raises(CardError) as exc:
        import_mct_text(text, "card.json")
    assert str(exc.value) == message


def test_cli_import_writes_valid_card_and_refuses_overwrite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "card.yaml"
    code = main(["card", "import", "--from", "hf", str(DATA / "hf-squad-verified.md"),
                 "--output", str(out), "--version", "3.0.0", "--name", "squad-qa"])
    assert code == 0
    err = capsys.readouterr().err
    assert f"wrote {out}\n" in err
    assert "could not fill (fill in by hand): model.task, model.owners" in err
    assert main(["card", "validate", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: ok (squad-qa 3.0.0, 0 artifacts)\n"
    before = out.read_bytes()
    code = main(["card", "import", "--from", "mct", str(DATA / "mct-full-v0.0.2.json"),
                 "--output", str(out)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"error: {out}: --output: file exists; refusing to overwrite it\n")
    assert out.read_bytes() == before


def test_cli_import_to_stdout_and_bad_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["card", "import", "--from", "mct",
                 str(DATA / "mct-cats-vs-dogs-v0.0.1.json")]) == 0
    captured = capsys.readouterr()
    assert "\nkind: ModelCard\n" in captured.out
    assert "note: model.task: Model Card Toolkit cards do not state the task" in captured.err
    wrong = DATA / "mct-full-v0.0.2.json"
    assert main(["card", "import", "--from", "hf", str(wrong)]) == 2
    assert capsys.readouterr().err == (
        f"error: {wrong}:1:1: no YAML front matter: a Hugging Face model card starts with a "
        "'---' line\n")


def test_hf_same_identity_twice_keeps_the_first_with_a_note() -> None:
    text = """---
model-index:
- name: dup
  results:
  - task: {type: text-classification}
    dataset: {name: d, type: org/d, split: validation}
    metrics:
    - {type: accuracy, value: 0.91}
    - {type: accuracy, value: 0.93}
    - {type: f1, name: F1 (weighted), value: 90.5}
    - {type: f1, value: 0.88, args: {average: macro}}
---
"""
    r = import_hf_text(text, "README.md")
    assert r.data["metrics"] == [
        {"name": "accuracy", "value": 0.91, "dataset": "org/d", "split": "validation"},
        {"name": "f1", "value": 0.905, "average": "weighted", "dataset": "org/d",
         "split": "validation"},
        {"name": "f1", "value": 0.88, "average": "macro", "dataset": "org/d",
         "split": "validation"},
    ]
    assert ("metrics: accuracy on org/d split validation is declared again (0.93); kept the "
            "first (0.91)") in r.notes
    assert ("metrics: f1 (weighted) on org/d: 90.5 read as a percentage (f1 lies in 0-1) and "
            "stored as 0.905") in r.notes
