#!/bin/sh
# A compose Kafka broker. Clients log in with SCRAM-SHA-512 (init.sh creates their credentials); the
# admin, which must exist before any SCRAM credential can, logs in with PLAIN, defined here from its
# secret file: into the listeners' JAAS settings (the image maps KAFKA_* variables to broker settings)
# and into a client configuration for the health check. Then the image's own start.
set -eu
admin=$(tr -d '\n' < /run/secrets/kafka-admin)
plain="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$admin\""
export KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG="$plain user_admin=\"$admin\";"
export KAFKA_LISTENER_NAME_CLIENT_SCRAM___SHA___512_SASL_JAAS_CONFIG="org.apache.kafka.common.security.scram.ScramLoginModule required;"
export KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG="$plain user_admin=\"$admin\";"
umask 077
printf '%s\n' security.protocol=SASL_PLAINTEXT sasl.mechanism=PLAIN "sasl.jaas.config=$plain;" > /tmp/admin.properties
exec /etc/kafka/docker/run
