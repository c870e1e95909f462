"""The fast paths (lint, card validate, --version, --help) import no heavy library."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credit-scoring"
HEAVY = ["pandas", "numpy", "sklearn", "fairlearn", "weasyprint", "scipy", "pyarrow"]

PROBE = """
import json, sys
from governance.cli import main
try:
    code = main({argv!r})
except SystemExit as exc:
    code = exc.code
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"code": code, "heavy": heavy}}))
"""


def probe(argv: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("argv", [
    ["policy", "lint", str(EXAMPLE / "policy.yaml")],
    ["card", "validate", str(EXAMPLE / "model-card.yaml"),
     str(EXAMPLE / "baseline" / "model-card.yaml")],
    ["policy", "schema"],
    ["--version"],
    ["--help"],
    ["check", "--help"],
    ["rules"],
    ["card", "schema"],
    ["card", "explain", "artifacts[].columns"],
    ["verify", "--help"],
])
def test_fast_paths_import_nothing_heavy(argv: list[str]) -> None:
    result = probe(argv)
    assert result["code"] == 0
    assert result["heavy"] == []


LINT_PROBE = """
import json, sys
from governance.cli import main
code = main({argv!r})
print(json.dumps({{"code": code, "modules": sorted(m for m in sys.modules
                                                if m.startswith("governance"))}}))
"""


def loaded_modules(argv: list[str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", LINT_PROBE.format(argv=argv)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    modules: list[str] = result["modules"]
    return modules


def test_policy_lint_imports_params_models_but_no_rule_code_nor_report_models() -> None:
    """The example policy uses 20 kinds of 11 family modules: lint validates each rule's params
    with the light ``rules/params/<kind>.py`` modules (and the shared bases they import) and
    imports no family module (their ``evaluate`` code, nor ``rules.base``), no other kind's
    model, no report model, no card model, no artifact store."""
    modules = loaded_modules(["policy", "lint", str(EXAMPLE / "policy.yaml")])
    rules = [m for m in modules if m.startswith("governance.rules.")]
    used = set(re.findall(r"^ +kind: (\w+)$", (EXAMPLE / "policy.yaml").read_text(), re.M))
    assert len(used) == 20
    shared = {"allow", "dataset", "drift", "groups", "metric"}
    assert rules == sorted(["governance.rules.kindmap", "governance.rules.params",
                            *(f"governance.rules.params.{k}" for k in used | shared)])
    for module in ("governance.report", "governance.card.model", "governance.evidence.store",
                   "governance.engine", "governance.numfmt",
                   # nor what a plain lint line of a policy without extends does not run
                   # (start-up of a lint where the package is not compiled)
                   "governance.commands.parser", "governance.policy.extends",
                   "governance.statuses", "governance.rules.registry"):
        assert module not in modules


def test_card_validate_imports_no_rule_policy_or_report_code() -> None:
    modules = loaded_modules(["card", "validate", str(EXAMPLE / "model-card.yaml")])
    assert not [m for m in modules if m.startswith(("governance.rules", "governance.policy"))]
    for module in ("governance.report", "governance.commands.card_import",
                   "governance.card.importers"):
        assert module not in modules


def test_read_only_commands_leave_pydantic_plugin_scan_out() -> None:
    """``policy lint`` / ``card validate`` never import importlib.metadata (pydantic's plugin
    loader would, ~5 ms); if plugins are enabled again later in the same process, pydantic's
    own loader is imported and asked."""
    probe = (
        "import json, os, sys\n"
        "from governance.cli import main\n"
        f"code = main(['policy', 'lint', {str(EXAMPLE / 'policy.yaml')!r}])\n"
        "before = 'importlib.metadata' in sys.modules\n"
        "stand_in = sys.modules['pydantic.plugin._loader']\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = ''\n"
        "from pydantic import BaseModel\n"
        "class Late(BaseModel):\n"
        "    x: int\n"
        "Late(x=1)\n"
        "real = sys.modules['pydantic.plugin._loader']\n"
        "print(json.dumps([code, before, getattr(stand_in, '__file__', None),\n"
        "                  real is not stand_in and real.__file__.endswith('_loader.py')]))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [0, False, None, True]


def test_lint_path_models_avoid_costly_declarations() -> None:
    """Models a lint creates keep two start-up costs out (ARCHITECTURE.md, "Adding a rule
    kind"): string annotations (pydantic evaluates each one) and builtin default factories
    (pydantic parses a builtin's text signature; the first parse compiles tokenize's regex)."""
    import importlib
    import pkgutil

    from pydantic import BaseModel

    import governance.rules.params as params_pkg

    modules = [importlib.import_module(f"governance.rules.params.{m.name}")
               for m in pkgutil.iter_modules(params_pkg.__path__)]
    modules += [importlib.import_module(m) for m in (
        "governance.rules.params", "governance.terms", "governance.policy.model",
        "governance.card.model")]
    checked = 0
    for module in modules:
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, BaseModel)
                    and obj.__module__ == module.__name__):
                continue
            checked += 1
            strings = [k for k, v in vars(obj).get("__annotations__", {}).items()
                       if isinstance(v, str)]
            assert strings == [], f"{obj.__qualname__}: string annotations {strings}"
            for name, info in obj.model_fields.items():
                assert info.default_factory not in (list, dict, set), (
                    f"{obj.__qualname__}.{name}: use terms.new_list / new_dict")
    assert checked > 60


def test_pydantic_loader_stand_in_hands_anything_else_to_the_real_loader() -> None:
    probe = ("import json, sys\n"
             "from governance.cli import _without_pydantic_plugins\n"
             "_without_pydantic_plugins()\n"
             "stand_in = sys.modules['pydantic.plugin._loader']\n"
             "plugins = list(stand_in.get_plugins())\n"
             "group = stand_in.PYDANTIC_ENTRY_POINT_GROUP\n"
             "real = sys.modules['pydantic.plugin._loader']\n"
             "print(json.dumps([plugins, group, real is not stand_in]))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True, env=env)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[], "pydantic", True]
