"""Import a Hugging Face model card (``README.md`` with YAML front matter) into our format.

Offline: the front matter is parsed with the project's safe YAML reader; nothing is fetched.
Read: ``model-index`` results (task, dataset with config/split, metrics whose values may be
numbers, percentages, ``"20.0 ± 1.2"`` or ``"-147.07 +/- 80.80"``), ``license``,
``library_name``, ``pipeline_tag``, ``datasets``, ``language``, ``tags``, ``base_model``, and the
"Intended uses", "Out-of-scope", "Limitations" and "Bias" sections of the Markdown body.

Metric identity is kept: the class average (``args: {average: macro}`` or a name like "F1
Macro") becomes ``average``, the dataset (type and config) ``dataset``, the split is mapped to
the card's names (validation/val/dev/eval -> validation, test, train; taken from a name like
"Validation Accuracy" when the result gives none); 0-1 metrics written as 0-100 become
fractions, with a note; a result declared twice under the same identity keeps the first.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from governance.card.importers._common import (
    Draft,
    ImportResult,
    as_text,
    finish,
    parse_metric_value,
)
from governance.errors import CardError
from governance.yamlio import decode, parse_yaml, read_capped

_FENCE = re.compile(r"^---[ \t]*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PLACEHOLDER = re.compile(r"more information needed|^\[?\s*todo", re.I)


def _is_placeholder(text: str) -> bool:
    """Template filler: "more information needed", "TODO", or a ``{{ ... }}`` on one line.

    The ``{{ }}`` test is string search, not the regex ``\\{\\{.*\\}\\}``, which takes
    quadratic time on a long line of ``{{`` (a hostile README would hang the import).
    """
    if _PLACEHOLDER.search(text):
        return True
    for line in text.split("\n"):
        start = line.find("{{")
        if start >= 0 and line.find("}}", start + 2) >= 0:
            return True
    return False
_REGRESSION = {"tabular-regression", "time-series-forecasting"}
_EXTRA_KEYS = ("language", "tags", "base_model", "pipeline_tag", "library_name",
               "co2_eq_emissions", "model_name", "license_name", "license_link")


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """(front matter with the opening fence blanked, body, first body line number)."""
    lines = text.splitlines()
    if not lines or not _FENCE.match(lines[0]):
        raise CardError("no YAML front matter: a Hugging Face model card starts with a "
                        "'---' line", path=path, line=1, col=1)
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]) or lines[i].rstrip() == "...":
            # A blank first line keeps YAML line numbers equal to file line numbers.
            front = "\n".join(["", *lines[1:i]]) + "\n"
            return front, "\n".join(lines[i + 1:]), i + 2
    raise CardError("the YAML front matter is not closed by a '---' line", path=path, line=1,
                    col=1)


def _sections(body: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    in_code = False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        m = _HEADING.match(line)
        if m:
            current = (m.group(2), [])
            out.append(current)
        elif current is not None:
            current[1].append(line)
    return out


def _items(lines: list[str]) -> list[str]:
    """Bullet items of a section, else its paragraphs; placeholders dropped."""
    bullets = [re.sub(r"^\s*[-*+]\s+|^\s*\d+[.)]\s+", "", ln).strip() for ln in lines
               if re.match(r"^\s*([-*+]|\d+[.)])\s+", ln)]
    if bullets:
        items = bullets
    else:
        paras: list[str] = []
        buf: list[str] = []
        for ln in [*lines, ""]:
            if ln.strip():
                buf.append(ln.strip())
            elif buf:
                paras.append(" ".join(buf))
                buf = []
        items = paras
    return [i[:1000] for i in items if i and not _is_placeholder(i)
            and not i.startswith(("<!--", "|"))]


def _body(draft: Draft, body: str) -> None:
    use = draft.section("intended_use")
    for heading, lines in _sections(body):
        h = heading.lower()
        items = _items(lines)
        if not items:
            continue
        if "out-of-scope" in h or "out of scope" in h or "misuse" in h:
            key = "out_of_scope"
        elif "intended use" in h or h in ("uses", "direct use", "intended uses"):
            key = "primary_uses"
        elif "limitation" in h:
            key = "limitations"
        elif "bias" in h or "ethic" in h or "risk" in h:
            draft.data.setdefault("ethical_considerations", []).extend(items)
            draft.note(f"ethical_considerations: from the section {heading!r}")
            continue
        else:
            continue
        use.setdefault(key, []).extend(items)
        draft.note(f"intended_use.{key}: from the section {heading!r}")


def _dataset_ref(entry: Any) -> dict[str, Any] | None:
    if isinstance(entry, str) and entry.strip():
        return {"name": entry.strip(),
                "source": f"https://huggingface.co/datasets/{entry.strip()}"}
    if isinstance(entry, dict) and len(entry) == 1:
        (name, src), = entry.items()
        ref: dict[str, Any] = {"name": str(name)}
        if as_text(src):
            ref["source"] = as_text(src)
        return ref
    return None


def _license(draft: Draft, fm: dict[str, Any]) -> None:
    lic = fm.get("license")
    if isinstance(lic, list):
        names = [as_text(x) for x in lic if as_text(x)]
        if names:
            draft.section("model")["license"] = " OR ".join(n for n in names if n)
            if len(names) > 1:
                draft.note("model.license: several licenses joined with OR")
    elif as_text(lic):
        text = as_text(lic)
        if text == "other" and as_text(fm.get("license_name")):
            text = as_text(fm.get("license_name"))
        draft.section("model")["license"] = text


def _metric_name(m: dict[str, Any]) -> str | None:
    return as_text(m.get("type")) or as_text(m.get("name"))


_AVERAGES = ("macro", "micro", "weighted", "samples", "binary")
_AVERAGE_IN_NAME = re.compile(r"(?<![a-z])(macro|micro|weighted|samples|binary)(?![a-z])", re.I)
# Split names as cards write them -> the card's split names.
SPLITS = {
    "validation": "validation", "valid": "validation", "val": "validation",
    "dev": "validation", "development": "validation", "eval": "validation",
    "evaluation": "validation",
    "test": "test", "testing": "test",
    "train": "train", "training": "train",
}
_SPLIT_IN_NAME = re.compile(r"^\s*(validation|valid|val|dev|eval|evaluation|test|testing|"
                            r"train|training)(?![a-z])", re.I)
# Metrics whose values lie in [0, 1]: a value in (1, 100] was written as a percentage (Hugging
# Face's squad, seqeval and most training scripts report 0-100; evaluate's metrics 0-1).
FRACTION_METRICS = frozenset({
    "accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "auc", "pr_auc",
    "average_precision", "exact_match", "em", "rouge1", "rouge2", "rougel", "rougelsum",
    "meteor", "wer", "cer", "mean_iou", "map", "top1", "top5", "top-1", "top-5",
})
_DEFAULT_CONFIGS = {"default"}


def _average(m: dict[str, Any]) -> str | None:
    """The class averaging of a metric: ``args: {average: macro}`` or a name like 'F1 Macro'."""
    args = m.get("args")
    raw = args.get("average") if isinstance(args, dict) else None
    if isinstance(raw, str) and raw.strip().lower() in _AVERAGES:
        return raw.strip().lower()
    for key in ("name", "type"):
        text = as_text(m.get(key))
        found = _AVERAGE_IN_NAME.search(text) if text else None
        if found:
            return found.group(1).lower()
    return None


def _split(draft: Draft, ds: dict[str, Any], m: dict[str, Any], where: str) -> str | None:
    raw = as_text(ds.get("split"))
    if raw is None:
        named = _SPLIT_IN_NAME.match(as_text(m.get("name")) or "")
        if named is None:
            return None
        split = SPLITS[named.group(1).lower()]
        draft.note(f"metrics: {where}: split {split!r} taken from the metric name "
                   f"{as_text(m.get('name'))!r}")
        return split
    mapped = SPLITS.get(raw.lower())
    if mapped is None:
        draft.note(f"metrics: {where}: split {raw!r} kept as written")
        return raw
    if mapped != raw:
        draft.note(f"metrics: split {raw!r} mapped to {mapped!r}")
    return mapped


def _percent(value: float) -> float:
    """value / 100 in decimal (94.13 -> 0.9413, not 0.9412999999999999)."""
    return float(Decimal(repr(value)) / 100)


def _in_unit_range(draft: Draft, name: str, metric: dict[str, Any], where: str,
                   percent: bool) -> None:
    """Values of 0-1 metrics written as 0-100 become fractions (with a note)."""
    value = metric["value"]
    if percent or name.lower().replace("-", "_") not in FRACTION_METRICS or not 1 < value <= 100:
        return
    metric["value"] = _percent(value)
    for bound in ("ci_lower", "ci_upper"):
        if bound in metric:
            metric[bound] = _percent(metric[bound])
    draft.note(f"metrics: {where}: {value} read as a percentage ({name} lies in 0-1) and "
               f"stored as {metric['value']}")


Row = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]  # (task, dataset, metric)


def _results(draft: Draft, fm: dict[str, Any]) -> tuple[str | None, set[str]]:
    """The first model-index entry: its name, task types, metrics and evaluation dataset."""
    index = fm.get("model-index")
    tasks: set[str] = set()
    if index is None:
        return None, tasks
    if not isinstance(index, list) or not index or not isinstance(index[0], dict):
        draft.note("model-index: not a list of models; ignored")
        return None, tasks
    if len(index) > 1:
        draft.note(f"model-index: {len(index)} models listed; only the first is imported")
    entry = index[0]
    name = as_text(entry.get("name"))
    results = entry.get("results") or []
    if not isinstance(results, list):
        draft.note("model-index[0].results: not a list; ignored")
        return name, tasks
    rows = _result_rows(results, tasks)
    metrics: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for _task, ds, m in rows:
        made = _metric(draft, ds, m)
        if made is None:
            continue
        key, metric, where = made
        if key in seen:
            split = metric.get("split")
            first = metrics[seen[key]]["value"]
            draft.note(f"metrics: {where}" + (f" split {split}" if split else "")
                       + f" is declared again ({metric['value']}); kept the first "
                       f"({first})")
            continue
        seen[key] = len(metrics)
        metrics.append(metric)
    draft.data["metrics"] = metrics
    declared = [_declared(task, ds, m) for task, ds, m in rows]
    if declared:
        draft.data.setdefault("extensions", {}).setdefault("huggingface", {})[
            "model_index_results"] = declared
    _evaluation(draft, rows)
    return name, tasks


def _result_rows(results: list[Any], tasks: set[str]) -> list[Row]:
    """One row per metric of every result; the task types found are added to ``tasks``."""
    rows: list[Row] = []
    for r in results:
        if not isinstance(r, dict):
            continue
        task = r.get("task") if isinstance(r.get("task"), dict) else {}
        ds = r.get("dataset") if isinstance(r.get("dataset"), dict) else {}
        assert isinstance(task, dict) and isinstance(ds, dict)
        if as_text(task.get("type")):
            tasks.add(str(as_text(task.get("type"))))
        for m in r.get("metrics") or []:
            if isinstance(m, dict):
                rows.append((task, ds, m))
    return rows


def _declared(task: dict[str, Any], ds: dict[str, Any], m: dict[str, Any]) -> dict[str, Any]:
    """A result as the card declared it (kept under extensions.huggingface)."""
    return {k: v for k, v in {
        "metric": _metric_name(m), "name": as_text(m.get("name")),
        "value": as_text(m.get("value")), "task": as_text(task.get("type")),
        "dataset": as_text(ds.get("name")), "dataset_type": as_text(ds.get("type")),
        "config": as_text(ds.get("config")), "split": as_text(ds.get("split")),
        "verified": m.get("verified") if isinstance(m.get("verified"), bool) else None,
    }.items() if v is not None}


def _metric(draft: Draft, ds: dict[str, Any], m: dict[str, Any]
            ) -> tuple[tuple[Any, ...], dict[str, Any], str] | None:
    """(dedup key, card metric, where) of one result, or None (skipped, with a note)."""
    mname = _metric_name(m)
    dataset = _ds_id(ds)
    where = f"{mname or '?'} on {dataset}"
    if mname is None:
        draft.note("metrics: a result without a metric type or name was skipped")
        return None
    parsed = parse_metric_value(m.get("value"))
    if isinstance(parsed, str):
        draft.note(f"metrics: {where} skipped: {parsed}")
        return None
    metric: dict[str, Any] = {"name": mname, "value": parsed.value}
    average = _average(m)
    if average:
        metric["average"] = average
        where = f"{mname} ({average}) on {dataset}"
    metric["dataset"] = dataset
    split = _split(draft, ds, m, where)
    if split:
        metric["split"] = split
    if parsed.ci_lower is not None:
        metric["ci_lower"] = parsed.ci_lower
        metric["ci_upper"] = parsed.ci_upper
        draft.note(f"metrics: {where}: '±' read as an interval of unknown confidence "
                   "level (ci_lower/ci_upper)")
    if parsed.percent:
        draft.note(f"metrics: {where}: percentage converted to a fraction")
    _in_unit_range(draft, mname, metric, where, parsed.percent)
    return (mname, average, dataset, split), metric, where


def _evaluation(draft: Draft, rows: list[Row]) -> None:
    """data.evaluation: the first dataset results were reported on."""
    datasets = list(dict.fromkeys(_ds_id(ds) for _, ds, _ in rows))
    if not datasets:
        return
    first = next(ds for _, ds, _ in rows)
    ref: dict[str, Any] = {"name": as_text(first.get("name")) or _ds_id(first)}
    if as_text(first.get("type")):
        ref["source"] = f"Hugging Face dataset {as_text(first.get('type'))}" + (
            f" (config {as_text(first.get('config'))})" if as_text(first.get("config"))
            else "") + (f", split {as_text(first.get('split'))}"
                        if as_text(first.get("split")) else "")
    draft.section("data")["evaluation"] = ref
    if len(datasets) > 1:
        draft.note(f"metrics: results on {len(datasets)} datasets ({', '.join(datasets)}); "
                   "each metric names its dataset (select with `dataset:` in rules)")
        draft.note("data.evaluation: the first of several evaluation datasets")


def _ds_id(ds: dict[str, Any]) -> str:
    base = as_text(ds.get("type")) or as_text(ds.get("name")) or "unknown dataset"
    cfg = as_text(ds.get("config"))
    if cfg is None and not isinstance(ds.get("args"), dict):
        cfg = as_text(ds.get("args"))
    if cfg is not None and cfg.lower() in _DEFAULT_CONFIGS:
        cfg = None
    return f"{base}/{cfg}" if cfg else base


def _task(draft: Draft, fm: dict[str, Any], tasks: set[str]) -> bool:
    """Set model.task; True when it had to be defaulted to 'other'."""
    kinds = set(tasks)
    if as_text(fm.get("pipeline_tag")):
        kinds.add(str(as_text(fm.get("pipeline_tag"))))
    if kinds and kinds <= _REGRESSION:
        draft.section("model")["task"] = "regression"
        return False
    draft.section("model")["task"] = "other"
    if kinds:
        draft.note("model.task: set to 'other'; the Hugging Face task "
                   f"({', '.join(sorted(kinds))}) does not say binary, multiclass or "
                   "regression")
    return True


def import_hf_text(text: str, path: str, *, name: str | None = None,
                   version: str | None = None, folder_name: str | None = None) -> ImportResult:
    front, body, _ = split_front_matter(text, path)
    if not front.strip():
        raise CardError("the YAML front matter is empty", path=path, line=1, col=1)
    doc = parse_yaml(front, path)
    fm = doc.data
    if not isinstance(fm, dict):
        raise CardError("the YAML front matter must be a mapping", path=path, line=2, col=1)
    draft = Draft(source_format="Hugging Face model card", source_path=path)
    model = draft.section("model")
    defaulted: set[str] = set()
    index_name, tasks = _results(draft, fm)
    chosen = name or index_name or as_text(fm.get("model_name")) or folder_name
    if chosen is None:
        raise CardError("no model name in the card (model-index[0].name or model_name); "
                        "pass --name", path=path, line=1, col=1)
    if not (name or index_name or as_text(fm.get("model_name"))):
        draft.note(f"model.name: taken from the folder name {chosen!r}")
    model["name"] = chosen[:200]
    if version is None:
        model["version"] = "0.0.0"
        defaulted.add("model.version")
        draft.note("model.version: Hugging Face cards carry no version; set to 0.0.0 "
                   "(pass --version)")
    else:
        model["version"] = version
    if _task(draft, fm, tasks):
        defaulted.add("model.task")
    _license(draft, fm)
    if as_text(fm.get("library_name")):
        model["framework"] = as_text(fm.get("library_name"))
    raw_ds = fm.get("datasets")
    ds_list = raw_ds if isinstance(raw_ds, list) else [raw_ds] if raw_ds else []
    refs = [r for r in (_dataset_ref(d) for d in ds_list) if r is not None]
    if refs:
        draft.section("data")["training"] = refs[0]
        if len(refs) > 1:
            draft.note("data.training: the first of several training datasets ("
                       + ", ".join(r["name"] for r in refs) + ")")
    _body(draft, body)
    extra = {k: fm[k] for k in _EXTRA_KEYS if k in fm and fm[k] not in (None, "", [])}
    if extra:
        draft.data.setdefault("extensions", {}).setdefault("huggingface", {}).update(extra)
    return finish(draft, defaulted=defaulted)


def import_hf(path: Path, display: str | None = None, *, name: str | None = None,
              version: str | None = None) -> ImportResult:
    shown = display if display is not None else str(path)
    text = decode(read_capped(path, shown), shown)
    return import_hf_text(text, shown, name=name, version=version,
                          folder_name=path.resolve().parent.name or None)
