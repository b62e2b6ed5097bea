#!/usr/bin/env bash
# Starts a throw-away Dovecot IMAP server on 127.0.0.1 for the email channel's IMAP tests.
# Idempotent: installs Dovecot from Debian's packages once, starts it once (reloading it when this
# script's configuration changed), and prints the environment the tests need as `export VAR=...`
# lines on stdout (everything else goes to stderr).
#
# Besides PLAIN/LOGIN with a password, the account accepts OAuth access tokens (XOAUTH2 and
# OAUTHBEARER): Dovecot's oauth2 passdb validates them locally as JWTs signed with HS256 under a
# key made here (STOREDESK_TEST_IMAP_OAUTH_KEY, base64), so a test's token endpoint can mint
# tokens Dovecot accepts without any introspection server.
set -euo pipefail

DIR="${STOREDESK_IMAP_DIR:-/tmp/storedesk-imap}"
PORT="${STOREDESK_IMAP_PORT:-1143}"
USER_NAME="support@shop.test"
USER_PASS="imap-test-password"

log() { echo "setup-imap: $*" >&2; }

if ! command -v dovecot >/dev/null 2>&1; then
  log "installing dovecot-imapd"
  export DEBIAN_FRONTEND=noninteractive
  # The package's own service is not wanted; only the instance below runs.
  apt-get update -qq >&2
  RUNLEVEL=1 apt-get install -y -qq --no-install-recommends dovecot-imapd >&2
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail" "$DIR/oauth-keys/default/HS256"
# Mail is owned by an unprivileged user; Dovecot refuses to run mail processes as root.
MAIL_UID="$(id -u nobody)"
MAIL_GID="$(id -g nobody)"
chown -R "$MAIL_UID:$MAIL_GID" "$DIR/mail"
echo "$USER_NAME:{PLAIN}$USER_PASS" > "$DIR/users"
# The JWT signing key: kept across runs so that a running Dovecot and the printed key agree.
# Dovecot looks it up in the dict as shared/<azp>/<alg>/<kid> ("default" when the token has no
# azp or kid) and base64-decodes it.
KEY_FILE="$DIR/oauth-keys/default/HS256/default"
[ -s "$KEY_FILE" ] || head -c 32 /dev/urandom | base64 -w0 > "$KEY_FILE"
chmod -R a+rX "$DIR/oauth-keys"
OAUTH_KEY="$(cat "$KEY_FILE")"
cat > "$DIR/dovecot-oauth2.conf.ext" <<CONF
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$DIR/oauth-keys/
username_attribute = email
CONF
cat > "$DIR/dovecot.conf.new" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
mail_location = maildir:$DIR/mail/%u
first_valid_uid = $MAIL_UID
last_valid_uid = $MAIL_UID
first_valid_gid = $MAIL_GID
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $DIR/dovecot-oauth2.conf.ext
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $DIR/users
}
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF

if port_open; then
  if ! cmp -s "$DIR/dovecot.conf.new" "$DIR/dovecot.conf"; then
    mv "$DIR/dovecot.conf.new" "$DIR/dovecot.conf"
    log "configuration changed; reloading dovecot"
    dovecot -c "$DIR/dovecot.conf" reload
    sleep 1
  else
    rm -f "$DIR/dovecot.conf.new"
  fi
else
  mv "$DIR/dovecot.conf.new" "$DIR/dovecot.conf"
  log "starting dovecot on 127.0.0.1:$PORT (config $DIR/dovecot.conf)"
  dovecot -c "$DIR/dovecot.conf"
  for _ in $(seq 1 50); do port_open && break; sleep 0.1; done
  port_open || { log "dovecot did not start; see $DIR/dovecot.log"; cat "$DIR/dovecot.log" >&2 || true; exit 1; }
fi

echo "export STOREDESK_TEST_IMAP_HOST=127.0.0.1"
echo "export STOREDESK_TEST_IMAP_PORT=$PORT"
echo "export STOREDESK_TEST_IMAP_USER=$USER_NAME"
echo "export STOREDESK_TEST_IMAP_PASS=$USER_PASS"
echo "export STOREDESK_TEST_IMAP_OAUTH_KEY=$OAUTH_KEY"
