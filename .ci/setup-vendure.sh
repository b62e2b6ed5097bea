#!/usr/bin/env bash
# Starts a real Vendure 3 server on 127.0.0.1 for the Vendure connector's tests.
# Idempotent: when something already answers on the port it is reused; otherwise the server in
# .ci/stores/vendure is installed (npm ci, skipped while its lock file is unchanged) and started
# detached, so it outlives this script. Its data lives in the PostgreSQL database
# storedesk_vendure on the machine's server. Prints the environment the tests need as
# `export VAR=...` lines on stdout; everything else goes to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="$HERE/stores/vendure"
PORT="${STOREDESK_VENDURE_PORT:-3100}"
LOG="${STOREDESK_VENDURE_LOG:-/tmp/storedesk-vendure.log}"
ADMIN_USER="superadmin"
ADMIN_PASS="superadmin"
URL="http://127.0.0.1:$PORT/admin-api"
export VENDURE_DISABLE_TELEMETRY=true
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { echo "setup-vendure: $*" >&2; }

# Whether a Vendure Admin API answers on the port (a GraphQL answer, not just an open socket).
answers() {
  URL="$URL" node -e '
    fetch(process.env.URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }), signal: AbortSignal.timeout(5000) })
      .then((r) => r.text()).then((t) => process.exit(t.includes("\"Query\"") ? 0 : 1), () => process.exit(1));
  ' 2>/dev/null
}

print_env() {
  echo "export STOREDESK_TEST_VENDURE_URL=$URL"
  echo "export STOREDESK_TEST_VENDURE_USER=$ADMIN_USER"
  echo "export STOREDESK_TEST_VENDURE_PASS=$ADMIN_PASS"
}

# A server this script started from an older server.mjs or lock file is replaced; anything else
# that answers (a server started by hand) is reused as it is.
PIDFILE=/tmp/storedesk-vendure.pid
STAMPFILE=/tmp/storedesk-vendure.stamp
CONFIG_HASH="$(cat "$DIR/server.mjs" "$DIR/package-lock.json" | sha256sum | cut -d' ' -f1)"
if answers; then
  OLD_PID="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [[ "$(cat "$STAMPFILE" 2>/dev/null || true)" != "$CONFIG_HASH" ]] && [[ -n "$OLD_PID" ]] \
    && grep -q "server.mjs" "/proc/$OLD_PID/cmdline" 2>/dev/null; then
    log "the running Vendure (pid $OLD_PID) was started from an older setup; restarting it"
    kill "$OLD_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do answers || break; sleep 1; done
  else
    log "a Vendure server answers at $URL; reusing it"
    print_env
    exit 0
  fi
fi

# PostgreSQL: CI's admin URL when it names one, else the local trust-auth superuser; a freshly
# installed cluster (set up by .ci/run) has the password 'postgres'.
PG_URL="${CI_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v psql >/dev/null && ! psql "$PG_URL" -qAt -c 'select 1' >/dev/null 2>&1; then
  if psql "postgres://postgres:postgres@127.0.0.1:5432/postgres" -qAt -c 'select 1' >/dev/null 2>&1; then
    PG_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
  else
    log "cannot connect to PostgreSQL at 127.0.0.1:5432"; exit 1
  fi
fi
export VENDURE_DB_URL="${PG_URL%/*}/storedesk_vendure"

# Dependencies: npm ci once per lock file (install scripts are not needed: bcrypt ships prebuilt binaries).
STAMP="$DIR/node_modules/.storedesk-lock-hash"
HASH="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$STAMP" ]] || [[ "$(cat "$STAMP")" != "$HASH" ]]; then
  log "installing the Vendure server's dependencies (npm ci in $DIR)"
  (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$HASH" > "$STAMP"
fi

log "starting Vendure on 127.0.0.1:$PORT (log: $LOG)"
cd "$DIR"
VENDURE_PORT="$PORT" VENDURE_SUPERADMIN_USER="$ADMIN_USER" VENDURE_SUPERADMIN_PASS="$ADMIN_PASS" \
  setsid nohup node server.mjs >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" > "$PIDFILE"
echo "$CONFIG_HASH" > "$STAMPFILE"

# Ready when the store is configured (the server prints a marker after its setup through the Admin API).
for i in $(seq 1 240); do
  if grep -q VENDURE_CI_READY "$LOG" 2>/dev/null && answers; then
    log "Vendure is ready after ${i}s (pid $PID)"
    print_env
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    log "Vendure exited before it was ready; its log:"; tail -n 80 "$LOG" >&2; exit 1
  fi
  sleep 1
done
log "Vendure did not become ready within 240 s; its log:"
tail -n 80 "$LOG" >&2
exit 1
