#!/bin/sh
# Least privilege in the database the services share: one login role and one schema per service that
# keeps data here, the role owning its schema and reaching no other (analytics cannot read
# notification's tables); nobody else may connect or create anything. Runs as the superuser: on every
# start of the dev stack (deploy/local), and at first start in compose and k8s, from
# /docker-entrypoint-initdb.d. Idempotent. Each role's password is read from its secret file,
# $POSTGRES_SECRETS_DIR/postgres-<role> (default /run/secrets), and never printed.
set -eu
secrets=${POSTGRES_SECRETS_DIR:-/run/secrets}
password() { tr -d '\n' < "$secrets/postgres-$1"; }

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
  --username "${PGUSER:-${POSTGRES_USER:-fanout}}" --dbname "${PGDATABASE:-${POSTGRES_DB:-fanout}}" \
  -v analytics_password="$(password analytics)" \
  -v notification_password="$(password notification)" <<'SQL'
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;

SELECT 'CREATE ROLE analytics LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analytics') \gexec
ALTER ROLE analytics PASSWORD :'analytics_password';
SELECT format('GRANT CONNECT ON DATABASE %I TO analytics', current_database()) \gexec
CREATE SCHEMA IF NOT EXISTS analytics AUTHORIZATION analytics;

SELECT 'CREATE ROLE notification LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'notification') \gexec
ALTER ROLE notification PASSWORD :'notification_password';
SELECT format('GRANT CONNECT ON DATABASE %I TO notification', current_database()) \gexec
CREATE SCHEMA IF NOT EXISTS notification AUTHORIZATION notification;
SQL
