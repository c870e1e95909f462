"""pii_scan, forbidden_features, k_anonymity, privacy_declarations: pass / fail / error / waived.

Datasets are realistic fake records (published test card numbers and IBANs, Ofcom drama phone
numbers, RFC 5737 documentation IPs) plus near-misses that must not be reported.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from governance.api import CheckRequest, run_check
from governance.errors import GovernanceError
from governance.policy.loader import load_policies
from governance.report import Finding, Report, Status, canonical_json
from governance.rules.params.privacy_declarations import parse_duration

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Project builder
# ---------------------------------------------------------------------------------------------


class _NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAlias, sort_keys=False, allow_unicode=True)


def write_csv(path: Path, columns: dict[str, list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(columns)
    n = len(columns[names[0]])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        for i in range(n):
            w.writerow([columns[c][i] for c in names])


def card(artifacts: list[dict[str, Any]], **sections: Any) -> dict[str, Any]:
    c: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "ModelCard",
        "model": {"name": "loans", "version": "2.0.0", "task": "binary_classification",
                  "risk_tier": "high"},
        "artifacts": artifacts,
    }
    c.update(sections)
    return c


def dataset(name: str = "train", path: str = "data/train.csv", **cols: Any) -> dict[str, Any]:
    art: dict[str, Any] = {"name": name, "role": "dataset", "path": path}
    if cols:
        art["columns"] = cols
    return art


def project(tmp: Path, the_card: dict[str, Any], tables: dict[str, dict[str, list[Any]]]) -> Path:
    for rel, cols in tables.items():
        write_csv(tmp / rel, cols)
    for art in the_card.get("artifacts", []):
        if art.get("sha256") == "auto":
            art["sha256"] = hashlib.sha256((tmp / art["path"]).read_bytes()).hexdigest()
    (tmp / "card.yaml").write_text(dump(the_card), encoding="utf-8")
    return tmp


def run(root: Path, kind: str, params: dict[str, Any] | None = None,
        waivers: list[dict[str, Any]] | None = None, seed: int = 0) -> Report:
    policy: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "Policy",
        "metadata": {"name": "t", "version": "1"},
        "rules": [{"id": "R1", "title": "t", "kind": kind, "severity": "high",
                   "params": params or {}}],
    }
    if waivers:
        policy["waivers"] = waivers
    (root / "policy.yaml").write_text(dump(policy), encoding="utf-8")
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r", seed=seed)).report


def only(report: Report) -> Finding:
    assert len(report.findings) == 1
    return report.findings[0]


def table_rows(f: Finding, title_start: str) -> list[list[Any]]:
    for e in f.evidence:
        if e.type == "table" and e.title.startswith(title_start):
            return e.rows
    raise AssertionError(f"no table {title_start!r}")


def kv(f: Finding, title: str) -> dict[str, Any]:
    for e in f.evidence:
        if e.type == "kv" and e.title == title:
            return dict(e.items)
    raise AssertionError(f"no kv {title!r}")


# ---------------------------------------------------------------------------------------------
# Realistic fake records
# ---------------------------------------------------------------------------------------------

FIRST = ["Jane", "Oliver", "Amira", "Lukas", "Sofia", "Mateo", "Chloe", "Noah", "Ingrid", "Tariq"]
LAST = ["Whitfield", "Brandt", "Haddad", "Nowak", "Rossi", "Garcia", "Dubois", "Jensen",
        "Larsen", "Okafor"]


def luhn_complete(body: str) -> str:
    for d in "0123456789":
        digits = [int(c) for c in body + d][::-1]
        total = sum(x if i % 2 == 0 else (x * 2 - 9 if x * 2 > 9 else x * 2)
                    for i, x in enumerate(digits))
        if total % 10 == 0:
            return body + d
    raise AssertionError


def de_iban(blz: str, account: str) -> str:
    bban = blz + account.zfill(10)
    numeric = "".join(str(int(c, 36)) for c in bban + "DE00")
    return f"DE{98 - int(numeric) % 97:02d}{bban}"


def fake_people(n: int, seed: int = 1) -> dict[str, list[Any]]:
    rng = random.Random(seed)
    people: dict[str, list[Any]] = {k: [] for k in (
        "customer_ref", "full_name", "contact", "tel", "card", "account", "last_login", "income",
        "grade")}
    for i in range(n):
        first, last = FIRST[i % 10], LAST[(i * 3) % 10]
        people["customer_ref"].append(f"C{i:05d}")
        people["full_name"].append(f"{first} {last}")
        people["contact"].append(f"{first}.{last}{i}@example.com".lower())
        people["tel"].append(f"+44 20 7946 0{i % 1000:03d}")
        people["card"].append(luhn_complete("4" + "".join(rng.choice("0123456789")
                                                             for _ in range(14))))
        people["account"].append(de_iban("37040044", str(rng.randrange(10**9, 10**10))))
        people["last_login"].append(f"203.0.113.{i % 250 + 1}")
        people["income"].append(rng.randrange(1500, 9000))
        people["grade"].append(rng.choice("ABCD"))
    return people


def near_misses(n: int) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {"ref": [], "acct": [], "server": [], "booked": [],
                                  "amount": [], "score": [], "band": []}
    for i in range(n):
        good = luhn_complete("4" + f"{i:014d}")
        bad_last = (int(good[-1]) + 1) % 10
        cols["ref"].append(good[:-1] + str(bad_last))  # fails Luhn
        iban = de_iban("37040044", str(10**9 + i))
        cols["acct"].append(iban[:2] + f"{(int(iban[2:4]) % 97) + 1:02d}" + iban[4:])  # bad check
        cols["server"].append(f"999.{i % 200}.1.1")  # octet over 255
        cols["booked"].append(f"2024-01-{i % 28 + 1:02d}")
        cols["amount"].append(1000 + 37 * i)
        cols["score"].append(round(0.1 + i / (2 * n), 4))
        cols["band"].append("... < 0 DM" if i % 2 else "0 <= ... < 200 DM")
    return cols


def test_fake_records_are_what_they_claim() -> None:
    from governance.pii import classify

    people = fake_people(10)
    for col, kind in (("contact", "email"), ("tel", "phone"), ("card", "card_number"),
                      ("account", "iban"), ("last_login", "ipv4")):
        assert {classify(str(v)) for v in people[col]} == {kind}, col
    misses = near_misses(10)
    for col in misses:
        assert {classify(str(v)) for v in misses[col]} == {None}, col


# ---------------------------------------------------------------------------------------------
# pii_scan
# ---------------------------------------------------------------------------------------------

PRIVACY = {"contains_personal_data": True, "legal_basis": "GDPR Art. 6(1)(b) contract",
           "retention_period": "P2Y", "consent": "Not the legal basis.",
           "pii_columns": ["customer_ref"], "anonymisation": "Pseudonymised customer refs.",
           "dpia": "DPIA-7"}

PEOPLE = fake_people(40)


def _pii_project(tmp: Path, cols: list[str], privacy: dict[str, Any] | None = None) -> Path:
    sections = {"privacy": privacy} if privacy is not None else {}
    return project(tmp, card([dataset()], **sections),
                   {"data/train.csv": {c: PEOPLE[c] for c in cols}})


@pytest.mark.parametrize(("cols", "params", "status", "message"), [
    (["customer_ref", "income", "grade"], {}, Status.PASS,
     "no undeclared personal data in 3 columns of 1 artifact(s) (1 declared)"),
    (["customer_ref", "contact", "income"], {}, Status.FAIL,
     "1 of 3 columns look like undeclared personal data: train:contact (email by value in "
     "100.0% of 40 sampled values)"),
    (["full_name", "tel", "income"], {}, Status.FAIL,
     "2 of 3 columns look like undeclared personal data: train:full_name (by name: name), "
     "train:tel (phone by value in 100.0% of 40 sampled values; by name: phone)"),
    (["card", "account", "last_login"], {}, Status.FAIL,
     "3 of 3 columns look like undeclared personal data: train:card (card_number by value in "
     "100.0% of 40 sampled values), train:account (iban by value in "
     "100.0% of 40 sampled values), train:last_login (ipv4 by value in 100.0% of 40 sampled "
     "values)"),
    (["card", "income"], {"by_name": False, "detectors": ["email"]}, Status.PASS,
     "no undeclared personal data in 2 columns of 1 artifact(s)"),
    (["contact", "income"], {"allow": [{"column": "contact", "reason": "role mailboxes only"}]},
     Status.PASS, "no undeclared personal data in 2 columns of 1 artifact(s) (1 allowed)"),
    (["customer_ref", "income"], {"declared_pii": "flag"}, Status.FAIL,
     "1 of 2 columns look like undeclared personal data: train:customer_ref (by name: "
     "identifier)"),
    (["customer_ref", "income"], {"allowed_handling": ["hashed", "tokenised"]}, Status.FAIL,
     "1 of 2 columns look like undeclared personal data: train:customer_ref (by name: "
     "identifier)"),
    (["customer_ref", "income"], {"allowed_handling": ["pseudonym"]}, Status.PASS,
     "no undeclared personal data in 2 columns of 1 artifact(s) (1 declared)"),
    (["contact"], {"extra_name_patterns": {"custom": "^cont"}}, Status.FAIL,
     "1 of 1 columns look like undeclared personal data: train:contact (email by value in "
     "100.0% of 40 sampled values; by name: custom)"),
])
def test_pii_scan_table(tmp_path: Path, cols: list[str], params: dict[str, Any],
                        status: Status, message: str) -> None:
    f = only(run(_pii_project(tmp_path, cols, PRIVACY), "pii_scan", params))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert any(loc.role == "card" and loc.field == "privacy.pii_columns"
                   for loc in f.locations)
        assert any(loc.role == "card" and loc.field == "artifacts[0].path"
                   for loc in f.locations)


def test_pii_scan_declared_without_allowed_handling_is_labelled(tmp_path: Path) -> None:
    f = only(run(_pii_project(tmp_path, ["customer_ref"], PRIVACY), "pii_scan",
                 {"allowed_handling": ["hashed"]}))
    assert table_rows(f, "Columns")[0][-1] == "declared without an allowed handling"


def test_pii_scan_near_misses_raise_no_signal(tmp_path: Path) -> None:
    root = project(tmp_path, card([dataset()]), {"data/train.csv": near_misses(60)})
    f = only(run(root, "pii_scan"))
    assert (f.status, f.message) == (Status.PASS,
                                     "no undeclared personal data in 7 columns of 1 artifact(s)")
    assert table_rows(f, "Columns") == []


def test_pii_scan_hit_rate_threshold(tmp_path: Path) -> None:
    # 2 e-mail addresses among 40 free-form comments: 5.0% of the values.
    comments = [f"comment {i}" for i in range(38)] + PEOPLE["contact"][:2]
    root = project(tmp_path, card([dataset()]), {"data/train.csv": {"comment": comments}})
    f = only(run(root, "pii_scan", {"min_hit_rate": 0.06}))
    assert (f.status, f.message) == (Status.PASS,
                                     "no undeclared personal data in 1 columns of 1 artifact(s)")
    assert table_rows(f, "Columns") == [["train", "comment", None, "email", 40, 0.05,
                                         "j***@e***.com", "ok (hit rate 5.0% < 6.0%)"]]
    f = only(run(root, "pii_scan", {"min_hit_rate": 0.05}))
    assert f.status is Status.FAIL
    assert f.message == ("1 of 1 columns look like undeclared personal data: train:comment "
                         "(email by value in 5.0% of 40 sampled values)")


def test_pii_scan_text_mode_finds_pii_inside_free_text(tmp_path: Path) -> None:
    notes = [f"Called {PEOPLE['full_name'][i]} on {PEOPLE['tel'][i]} about late payment"
             for i in range(20)] + [f"No contact needed, ref {i}" for i in range(20)]
    root = project(tmp_path, card([dataset()]), {"data/train.csv": {"notes": notes}})
    f = only(run(root, "pii_scan"))
    assert f.status is Status.PASS  # a whole cell is never just a phone number
    f = only(run(root, "pii_scan", {"match": "text"}))
    assert (f.status, f.message) == (
        Status.FAIL, "1 of 1 columns look like undeclared personal data: train:notes (phone "
        "by value in 50.0% of 40 sampled values)")
    assert table_rows(f, "Columns")[0][6] == "+** ** **** **00"


def test_pii_scan_samples_with_the_run_seed(tmp_path: Path) -> None:
    n = 3000
    values = [PEOPLE["contact"][i % 40] if i % 3 == 0 else f"note {i}" for i in range(n)]
    root = project(tmp_path, card([dataset()]), {"data/train.csv": {"comment": values}})
    params = {"sample_rows": 200, "min_hit_rate": 0.2}
    for seed in (0, 7):
        f = only(run(root, "pii_scan", params, seed=seed))
        # Oracle: the same seeded pandas sample, counted independently.
        sample = pd.Series(values).sample(n=200, random_state=seed)
        expected_hits = sum(1 for v in sample if "@" in v)
        row = table_rows(f, "Columns")[0]
        assert row[4] == 200
        assert row[5] == round(expected_hits / 200, 4)
        assert kv(f, "Scan settings")["seed"] == seed
        assert f.status is Status.FAIL
        assert f.message == ("1 of 1 columns look like undeclared personal data: "
                             f"train:comment (email by value in {100 * expected_hits / 200:.1f}% "
                             "of 200 sampled values)")
    # Deterministic: the same seed gives the same finding.
    a = only(run(root, "pii_scan", params, seed=3))
    b = only(run(root, "pii_scan", params, seed=3))
    assert a == b


def test_pii_scan_never_echoes_raw_values(tmp_path: Path) -> None:
    cols = ["full_name", "contact", "tel", "card", "account", "last_login", "income"]
    notes = [f"{PEOPLE['full_name'][i]} <{PEOPLE['contact'][i]}> paid with {PEOPLE['card'][i]}"
             for i in range(40)]
    tables = {c: PEOPLE[c] for c in cols} | {"notes": notes}
    root = project(tmp_path, card([dataset()]), {"data/train.csv": tables})
    for match in ("value", "text"):
        report = run(root, "pii_scan", {"match": match, "min_hit_rate": 0.01})
        f = only(report)
        assert f.status is Status.FAIL
        text = canonical_json(report).decode("utf-8") + f.model_dump_json()
        for col in ("contact", "tel", "card", "account", "last_login"):
            for raw in PEOPLE[col]:
                raw = str(raw)
                assert raw not in text
                compact = "".join(ch for ch in raw if ch.isalnum())
                assert compact not in text
        for i in range(40):
            assert PEOPLE["contact"][i].split("@")[0] not in text
            assert PEOPLE["card"][i][:12] not in text
            assert notes[i] not in text
        # Masked examples are shown instead.
        for name in PEOPLE["full_name"]:
            assert name not in text
        # Masked examples (of the first hit) are shown instead.
        examples = {r[1]: r[6] for r in table_rows(f, "Columns")}
        assert examples["card"] == "**** **** **** " + PEOPLE["card"][0][-4:]
        assert examples["contact"] == "j***@e***.com"
        assert examples["account"] == "DE** **** **** **" + PEOPLE["account"][0][-2:]
        assert examples["last_login"] == "203.*.*.*"
        assert examples.get("notes") == ("**** **** **** " + PEOPLE["card"][0][-4:]
                                         if match == "text" else None)


def test_pii_scan_waiver_scoped_to_columns(tmp_path: Path) -> None:
    root = _pii_project(tmp_path, ["full_name", "tel", "income"], PRIVACY)
    waiver = {"rule_id": "R1", "reason": "legacy export, removed in 2.1", "approved_by": "dpo",
              "expires": "2027-01-31", "scope": {"group": "train:full_name"}}
    f = only(run(root, "pii_scan", waivers=[waiver]))
    assert f.status is Status.FAIL  # train:tel is not covered
    assert "group-scoped waivers do not cover: train:tel" in f.notes
    waiver2 = dict(waiver, scope={"group": "train:tel"})
    report = run(root, "pii_scan", waivers=[waiver, waiver2])
    f = only(report)
    assert f.status is Status.WAIVED
    assert f.message.startswith("2 of 3 columns look like undeclared personal data")
    assert report.summary.status.value == "pass"


@pytest.mark.parametrize(("the_card", "params", "message"), [
    (card([{"name": "m", "role": "model", "path": "m.bin"}]), {},
     "the card has no artifact with role dataset, reference_dataset: insufficient evidence"),
    (card([dataset(path="data/missing.csv")]), {},
     "artifact 'data/missing.csv' not found under the project root"),
    (card([dataset()]), {"artifacts": ["nope"]}, "the card has no artifact named 'nope'"),
])
def test_pii_scan_errors(tmp_path: Path, the_card: dict[str, Any], params: dict[str, Any],
                         message: str) -> None:
    root = project(tmp_path, the_card, {"data/train.csv": {"a": [1, 2]}})
    (root / "m.bin").write_bytes(b"x")
    f = only(run(root, "pii_scan", params))
    assert f.status is Status.ERROR
    assert f.message.endswith(message)


@pytest.mark.parametrize(("params", "message"), [
    ({"name_patterns": {"x": "("}}, "name pattern for 'x': not a valid regular expression"),
    ({"detectors": ["email", "dna"]}, "unknown detector(s) dna"),
    ({"min_hit_rate": 0}, "greater than 0"),
    ({"sample_rows": 0}, "greater than or equal to 1"),
    ({"unknown": 1}, "rules[0].params.unknown: unknown field"),
])
def test_pii_scan_params_are_validated_at_load(tmp_path: Path, params: dict[str, Any],
                                               message: str) -> None:
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "t", "version": "1"},
              "rules": [{"id": "R1", "title": "t", "kind": "pii_scan", "severity": "high",
                         "params": params}]}
    (tmp_path / "p.yaml").write_text(dump(policy), encoding="utf-8")
    with pytest.raises(GovernanceError) as err:
        load_policies([tmp_path / "p.yaml"])
    assert message in str(err.value)
    assert "rules[0].params" in str(err.value)


# ---------------------------------------------------------------------------------------------
# forbidden_features
# ---------------------------------------------------------------------------------------------

SENSITIVE = [{"name": "age_band", "column": "age_band"}]
TRAIN = {"income": [1, 2, 3, 4], "applicant_sex": ["f", "m", "f", "m"],
         "age_band": ["<25", "25+", "25+", "<25"], "Race": ["a", "b", "a", "b"],
         "grade": ["A", "B", "A", "B"], "default": [0, 1, 0, 1]}


@pytest.mark.parametrize(("cols", "params", "status", "message"), [
    ({"label": "default", "features": ["income", "grade"]}, {}, Status.PASS,
     "none of 2 input features of 1 artifact(s) is a sensitive attribute (22 attributes "
     "checked)"),
    ({"label": "default", "features": ["income", "applicant_sex", "Race"]}, {}, Status.FAIL,
     "2 sensitive attribute(s) used as model input features: train: applicant_sex (default "
     "list: sex), train: Race (default list: race)"),
    ({"label": "default", "features": ["income", "age_band"]}, {}, Status.FAIL,
     "1 sensitive attribute(s) used as model input features: train: age_band (card sensitive "
     "feature age_band: age_band)"),
    ({"label": "default", "features": ["income", "age_band"]},
     {"include_card_sensitive_features": False}, Status.PASS,
     "none of 2 input features of 1 artifact(s) is a sensitive attribute (21 attributes "
     "checked)"),
    ({"label": "default", "features": ["income", "applicant_sex"]},
     {"allow": [{"column": "applicant_sex", "reason": "actuarial pricing exemption "
                 "approved by legal (ticket LEG-12)"}]}, Status.PASS,
     "none of 2 input features of 1 artifact(s) is a sensitive attribute (22 attributes "
     "checked, 1 allowed with justification)"),
    ({"label": "default", "features": ["income", "grade"]},
     {"attributes": ["grade"], "include_card_sensitive_features": False}, Status.FAIL,
     "1 sensitive attribute(s) used as model input features: train: grade (params: grade)"),
    ({"label": "default"}, {}, Status.FAIL,
     "3 sensitive attribute(s) used as model input features: train: applicant_sex (default "
     "list: sex), train: age_band (card sensitive feature age_band: age_band), train: Race "
     "(default list: race)"),
])
def test_forbidden_features_table(tmp_path: Path, cols: dict[str, Any], params: dict[str, Any],
                                  status: Status, message: str) -> None:
    root = project(tmp_path, card([dataset(**cols)], sensitive_features=SENSITIVE),
                   {"data/train.csv": TRAIN})
    f = only(run(root, "forbidden_features", params))
    assert (f.status, f.message) == (status, message)
    if "features" not in cols:
        assert f.notes == ["artifact 'train' declares no columns.features; every column except "
                           "the label 'default' is taken as a model input"]
    if status is Status.FAIL:
        field = "artifacts[0].columns.features" if "features" in cols else "artifacts[0].path"
        assert any(loc.field == field and loc.line is not None for loc in f.locations)


def test_forbidden_features_allow_is_scoped_to_an_artifact(tmp_path: Path) -> None:
    root = project(tmp_path, card([dataset(label="default", features=["applicant_sex"])]),
                   {"data/train.csv": TRAIN})
    params = {"allow": [{"column": "applicant_sex", "reason": "exempt", "artifact": "other"}],
              "include_card_sensitive_features": False}
    f = only(run(root, "forbidden_features", params))
    assert (f.status, f.message) == (
        Status.FAIL, "1 sensitive attribute(s) used as model input features: train: "
        "applicant_sex (default list: sex)")
    params["allow"][0]["artifact"] = "train"
    f = only(run(root, "forbidden_features", params))
    assert (f.status, f.message) == (
        Status.PASS, "none of 1 input features of 1 artifact(s) is a sensitive attribute (21 "
        "attributes checked, 1 allowed with justification)")
    assert table_rows(f, "Model input")[0][-1] == "allowed: exempt"


def test_forbidden_features_old_allowed_spelling_is_a_clear_lint_error(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\n"
        "rules:\n  - id: R1\n    title: t\n    kind: forbidden_features\n"
        "    severity: high\n    params:\n      allowed:\n"
        "        - {feature: applicant_sex, justification: exempt}\n", encoding="utf-8")
    with pytest.raises(GovernanceError) as exc:
        load_policies([policy], display_base=tmp_path)
    assert str(exc.value) == (
        "policy.yaml:10:7: rules[0].params: 'allowed' was renamed: write allow: [{column: "
        "applicant_sex, reason: ...}] (the same allow-list form as pii_scan: column, reason, "
        "optional artifact)")


def test_forbidden_features_errors(tmp_path: Path) -> None:
    root = project(tmp_path, card([{"name": "m", "role": "model", "path": "m.bin"}]), {})
    (root / "m.bin").write_bytes(b"x")
    f = only(run(root, "forbidden_features"))
    assert (f.status, f.message) == (
        Status.ERROR, "card.yaml: artifacts: the card has no artifact with role dataset: "
        "insufficient evidence")
    f = only(run(root, "forbidden_features", {"attributes": [],
                                              "include_card_sensitive_features": False}))
    assert (f.status, f.message) == (
        Status.ERROR, "no sensitive attributes to check (none given and the card declares "
        "none): insufficient evidence")


def test_forbidden_features_waived(tmp_path: Path) -> None:
    root = project(tmp_path, card([dataset(label="default", features=["Race"])]),
                   {"data/train.csv": TRAIN})
    report = run(root, "forbidden_features", waivers=[{
        "rule_id": "R1", "reason": "research prototype", "approved_by": "ethics board",
        "expires": "2027-03-01", "scope": {"group": "Race"}}])
    assert only(report).status is Status.WAIVED


# ---------------------------------------------------------------------------------------------
# k_anonymity
# ---------------------------------------------------------------------------------------------


def _k_table() -> dict[str, list[Any]]:
    # Equivalence classes over (zip3, sex): sizes 10, 6, 3, 1 -> 20 records.
    sizes = {("101", "f"): 10, ("101", "m"): 6, ("102", "f"): 3, ("103", "m"): 1}
    cols: dict[str, list[Any]] = {"zip3": [], "sex": [], "age": [], "y": []}
    for (z, s), n in sizes.items():
        for i in range(n):
            cols["zip3"].append(z)
            cols["sex"].append(s)
            cols["age"].append(20 + i)
            cols["y"].append(i % 2)
    return cols


def _k_project(tmp: Path, qis: list[str] | None = None) -> Path:
    privacy = {"quasi_identifiers": qis if qis is not None else ["zip3", "sex"]}
    c = card([dataset()], privacy=privacy,
             data={"training": {"name": "t", "artifact": "train"}})
    return project(tmp, c, {"data/train.csv": _k_table()})


@pytest.mark.parametrize(("params", "status", "message", "observed"), [
    ({"k": 5}, Status.FAIL,
     "k-anonymity (k=5) over 2 quasi-identifier(s) (zip3, sex) not met: smallest class has 1 "
     "record(s); 2 of 4 classes (4 of 20 records, 20.0%) are below k",
     {"smallest_class": 1, "share_below_k": 0.2}),
    ({"k": 2, "max_share_below_k": 0.05}, Status.PASS,
     "k-anonymity (k=2) over 2 quasi-identifier(s) (zip3, sex) holds for all but 5.0% of "
     "records (1 of 20), within the allowed 5.0%; smallest class has 1 record(s)",
     {"smallest_class": 1, "share_below_k": 0.05}),
    ({"k": 2, "max_share_below_k": 0.04}, Status.FAIL,
     "k-anonymity (k=2) over 2 quasi-identifier(s) (zip3, sex) not met: smallest class has 1 "
     "record(s); 1 of 4 classes (1 of 20 records, 5.0%) are below k, over the allowed 4.0%",
     {"smallest_class": 1, "share_below_k": 0.05}),
    ({"k": 5, "quasi_identifiers": ["sex"]}, Status.PASS,
     "k-anonymity (k=5) over 1 quasi-identifier(s) (sex) holds: smallest class has 7 records",
     {"smallest_class": 7, "share_below_k": 0.0}),
    # (101, 20..25) twice each, (101, 26..29), (102, 20..22) and (103, 20) once each.
    ({"k": 2, "quasi_identifiers": ["zip3", "age"]}, Status.FAIL,
     "k-anonymity (k=2) over 2 quasi-identifier(s) (zip3, age) not met: smallest class has 1 "
     "record(s); 8 of 14 classes (8 of 20 records, 40.0%) are below k",
     {"smallest_class": 1, "share_below_k": 0.4}),
    # Ages binned by decade: (101, 20) 16, (102, 20) 3, (103, 20) 1.
    ({"k": 2, "quasi_identifiers": ["zip3", "age"], "generalize": {"age": 10}}, Status.FAIL,
     "k-anonymity (k=2) over 2 quasi-identifier(s) (zip3, age) not met: smallest class has 1 "
     "record(s); 1 of 3 classes (1 of 20 records, 5.0%) are below k",
     {"smallest_class": 1, "share_below_k": 0.05}),
])
def test_k_anonymity_table(tmp_path: Path, params: dict[str, Any], status: Status,
                           message: str, observed: dict[str, Any]) -> None:
    f = only(run(_k_project(tmp_path), "k_anonymity", params))
    assert (f.status, f.message, f.observed) == (status, message, observed)
    # Oracle: pandas value_counts over the same keys, computed here independently.
    df = pd.DataFrame(_k_table())
    qis = params.get("quasi_identifiers", ["zip3", "sex"])
    keys = df[qis].copy()
    for col, width in params.get("generalize", {}).items():
        keys[col] = keys[col] // width * width
    counts = keys.value_counts()
    assert f.observed["smallest_class"] == int(counts.min())
    assert kv(f, "k-anonymity")["equivalence classes"] == len(counts)
    # No raw key values appear anywhere in the finding.
    text = f.model_dump_json()
    assert '"101"' not in text and '"103"' not in text


@pytest.mark.parametrize(("max_share", "status", "tail"), [
    # 151/1620 = 0.09320987...: rounded to 6 decimals it read 0.09321 > 0.0932099 beside PASS.
    (0.0932099, Status.PASS, "holds for all but 9.320988% of records (151 of 1620), within "
     "the allowed 9.32099%; smallest class has 1 record(s)"),
    (0.0932098, Status.FAIL, "not met: smallest class has 1 record(s); 151 of 152 classes "
     "(151 of 1620 records, 9.32099%) are below k, over the allowed 9.32098%"),
])
def test_k_anonymity_shown_share_is_the_compared_share(
        tmp_path: Path, max_share: float, status: Status, tail: str) -> None:
    """Issue 12 item 5: the report shows the exact share the decision used."""
    cols = {"zip3": [f"z{i}" for i in range(151)] + ["big"] * 1469, "y": [0] * 1620}
    c = card([dataset()], privacy={"quasi_identifiers": ["zip3"]},
             data={"training": {"name": "t", "artifact": "train"}})
    root = project(tmp_path, c, {"data/train.csv": cols})
    f = only(run(root, "k_anonymity", {"k": 5, "max_share_below_k": max_share}))
    assert f.status is status
    assert f.message == "k-anonymity (k=5) over 1 quasi-identifier(s) (zip3) " + tail
    assert f.observed == {"smallest_class": 1, "share_below_k": 151 / 1620}
    assert kv(f, "k-anonymity")["share of records below k"] == 151 / 1620


def test_k_anonymity_class_size_table(tmp_path: Path) -> None:
    f = only(run(_k_project(tmp_path), "k_anonymity", {"k": 5}))
    assert table_rows(f, "Equivalence classes") == [[1, 1, 1], [3, 1, 3], [">= 5", 2, 16]]
    assert any(loc.field == "privacy.quasi_identifiers" and loc.line for loc in f.locations)


@pytest.mark.parametrize(("qis", "params", "message"), [
    ([], {}, "no quasi-identifiers given and the card declares none "
             "(privacy.quasi_identifiers): insufficient evidence"),
    (["zip3", "postcode"], {}, "artifact 'train' (data/train.csv) has no column(s) 'postcode' "
                               "(columns: zip3, sex, age, y)"),
    (["zip3", "sex"], {"generalize": {"sex": 5}}, "artifact 'train': quasi-identifier 'sex' "
                                                  "is not numeric; it cannot be generalised "
                                                  "into bins"),
    (["zip3"], {"generalize": {"age": 5}}, "generalize names 'age', which is not a "
                                           "quasi-identifier"),
])
def test_k_anonymity_errors(tmp_path: Path, qis: list[str], params: dict[str, Any],
                            message: str) -> None:
    f = only(run(_k_project(tmp_path, qis), "k_anonymity", params))
    assert (f.status, f.message) == (Status.ERROR, message)


# ---------------------------------------------------------------------------------------------
# privacy_declarations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "days"), [
    ("P2Y", 730.485), ("24 months", 730.485), ("2 years", 730.485), ("P1Y6M", 547.86375),
    ("1 year and 6 months", 547.86375), ("P90D", 90.0), ("90 days", 90.0), ("P6W", 42.0),
    ("6 weeks", 42.0), ("p2y", 730.485), ("forever", None), ("P", None), ("0 days", None),
    ("2 fortnights", None), ("until deletion requested", None), ("24", None), ("", None),
])
def test_parse_duration(text: str, days: float | None) -> None:
    got = parse_duration(text)
    assert (got is None and days is None) or (got is not None and days is not None
                                              and abs(got - days) < 1e-9)


def _decl_project(tmp: Path, privacy: dict[str, Any] | None, tier: str | None = "high") -> Path:
    c = card([], **({"privacy": privacy} if privacy is not None else {}))
    if tier is None:
        del c["model"]["risk_tier"]
    else:
        c["model"]["risk_tier"] = tier
    return project(tmp, c, {})


@pytest.mark.parametrize(("privacy", "tier", "params", "status", "message"), [
    (PRIVACY, "high", {}, Status.PASS,
     "privacy declarations complete (legal_basis, retention_period, consent, dpia)"),
    (PRIVACY, "limited", {}, Status.PASS,
     "privacy declarations complete (legal_basis, retention_period, consent)"),
    ({"contains_personal_data": False}, "high", {}, Status.PASS,
     "the card declares that the model processes no personal data"),
    (None, "high", {}, Status.FAIL,
     "1 privacy declaration(s) missing or invalid: privacy: missing"),
    ({"contains_personal_data": True, "legal_basis": "we have a good reason",
      "retention_period": "as long as needed"}, "high", {}, Status.FAIL,
     "4 privacy declaration(s) missing or invalid: privacy.legal_basis: 'we have a good "
     "reason' names no recognised legal basis (GDPR Art. 6(1)(a)-(f)); "
     "privacy.retention_period: 'as long as needed' is not a duration (use ISO 8601 like P2Y "
     "or words like '24 months'); privacy.consent: missing; privacy.dpia: missing (required "
     "for risk tier high)"),
    (PRIVACY | {"legal_basis": "GDPR Art. 6 (1) (a) consent of the applicant"}, "high",
     {"allowed_legal_bases": ["contract", "legal_obligation"]}, Status.FAIL,
     "1 privacy declaration(s) missing or invalid: privacy.legal_basis: consent is not an "
     "allowed legal basis (allowed: contract, legal_obligation)"),
    (PRIVACY | {"legal_basis": "Legitimate interests (fraud prevention)"}, "high", {},
     Status.PASS, "privacy declarations complete (legal_basis, retention_period, consent, "
     "dpia)"),
    (PRIVACY | {"legal_basis": "CCPA business purpose"}, "high",
     {"extra_legal_bases": ["CCPA business purpose"]}, Status.PASS,
     "privacy declarations complete (legal_basis, retention_period, consent, dpia)"),
    (PRIVACY | {"retention_period": "P10Y"}, "high", {"max_retention": "60 months"},
     Status.FAIL, "1 privacy declaration(s) missing or invalid: privacy.retention_period: "
     "P10Y is longer than the maximum 60 months"),
    (PRIVACY | {"retention_period": "5 years"}, "high", {"max_retention": "P60M"},
     Status.PASS, "privacy declarations complete (legal_basis, retention_period, consent, "
     "dpia)"),
    (PRIVACY | {"consent": None, "dpia": None}, None, {"consent": "if_consent_basis"},
     Status.FAIL, "1 privacy declaration(s) missing or invalid: privacy.dpia: missing "
     "(required because model.risk_tier is not declared)"),
    (PRIVACY | {"consent": " ", "legal_basis": "consent"}, "minimal",
     {"consent": "if_consent_basis"}, Status.FAIL,
     "1 privacy declaration(s) missing or invalid: privacy.consent: missing (the legal basis "
     "is consent)"),
    (PRIVACY | {"contains_personal_data": None}, "high", {}, Status.FAIL,
     "1 privacy declaration(s) missing or invalid: privacy.contains_personal_data: missing"),
])
def test_privacy_declarations_table(tmp_path: Path, privacy: dict[str, Any] | None,
                                    tier: str | None, params: dict[str, Any], status: Status,
                                    message: str) -> None:
    privacy = {k: v for k, v in privacy.items() if v is not None} if privacy else privacy
    f = only(run(_decl_project(tmp_path, privacy, tier), "privacy_declarations", params))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        card_locs = [loc for loc in f.locations if loc.role == "card"]
        assert len(card_locs) == len(f.observed)
        assert [loc.field for loc in card_locs] == f.observed


def test_privacy_declarations_locations_have_lines(tmp_path: Path) -> None:
    root = _decl_project(tmp_path, PRIVACY | {"retention_period": "forever"})
    f = only(run(root, "privacy_declarations"))
    loc = next(loc for loc in f.locations if loc.field == "privacy.retention_period")
    lines = (root / "card.yaml").read_text(encoding="utf-8").splitlines()
    assert loc.line is not None and "retention_period: forever" in lines[loc.line - 1]


def test_privacy_declarations_bad_max_retention_is_a_load_error(tmp_path: Path) -> None:
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "t", "version": "1"},
              "rules": [{"id": "R1", "title": "t", "kind": "privacy_declarations",
                         "severity": "high", "params": {"max_retention": "a while"}}]}
    (tmp_path / "p.yaml").write_text(dump(policy), encoding="utf-8")
    with pytest.raises(GovernanceError) as err:
        load_policies([tmp_path / "p.yaml"])
    assert "'a while' is not a duration" in str(err.value)


def test_privacy_declarations_waived(tmp_path: Path) -> None:
    root = _decl_project(tmp_path, PRIVACY | {"dpia": " "})
    report = run(root, "privacy_declarations", waivers=[{
        "rule_id": "R1", "reason": "DPIA in progress", "approved_by": "dpo",
        "expires": "2026-12-31", "ticket": "DPO-3"}])
    f = only(report)
    assert f.status is Status.WAIVED
    assert f.message == ("1 privacy declaration(s) missing or invalid: privacy.dpia: missing "
                         "(required for risk tier high)")
    assert json.loads(canonical_json(report))["summary"]["status"] == "pass"


# ---------------------------------------------------------------------------------------------
# The bundled example (real German-credit data)
# ---------------------------------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "credit-scoring"


def _run_example(kind: str, params: dict[str, Any], tmp: Path) -> Finding:
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "t", "version": "1"},
              "rules": [{"id": "R1", "title": "t", "kind": kind, "severity": "high",
                         "params": params}]}
    (tmp / "policy.yaml").write_text(dump(policy), encoding="utf-8")
    return only(run_check(CheckRequest(policies=[tmp / "policy.yaml"],
                                       card=EXAMPLE / "model-card.yaml", root=EXAMPLE, now=NOW,
                                       report_id="r")).report)


def test_example_pii_scan_flags_the_telephone_flag_by_name_only(tmp_path: Path) -> None:
    f = _run_example("pii_scan", {}, tmp_path)
    assert (f.status, f.message) == (
        Status.FAIL, "2 of 48 columns look like undeclared personal data: "
        "train-data:telephone (by name: phone), test-data:telephone (by name: phone)")
    train = pd.read_csv(EXAMPLE / "data" / "train.csv")
    assert set(train["telephone"]) == {"yes", "none"}  # a flag, not numbers: no value hits
    rows = table_rows(f, "Columns")
    assert [r[:6] for r in rows] == [
        ["train-data", "applicant_id", "identifier", None, 700, 0.0],
        ["train-data", "telephone", "phone", None, 700, 0.0],
        ["test-data", "applicant_id", "identifier", None, 300, 0.0],
        ["test-data", "telephone", "phone", None, 300, 0.0]]


def test_example_k_anonymity_matches_pandas(tmp_path: Path) -> None:
    f = _run_example("k_anonymity", {"k": 5}, tmp_path)
    train = pd.read_csv(EXAMPLE / "data" / "train.csv")
    qis = ["age_group", "sex", "foreign_worker", "housing"]
    sizes = train.groupby(qis).size()
    below = sizes[sizes < 5]
    assert f.status is (Status.FAIL if len(below) else Status.PASS)
    assert f.observed == {"smallest_class": int(sizes.min()),
                          "share_below_k": int(below.sum()) / len(train)}
    facts = kv(f, "k-anonymity")
    assert facts["equivalence classes"] == len(sizes)
    assert facts["classes below k"] == len(below)
