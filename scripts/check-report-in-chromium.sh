#!/usr/bin/env bash
# Renders the README example with the real CLI (HTML, JSON, TSV, Phenopacket, VCF) and checks the
# report as a person sees it in headless Chromium (top gene and probability on the first screen,
# evidence bars, search, print to PDF, no console errors, nothing fetched), that the HTML and
# JSON agree on every rank and probability, that the JSON validates against
# docs/odyssey-result.schema.json, that the Phenopacket output is valid and reads back, and that
# the VCF output carries the candidates.
#
# usage: scripts/check-report-in-chromium.sh [ANALYZE ARGUMENTS...]
#        default: the README main command's case,
#        examples/family/family.json --sources examples/family/sources.toml
# env:   ODYSSEY_ARTIFACTS  where reports, screenshots and PDFs go (default: target/report-check)
#        ODYSSEY_BIN        the odyssey binary (default: target/release/odyssey, built if missing)
# Installs Debian's chromium and chromium-driver when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  set -- examples/family/family.json --sources examples/family/sources.toml
fi
ART=${ODYSSEY_ARTIFACTS:-$PWD/target/report-check}
mkdir -p "$ART"
ART=$(cd "$ART" && pwd)

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "chromium and chromedriver are needed: apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi

ODY=${ODYSSEY_BIN:-target/release/odyssey}
if [ ! -x "$ODY" ]; then
  cargo build --release -p odyssey-cli
fi

FORMATS=html,json,tsv,phenopacket
# the VCF output needs a variant analysis: the case names a VCF in its files[] or with --vcf
if grep -q '"uri"' "$1" 2>/dev/null || [[ " $* " == *" --vcf "* ]]; then
  FORMATS=$FORMATS,vcf.gz
fi
echo "== $ODY analyze $* --format $FORMATS -o $ART/report"
"$ODY" analyze "$@" --format "$FORMATS" -o "$ART/report" --force

export ODYSSEY_ARTIFACTS="$ART"
export ODYSSEY_REPORT_HTML="$ART/report.html"
export ODYSSEY_REPORT_JSON="$ART/report.json"
export ODYSSEY_REPORT_PHENOPACKET="$ART/report.phenopacket.json"
if [ -f "$ART/report.vcf.gz" ]; then
  export ODYSSEY_REPORT_VCF="$ART/report.vcf.gz"
fi
echo "== report checks (headless Chromium, HTML/JSON agreement, JSON schema, Phenopacket, VCF)"
cargo test --release -p odyssey-report --test chromium --test html --test schema --test phenopacket --test vcf -- --ignored --nocapture --test-threads=1
echo "== screenshots: $ART/report.png (first screen), $ART/report-full.png (whole page), $ART/report.pdf (print)"
