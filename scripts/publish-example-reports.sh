#!/usr/bin/env bash
# Regenerate the committed example outputs in reports/credit-scoring/ from the bundled example:
# run the README's first command, then copy the signed outputs and render a view of the report
# with its verified sign-off block. Run from the repository root after `pip install -e .`.
set -euo pipefail
cd "$(dirname "$0")/.."
gov=.venv/bin/governance
ex=examples/credit-scoring
out=reports/credit-scoring
$gov keygen --out-dir $ex/keys --name author --if-missing >/dev/null
$gov check --config $ex/governance.yaml --quiet || true
mkdir -p $out
cp $ex/reports/report.{json,html,pdf,sarif,junit.xml,md,dsse.json} $out/
keyid=$($gov keygen --out-dir $ex/keys --name author --if-missing | sed -n 's/^keyid: //p')
{
  echo "# Public keys of the demo keys that signed this example report and its waiver (not real signers)."
  echo "keys:"
  echo "  - keyid: $keyid"
  echo "    owner: Example author (demo key)"
  echo "    roles: [author]"
  echo "    public_key: |"
  sed 's/^/      /' $ex/keys/author.pub
  # the example's DEMO risk officer, who signed its waiver (verify checks bound waivers)
  sed -n '/^keys:/,$p' $ex/trusted-keys.yaml | tail -n +2
} > $out/trusted-keys.yaml
# The report with its sign-off block filled in from the verified bundle (a view: the signed
# artifacts are report.pdf / report.html above, which the bundle binds by sha256).
$gov render $out/report.json --format html,pdf --envelope $out/report.dsse.json \
  --trusted-keys $out/trusted-keys.yaml --output-dir $out/signed-view >/dev/null
echo "published to $out"
