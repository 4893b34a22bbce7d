#!/usr/bin/env bash
# The workspace server end to end on loopback: start `odyssey serve` on a free port with a fresh
# data folder, add a user, upload the example trio, analyse it, and check that the server's
# JSON report is the one `odyssey analyze --format json` writes for the same files (apart from
# the fields naming the run: command, time, input paths and roles; warnings name the uploaded file
# without its folder). Then, unless
# ODYSSEY_SKIP_SCHEMATHESIS=1, run schemathesis (PyPI, installed in a venv under target/)
# against /api/v1/openapi.json: no 5xx, every response as documented.
set -euo pipefail
cd "$(dirname "$0")/.."
ODY=${ODYSSEY_BIN:-target/release/odyssey}
T=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$T"' EXIT
TOKEN=$($ODY users add ci --role admin --project ci --data "$T/data" | tail -1)
$ODY serve --data "$T/data" --listen 127.0.0.1:0 --sources examples/family/sources.toml 2> "$T/log" &
SERVER=$!
for _ in $(seq 100); do grep -q "^listening on" "$T/log" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$T/log" | head -1)
[ -n "$PORT" ] || { echo "FAIL: server did not start"; cat "$T/log"; exit 1; }
U=http://127.0.0.1:$PORT/api/v1
AUTH="Authorization: Bearer $TOKEN"
CASE=$(curl -sf -H "$AUTH" -F project=ci -F case=@examples/family/family.json \
  -F vcf=@examples/family/family.vcf.gz -F ped=@examples/family/family.ped $U/cases | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
JOB=$(curl -sf -X POST -H "$AUTH" $U/cases/$CASE/analyses | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 600); do
  ST=$(curl -sf -H "$AUTH" $U/analyses/$JOB | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$ST" = done ] || [ "$ST" = failed ] && break; sleep 0.2
done
[ "$ST" = done ] || { echo "FAIL: analysis $ST"; exit 1; }
curl -sf -H "$AUTH" $U/analyses/$JOB/report > "$T/server.json"
$ODY analyze examples/family/family.json --vcf examples/family/family.vcf.gz --ped examples/family/family.ped \
  --sources examples/family/sources.toml --format json > "$T/cli.json"
python3 - "$T/server.json" "$T/cli.json" <<'PY'
import json, sys
def strip(r):
    for k in ("command", "created"):
        r["odyssey"].pop(k, None)
    for key in ("inputs", "sources"):
        for i in r["odyssey"].get(key, []):
            i.pop("path", None); i.pop("role", None)
    # the server names an uploaded file by its upload name, the CLI by the path given
    r["warnings"] = [w.replace("examples/family/", "") for w in r.get("warnings", [])]
    return r
a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
print("server top gene:", a["genes"][0]["symbol"], a["genes"][0].get("modes_of_inheritance"))
import difflib
if a != b:
    print("\n".join(difflib.unified_diff(json.dumps(a,indent=1,sort_keys=True).splitlines(), json.dumps(b,indent=1,sort_keys=True).splitlines(), lineterm="", n=1)))
    sys.exit("FAIL: the server's report differs from odyssey analyze --format json")
print("server report == odyssey analyze --format json (apart from command, time, paths)")
PY
if [ "${ODYSSEY_SKIP_SCHEMATHESIS:-0}" = 1 ]; then exit 0; fi
V=target/schemathesis-venv
if [ ! -x $V/bin/schemathesis ]; then
  python3 -m venv $V && $V/bin/pip install -q schemathesis || { echo "schemathesis could not be installed: skipped"; exit 0; }
fi
$V/bin/schemathesis run "$U/openapi.json" -H "$AUTH" --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples ${SCHEMATHESIS_EXAMPLES:-30} --request-timeout 30
