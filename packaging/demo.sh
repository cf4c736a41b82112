#!/usr/bin/env bash
# The demo: a sample Sage 300 CRE company, a server on loopback with its
# SQLite store, an enrolled agent, a deep sync from the beginning of time,
# proof that the server holds exactly the ERP's records, then an everyday
# incremental sync after some accounting work.
#   packaging/demo.sh BUILD_DIR
# Works in ./demo (ERPSYNC_DEMO_DIR), recreated on every run.
set -euo pipefail

readonly ROOT=$(cd "$(dirname "$0")/.." && pwd)
readonly BIN=$(cd "${1:-$ROOT/build}" && pwd)
readonly DEMO=${ERPSYNC_DEMO_DIR:-$ROOT/demo}
readonly TRANSACTIONS=${ERPSYNC_DEMO_TRANSACTIONS:-200000}
# Its commands read no installed /etc/erpsync/*.conf (doc/configuration.md).
export ERPSYNC_CONFIG_DIR=
agent="$BIN/agent/erpsync-agent"
server="$BIN/server/erpsync-server"
ctl="$BIN/ctl/erpsync-ctl"

rm -rf "$DEMO"
mkdir -p "$DEMO"
cd "$DEMO"

step() { printf '\n== %s\n' "$*"; }

step "1. A sample Sage 300 CRE company ($TRANSACTIONS JC transactions)"
"$agent" sample-erp create --out company.db --jobs 50 --transactions "$TRANSACTIONS" --seed 1 | head -1

step "2. The cloud server: a company, an agent enrollment, a read-only user"
"$server" company add "Acme Builders" --server.data_dir=server-data
"$server" agent enroll --company "Acme Builders" --token-file agent.token \
  --server.data_dir=server-data
"$server" user add --company "Acme Builders" --name accounting --level read-only \
  --token-file user.token --server.data_dir=server-data
"$server" user add --company "Acme Builders" --name pat --level standard \
  --token-file pm.token --server.data_dir=server-data
"$server" user add --company "Acme Builders" --name ada --level standard --can-push \
  --token-file approver.token --server.data_dir=server-data
"$server" serve --server.listen=127.0.0.1:0 --server.data_dir=server-data --port-file port \
  --web.listen=127.0.0.1:0 --web.port-file web-port --web.assets_dir="$ROOT/web" \
  2> server.log &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s port ] && [ -s web-port ] && break; sleep 0.1; done
port=$(cat port)
echo "erpsync-server listening on 127.0.0.1:$port (log: $DEMO/server.log)"

cat > agent.conf <<CONF
[server]
address = 127.0.0.1:$port
token_file = $DEMO/agent.token
[erp]
kind = sqlite
path = $DEMO/company.db
[agent]
state_dir = $DEMO/agent-state
mappings_dir = $ROOT/mappings/sage300cre
CONF

step "3. Deep sync from the beginning of time"
"$agent" sync --deep --since beginning --config agent.conf

step "4. Does the server hold exactly the ERP's records? (count and checksum per record type)"
"$agent" erp checksum --config agent.conf > erp.txt
"$ctl" records checksum --server "127.0.0.1:$port" --token-file user.token > server.txt
if diff <(sort erp.txt) <(sort server.txt) > /dev/null; then
  echo "yes: $(wc -l < erp.txt) record types, identical counts and checksums"
  column -t erp.txt
else
  echo "NO: they differ"; diff <(sort erp.txt) <(sort server.txt); exit 1
fi

step "5. Accountants at work: 500 transactions changed, 200 entered; then the everyday incremental sync"
"$agent" sample-erp mutate --erp company.db --update 500 --insert 200 --seed 2
echo "(incremental syncs leave rows stamped in the last sync.stamp_lag_seconds = 5 s for the next"
echo " run, in case they are still being written: waiting 6 s)"
sleep 6
"$agent" sync --config agent.conf

step "6. A project manager imports a job and sends two commitments for approval"
ctl_as() { local who=$1; shift; "$ctl" --server "127.0.0.1:$port" --token-file "$who.token" "$@"; }
code=$(ctl_as user records list --entity jc_cost_code --limit 1 --json)
job=$(sed -n 's/.*"job":"\([^"]*\)".*/\1/p' <<<"$code")
extra=$(sed -n 's/.*"extra":"\([^"]*\)".*/\1/p' <<<"$code")
cost_code=$(sed -n 's/.*"cost_code":"\([^"]*\)".*/\1/p' <<<"$code")
vendor=$(ctl_as user records list --entity vendor --limit 1 --json |
  sed -n 's/.*"vendor":"\([^"]*\)".*/\1/p')
project=$(ctl_as pm import job "$job" --json | sed -n 's/^{"id":"\([0-9]*\)".*/\1/p')
for n in 1 2; do
  cat > "commitment-$n.json" <<JSON
{"id": "SC-90$n", "title": "Drywall package $n", "commitment_type": "SUBCONTRACT",
 "status": "APPROVED", "vendor": "$vendor",
 "lines": [{"item": "1", "extra": "$extra", "cost_code": "$cost_code", "category": "L",
            "amount": "1250$n.50"}]}
JSON
  item=$(ctl_as pm items create --type commitment --project "$project" \
    --file "commitment-$n.json" --json | sed -n 's/^{"id":"\([0-9]*\)".*/\1/p')
  ctl_as pm items send "$item" > /dev/null
  echo "commitment SC-90$n (item $item) on job $job sent for approval"
done

step "Done. Everything is in $DEMO (server-data/, agent-state/, company.db)."
web_url="http://127.0.0.1:$(cat web-port)/"
echo
echo "The ERP Integrations tool: $web_url"
echo "Sign in as the accounting approver with this token: $(cat approver.token)"
echo "(the project manager's token is in $DEMO/pm.token, a read-only user's in $DEMO/user.token)"
if [ -t 0 ] && [ -z "${CI:-}" ]; then
  echo
  echo "The server keeps running for the tool; press Enter to stop it."
  read -r _
fi
