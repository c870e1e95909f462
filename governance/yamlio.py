"""Safe YAML loading with a line map.

* size cap, strict UTF-8;
* no anchors, aliases or explicit tags (so no alias bombs and no object construction);
* duplicate keys are an error, never "last one wins";
* nesting depth cap;
* YAML 1.2 core scalars: only ``true``/``false`` are booleans (``NO`` and ``on`` stay
  strings), no sexagesimal numbers (``22:30`` stays a string), no implicit dates;
* every mapping key and value is recorded with its line and column, so a validation error
  on ``rules[3].params.min`` can point at ``policy.yaml:17:12``.

Only the events of PyYAML's parser (libyaml's when built with it) are used; values are built
here straight from them, with no node tree (half the time of composing nodes first).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
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



def _exact(*words: str) -> frozenset[str]:
    """What ``re.match(r"^(?:word|...)$", s)`` accepts: a word, or a word and a final newline
    (``$`` matches before one). Sets, not patterns: compiling them is ~0.3 ms of a lint."""
    return frozenset((*words, *(w + "\n" for w in words)))


_NULL = _exact("~", "null", "Null", "NULL", "")
_BOOL_TRUE = _exact("true", "True", "TRUE")
_BOOL_FALSE = _exact("false", "False", "FALSE")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = _exact(*(sign + "." + w for sign in ("", "-", "+") for w in ("inf", "Inf", "INF")))
_NAN = _exact(".nan", ".NaN", ".NAN")
# What PyYAML's Reader refuses (it raises from its constructor, outside the parse).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


try:  # libyaml's C parser makes events 10x faster; values are built here, in Python
    from yaml._yaml import CParser as _EventSource

    def _events(stream: str) -> Any:
        return _EventSource(stream)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    class _EventSource(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    def _events(stream: str) -> Any:
        return _EventSource(stream)


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


def _scalar(value: str, style: str | None) -> Any:
    if style:  # quoted or block (libyaml gives "" for plain, PyYAML None)
        return value  # quoted or block scalar: always a string
    if value and value[0] not in _NOT_ONLY_STR:  # most keys and names: no pattern to try
        return value
    if value in _NULL:
        return None
    if value in _BOOL_TRUE:
        return True
    if value in _BOOL_FALSE:
        return False
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if value in _INF:
        return -math.inf if value.startswith("-") else math.inf
    if value in _NAN:
        return math.nan
    return value


class _Builder:
    """Values straight from the parser's events, without composing nodes first.

    Every node's first event gets, at once, the checks a composer would make (no aliases,
    anchors or explicit tags, node and depth caps: raised as met). The checks on keys and
    values (plain-string keys, no merge keys, no duplicate keys, integer length) are those of
    a pass over the composed document: the first one, in document order, is raised once the
    whole document has been read, so an error of the first kind anywhere wins, as it did when
    composing preceded building (``tests/test_yamlio.py`` compares both on hostile inputs).
    """

    def __init__(self, events: Any, doc: YamlDoc) -> None:
        self.get = events.get_event
        self.doc = doc
        self.nodes = 0
        self.error: YamlError | None = None

    def fail(self, message: str, mark: Any, field: str | None) -> None:
        if self.error is None:
            self.error = YamlError(message, path=self.doc.path, line=mark.line + 1,
                                   col=mark.column + 1, field=field)

    def start(self, event: Any, depth: int) -> Any:
        """The checks on a node's first event; its start mark."""
        mark = event.start_mark
        path = self.doc.path
        if isinstance(event, AliasEvent):
            raise YamlError("aliases (*name) are not allowed", path=path,
                            line=mark.line + 1, col=mark.column + 1)
        if event.anchor is not None:
            raise YamlError(f"anchors (&{event.anchor}) are not allowed", path=path,
                            line=mark.line + 1, col=mark.column + 1)
        tag = event.tag
        if tag is not None and tag not in ("!", _STR_TAG):
            raise YamlError(f"explicit tag {tag!r} is not allowed", path=path,
                            line=mark.line + 1, col=mark.column + 1)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError(f"more than {MAX_NODES} YAML nodes", path=path,
                            line=mark.line + 1, col=mark.column + 1)
        if depth > MAX_DEPTH:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", path=path,
                            line=mark.line + 1, col=mark.column + 1)
        return mark

    def value(self, event: Any, mark: Any, loc: PathKey, depth: int) -> Any:
        """The value that starts with ``event`` (checked by :meth:`start`), found at ``loc``."""
        self.doc.values[loc] = Position(mark.line + 1, mark.column + 1)
        if isinstance(event, ScalarEvent):
            text: str = event.value
            if not event.style:
                digits = len(text.lstrip("+-"))
                if digits > MAX_INT_DIGITS and _INT10.match(text):
                    self.fail(f"integer with {digits} digits; at most {MAX_INT_DIGITS} "
                              "allowed", mark, dotted(loc) or None)
                    return text
            return _scalar(text, event.style)
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            event = self.get()
            while not isinstance(event, SequenceEndEvent):
                items.append(self.value(event, self.start(event, depth + 1),
                                        (*loc, len(items)), depth + 1))
                event = self.get()
            return items
        if not isinstance(event, MappingStartEvent):  # pragma: no cover - not a node event
            raise YamlError(f"unsupported YAML event {type(event).__name__}",
                            path=self.doc.path)
        return self.mapping(loc, depth)

    def mapping(self, loc: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        keys = self.doc.keys
        event = self.get()
        while not isinstance(event, MappingEndEvent):
            kmark = self.start(event, depth + 1)
            if not isinstance(event, ScalarEvent):
                self.fail("mapping keys must be plain strings", kmark, dotted(loc) or None)
                self.value(event, kmark, (*loc, "\0key"), depth + 1)  # read, then dropped
                key = "\0value"
                child: PathKey = (*loc, key)
            else:
                key = event.value
                child = (*loc, key)
                if key == "<<" and not event.style:
                    self.fail("merge keys (<<) are not allowed", kmark, dotted(loc) or None)
                elif key in out:
                    self.fail(f"duplicate key {key!r} (first defined at line "
                              f"{keys[child].line})", kmark, dotted(child))
                else:
                    keys[child] = Position(kmark.line + 1, kmark.column + 1)
            event = self.get()
            value = self.value(event, self.start(event, depth + 1), child, depth + 1)
            if self.error is None:
                out[key] = value
            event = self.get()
        return out


def _read_document(text: str, doc: YamlDoc) -> bool:
    """Fill ``doc`` from the one document of ``text``; False when the stream holds none."""
    events = _events(text)
    try:
        get = events.get_event
        get()  # stream start
        if isinstance(get(), StreamEndEvent):  # else: the document start
            return False
        builder = _Builder(events, doc)
        event = get()
        mark = builder.start(event, 1)
        doc.data = builder.value(event, mark, (), 1)
        get()  # document end
        event = get()
        if not isinstance(event, StreamEndEvent):
            raise ComposerError("expected a single document in the stream", mark,
                                "but found another document", event.start_mark)
        if builder.error is not None:
            raise builder.error
        return True
    finally:
        events.dispose()


def parse_yaml(text: str, path: str = "<string>") -> YamlDoc:
    """Parse one YAML document from text."""
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        before = text[: bad.start()]
        line = before.count("\n") + 1
        col = bad.start() - (before.rfind("\n") + 1) + 1
        raise YamlError(f"control character U+{ord(bad.group()):04X} is not allowed",
                        path=path, line=line, col=col)
    doc = YamlDoc(path=path, data=None)
    try:
        found = _read_document(text, doc)
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
    if not found:
        raise YamlError("empty document", path=path, line=1, col=1)
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
