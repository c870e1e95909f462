"""``python -m governance``."""

from governance.cli import main

raise SystemExit(main())
