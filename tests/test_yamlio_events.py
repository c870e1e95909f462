"""``yamlio`` builds values straight from libyaml's events. This compares it with the reader it
replaced (PyYAML's composer with the same checks, then a pass over the composed nodes; kept
below as the reference) on every YAML file of the repository and on hostile documents: the
same values, the same key and value positions, and for bad input the same first error
(message, line, column, field)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from governance import yamlio
from governance.errors import YamlError
from governance.yamlio import MAX_DEPTH, MAX_INT_DIGITS, MAX_NODES, Position, YamlDoc, dotted

ROOT = Path(__file__).resolve().parents[1]


class _Loader(Composer, CParser, BaseResolver):  # type: ignore[misc]
    def __init__(self, stream: str, path: str) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self._path = path
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: Any = self.peek_event()
        mark: Any = event.start_mark
        where = {"path": self._path, "line": mark.line + 1, "col": mark.column + 1}
        if isinstance(event, AliasEvent):
            raise YamlError("aliases (*name) are not allowed", **where)
        if isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent):
            if event.anchor is not None:
                raise YamlError(f"anchors (&{event.anchor}) are not allowed", **where)
            tag = event.tag
            if tag is not None and tag not in ("!", "tag:yaml.org,2002:str"):
                raise YamlError(f"explicit tag {tag!r} is not allowed", **where)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlError(f"more than {MAX_NODES} YAML nodes", **where)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", **where)
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1


def _build(node: Node, loc: yamlio.PathKey, doc: YamlDoc) -> Any:
    doc.values[loc] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        digits = len(node.value.lstrip("+-"))
        if not node.style and digits > MAX_INT_DIGITS and yamlio._INT10.match(node.value):
            raise YamlError(f"integer with {digits} digits; at most {MAX_INT_DIGITS} allowed",
                            path=doc.path, line=node.start_mark.line + 1,
                            col=node.start_mark.column + 1, field=dotted(loc) or None)
        return yamlio._scalar(node.value, node.style)
    if isinstance(node, SequenceNode):
        return [_build(child, (*loc, i), doc) for i, child in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        kmark = key_node.start_mark
        where = {"path": doc.path, "line": kmark.line + 1, "col": kmark.column + 1}
        if not isinstance(key_node, ScalarNode):
            raise YamlError("mapping keys must be plain strings", **where,
                            field=dotted(loc) or None)
        key = key_node.value
        if key == "<<" and not key_node.style:
            raise YamlError("merge keys (<<) are not allowed", **where, field=dotted(loc) or None)
        child = (*loc, key)
        if key in out:
            raise YamlError(f"duplicate key {key!r} (first defined at line "
                            f"{doc.keys[child].line})", **where, field=dotted(child))
        doc.keys[child] = Position(kmark.line + 1, kmark.column + 1)
        out[key] = _build(value_node, child, doc)
    return out


def reference(text: str, path: str = "t.yaml") -> YamlDoc:
    """The composer-based reader (minus the control-character check, which both share)."""
    loader = _Loader(text, path)
    try:
        node = loader.get_single_node()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", path=path,
                            line=mark.line + 1 if mark else None,
                            col=mark.column + 1 if mark else None) from None
        raise YamlError(f"invalid YAML: {problem}", path=path,
                        line=mark.line + 1 if mark else None,
                        col=mark.column + 1 if mark else None) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlError("empty document", path=path, line=1, col=1)
    doc = YamlDoc(path=path, data=None)
    doc.data = _build(node, (), doc)
    return doc


def outcome(read: Any, text: str) -> tuple[Any, ...]:
    try:
        doc = read(text, "t.yaml")
    except YamlError as exc:
        return ("error", exc.message, exc.line, exc.col, exc.field)
    return ("ok", _canon(doc.data), doc.keys, doc.values)


def _canon(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: (_canon(v), type(v).__name__) for k, v in value.items()}
    if isinstance(value, list):
        return [(_canon(v), type(v).__name__) for v in value]
    return value


FILES = sorted(p for p in ROOT.rglob("*.y*ml")
               if ".venv" not in p.parts and p.suffix in (".yaml", ".yml"))

HOSTILE = [
    "a: 1\nb: &x 2\nc: *x\n", "a: *x\n", "a: !!python/object:os.system x\n",
    "a: !!str x\nb: !x y\nc: ! z\n", "a: 1\na: 2\n", "a: {b: 1, b: 2}\n", "<<: {a: 1}\n",
    "'<<': 1\n", "? [a]\n: 1\n", "? {a: 1}\n: b\nc: *d\n", "a: 1\na: 2\nb: *x\n",
    "a: 1\na: 2\nb: [\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n---\nb: 2\n", "", "# only\n",
    "---\n", "~\n", "null\n", "- 1\n- [2, {a: b}]\n", "a: " + "1" * 101 + "\n",
    "a: '" + "1" * 101 + "'\n", "a: [" + "1" * 200 + ", 2]\nb: 1\nb: 2\n",
    "[" * 70 + "]" * 70 + "\n", "a: " + "[" * 63 + "1" + "]" * 63 + "\n",
    "a: " + "[" * 64 + "1" + "]" * 64 + "\n", "a: [1, 2\n", "a: b: c\n", "\ta: 1\n",
    "a: 1\n b: 2\n", "{a: 1, a: 1, *x : 2}\n", "a: &anc [1]\n", "[&a 1, *a]\n",
    "a:\n  - x: 1\n    x: 2\n  - ? [k]\n    : v\n", "x: .nan\ny: -.inf\nz: 0o17\nw: 0x1F\n"
    "v: 1_000\nu: NO\nt: 22:30\ns: 2024-01-01\nr: +1.5e3\nq: ''\np: \"\"\n",
    "a: |\n  text\nb: >\n  folded\n", "%YAML 1.2\n---\na: 1\n", "a: 1\n...\n",
    "key with spaces: v\n\"quoted key\": 1\n'q2': 2\n1: int key\ntrue: bool key\n",
    "- " * 30 + "x\n", "a: [" + ", ".join(["1"] * (MAX_NODES + 5)) + "]\n",
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_yaml_reads_as_before(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if yamlio._NON_PRINTABLE.search(text):
        pytest.skip("refused before parsing by both readers")
    assert outcome(yamlio.parse_yaml, text) == outcome(reference, text)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_documents_read_or_fail_as_before(text: str) -> None:
    assert outcome(yamlio.parse_yaml, text) == outcome(reference, text)


def test_the_comparison_sees_errors_and_values() -> None:
    """The corpus holds both kinds of outcome, and both readers agree on known answers."""
    results = [outcome(yamlio.parse_yaml, t) for t in HOSTILE]
    assert sum(r[0] == "error" for r in results) >= 20
    assert sum(r[0] == "ok" for r in results) >= 8
    assert outcome(yamlio.parse_yaml, "a: 1\na: 2\nb: *x\n") == (
        "error", "aliases (*name) are not allowed", 3, 4, None)
    assert outcome(yamlio.parse_yaml, "a: 1\na: 2\nb: [\n")[1].startswith("invalid YAML")
    assert outcome(yamlio.parse_yaml, "a: 1\na: 2\n---\nb: 2\n")[1] == (
        "invalid YAML: but found another document")
