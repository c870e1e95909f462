"""Safe YAML loading with a line map.

* size cap, strict UTF-8;
* no anchors, aliases or explicit tags (so no alias bombs and no object construction);
* duplicate keys are an error, never "last one wins";
* nesting depth cap;
* YAML 1.2 core scalars: only ``true``/``false`` are booleans (``NO`` and ``on`` stay
  strings), no sexagesimal numbers (``22:30`` stays a string), no implicit dates;
* every mapping key and value is recorded with its line and column, so a validation error
  on ``rules[3].params.min`` can point at ``policy.yaml:17:12``.

Only PyYAML's low-level reader/scanner/parser/composer are used; values are built here.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from governance.errors import YamlError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
# Pure-Python parsing costs ~30 us per node: cap the node count so that a hostile
# document (millions of tiny nodes within the byte cap) fails fast instead of hanging.
MAX_NODES = 50_000
# Python refuses to parse integers of more than 4,300 digits (and anything near that is
# nonsense in a policy or a card): a clear error instead of an internal one.
MAX_INT_DIGITS = 100

PathKey = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# What PyYAML's Reader refuses (it raises from its constructor, outside the parse).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


try:  # libyaml's C parser makes events 10x faster; composition stays ours (in Python)
    from yaml._yaml import CParser as _EventSource

    def _init_events(loader: Any, stream: str) -> None:
        _EventSource.__init__(loader, stream)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    class _EventSource(Reader, Scanner, Parser):  # type: ignore[no-redef]
        pass

    def _init_events(loader: Any, stream: str) -> None:
        Reader.__init__(loader, stream)
        Scanner.__init__(loader)
        Parser.__init__(loader)


class _Loader(Composer, _EventSource, BaseResolver):
    """A composer that refuses anchors, aliases and deep nesting; resolves nothing itself.

    Events come from libyaml when available (else PyYAML's pure-Python parser); nodes are
    composed by PyYAML's Python composer with the checks below.
    """

    def __init__(self, stream: str, path: str) -> None:
        _init_events(self, stream)
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self._path = path
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: Any = self.peek_event()
        mark: Any = event.start_mark
        if isinstance(event, AliasEvent):
            raise YamlError(
                "aliases (*name) are not allowed", path=self._path,
                line=mark.line + 1, col=mark.column + 1,
            )
        if isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent):
            if event.anchor is not None:
                raise YamlError(
                    f"anchors (&{event.anchor}) are not allowed", path=self._path,
                    line=mark.line + 1, col=mark.column + 1,
                )
            tag = event.tag
            if tag is not None and tag not in ("!", _STR_TAG):
                raise YamlError(
                    f"explicit tag {tag!r} is not allowed", path=self._path,
                    line=mark.line + 1, col=mark.column + 1,
                )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlError(
                f"more than {MAX_NODES} YAML nodes", path=self._path,
                line=mark.line + 1, col=mark.column + 1,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels", path=self._path,
                    line=mark.line + 1, col=mark.column + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class Position(NamedTuple):
    """A 1-based line and column in a YAML file."""

    line: int
    col: int


class YamlDoc:
    """A parsed document and the position of every key and value in it.

    (A plain class with a dataclass's ``__init__``, ``__eq__`` and ``__repr__``: creating a
    dataclass costs ~0.4 ms of every lint.)"""

    def __init__(self, path: str, data: Any, keys: dict[PathKey, Position] | None = None,
                 values: dict[PathKey, Position] | None = None) -> None:
        self.path = path
        self.data = data
        self.keys: dict[PathKey, Position] = {} if keys is None else keys
        self.values: dict[PathKey, Position] = {} if values is None else values

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, YamlDoc)
        return ((self.path, self.data, self.keys, self.values)
                == (other.path, other.data, other.keys, other.values))

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        return (f"YamlDoc(path={self.path!r}, data={self.data!r}, keys={self.keys!r}, "
                f"values={self.values!r})")

    def locate(self, loc: PathKey, *, prefer_key: bool = False) -> Position | None:
        """Position of ``loc`` or of its nearest recorded ancestor."""
        probe = tuple(loc)
        while True:
            table = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for t in table:
                if probe in t:
                    return t[probe]
            if not probe:
                return None
            probe = probe[:-1]


def dotted(loc: PathKey) -> str:
    """``("rules", 0, "params", "min")`` -> ``rules[0].params.min``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


#: The first characters of every plain scalar that the patterns below can match (null ``~``,
#: ``null``; booleans; numbers, ``.inf``, ``.nan``): any other plain scalar is a string.
_NOT_ONLY_STR = frozenset("~nNtTfF-+.0123456789")


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if node.style:  # quoted or block (libyaml gives "" for plain, PyYAML None)
        return value  # quoted or block scalar: always a string
    if value and value[0] not in _NOT_ONLY_STR:  # most keys and names: no pattern to try
        return value
    if _NULL.match(value):
        return None
    if _BOOL_TRUE.match(value):
        return True
    if _BOOL_FALSE.match(value):
        return False
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _build(node: Node, loc: PathKey, doc: YamlDoc) -> Any:
    doc.values[loc] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        digits = len(node.value.lstrip("+-"))
        if not node.style and digits > MAX_INT_DIGITS and _INT10.match(node.value):
            raise YamlError(f"integer with {digits} digits; at most {MAX_INT_DIGITS} allowed",
                            path=doc.path, line=node.start_mark.line + 1,
                            col=node.start_mark.column + 1, field=dotted(loc) or None)
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_build(child, (*loc, i), doc) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kmark = key_node.start_mark
            if not isinstance(key_node, ScalarNode):
                raise YamlError(
                    "mapping keys must be plain strings", path=doc.path,
                    line=kmark.line + 1, col=kmark.column + 1, field=dotted(loc) or None,
                )
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise YamlError(
                    "merge keys (<<) are not allowed", path=doc.path,
                    line=kmark.line + 1, col=kmark.column + 1, field=dotted(loc) or None,
                )
            child = (*loc, key)
            if key in out:
                first = doc.keys[child]
                raise YamlError(
                    f"duplicate key {key!r} (first defined at line {first.line})",
                    path=doc.path, line=kmark.line + 1, col=kmark.column + 1,
                    field=dotted(child),
                )
            doc.keys[child] = Position(kmark.line + 1, kmark.column + 1)
            out[key] = _build(value_node, child, doc)
        return out
    raise YamlError(f"unsupported YAML node {type(node).__name__}", path=doc.path)


def parse_yaml(text: str, path: str = "<string>") -> YamlDoc:
    """Parse one YAML document from text."""
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        before = text[: bad.start()]
        line = before.count("\n") + 1
        col = bad.start() - (before.rfind("\n") + 1) + 1
        raise YamlError(f"control character U+{ord(bad.group()):04X} is not allowed",
                        path=path, line=line, col=col)
    loader = _Loader(text, path)
    try:
        node = loader.get_single_node()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own cap (1000) met before ours
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", path=path,
                            line=mark.line + 1 if mark else None,
                            col=mark.column + 1 if mark else None) from None
        raise YamlError(
            f"invalid YAML: {problem}", path=path,
            line=mark.line + 1 if mark else None, col=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", path=path) from None
    except RecursionError:
        raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", path=path) from None
    finally:
        loader.dispose()
    doc = YamlDoc(path=path, data=None)
    if node is None:
        raise YamlError("empty document", path=path, line=1, col=1)
    doc.data = _build(node, (), doc)
    return doc


def decode(raw: bytes, path: str, *, max_bytes: int = MAX_BYTES) -> str:
    if len(raw) > max_bytes:
        raise YamlError(f"file is {len(raw)} bytes, larger than the {max_bytes}-byte cap",
                        path=path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path=path,
                        line=line, col=col) from None


def read_capped(path: Path, display: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a regular file of at most ``max_bytes`` bytes (never blocks on a FIFO/device)."""
    from governance.paths import read_regular

    return read_regular(path, display, max_bytes=max_bytes, error_type=YamlError)


def load_yaml_file(path: Path, display: str | None = None, *,
                   max_bytes: int = MAX_BYTES) -> YamlDoc:
    """Read and parse a YAML file safely. ``display`` is the name used in messages."""
    name = display if display is not None else str(path)
    raw = read_capped(path, name, max_bytes=max_bytes)
    return parse_yaml(decode(raw, name, max_bytes=max_bytes), name)
