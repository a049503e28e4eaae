#!/bin/sh
# Start a throwaway PostgreSQL server for the footprint tests; print the URL to export.
#
#   url=$(.ci/postgres.sh) && export GREENROUTE_TEST_DATABASE_URL=$url   # start
#   .ci/postgres.sh stop "$url"                   # stop that server and delete its files
#
# Each server lives in /tmp/greenroute-pg-<port>; stopping needs its URL (or port), so two runs
# at the same time never stop each other's server.
# The server listens on 127.0.0.1 only, on a free port, with trust authentication for the
# "greenroute" superuser (the tests create and drop one database per test). It runs as the
# calling user, or as $PG_RUN_AS (default: postgres) when called as root, since PostgreSQL
# refuses to run as root. Everything it writes lives under one temporary directory.
set -eu

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
RUN_AS=${PG_RUN_AS:-postgres}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$RUN_AS" -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-start}" = stop ]; then
    # The port is the last number before the database name: postgresql://u@127.0.0.1:PORT/db
    PORT=$(printf '%s' "${2:?usage: postgres.sh stop URL-or-port}" | sed -E 's#.*:([0-9]+)(/.*)?$#\1#')
    DIR=/tmp/greenroute-pg-$PORT
    [ -d "$DIR/data" ] || { echo "no server of ours on port $PORT" >&2; exit 0; }
    as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
    rm -rf "$DIR"
    exit 0
fi

[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (set PGBIN)" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DIR=/tmp/greenroute-pg-$PORT
mkdir -m 755 "$DIR"
[ "$(id -u)" = 0 ] && chown "$RUN_AS" "$DIR"

as_owner "$PGBIN/initdb" -D "$DIR/data" -U greenroute --auth=trust --encoding=UTF8 \
    --no-locale >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2 \
    || { cat "$DIR/server.log" >&2; exit 1; }
echo "postgresql://greenroute@127.0.0.1:$PORT/postgres"
