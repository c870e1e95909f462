"""governance.semver against the SemVer 2.0.0 specification's own examples (semver.org)."""

from __future__ import annotations

import itertools

import pytest

from governance.semver import SemVerError, Version, bump_level, is_valid, parse

# Valid and invalid strings from the test list published with the semver.org regex.
VALID = [
    "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid",
    "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1",
    "1.0.0-alpha0.valid", "1.0.0-alpha.0valid",
    "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
    "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123", "1.2.3-beta", "10.2.3-DEV-SNAPSHOT",
    "1.2.3-SNAPSHOT-123", "1.0.0", "2.0.0", "1.1.7", "2.0.0+build.1848", "2.0.1-alpha.1227",
    "1.0.0-alpha+beta", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
    "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
    "99999999999999999999999.999999999999999999.99999999999999999", "1.0.0-0A.is.legal",
]
INVALID = [
    "1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid",
    "-invalid+invalid", "-invalid.01", "alpha", "alpha.beta", "alpha.beta.1", "alpha.1",
    "alpha+beta", "alpha_beta", "alpha.", "alpha..", "beta", "1.0.0-alpha_beta", "-alpha.",
    "1.0.0-alpha..", "1.0.0-alpha..1", "1.0.0-alpha...1", "1.0.0-alpha....1",
    "1.0.0-alpha.....1", "1.0.0-alpha......1", "1.0.0-alpha.......1", "01.1.1", "1.01.1",
    "1.1.01", "1.2.3.DEV", "1.2-SNAPSHOT", "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
    "1.2-RC-SNAPSHOT", "-1.0.3-gamma+b7718", "+justmeta", "9.8.7+meta+meta",
    "9.8.7-whatever+meta+meta", "v1.2.3", " 1.2.3", "1.2.3 ", "1.2.3\n", "",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_versions_parse_and_round_trip(text: str) -> None:
    v = parse(text)
    assert is_valid(text)
    assert str(v) == text


@pytest.mark.parametrize("text", INVALID)
def test_invalid_versions_are_refused(text: str) -> None:
    assert not is_valid(text)
    with pytest.raises(SemVerError, match="is not a SemVer 2.0.0 version"):
        parse(text)


@pytest.mark.parametrize(("text", "message"), [
    ("1.2", "'1.2' is not a SemVer 2.0.0 version: the core must be MAJOR.MINOR.PATCH "
            "(got 2 part(s))"),
    ("v1.2.3", "'v1.2.3' is not a SemVer 2.0.0 version: a leading 'v' is not part of a "
               "SemVer version"),
    ("01.1.1", "'01.1.1' is not a SemVer 2.0.0 version: major '01' has a leading zero"),
    ("1.x.0", "'1.x.0' is not a SemVer 2.0.0 version: minor 'x' is not a non-negative integer"),
    ("1.2.3-0123", "'1.2.3-0123' is not a SemVer 2.0.0 version: numeric pre-release "
                   "identifier '0123' has a leading zero"),
    ("1.0.0-alpha..1", "'1.0.0-alpha..1' is not a SemVer 2.0.0 version: empty pre-release "
                       "identifier"),
    ("1.0.0-alpha_beta", "'1.0.0-alpha_beta' is not a SemVer 2.0.0 version: pre-release "
                         "identifier 'alpha_beta' has characters outside [0-9A-Za-z-]"),
    ("1.1.2+.123", "'1.1.2+.123' is not a SemVer 2.0.0 version: invalid build metadata '.123'"),
    ("", "'' is not a SemVer 2.0.0 version: empty version"),
])
def test_error_messages_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(SemVerError) as err:
        parse(text)
    assert str(err.value) == message


# Spec item 11: "1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 <
# 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0" and "1.0.0 < 2.0.0 < 2.1.0 < 2.1.1".
SPEC_ORDER = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
              "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"]


def test_precedence_follows_the_specification_examples() -> None:
    versions = [parse(t) for t in SPEC_ORDER]
    for (i, a), (j, b) in itertools.product(enumerate(versions), repeat=2):
        assert (a < b) == (i < j), (SPEC_ORDER[i], SPEC_ORDER[j])
        assert (a == b) == (i == j)
    shuffled = list(reversed(versions))
    assert [str(v) for v in sorted(shuffled)] == SPEC_ORDER


def test_build_metadata_is_ignored_for_precedence() -> None:
    assert parse("1.0.0+build.1") == parse("1.0.0+build.2") == parse("1.0.0")
    assert not parse("1.0.0+build.2") > parse("1.0.0+build.1")
    assert hash(parse("1.0.0+a")) == hash(parse("1.0.0"))
    assert parse("1.0.0+a").build == ("a",)


def test_numeric_identifiers_compare_numerically_and_below_alphanumerics() -> None:
    assert parse("1.0.0-2") < parse("1.0.0-10")
    assert parse("1.0.0-10") < parse("1.0.0-a")
    assert parse("1.0.0-alpha") < parse("1.0.0-alpha.0")
    assert parse("10.0.0") > parse("9.99.99")


@pytest.mark.parametrize(("old", "new", "level"), [
    ("1.0.0", "1.0.1", "patch"),
    ("1.0.0", "1.1.0", "minor"),
    ("1.4.7", "2.0.0", "major"),
    ("1.0.0", "2.0.0-rc.1", "major"),
    ("1.1.0-rc.1", "1.1.0-rc.2", "prerelease"),
    ("1.1.0-rc.2", "1.1.0", "prerelease"),
    ("1.0.0", "1.0.0", "none"),
    ("1.0.0", "1.0.0+build.7", "none"),
    ("1.1.0", "1.0.9", "none"),
    ("1.0.0", "1.0.1-rc.1", "patch"),
])
def test_bump_level(old: str, new: str, level: str) -> None:
    assert bump_level(parse(old), parse(new)) == level


def test_version_is_frozen_and_formats() -> None:
    v = Version(1, 2, 3, ("rc", "1"), ("b", "5"))
    assert str(v) == "1.2.3-rc.1+b.5"
    assert v.is_prerelease
    with pytest.raises(AttributeError):
        v.major = 2  # type: ignore[misc]
