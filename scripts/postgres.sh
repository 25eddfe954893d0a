#!/usr/bin/env bash
# A throwaway PostgreSQL server on a free loopback port, for the test suites.
#
#   eval "$(scripts/postgres.sh start)"   # initdb into a temp folder, start; exports TEST_POSTGRES_*
#   scripts/postgres.sh stop  "$TEST_POSTGRES_DIR"   # stop and delete it
#   scripts/postgres.sh down  "$TEST_POSTGRES_DIR"   # stop, keep the data (tests restart it)
#   scripts/postgres.sh up    "$TEST_POSTGRES_DIR"   # start again on the same port
#
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the Debian
# package creates.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/disposable-app-postgres.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" >"$dir/port"
    "$0" up "$dir"
    echo "export TEST_POSTGRES_DIR=$dir"
    echo "export TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'"
    ;;
  up)
    dir=$2
    port=$(cat "$dir/port")
    # fsync off: a test server's data is thrown away anyway; max_connections for several app instances.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start </dev/null >/dev/null 2>&1
    ;;
  down)
    as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$2"
    ;;
  *)
    echo "usage: $0 start | up DIR | down DIR | stop DIR" >&2
    exit 2
    ;;
esac
