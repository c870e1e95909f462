"""``python -m governance``."""

from governance.cli import run

run()
