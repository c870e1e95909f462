"""The report templates compiled ahead of time (issue 16: ~0.07 s of every HTML/PDF render).

Jinja compiles each template to Python the first time a process renders it. The compiled
modules of ``templates/`` are kept in ``governance/reporters/_compiled/`` together with the
sha256 of each source and the Jinja version that compiled them; :func:`compiled_dir` returns
that folder only when every source still has its recorded digest and Jinja is the same version,
so an edited template or another Jinja is always compiled from source (never a stale template).
The same sandboxed, autoescaping environment compiles them (sandboxing and escaping are in the
generated code and the environment it runs in).

Regenerate after editing a template: ``python -m governance.reporters._precompile``
(``tests/reporters/test_precompiled.py`` fails while they differ).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from governance.resources import resource_dir

#: Jinja templates live at the repository root (``templates/``; a wheel carries a copy).
TEMPLATES_DIR = resource_dir("templates")
COMPILED = Path(__file__).resolve().parent / "_compiled"
MANIFEST = "manifest.json"
SUFFIXES = (".j2", ".css")


def sources() -> dict[str, str]:
    """sha256 of every template source, by file name."""
    folder = TEMPLATES_DIR
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file() and p.name.endswith(SUFFIXES)}


def jinja_version() -> str:
    import jinja2

    return str(jinja2.__version__)


def compiled_dir() -> Path | None:
    """The compiled templates' folder if they match the sources and Jinja, else None."""
    try:
        manifest = json.loads((COMPILED / MANIFEST).read_text(encoding="utf-8"))
        current = manifest == {"jinja2": jinja_version(), "sources": sources()}
    except (OSError, ValueError):
        return None
    return COMPILED if current else None
