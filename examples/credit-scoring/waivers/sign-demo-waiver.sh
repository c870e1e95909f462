#!/usr/bin/env bash
# Re-sign the example's FAIR-002 waiver with the DEMO risk-officer key (e.g. when it expires):
#   examples/credit-scoring/waivers/sign-demo-waiver.sh [EXPIRES]   (default: today + 364 days)
# A DEMO key: its private half is committed so that anyone can run the example. Never do this
# with a real key.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gov="${GOVERNANCE:-$here/../../../.venv/bin/governance}"
expires="${1:-$(date -u -d '+364 days' +%F)}"
chmod 600 "$here/DEMO-risk-officer.key"
rm -f "$here/FAIR-002.dsse.json"
"$gov" waiver sign --rule-id FAIR-002 --policy credit-scoring-release --model credit-scoring \
  --reason "Applicants under 25 are 47 of the 300 in the test split: their impact ratio (0.87) \
passes the four-fifths rule, but the lower 95% bound (0.71) does not. Accepted until the 2027 \
data refresh doubles the group." \
  --approved-by "Example risk officer (DEMO key)" --ticket MRM-142 --expires "$expires" \
  --role risk-officer --key "$here/DEMO-risk-officer.key" --out "$here/FAIR-002.dsse.json"
