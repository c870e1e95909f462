#!/usr/bin/env bash
# Regenerate the committed example outputs in reports/credit-scoring/ from the bundled example:
# run the README's first command (the author signs the DSSE bundle and the PDF), write the trust
# file (demo author and approver keys with their PDF certificates, plus the example's DEMO risk
# officer who signed its waiver), add the demo approver's co-signature (bundle + incremental PDF
# signature), and render a view of the report with its verified sign-off block.
# Run from the repository root after `pip install -e .`.
set -euo pipefail
cd "$(dirname "$0")/.."
gov=.venv/bin/governance
ex=examples/credit-scoring
out=reports/credit-scoring
$gov keygen --out-dir $ex/keys --name author --owner "Example author (demo key)" \
  --role author --if-missing >/dev/null
$gov keygen --out-dir $ex/keys --name approver --owner "Example approver (demo key)" \
  --role risk-officer --if-missing >/dev/null
$gov check --config $ex/governance.yaml --quiet || true
mkdir -p $out
entry() {  # name owner role
  local keyid
  keyid=$($gov keygen --out-dir $ex/keys --name "$1" --if-missing | sed -n 's/^keyid: //p')
  echo "  - keyid: $keyid"
  echo "    owner: $2"
  echo "    roles: [$3]"
  echo "    public_key: |"
  sed 's/^/      /' "$ex/keys/$1.pub"
  echo "    certificate: |"
  sed 's/^/      /' "$ex/keys/$1.crt"
}
{
  echo "# Public keys (and PDF certificates) of the demo keys that signed this example report and"
  echo "# its waiver (not real signers)."
  echo "keys:"
  entry author "Example author (demo key)" author
  entry approver "Example approver (demo key)" risk-officer
  # the example's DEMO risk officer, who signed its waiver (verify checks bound waivers)
  sed -n '/^keys:/,$p' $ex/trusted-keys.yaml | tail -n +2
} > $out/trusted-keys.yaml
$gov approve $ex/reports/report.dsse.json --key $ex/keys/approver.key --role risk-officer \
  --trusted-keys $out/trusted-keys.yaml --signer "Example approver (demo key)" \
  --comment "Demo approval" >/dev/null
cp $ex/reports/report.{json,html,pdf,sarif,junit.xml,md,dsse.json} $out/
# The report with its sign-off block filled in from the verified bundle (a view: the signed
# artifacts are report.pdf / report.html above, which the bundle binds by sha256).
$gov render $out/report.json --format html,pdf --envelope $out/report.dsse.json \
  --trusted-keys $out/trusted-keys.yaml --output-dir $out/signed-view >/dev/null
echo "published to $out"
