"""Shared pieces of the CI-facing reporters (SARIF, GitHub annotations, GitLab Code Quality).

* Paths in a report are relative to the *project root* (the folder of governance.yaml). Code
  scanning, annotations and Code Quality want paths relative to the *repository root*. The check
  records where the project root sits inside the repository in
  ``report.environment["project_root_in_repository"]`` (POSIX, ``"."`` when they are the same;
  see :func:`governance.api.repository_subdir`), so these reporters stay pure functions of the
  report. A path that is absolute or leaves the repository has no repository path.
* :func:`fingerprint` identifies a finding across runs: rule id, model name and the subject (the
  card field the finding is about, else the file of the rule) — not lines, versions or values,
  so an alert stays the same alert when a release changes and closes when the rule passes.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from governance.report import Finding, Report, SourceLocation

REPO_KEY = "project_root_in_repository"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def inert(text: str) -> str:
    """Input text made inert for CI logs and widgets: CRLF becomes LF, other control
    characters and bidirectional/line-separator characters become visible escapes
    (``\\r``, ``\\x1b``, ``<U+202E>``: governance.textsafe, the one mechanism)."""
    from governance.textsafe import controls

    return controls(text.replace("\r\n", "\n"))


def project_subdir(report: Report) -> str:
    sub = report.environment.get(REPO_KEY, ".") or "."
    return sub.replace("\\", "/")


def repository_path(report: Report, path: str) -> str | None:
    """``path`` (relative to the project root) relative to the repository root, or None."""
    p = path.replace("\\", "/")
    if not p or p.startswith("/") or re.match(r"^[A-Za-z]:/", p):
        return None
    joined = posixpath.normpath(posixpath.join(project_subdir(report), p))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def rule_location(f: Finding) -> SourceLocation | None:
    """Where a finding is shown: the policy rule, else the card field, else the first place."""
    for role in ("policy", "card"):
        for loc in f.locations:
            if loc.role == role:
                return loc
    return f.locations[0] if f.locations else None


def subject(f: Finding) -> str:
    """What a finding is about, stable across releases (no line numbers)."""
    cards = sorted({f"{loc.path}#{loc.field or ''}" for loc in f.locations if loc.role == "card"})
    if cards:
        return ",".join(cards)
    files = sorted({loc.path for loc in f.locations})
    return ",".join(files)


def fingerprint(report: Report, f: Finding) -> str:
    """sha256 of rule id, model name and subject (hex)."""
    parts = ("governance-finding/v1", f.rule_id, report.model.name, subject(f))
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def safe_id(text: str) -> str:
    """A path segment made of ``[A-Za-z0-9._-]`` (others become ``-``), never empty."""
    return _UNSAFE_ID.sub("-", text).strip("-") or "unnamed"


def category(report: Report) -> str:
    """The code-scanning category: one per model and policy, the same for every release."""
    return f"governance/{safe_id(report.model.name)}/{safe_id(report.policy.name)}/"


def kind_summary(kind: str) -> str | None:
    """The built-in rule kind's one-line explanation (plugins are not loaded here)."""
    from governance.rules.registry import BUILTIN_KINDS, get_kind

    if kind not in BUILTIN_KINDS:
        return None
    found = get_kind(kind)
    return found.summary if found is not None else None
