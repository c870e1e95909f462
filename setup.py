"""Build hook: ship the top-level ``policies/`` and ``templates/`` inside the wheel.

Everything else is declared in pyproject.toml. Editable installs read the folders in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in ("policies", "templates"):
            dest = Path(self.build_lib) / "governance" / "_data" / name
            shutil.copytree(HERE / name, dest, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithData})
