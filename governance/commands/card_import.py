"""``governance card import --from hf|mct FILE [--output OUT] [--name N] [--version V]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError


def register(csub: Any) -> None:
    p = csub.add_parser(
        "import", help="convert a Hugging Face or Model Card Toolkit card into our format",
        description="Convert a Hugging Face model card (README.md with YAML front matter) or "
        "a Model Card Toolkit JSON card into a governance/v1 model card. Offline. Prints the "
        "card (or writes --output, never overwriting) and lists the fields it could not fill.")
    p.add_argument("--from", dest="source_format", required=True, choices=("hf", "mct"),
                   help="hf: Hugging Face README.md; mct: Model Card Toolkit JSON")
    p.add_argument("file", type=Path, help="the card to import")
    p.add_argument("--output", "-o", type=Path,
                   help="write the card here (refuses to overwrite an existing file)")
    p.add_argument("--name", help="model name (overrides the card's)")
    p.add_argument("--version", dest="model_version", help="model version (overrides the "
                   "card's; Hugging Face cards have none)")
    p.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    from governance.card.importers import import_card
    from governance.fileio import atomic_write

    out: Path | None = args.output
    if out is not None and (out.exists() or out.is_symlink()):
        raise InputError("file exists; refusing to overwrite it", path=str(out),
                         field="--output")
    result = import_card(args.source_format, args.file, str(args.file), name=args.name,
                         version=args.model_version)
    if out is None:
        sys.stdout.write(result.yaml_text)
    else:
        if out.exists() or out.is_symlink():  # created meanwhile
            raise InputError("file exists; refusing to overwrite it", path=str(out),
                             field="--output")
        atomic_write(out, result.yaml_text.encode("utf-8"))
        print(f"wrote {out}", file=sys.stderr)
    from governance.textsafe import one_line

    if result.unfilled:
        print(one_line("could not fill (fill in by hand): " + ", ".join(result.unfilled)),
              file=sys.stderr)
    for note in result.notes:
        print(f"note: {one_line(note)}", file=sys.stderr)
    return int(ExitCode.OK)
