"""Where an ``extends`` entry of a policy points: a shipped pack by name, or a policy file
inside the project boundary. Apart from :mod:`governance.policy.loader`, which imports it only
for a policy that extends another (a lint of one that does not never compiles it)."""

from __future__ import annotations

from pathlib import Path

from governance.errors import PolicyError
from governance.paths import Boundary, Where, check_regular
from governance.yamlio import YamlDoc


def resolve_extends(ref: str, doc: YamlDoc, path: Path, boundary: Boundary, index: int,
                    packs: Path) -> Path:
    """The file that entry ``index`` (``ref``) of the policy ``doc`` read from ``path`` names;
    ``packs`` is the folder of the shipped packs."""
    pos = doc.locate(("extends", index))
    where = Where(doc.path, pos.line if pos else None, pos.col if pos else None,
                  f"extends[{index}]")
    is_pack = "/" not in ref and "\\" not in ref and not ref.endswith((".yaml", ".yml"))
    if is_pack:
        candidate = packs / f"{ref}.yaml"
        if not candidate.is_file():
            known = ", ".join(sorted(p.stem for p in packs.glob("*.yaml"))) or "none"
            raise PolicyError(f"unknown policy pack {ref!r} (shipped packs: {known})",
                              path=where.path, line=where.line, col=where.col,
                              field=where.field)
        return candidate
    parent = path.resolve().parent
    if parent == packs.resolve():  # a shipped pack: trusted like the tool itself
        boundary = boundary.with_folder(parent)
    real = boundary.confine(ref, parent, where, error_type=PolicyError)
    # Refuse FIFOs, devices, folders and missing files here, where the message can name
    # the field.
    check_regular(real, where, error_type=PolicyError, what=f"policy file {ref!r}")
    return real
