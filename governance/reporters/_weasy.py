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

Font subsetting: for every font of a document WeasyPrint allocates its glyph lists as
``ffi.new(f"hb_codepoint_t[{n}]", values)``. Each new length is a new C type to cffi, parsed
by pycparser (~5 ms; about ten per document, 0.05 s of a small PDF). :class:`_OpenArrays`
answers those calls with the open array type ``hb_codepoint_t[]``, parsed once: cffi makes the
same array (n elements, the same values), so the PDF bytes do not change (tested).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
from types import ModuleType
from typing import Any


def _not_found(name: str) -> None:
    return None


def _forget_partial_import() -> None:
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        del sys.modules[name]


_SIZED_ARRAY = re.compile(r"(hb_codepoint_t)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's font module's ``ffi``, with ``new("hb_codepoint_t[N]", values)`` made as
    ``new("hb_codepoint_t[]", values)`` when ``values`` has N items (see the module text)."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: Any, init: Any = None) -> Any:
        m = _SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if m is not None and isinstance(init, (list, tuple)) and len(init) == int(m[2]):
            return self._ffi.new(m[1] + "[]", init)
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


def _open_arrays(module: ModuleType) -> ModuleType:
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    ffi = getattr(fonts, "ffi", None)
    if ffi is not None and not isinstance(ffi, _OpenArrays) and callable(getattr(ffi, "new",
                                                                                 None)):
        fonts.ffi = _OpenArrays(ffi)  # type: ignore[union-attr]
    return module


def import_weasyprint() -> ModuleType:
    """The ``weasyprint`` module (imported once per process)."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    if not sys.platform.startswith("linux"):
        return _open_arrays(importlib.import_module("weasyprint"))
    import ctypes.util

    real: Any = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        # WeasyPrint prints advice before failing; the retry below prints it if it matters.
        with contextlib.redirect_stdout(io.StringIO()):
            return _open_arrays(importlib.import_module("weasyprint"))
    except OSError:
        _forget_partial_import()
    finally:
        ctypes.util.find_library = real
    return _open_arrays(importlib.import_module("weasyprint"))
