#!/bin/sh
# One-shot, once compose's brokers are up: the topics (auto-creation is off), a SCRAM-SHA-512 credential
# for each principal with a secret file ($KAFKA_SECRETS_DIR/kafka-<principal>), and the ACLs listed in
# `acls` beside this script. Idempotent: it runs at every `docker compose up`.
set -eu
here=$(dirname "$0")
bin=${KAFKA_HOME:-/opt/kafka}/bin
bootstrap=${KAFKA_BOOTSTRAP:-kafka-1:9092}
secrets=${KAFKA_SECRETS_DIR:-/run/secrets}
replication=${KAFKA_REPLICATION:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
admin=$(tr -d '\n' < "$secrets/kafka-admin")
printf '%s\n' security.protocol=SASL_PLAINTEXT sasl.mechanism=PLAIN \
  "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$admin\";" \
  > "$work/admin.properties"
tool() { name=$1; shift; "$bin/kafka-$name.sh" --bootstrap-server "$bootstrap" --command-config "$work/admin.properties" "$@"; }

for topic in orders orders.retry.notification orders.dlq.notification orders.retry.analytics orders.dlq.analytics orders.retry.cache-refresh orders.dlq.cache-refresh; do
  tool topics --create --if-not-exists --topic "$topic" --partitions 6 --replication-factor "$replication"
done

for file in "$secrets"/kafka-*; do
  principal=${file##*/kafka-}
  [ "$principal" = admin ] && continue
  # On the command line (kafka-configs reads no SCRAM credential from a file): seen only inside this container.
  tool configs --alter --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[password=$(tr -d '\n' < "$file")]" > /dev/null
done

grep -v '^#' "$here/acls" | while read -r principal type pattern name operations; do
  case $type in
    topic) set -- --topic "$name" ;;
    group) set -- --group "$name" ;;
    cluster) set -- --cluster ;;
  esac
  for operation in $(echo "$operations" | tr , ' '); do set -- "$@" --operation "$operation"; done
  tool acls --add --allow-principal "User:$principal" --resource-pattern-type "$pattern" "$@" > /dev/null
done
echo "topics, SCRAM credentials and ACLs in place"
