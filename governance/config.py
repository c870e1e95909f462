"""``governance.yaml``: the project configuration that makes a bare ``governance check`` work.

Paths are relative to the folder holding the configuration file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from governance.errors import ConfigError
from governance.report import Severity, Target, WaiverSettings
from governance.validation import validate_doc
from governance.yamlio import load_yaml_file

DEFAULT_CONFIG = "governance.yaml"


class SigningConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str | None = None  # path to a PEM private key
    key_env: str | None = None  # name of an environment variable holding the PEM text
    passphrase_env: str | None = None
    role: str = "author"
    trusted_keys: str | None = None


class ConfigModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    apiVersion: str = Field(pattern=r"^governance/v1$")
    kind: str = Field(pattern=r"^Config$")
    policies: list[str] = Field(min_length=1)
    card: str
    root: str = "."
    baseline: str | None = None
    output_dir: str = "reports"
    formats: list[str] = Field(default_factory=lambda: ["text", "json"])
    fail_on: Severity = Severity.INFO
    target: Target = Field(default_factory=Target)
    signing: SigningConfig | None = None
    rule_timeout: float = Field(default=300.0, gt=0, le=86_400, allow_inf_nan=False)
    seed: int = 0
    waiver_warn_days: int = Field(default=14, ge=0)
    # require_signature / max_days / roles / signed (signed waiver files, relative to root)
    waivers: WaiverSettings | None = None


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None
    base: Path  # folder the relative paths are resolved from
    model: ConfigModel

    def resolve(self, rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else self.base / p


def load_config(path: Path) -> ProjectConfig:
    doc = load_yaml_file(path, str(path))
    if not isinstance(doc.data, dict):
        raise ConfigError("the configuration must be a mapping", path=str(path), line=1, col=1)
    model = validate_doc(ConfigModel, doc.data, doc, error_type=ConfigError)
    from governance.reporters import FORMATS

    for i, fmt in enumerate(model.formats):
        if fmt not in FORMATS:
            pos = doc.locate(("formats", i))
            raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})",
                              path=str(path), line=pos.line if pos else None,
                              col=pos.col if pos else None, field=f"formats[{i}]")
    return ProjectConfig(path=path, base=path.resolve().parent, model=model)


def find_config(start: Path) -> Path | None:
    """The nearest ``governance.yaml`` in ``start`` or a parent folder, like ruff and
    pre-commit: the search stops after the folder holding ``.git`` (the repository top), or
    at the file-system root. None when there is none."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_CONFIG
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None
