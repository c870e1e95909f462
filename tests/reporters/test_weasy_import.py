"""WeasyPrint as governance.reporters._weasy imports it: its font subsetting allocates glyph
arrays through the open C type ``hb_codepoint_t[]`` (parsed once) instead of one new sized
type per array (pycparser, ~5 ms each); the PDF bytes are those of an unchanged WeasyPrint."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from governance.report import canonical_json
from governance.reporters import render
from governance.reporters._weasy import _OpenArrays, import_weasyprint

RENDER = """
import hashlib, sys
from governance.report import load_report
from governance.reporters import render
if sys.argv[1] == "unchanged":
    import governance.reporters._weasy as weasy
    weasy._open_arrays = lambda module: module
report = load_report(sys.stdin.buffer.read(), "report.json")
data = render(report, "pdf")
import weasyprint.pdf.fonts as fonts
print(type(fonts.ffi).__name__, hashlib.sha256(data).hexdigest())
"""


def test_font_arrays_use_the_open_type_and_the_pdf_is_unchanged(report) -> None:
    data = canonical_json(report)
    out = {}
    for mode in ("unchanged", "open"):
        done = subprocess.run([sys.executable, "-c", RENDER, mode], input=data,
                              capture_output=True, check=True)
        out[mode] = done.stdout.decode().split()
    assert out["unchanged"][0] == "FFI"
    assert out["open"][0] == "_OpenArrays"
    assert out["open"][1] == out["unchanged"][1]  # byte-identical PDF
    assert out["open"][1] == hashlib.sha256(render(report, "pdf")).hexdigest()


def test_no_sized_array_type_is_parsed_while_rendering(report, monkeypatch) -> None:
    import cffi.api

    import_weasyprint()
    import weasyprint.pdf.fonts as fonts

    assert isinstance(fonts.ffi, _OpenArrays)
    parsed: list[str] = []
    real = cffi.api.FFI._typeof_locked

    def spy(self, cdecl):  # type: ignore[no-untyped-def]
        parsed.append(cdecl)
        return real(self, cdecl)

    monkeypatch.setattr(cffi.api.FFI, "_typeof_locked", spy)
    render(report, "pdf")
    array = fonts.ffi.new("hb_codepoint_t[12347]", list(range(12347)))  # a length not seen yet
    assert len(array) == 12347 and array[12346] == 12346
    assert not [c for c in parsed if c.startswith("hb_codepoint_t[") and c != "hb_codepoint_t[]"]
    # other allocations go through unchanged
    assert fonts.ffi.new("int *", 3)[0] == 3
