"""Safe YAML: anchors, aliases, tags, duplicate keys, caps, YAML 1.1 surprises, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.errors import YamlError
from governance.yamlio import MAX_DEPTH, load_yaml_file, parse_yaml


def err(text: str) -> str:
    with pytest.raises(YamlError) as exc:
        parse_yaml(text, "p.yaml")
    return str(exc.value)


def test_plain_values_follow_yaml_12_core_schema() -> None:
    doc = parse_yaml("a: 1\nb: NO\nc: 22:30\nd: 2026-01-01\ne: yes\nf: true\ng: ~\n"
                     "h: 1.5e3\ni: '1'\nj: 0x1F\nk: .inf\n", "p.yaml")
    assert doc.data == {"a": 1, "b": "NO", "c": "22:30", "d": "2026-01-01", "e": "yes",
                        "f": True, "g": None, "h": 1500.0, "i": "1", "j": 31,
                        "k": float("inf")}


def test_positions_of_keys_and_values() -> None:
    doc = parse_yaml("rules:\n  - id: A\n    params:\n      min: 3\n", "p.yaml")
    assert (doc.keys[("rules", 0, "params", "min")].line,
            doc.keys[("rules", 0, "params", "min")].col) == (4, 7)
    assert doc.values[("rules", 0)].line == 2
    # An unknown path falls back to its nearest recorded ancestor.
    pos = doc.locate(("rules", 0, "params", "nope"))
    assert pos is not None and pos.line == 4


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", "p.yaml:1:4: anchors (&x) are not allowed"),
    ("a: 1\nb: *x\n", "p.yaml:2:4: aliases (*name) are not allowed"),
    ("approved: true\napproved: false\n",
     "p.yaml:2:1: approved: duplicate key 'approved' (first defined at line 1)"),
    ("a: !!python/object/apply:os.system ['echo hi']\n",
     "p.yaml:1:4: explicit tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("a: !custom x\n", "p.yaml:1:4: explicit tag '!custom' is not allowed"),
    ("<<: {a: 1}\n", "p.yaml:1:1: merge keys (<<) are not allowed"),
    ("? [a, b]\n: 1\n", "p.yaml:1:3: mapping keys must be plain strings"),
    ("a: [1, 2\n", "p.yaml:2:1: invalid YAML: did not find expected ',' or ']'"),
    ("", "p.yaml:1:1: empty document"),
])
def test_rejections_name_file_line_and_column(text: str, message: str) -> None:
    assert err(text) == message


def test_alias_bomb_is_rejected_without_expanding() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n" * 1
    assert "anchors (&a) are not allowed" in err(bomb)


def test_deep_nesting_is_capped() -> None:
    text = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    assert err(text) == f"p.yaml:1:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels"
    very_deep = "[" * 100_000 + "]" * 100_000
    assert "nesting deeper than" in err(very_deep)


def test_size_cap_and_utf8(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 2000 + b"\n")
    with pytest.raises(YamlError, match=r"big.yaml: file is 2004 bytes, larger than the "
                       r"1000-byte cap"):
        load_yaml_file(big, "big.yaml", max_bytes=1000)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(YamlError) as exc:
        load_yaml_file(bad, "bad.yaml")
    assert str(exc.value) == "bad.yaml:2:7: not valid UTF-8 (byte 0xe9)"


def test_non_regular_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlError, match="not a regular file"):
        load_yaml_file(tmp_path, "dir")
    with pytest.raises(YamlError, match="missing.yaml: file not found"):
        load_yaml_file(tmp_path / "missing.yaml", "missing.yaml")


#: The patterns the word sets of ``yamlio`` stand for (YAML 1.2 core schema).
REGEXES = {"_NULL": r"^(?:~|null|Null|NULL|)$", "_BOOL_TRUE": r"^(?:true|True|TRUE)$",
           "_BOOL_FALSE": r"^(?:false|False|FALSE)$", "_INF": r"^[-+]?\.(?:inf|Inf|INF)$",
           "_NAN": r"^\.(?:nan|NaN|NAN)$"}


@pytest.mark.parametrize("name", sorted(REGEXES))
def test_word_sets_accept_what_their_patterns_match(name: str) -> None:
    import itertools
    import re

    from governance import yamlio

    words: frozenset[str] = getattr(yamlio, name)
    pattern = re.compile(REGEXES[name])
    pieces = ["", "~", "null", "Null", "NULL", "nUll", "true", "True", "TRUE", "tRue", "false",
              "False", "FALSE", ".", "-", "+", "inf", "Inf", "INF", "iNf", "nan", "NaN", "NAN",
              "\n", " ", "x", "1"]
    probes = {"".join(p) for n in (1, 2, 3) for p in itertools.product(pieces, repeat=n)}
    assert len(probes) > 10_000
    for probe in probes:
        assert (probe in words) == bool(pattern.match(probe)), probe
    assert all(pattern.match(w) for w in words)


def test_plain_scalars_that_start_with_other_characters_are_strings() -> None:
    """The shortcut of ``_scalar``: a plain scalar whose first character none of the null,
    boolean and number patterns can start with is a string, as the patterns say."""
    import re

    from governance import yamlio

    patterns = [re.compile(p) for p in REGEXES.values()] + [
        yamlio._INT10, yamlio._INT8, yamlio._INT16, yamlio._FLOAT]
    for code in range(0x20, 0x250):
        ch = chr(code)
        # every pattern that can match a scalar starting with ch is among the shortcut's
        if ch not in yamlio._NOT_ONLY_STR:
            for probe in (ch, ch + "1", ch + "x", ch + "ull", ch + "rue", ch + "alse", ch + "inf",
                          ch + "nan", ch + "o7", ch + "x1", ch + ".5e3"):
                assert not any(p.match(probe) for p in patterns), (probe, ch)
    doc = parse_yaml("a: Yes\nb: x1\nc: 'true'\nd: true\ne: ~\nf: .nan\ng: -1\nh: 0x1f\n"
                     "i: über\nj: _1\n")
    data = doc.data
    assert data["a"] == "Yes" and data["b"] == "x1" and data["c"] == "true"
    assert data["d"] is True and data["e"] is None and data["g"] == -1 and data["h"] == 31
    assert data["f"] != data["f"]  # NaN
    assert data["i"] == "über" and data["j"] == "_1"
    assert re.fullmatch(r"[~nNtTfF+\-.0-9]+", "".join(sorted(yamlio._NOT_ONLY_STR)))
