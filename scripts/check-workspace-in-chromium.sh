#!/usr/bin/env bash
# The clinician's journey through the web interface in headless Chromium: starts `odyssey serve`
# on loopback (a free port, a temporary --data folder), adds a user with a password, then
# scripts/workspace-check/journey.mjs (playwright-core, driving Debian's chromium) signs in,
# uploads the README's example trio (examples/family: family.json, family.vcf.gz, family.ped;
# the server runs with its sources.toml), runs the analysis, checks MLC1 is first, marks an
# MLC1 variant causative with a comment, finds it in the audit trail and signs out. Fails on any
# console error or request leaving the server. Screenshots of each step: $ODYSSEY_ARTIFACTS.
#
# env: ODYSSEY_ARTIFACTS  screenshots and the server log (default: target/workspace-check)
#      ODYSSEY_BIN        the odyssey binary (default: target/release/odyssey, built if missing)
# Installs Debian's chromium when missing and running as root; installs playwright-core (pinned
# in scripts/workspace-check/package-lock.json) with npm into target/workspace-node.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ART=${ODYSSEY_ARTIFACTS:-$ROOT/target/workspace-check}
mkdir -p "$ART"
ART=$(cd "$ART" && pwd)
rm -f "$ART"/*.png

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is needed: apt-get install -y chromium" >&2
    exit 1
  fi
fi
command -v node >/dev/null || { echo "Node.js (20 or newer) and npm are needed" >&2; exit 1; }

NODE_DIR=$ROOT/target/workspace-node
mkdir -p "$NODE_DIR"
cp scripts/workspace-check/package.json scripts/workspace-check/package-lock.json "$NODE_DIR/"
if [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  echo "== npm ci (playwright-core) in $NODE_DIR"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --silent)
fi
cp scripts/workspace-check/journey.mjs "$NODE_DIR/"

ODY=${ODYSSEY_BIN:-target/release/odyssey}
if [ ! -x "$ODY" ]; then
  cargo build --release -p odyssey-cli
fi
ODY=$(cd "$(dirname "$ODY")" && pwd)/$(basename "$ODY")

DATA=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

USER_NAME=clinician1
PASSWORD="journey-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
echo "== odyssey users add $USER_NAME --project genetics --password-stdin"
printf '%s\n' "$PASSWORD" | "$ODY" users add "$USER_NAME" --project genetics --password-stdin --data "$DATA" >/dev/null

echo "== odyssey serve on loopback (free port)"
"$ODY" serve --data "$DATA" --listen 127.0.0.1:0 --sources examples/family/sources.toml --workers 1 \
  2>"$ART/server.log" &
SERVER_PID=$!
ADDR=
for _ in $(seq 1 100); do
  ADDR=$(sed -n 's/^listening on //p' "$ART/server.log" | head -1)
  [ -n "$ADDR" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$ART/server.log" >&2; echo "the server stopped" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "the server did not say where it listens" >&2; exit 1; }
echo "   http://$ADDR"

echo "== the journey in headless Chromium"
ODYSSEY_URL="http://$ADDR" ODYSSEY_USER=$USER_NAME ODYSSEY_PASSWORD=$PASSWORD ODYSSEY_ARTIFACTS=$ART \
ODYSSEY_EXAMPLES=$ROOT/examples/family CHROMIUM=$(command -v chromium) \
  node "$NODE_DIR/journey.mjs"
echo "== screenshots in $ART"
