#!/usr/bin/env bash
# Make sure the services the tests use are up, and the test role and database exist.
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1}
if ! pg_isready -h "$PGHOST" -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -h "$PGHOST" -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 30); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
psql_su() { psql -h "$PGHOST" -U postgres -tAc "$1"; }
# The three roles of a production install (README, "Production roles"): the owner runs the
# migrations; the application role has only data rights, so row-level security binds it; the
# platform role bypasses it. In tests the platform role may also act as the application role
# (SET ROLE), so one test transaction can hold both kinds of work and still roll back.
role() {
  [ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='$1'")" = 1 ] || psql_su "CREATE ROLE $1 $2"
}
role helpdesk_owner "LOGIN"
role helpdesk "LOGIN"
role helpdesk_platform "LOGIN BYPASSRLS"
psql_su "GRANT helpdesk TO helpdesk_platform" >/dev/null
db=${TEST_DATABASE_NAME:-helpdesk_test}
[ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='$db'")" = 1 ] || \
  psql_su "CREATE DATABASE $db OWNER helpdesk_owner"
if [ "$(psql_su "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname='$db'")" != helpdesk_owner ]; then
  psql_su "DROP DATABASE $db WITH (FORCE)" && psql_su "CREATE DATABASE $db OWNER helpdesk_owner"
fi
if [ -z "${SKIP_BROWSER:-}" ] && [ ! -x /usr/bin/chromium ]; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || \
    echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
