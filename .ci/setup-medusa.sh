#!/usr/bin/env bash
# Starts a real Medusa v2 server on 127.0.0.1 for the Medusa connector's contract tests.
# Idempotent: reuses a server that already answers on the port; otherwise installs the project in
# .ci/stores/medusa (npm ci, once per lock file), creates its database on the machine's
# PostgreSQL, migrates it, creates an admin user and starts the server detached, so that it
# outlives this script. Prints the environment the tests need as `export VAR=...` lines on
# stdout; everything else goes to stderr. The log of the server is /tmp/storedesk-medusa.log.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$REPO/.ci/stores/medusa"
PORT="${STOREDESK_MEDUSA_PORT:-9100}"
URL="http://127.0.0.1:$PORT"
DB_NAME="storedesk_medusa"
ADMIN_EMAIL="admin@storedesk.test"
ADMIN_PASSWORD="storedesk-medusa-ci"
LOG="/tmp/storedesk-medusa.log"
PIDFILE="/tmp/storedesk-medusa.pid"
START_TIMEOUT="${STOREDESK_MEDUSA_START_TIMEOUT:-240}"

export MEDUSA_DISABLE_TELEMETRY=true NO_UPDATE_NOTIFIER=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { echo "setup-medusa: $*" >&2; }
# HTTP checks with Node's fetch (curl is not on every machine).
answers() {
  node -e 'fetch(process.argv[1] + "/health", { signal: AbortSignal.timeout(5000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$URL" >/dev/null 2>&1
}
can_log_in() {
  node -e 'const [url, email, password] = process.argv.slice(1);
    fetch(url + "/auth/user/emailpass", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }), signal: AbortSignal.timeout(10000) })
      .then((r) => r.json()).then((j) => process.exit(typeof j.token === "string" ? 0 : 1), () => process.exit(1))' "$URL" "$ADMIN_EMAIL" "$ADMIN_PASSWORD" >/dev/null 2>&1
}
print_env() {
  echo "export STOREDESK_TEST_MEDUSA_URL=$URL"
  echo "export STOREDESK_TEST_MEDUSA_EMAIL=$ADMIN_EMAIL"
  echo "export STOREDESK_TEST_MEDUSA_PASSWORD=$ADMIN_PASSWORD"
}
medusa() { (cd "$DIR" && DATABASE_URL="$DATABASE_URL" node_modules/.bin/medusa "$@"); }

if answers && can_log_in; then
  log "a Medusa server already answers at $URL; reusing it"
  print_env
  exit 0
fi
if answers; then
  log "something answers at $URL but the storedesk admin cannot log in to it; stop it (see $PIDFILE) and run again"
  exit 1
fi

# The machine's PostgreSQL: trust auth as in CI, or the password .ci/run gives a fresh cluster.
PG_ADMIN_URL=""
for candidate in "${CI_PG_ADMIN_URL:-}" "postgres://postgres@127.0.0.1:5432/postgres" "postgres://postgres:postgres@127.0.0.1:5432/postgres"; do
  [[ -n "$candidate" ]] || continue
  if psql "$candidate" -qAt -c 'select 1' >/dev/null 2>&1; then PG_ADMIN_URL="$candidate"; break; fi
done
[[ -n "$PG_ADMIN_URL" ]] || { log "no PostgreSQL answers on 127.0.0.1:5432 (set CI_PG_ADMIN_URL)"; exit 1; }
DATABASE_URL="${PG_ADMIN_URL%/*}/$DB_NAME"

# 1. Dependencies, once per lock file, at the lock's versions. Not `npm ci`: the registry here has
#    only the Linux builds of @swc/core's and rollup's platform packages, so the lock cannot list
#    the others and `npm ci` calls it out of sync; `npm install --no-save` installs the lock's
#    versions and skips the missing optional ones. npm 11 does not run dependencies' install
#    scripts: none is needed (@swc/core's and esbuild's binaries come as platform packages;
#    msgpackr-extract only speeds up Redis, unused here), which the require check below proves.
STAMP="$DIR/node_modules/.storedesk-lock.sha256"
LOCK_SUM="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$STAMP" ]] || [[ "$(cat "$STAMP")" != "$LOCK_SUM" ]]; then
  log "installing Medusa (npm install from the lock file in $DIR; takes a few minutes)"
  (cd "$DIR" && npm install --no-save --no-audit --no-fund --loglevel=error) >&2
  echo "$LOCK_SUM" >"$STAMP"
fi
if ! (cd "$DIR" && node -e "require('@swc/core')") >/dev/null 2>&1; then
  log "@swc/core's binary does not load; rebuilding it"
  (cd "$DIR" && npm rebuild @swc/core) >&2
fi

# 2. The database, migrated (idempotent), and the admin user (exists already on reruns).
if ! psql "$PG_ADMIN_URL" -qAt -c "select 1 from pg_database where datname = '$DB_NAME'" | grep -q 1; then
  log "creating database $DB_NAME"
  psql "$PG_ADMIN_URL" -qAt -c "create database $DB_NAME" >&2
fi
log "migrating $DB_NAME"
medusa db:migrate >"$LOG.migrate" 2>&1 || { cat "$LOG.migrate" >&2; log "medusa db:migrate failed"; exit 1; }
if medusa user -e "$ADMIN_EMAIL" -p "$ADMIN_PASSWORD" >"$LOG.user" 2>&1; then
  log "created admin user $ADMIN_EMAIL"
else
  log "admin user $ADMIN_EMAIL not created (it exists already, or see $LOG.user); checked by logging in below"
fi

# 3. The server, detached from this script (its own session; stdin, stdout and stderr not ours).
log "starting Medusa on $URL (log: $LOG)"
(
  cd "$DIR"
  PORT="$PORT" HOST=127.0.0.1 NODE_ENV=production DATABASE_URL="$DATABASE_URL" \
    setsid nohup node_modules/.bin/medusa start </dev/null >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
)
deadline=$(( $(date +%s) + START_TIMEOUT ))
until answers; do
  if (( $(date +%s) > deadline )) || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    log "Medusa did not answer at $URL within ${START_TIMEOUT}s (or exited); its log:"
    cat "$LOG" >&2 || true
    exit 1
  fi
  sleep 2
done
if ! can_log_in; then
  log "Medusa answers, but $ADMIN_EMAIL cannot log in; $LOG.user says:"
  cat "$LOG.user" >&2 || true
  exit 1
fi
log "Medusa is up at $URL (pid $(cat "$PIDFILE"))"
print_env
