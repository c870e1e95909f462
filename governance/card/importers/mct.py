"""Import a Model Card Toolkit card (JSON, schema v0.0.1 or v0.0.2) into our format.

Handles the variations seen in the toolkit's own examples and in the wild: ``licenses`` as a
list of ``{identifier|custom_text}`` or ``license`` as a string; ``references`` as strings or
``{reference}``; ``model_parameters.data`` as a list of datasets or a ``{train, eval}`` mapping;
metric ``value`` and confidence bounds as numbers or strings; ``considerations`` entries as
strings or ``{description}``; version dates as ``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``MM/DD/YYYY``.
"""

from __future__ import annotations

import json
import re
from datetime import date
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
from governance.textsafe import excerpt
from governance.yamlio import decode, read_capped

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OVERALL = {"", "overall", "all", "none"}


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 18


def _bounded_int(text: str) -> int | float:
    """JSON integers beyond float range would crash a conversion later: refuse them."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integer with {len(text.lstrip('-'))} digits; at most "
                         f"{MAX_INT_DIGITS} allowed")
    return int(text)


def _json_depth(text: str) -> tuple[int, int] | None:
    """(line, col) where ``text`` nests deeper than MAX_JSON_DEPTH, else None (linear)."""
    import re

    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                before = text[: m.start()]
                return before.count("\n") + 1, m.start() - (before.rfind("\n") + 1) + 1
        elif tok in "]}":
            depth -= 1
    return None


def _load_json(text: str, path: str) -> dict[str, Any]:
    deep = _json_depth(text)
    if deep is not None:  # json.loads would recurse until RecursionError (an exit 3)
        raise CardError(f"invalid JSON: nesting deeper than {MAX_JSON_DEPTH} levels", path=path,
                        line=deep[0], col=deep[1])
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise CardError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno,
                        col=exc.colno) from None
    except (ValueError, RecursionError) as exc:
        raise CardError(f"invalid JSON: {excerpt(exc, 200)}", path=path) from None
    if not isinstance(data, dict):
        raise CardError("a Model Card Toolkit card must be a JSON object", path=path, line=1,
                        col=1)
    return data


def _texts(items: Any, key: str = "description") -> list[str]:
    """Strings from a list of strings or of ``{key: text}`` objects."""
    out: list[str] = []
    for item in items if isinstance(items, list) else [items] if items else []:
        text = as_text(item[key]) if isinstance(item, dict) and key in item else as_text(item)
        if text:
            out.append(text)
    return out


def _date(raw: Any, draft: Draft) -> str | None:
    text = as_text(raw)
    if text is None:
        return None
    m = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", text)
        if not m:
            draft.note(f"model.release_date: {text!r} is not a date; skipped")
            return None
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a <= 12 < b:
            mo, d = a, b
        elif b <= 12 < a:
            mo, d = b, a
        else:
            draft.note(f"model.release_date: {text!r} is ambiguous (day/month); skipped")
            return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        draft.note(f"model.release_date: {text!r} is not a valid date; skipped")
        return None


def _details(draft: Draft, md: dict[str, Any], name: str | None,
             version: str | None, defaulted: set[str]) -> None:
    model = draft.section("model")
    chosen = name or as_text(md.get("name"))
    if chosen is None:
        raise CardError("no model name (model_details.name); pass --name",
                        path=draft.source_path, field="model_details.name")
    model["name"] = chosen[:200]
    desc = [t for t in (as_text(md.get("overview")), as_text(md.get("documentation"))) if t]
    if desc:
        model["description"] = "\n\n".join(desc)
    model["owners"] = _owners(md.get("owners"))
    ver = md.get("version")
    _version(draft, model, ver, version, defaulted)
    model["task"] = "other"
    defaulted.add("model.task")
    draft.note("model.task: Model Card Toolkit cards do not state the task; set to 'other'")
    if isinstance(ver, dict):
        _release(draft, model, ver)
    licenses = md.get("licenses")
    if licenses is None and "license" in md:
        licenses = [md.get("license")]
    ids = _license_ids(draft, licenses)
    if ids:
        model["license"] = " OR ".join(ids)
    ext = draft.data.setdefault("extensions", {}).setdefault("model_card_toolkit", {})
    refs = _texts(md.get("references"), "reference")
    if refs:
        ext["references"] = refs
    cites = _texts(md.get("citations") or md.get("citation"), "citation")
    if cites:
        ext["citations"] = cites
    if licenses and any(isinstance(x, dict) and "custom_text" in x for x in licenses):
        ext["licenses"] = licenses


def _owners(raw: Any) -> list[dict[str, Any]]:
    owners = []
    for o in raw or []:
        if not isinstance(o, dict) or not as_text(o.get("name")):
            continue
        owner: dict[str, Any] = {"name": as_text(o.get("name"))}
        contact = as_text(o.get("contact"))
        if contact and _EMAIL.match(contact):
            owner["email"] = contact
        elif contact:
            owner["role"] = f"contact: {contact}"
        owners.append(owner)
    return owners


def _version(draft: Draft, model: dict[str, Any], ver: Any, version: str | None,
             defaulted: set[str]) -> None:
    """model.version: --version, else the card's version name, else 0.0.0 (noted)."""
    ver_name = as_text(ver.get("name")) if isinstance(ver, dict) else as_text(ver)
    if version is not None:
        model["version"] = version
    elif ver_name:
        model["version"] = ver_name[:64]
    else:
        model["version"] = "0.0.0"
        defaulted.add("model.version")
        draft.note("model.version: the card has no version name; set to 0.0.0 "
                   "(pass --version)")


def _release(draft: Draft, model: dict[str, Any], ver: dict[str, Any]) -> None:
    """model.release_date and a changelog entry from the version's date and diff."""
    released = _date(ver.get("date"), draft)
    if released:
        model["release_date"] = released
    diff = as_text(ver.get("diff"))
    if diff:
        entry: dict[str, Any] = {"version": model["version"], "changes": [diff]}
        if released:
            entry["date"] = released
        draft.section("lineage")["changelog"] = [entry]


def _license_ids(draft: Draft, licenses: Any) -> list[str]:
    ids: list[str] = []
    for lic in licenses if isinstance(licenses, list) else []:
        if isinstance(lic, dict) and as_text(lic.get("identifier")):
            ids.append(str(as_text(lic.get("identifier"))))
        elif isinstance(lic, dict) and as_text(lic.get("custom_text")):
            ids.append("custom")
            draft.note("model.license: a custom license text is kept in "
                       "extensions.model_card_toolkit.licenses")
        elif as_text(lic):
            ids.append(str(as_text(lic)))
    return ids


_EVAL = re.compile(r"\b(eval|evaluation|test|validation|valid)\b")
_TRAIN = re.compile(r"\btrain")


def _dataset_entries(data: Any) -> list[tuple[str | None, dict[str, Any]]]:
    if isinstance(data, dict):  # v0.0.1: {"train": {...}, "eval": {...}}
        return [(key, ds) for key, ds in data.items() if isinstance(ds, dict)]
    if isinstance(data, list):
        return [(None, ds) for ds in data if isinstance(ds, dict)]
    return []


def _dataset_ref(key: str | None, ds: dict[str, Any]) -> dict[str, Any]:
    ref: dict[str, Any] = {"name": as_text(ds.get("name")) or key or "dataset"}
    if as_text(ds.get("description")):
        ref["description"] = as_text(ds.get("description"))
    if as_text(ds.get("link")):
        ref["source"] = as_text(ds.get("link"))
    return ref


def _datasets(draft: Draft, params: dict[str, Any]) -> None:
    training: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
    sensitive: list[str] = []
    graphics = 0
    for key, ds in _dataset_entries(params.get("data")):
        label = (key or "") + " " + (as_text(ds.get("name")) or "") + " " + (
            as_text(ds.get("description")) or "")
        ref = _dataset_ref(key, ds)
        sens = ds.get("sensitive")
        if isinstance(sens, dict):
            sensitive.extend(_texts(sens.get("sensitive_data")))
        g = ds.get("graphics")
        if isinstance(g, dict):
            graphics += len(g.get("collection") or [])
        low = label.lower()
        if _EVAL.search(low) and evaluation is None:
            evaluation = ref
        elif _TRAIN.search(low) and training is None:
            training = ref
        elif training is None:
            training = ref
            draft.note(f"data.training: dataset {ref['name']!r} does not say whether it is "
                       "for training or evaluation; assumed training")
    if training:
        draft.section("data")["training"] = training
    if evaluation:
        draft.section("data")["evaluation"] = evaluation
    _sensitive(draft, sensitive)
    if graphics:
        draft.note(f"{graphics} dataset graphics (base64 images) not imported")
    if as_text(params.get("model_architecture")):
        draft.section("model")["algorithm"] = as_text(params.get("model_architecture"))
    ext = draft.data.setdefault("extensions", {}).setdefault("model_card_toolkit", {})
    for k in ("input_format", "output_format"):
        if as_text(params.get(k)):
            ext[k] = as_text(params.get(k))


def _sensitive(draft: Draft, sensitive: list[str]) -> None:
    if not sensitive:
        return
    draft.data["sensitive_features"] = [
        {"name": s[:200], "description": "declared as sensitive data of a dataset in the "
         "Model Card Toolkit card"} for s in dict.fromkeys(sensitive)]
    draft.note("sensitive_features: from the datasets' sensitive_data; check that each "
               "name is a column of your data")


def _metrics(draft: Draft, qa: dict[str, Any]) -> None:
    out: list[dict[str, Any]] = []
    for i, pm in enumerate(qa.get("performance_metrics") or []):
        if not isinstance(pm, dict):
            continue
        mname = as_text(pm.get("type")) or as_text(pm.get("name"))
        where = f"quantitative_analysis.performance_metrics[{i}]"
        if mname is None:
            draft.note(f"metrics: {where} has no type; skipped")
            continue
        parsed = parse_metric_value(pm.get("value"))
        if isinstance(parsed, str):
            draft.note(f"metrics: {where} ({mname}) skipped: {parsed}")
            continue
        metric: dict[str, Any] = {"name": mname, "value": parsed.value}
        slice_ = as_text(pm.get("slice"))
        if slice_ and slice_.lower() not in _OVERALL:
            metric["slice"] = slice_
        ci = pm.get("confidence_interval")
        lo, hi = parsed.ci_lower, parsed.ci_upper
        if isinstance(ci, dict):
            plo = parse_metric_value(ci.get("lower_bound"))
            phi = parse_metric_value(ci.get("upper_bound"))
            if isinstance(plo, str) or isinstance(phi, str):
                draft.note(f"metrics: {where} ({mname}): confidence interval skipped: "
                           + (plo if isinstance(plo, str) else str(phi)))
            else:
                lo, hi = plo.value, phi.value
        if lo is not None and hi is not None:
            if lo > hi:
                draft.note(f"metrics: {where} ({mname}): lower bound above upper bound; "
                           "interval skipped")
            else:
                metric["ci_lower"], metric["ci_upper"] = lo, hi
        thr = parse_metric_value(pm.get("threshold")) if "threshold" in pm else None
        if thr is not None and not isinstance(thr, str):
            metric["threshold"] = thr.value
        if parsed.percent:
            draft.note(f"metrics: {where} ({mname}): percentage converted to a fraction")
        out.append(metric)
    draft.data["metrics"] = out
    graphics = qa.get("graphics")
    if isinstance(graphics, dict) and graphics.get("collection"):
        draft.note(f"{len(graphics['collection'])} quantitative-analysis graphics "
                   "(base64 images) not imported")


def _considerations(draft: Draft, cons: dict[str, Any]) -> None:
    use = draft.section("intended_use")
    use["primary_users"] = _texts(cons.get("users"))
    use["primary_uses"] = _texts(cons.get("use_cases"))
    use["limitations"] = _texts(cons.get("limitations"))
    tradeoffs = _texts(cons.get("tradeoffs"))
    if tradeoffs:
        use["limitations"] = [*use["limitations"], *(f"Trade-off: {t}" for t in tradeoffs)]
    ethics: list[str] = []
    for risk in cons.get("ethical_considerations") or []:
        if isinstance(risk, dict):
            name = as_text(risk.get("name"))
            mitigation = as_text(risk.get("mitigation_strategy"))
            if name and mitigation:
                stop = "" if name.endswith((".", "!", "?")) else "."
                ethics.append(f"{name}{stop} Mitigation: {mitigation}")
            elif name or mitigation:
                ethics.append(str(name or f"Mitigation: {mitigation}"))
        elif as_text(risk):
            ethics.append(str(as_text(risk)))
    draft.data["ethical_considerations"] = ethics


def import_mct_text(text: str, path: str, *, name: str | None = None,
                    version: str | None = None) -> ImportResult:
    data = _load_json(text, path)
    draft = Draft(source_format="Model Card Toolkit card", source_path=path)
    schema = as_text(data.get("schema_version"))
    if schema and schema not in ("0.0.1", "0.0.2"):
        draft.note(f"schema_version {schema}: newer than 0.0.2; read as 0.0.2")
    defaulted: set[str] = set()
    md = data.get("model_details")
    _details(draft, md if isinstance(md, dict) else {}, name, version, defaulted)
    params = data.get("model_parameters")
    if isinstance(params, dict):
        _datasets(draft, params)
    qa = data.get("quantitative_analysis")
    if isinstance(qa, dict):
        _metrics(draft, qa)
    cons = data.get("considerations")
    if isinstance(cons, dict):
        _considerations(draft, cons)
    known = {"schema_version", "model_details", "model_parameters", "quantitative_analysis",
             "considerations"}
    for key in sorted(set(data) - known):
        draft.note(f"{key}: not part of the Model Card Toolkit schema; ignored")
    return finish(draft, defaulted=defaulted)


def import_mct(path: Path, display: str | None = None, *, name: str | None = None,
               version: str | None = None) -> ImportResult:
    shown = display if display is not None else str(path)
    text = decode(read_capped(path, shown), shown)
    return import_mct_text(text, shown, name=name, version=version)
