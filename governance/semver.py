"""Semantic Versioning 2.0.0: parsing, precedence and bump level (pure Python, ``re`` only).

>>> parse("1.2.3-rc.1+build.5") < parse("1.2.3")
True
>>> bump_level(parse("1.0.0"), parse("1.1.0"))
'minor'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import total_ordering
from typing import Literal

__all__ = ["LEVELS", "BumpLevel", "SemVerError", "Version", "bump_level", "level_rank", "parse"]

# The regular expression published at semver.org (numbered groups).
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

BumpLevel = Literal["none", "prerelease", "patch", "minor", "major"]
LEVELS: tuple[BumpLevel, ...] = ("none", "prerelease", "patch", "minor", "major")


def level_rank(level: BumpLevel) -> int:
    return LEVELS.index(level)


class SemVerError(ValueError):
    """A string that is not a SemVer 2.0.0 version; the message says why."""


def _explain(text: str) -> str:
    if not text:
        return "empty version"
    if text[:1] in "vV" and _SEMVER.fullmatch(text[1:]):
        return "a leading 'v' is not part of a SemVer version"
    core = re.split(r"[-+]", text, maxsplit=1)[0]
    parts = core.split(".")
    if len(parts) != 3:
        return f"the core must be MAJOR.MINOR.PATCH (got {len(parts)} part(s))"
    for name, part in zip(("major", "minor", "patch"), parts, strict=True):
        if not part.isdigit() or not part.isascii():
            return f"{name} {part!r} is not a non-negative integer"
        if len(part) > 1 and part.startswith("0"):
            return f"{name} {part!r} has a leading zero"
    rest = text[len(core):]
    if rest.startswith("-"):
        pre = rest[1:].split("+", 1)[0]
        for ident in pre.split("."):
            if not ident:
                return "empty pre-release identifier"
            if not re.fullmatch(r"[0-9A-Za-z-]+", ident):
                return f"pre-release identifier {ident!r} has characters outside [0-9A-Za-z-]"
            if ident.isdigit() and len(ident) > 1 and ident.startswith("0"):
                return f"numeric pre-release identifier {ident!r} has a leading zero"
    if "+" in rest:
        build = rest.split("+", 1)[1]
        for ident in build.split("."):
            if not ident or not re.fullmatch(r"[0-9A-Za-z-]+", ident):
                return f"invalid build metadata {build!r}"
    return "not of the form MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]"


def _pre_key(ident: str) -> tuple[int, int, str]:
    # Numeric identifiers have lower precedence than alphanumeric ones.
    return (0, int(ident), "") if ident.isdigit() else (1, 0, ident)


@total_ordering
@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        # A release ranks above each of its pre-releases; build metadata is ignored.
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1,
                tuple(_pre_key(i) for i in self.prerelease))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()


def parse(text: str) -> Version:
    """Parse a SemVer 2.0.0 string; raises :class:`SemVerError` saying what is wrong."""
    m = _SEMVER.fullmatch(text)
    if m is None:
        raise SemVerError(f"{text!r} is not a SemVer 2.0.0 version: {_explain(text)}")
    pre = tuple(m.group(4).split(".")) if m.group(4) else ()
    build = tuple(m.group(5).split(".")) if m.group(5) else ()
    return Version(int(m.group(1)), int(m.group(2)), int(m.group(3)), pre, build)


def is_valid(text: str) -> bool:
    return _SEMVER.fullmatch(text) is not None


def bump_level(old: Version, new: Version) -> BumpLevel:
    """The highest component that increased from ``old`` to ``new``.

    ``none`` when ``new`` does not have higher precedence; ``prerelease`` when only the
    pre-release part moved (``1.1.0-rc.1`` -> ``1.1.0-rc.2`` or -> ``1.1.0``).
    """
    if not new > old:
        return "none"
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    if new.patch != old.patch:
        return "patch"
    return "prerelease"
