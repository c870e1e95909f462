"""``governance.yaml``: the project configuration that makes a bare ``governance check`` work.

Paths are relative to the folder holding the configuration file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from governance.errors import ConfigError
from governance.paths import Boundary, Where, check_regular
from governance.report import Severity, Target, WaiverSettings
from governance.validation import validate_doc
from governance.yamlio import YamlDoc, dotted, load_yaml_file

DEFAULT_CONFIG = "governance.yaml"


class SigningConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str | None = None  # path to a PEM private key
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
    # the release ledger's SQLite file, inside the project (a database URL is operator-only)
    ledger: str | None = None


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None
    base: Path  # folder the relative paths are resolved from (the project root by default)
    model: ConfigModel
    doc: YamlDoc | None = None

    def where(self, *key: str | int) -> Where:
        pos = self.doc.locate(key) if self.doc is not None else None
        return Where(str(self.path) if self.path else None, pos.line if pos else None,
                     pos.col if pos else None, dotted(key))

    def resolve(self, rel: str, *key: str | int, boundary: Boundary | None = None,
                kind: str | None = None) -> Path:
        """A path written in the configuration (field ``key``), confined to ``boundary``
        (default: the configuration's folder). Outside it is a ConfigError naming the field.
        ``kind="file"``: it must be an existing regular file; ``kind="dir"``: a folder.
        """
        bound = boundary or Boundary.of(self.base)
        where = self.where(*key)
        real = bound.confine(rel, self.base, where, error_type=ConfigError)
        if kind == "file":
            check_regular(real, where, error_type=ConfigError, what=f"file {rel!r}")
        elif kind == "dir" and not real.is_dir():
            raise ConfigError(f"{rel!r} is not a folder", path=where.path, line=where.line,
                              col=where.col, field=where.field)
        return real


#: Keys refused in governance.yaml with where the setting lives (DESIGN principle 9).
OPERATOR_ONLY: dict[str, str] = {
    "engine": "`governance check --engine` or GOVERNANCE_ENGINE",
    "dask_scheduler": "`governance check --dask-scheduler` or GOVERNANCE_DASK_SCHEDULER",
    "scheduler": "`governance check --dask-scheduler` or GOVERNANCE_DASK_SCHEDULER",
    "plugins": "`governance check --plugins` or GOVERNANCE_PLUGINS=1",
    "ledger_url": "`--ledger-url` or GOVERNANCE_LEDGER_URL",
}
#: Keys refused under ``signing:``: which environment variable holds a secret is the
#: operator's choice, never a contributor's (a pull request could point it at a CI secret).
OPERATOR_ONLY_SIGNING: dict[str, str] = {
    "key_env": "`--sign-key FILE` or the PEM text in GOVERNANCE_SIGNING_KEY",
    "passphrase_env": "GOVERNANCE_KEY_PASSPHRASE",
}


def load_config(path: Path) -> ProjectConfig:
    doc = load_yaml_file(path, str(path))
    if not isinstance(doc.data, dict):
        raise ConfigError("the configuration must be a mapping", path=str(path), line=1, col=1)
    for key, flag in OPERATOR_ONLY.items():
        if key in doc.data:  # network endpoints and code: operator settings, never a file
            pos = doc.locate((key,), prefer_key=True)
            raise ConfigError(f"{key} is an operator setting, not a governance.yaml field: "
                              f"use {flag}", path=str(path), line=pos.line if pos else None,
                              col=pos.col if pos else None, field=key)
    signing = doc.data.get("signing")
    for key, flag in OPERATOR_ONLY_SIGNING.items():
        if isinstance(signing, dict) and key in signing:
            pos = doc.locate(("signing", key), prefer_key=True)
            raise ConfigError(f"signing.{key} is an operator setting, not a governance.yaml "
                              f"field: use {flag}", path=str(path),
                              line=pos.line if pos else None, col=pos.col if pos else None,
                              field=f"signing.{key}")
    model = validate_doc(ConfigModel, doc.data, doc, error_type=ConfigError)
    from governance.reporters import FORMATS

    for i, fmt in enumerate(model.formats):
        if fmt not in FORMATS:
            pos = doc.locate(("formats", i))
            raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})",
                              path=str(path), line=pos.line if pos else None,
                              col=pos.col if pos else None, field=f"formats[{i}]")
    return ProjectConfig(path=path, base=path.resolve().parent, model=model, doc=doc)


def default(name: str) -> Any:
    """The default of a governance.yaml field: the one place defaults live (ConfigModel)."""
    return ConfigModel.model_fields[name].get_default(call_default_factory=True)


def overlay(flag: Any, model: ConfigModel | None, name: str) -> Any:
    """The setting ``name``: the command-line value when given (not None), else the
    configuration's, else :func:`default`. Every command resolves its settings this way."""
    if flag is not None:
        return flag
    if model is not None:
        return getattr(model, name)
    return default(name)


def find_config(start: Path = Path(".")) -> Path | None:
    """The nearest ``governance.yaml`` in ``start`` or a parent folder, like ruff and
    pre-commit: the search stops after the folder holding ``.git`` (the repository top), or
    at the file-system root. None when there is none. The result is ``start`` joined with
    ``..`` steps (so ``governance.yaml`` or ``../governance.yaml`` for the default ``.``:
    messages name it as the user would)."""
    here = start.resolve()
    for up, folder in enumerate((here, *here.parents)):
        if (folder / DEFAULT_CONFIG).is_file():
            return start.joinpath(*([".."] * up), DEFAULT_CONFIG)
        if (folder / ".git").exists():
            return None
    return None
