"""Import WeasyPrint without its library search spawning processes (issue 16).

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying a list of names
per library (Windows, Linux and macOS spellings). For every name that is not a loadable file
name, cffi asks :func:`ctypes.util.find_library`, which on Linux runs ``ldconfig -p`` and then
``gcc``/``ld`` for names it does not find: 22 look-ups and ~50 child processes, 0.15-0.3 s of
the PDF path, to find sonames (``libpango-1.0.so.0`` ...) that the same list names directly.

On Linux the import therefore runs with ``find_library`` answering "not found", so each
library is opened by its soname from the list (the dynamic loader's normal search, which also
honours ``LD_LIBRARY_PATH``). Should that fail (a system whose sonames differ), the import is
retried with the real ``find_library``: the result is the library WeasyPrint would have loaded.
Other platforms import WeasyPrint as is (macOS's ``find_library`` spawns nothing).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from types import ModuleType
from typing import Any


def _not_found(name: str) -> None:
    return None


def _forget_partial_import() -> None:
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        del sys.modules[name]


def import_weasyprint() -> ModuleType:
    """The ``weasyprint`` module (imported once per process)."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    if not sys.platform.startswith("linux"):
        return importlib.import_module("weasyprint")
    import ctypes.util

    real: Any = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        # WeasyPrint prints advice before failing; the retry below prints it if it matters.
        with contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module("weasyprint")
    except OSError:
        _forget_partial_import()
    finally:
        ctypes.util.find_library = real
    return importlib.import_module("weasyprint")
