"""Optional dependency groups ("extras") and the error for a missing one.

The core install validates policies, cards and configuration, signs, verifies and writes
text/JSON/SARIF/JUnit/Markdown/HTML reports. Recomputing evidence needs the ``evidence`` extra,
PDF output the ``pdf`` extra, the Dask engine the ``dask`` extra. A command that reaches a
module of a missing extra stops with exit code 2 and names the extra to install.
"""

from __future__ import annotations

import importlib.util

from governance.errors import InputError

PACKAGE = "governance-checker"

# extra -> top-level modules it provides (keep in sync with pyproject.toml).
EXTRAS: dict[str, tuple[str, ...]] = {
    "evidence": ("numpy", "pandas", "pyarrow", "scipy", "sklearn", "fairlearn"),
    "pdf": ("weasyprint", "pyhanko", "pyhanko_certvalidator"),
    "dask": ("dask", "distributed"),
}


class MissingExtraError(InputError):
    """A command needs an optional dependency group that is not installed. Exit code 2."""

    def __init__(self, extra: str, module: str, what: str | None = None) -> None:
        self.extra = extra
        self.module = module
        need = f"{what} needs" if what else "this needs"
        super().__init__(f"{need} the '{extra}' extra (module '{module}' is not installed): "
                         f"pip install '{PACKAGE}[{extra}]'")


def extra_for(module: str | None) -> str | None:
    """The extra that provides ``module`` (a dotted name), or None for anything else."""
    if not module:
        return None
    top = module.split(".", 1)[0]
    for extra, modules in EXTRAS.items():
        if top in modules:
            return extra
    return None


def missing_extra(exc: BaseException, what: str | None = None) -> MissingExtraError | None:
    """A :class:`MissingExtraError` for an ImportError of an extra's module, else None."""
    if not isinstance(exc, ModuleNotFoundError):
        return None
    extra = extra_for(exc.name)
    if extra is None or exc.name is None:
        return None
    return MissingExtraError(extra, exc.name.split(".", 1)[0], what)


def missing_extra_in_text(text: str, what: str | None = None) -> MissingExtraError | None:
    """The same for an error reported as text (by a worker process): ``ModuleNotFoundError:
    No module named 'pandas'`` (or ``MissingExtraError: ...`` relayed from the worker)."""
    import re

    m = re.search(r"No module named '([A-Za-z0-9_.]+)'|module '([A-Za-z0-9_.]+)' is not "
                  r"installed", text)
    if m is None:
        return None
    module = m.group(1) or m.group(2)
    extra = extra_for(module)
    return MissingExtraError(extra, module.split(".", 1)[0], what) if extra else None


def require(extra: str, what: str) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` can be imported."""
    for module in EXTRAS[extra]:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise MissingExtraError(extra, module, what)
