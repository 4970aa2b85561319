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
# The application's role is not a superuser, so row-level security applies to it.
[ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='helpdesk'")" = 1 ] || \
  psql_su "CREATE ROLE helpdesk LOGIN"
db=${TEST_DATABASE_NAME:-helpdesk_test}
[ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='$db'")" = 1 ] || \
  psql_su "CREATE DATABASE $db OWNER helpdesk"
if [ -z "${SKIP_BROWSER:-}" ] && [ ! -x /usr/bin/chromium ]; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || \
    echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
