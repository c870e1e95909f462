#!/usr/bin/env bash
# Review artifacts (not committed): PNGs of every page of the example's signed PDF and of a
# failing report, for a page-by-page look. Writes review/example/page-NN.png and
# review/failing/page-NN.png (review/ is gitignored). Needs poppler-utils (pdftoppm).
# Usage: scripts/review-pages.sh [DPI]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
dpi="${1:-60}"
gov=.venv/bin/governance
py=.venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf review && mkdir -p review/example review/failing

# 1. The example, signed by its author (keys made on the fly, in the temporary copy).
cp -r examples/credit-scoring "$work/ex"
rm -rf "$work/ex/reports" "$work/ex/keys"
$gov keygen --out-dir "$work/ex/keys" --name author --owner "Example Author" >/dev/null
$gov check --config "$work/ex/governance.yaml" --quiet || true
pdftoppm -png -r "$dpi" "$work/ex/reports/report.pdf" review/example/page

# 2. A failing report: the test fixture (fail, error, waived, expired waiver, every evidence
#    type) rendered unsigned.
$py - "$work/failing.pdf" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, ".")
from tests.reporters.conftest import build_report
from governance.reporters import render
Path(sys.argv[1]).write_bytes(render(build_report(), "pdf"))
PY
pdftoppm -png -r "$dpi" "$work/failing.pdf" review/failing/page
echo "review pages: $(ls review/example | wc -l) example, $(ls review/failing | wc -l) failing (in review/)"
