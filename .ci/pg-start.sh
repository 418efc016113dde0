#!/usr/bin/env bash
# Installs (if needed) and starts a throw-away PostgreSQL on 127.0.0.1:${PGPORT:-55432}, trust auth for local tests.
# Prints the connection string for PANTAU_TEST_POSTGRES.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA="${PGDATA_DIR:-/tmp/pantau-pg}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
if ! su postgres -c "$BIN/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"
  su postgres -c "$BIN/initdb -D $PGDATA -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >&2
  su postgres -c "$BIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories=/tmp -c max_connections=300 -c fsync=on -c shared_buffers=256MB\" start" >&2
fi
echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres"
