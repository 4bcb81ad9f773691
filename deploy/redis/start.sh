#!/bin/sh
# Starts redis-server with one ACL user per service (users.acl beside this script): each limited to
# its key prefixes and the commands it runs. Keys: ledger:* is order-service's ledger; order-view:* the
# read model (cache-refresh-service writes, order-service reads); {rate-limit:<service>:* each HTTP
# service's request counts. The default user may only PING (health checks). Each user's password is
# read from its secret file, $REDIS_SECRETS_DIR/redis-<user> (default /run/secrets), and written to the
# ACL file Redis loads ($REDIS_ACL_FILE) as a SHA-256 hash only; a user without a file cannot log in.
# Used by deploy/local, compose and k8s alike; redis-server's own options follow: start.sh --port 6379.
set -eu
here=$(dirname "$0")
secrets=${REDIS_SECRETS_DIR:-/run/secrets}
acl=${REDIS_ACL_FILE:-/tmp/users.acl}
umask 077
while read -r keyword user rules; do
  [ "$keyword" = user ] || continue
  if [ -f "$secrets/redis-$user" ]; then
    echo "user $user $rules #$(tr -d '\n' < "$secrets/redis-$user" | sha256sum | cut -d' ' -f1)"
  else
    echo "user $user $rules"
  fi
done < "$here/users.acl" > "$acl"
exec redis-server "$@" --aclfile "$acl"
