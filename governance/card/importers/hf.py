"""Import a Hugging Face model card (``README.md`` with YAML front matter) into our format.

Offline: the front matter is parsed with the project's safe YAML reader; nothing is fetched.
Read: ``model-index`` results (task, dataset with config/split, metrics whose values may be
numbers, percentages, ``"20.0 ± 1.2"`` or ``"-147.07 +/- 80.80"``), ``license``,
``library_name``, ``pipeline_tag``, ``datasets``, ``language``, ``tags``, ``base_model``, and the
"Intended uses", "Out-of-scope", "Limitations" and "Bias" sections of the Markdown body.
"""

from __future__ import annotations

import re
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


def _results(draft: Draft, fm: dict[str, Any]) -> tuple[str | None, set[str]]:
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
    rows: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []
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
    datasets = {_ds_id(ds) for _, ds, _ in rows}
    several = len(datasets) > 1
    if several:
        draft.note("metrics: results on several datasets; each metric's slice names its "
                   "dataset")
    metrics: list[dict[str, Any]] = []
    declared: list[dict[str, Any]] = []
    for task, ds, m in rows:
        mname = _metric_name(m)
        where = f"{mname or '?'} on {_ds_id(ds)}"
        declared.append({k: v for k, v in {
            "metric": mname, "name": as_text(m.get("name")), "value": as_text(m.get("value")),
            "task": as_text(task.get("type")), "dataset": as_text(ds.get("name")),
            "dataset_type": as_text(ds.get("type")), "config": as_text(ds.get("config")),
            "split": as_text(ds.get("split")), "verified": m.get("verified")
            if isinstance(m.get("verified"), bool) else None}.items() if v is not None})
        if mname is None:
            draft.note("metrics: a result without a metric type or name was skipped")
            continue
        parsed = parse_metric_value(m.get("value"))
        if isinstance(parsed, str):
            draft.note(f"metrics: {where} skipped: {parsed}")
            continue
        metric: dict[str, Any] = {"name": mname, "value": parsed.value}
        if as_text(ds.get("split")):
            metric["split"] = as_text(ds.get("split"))
        if several:
            metric["slice"] = _ds_id(ds)
        if parsed.ci_lower is not None:
            metric["ci_lower"] = parsed.ci_lower
            metric["ci_upper"] = parsed.ci_upper
            draft.note(f"metrics: {where}: '±' read as an interval of unknown confidence "
                       "level (ci_lower/ci_upper)")
        if parsed.percent:
            draft.note(f"metrics: {where}: percentage converted to a fraction")
        metrics.append(metric)
    draft.data["metrics"] = metrics
    if declared:
        draft.data.setdefault("extensions", {}).setdefault("huggingface", {})[
            "model_index_results"] = declared
    eval_names = [_ds_id(ds) for _, ds, _ in rows]
    if eval_names:
        first = next(ds for _, ds, _ in rows)
        ref: dict[str, Any] = {"name": as_text(first.get("name")) or _ds_id(first)}
        if as_text(first.get("type")):
            ref["source"] = f"Hugging Face dataset {as_text(first.get('type'))}" + (
                f" (config {as_text(first.get('config'))})" if as_text(first.get("config"))
                else "") + (f", split {as_text(first.get('split'))}"
                            if as_text(first.get("split")) else "")
        draft.section("data")["evaluation"] = ref
        if several:
            draft.note("data.evaluation: the first of several evaluation datasets")
    return name, tasks


def _ds_id(ds: dict[str, Any]) -> str:
    base = as_text(ds.get("type")) or as_text(ds.get("name")) or "unknown dataset"
    cfg = as_text(ds.get("config"))
    if cfg is None and not isinstance(ds.get("args"), dict):
        cfg = as_text(ds.get("args"))
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
