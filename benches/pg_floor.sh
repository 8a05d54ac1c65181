#!/usr/bin/env bash
# The reports against the floor on the PostgreSQL backend: a throwaway server (.ci/pg-throwaway.sh),
# the file copied into it with `frontdesk migrate`, then `frontdesk --db URL report …` and psql
# computing the same figures (benches/sql/pg/*.sql, the SQL of benches/shell_floor.sh for
# PostgreSQL) on the same server, each run 3 times, the median printed with the ratio. Both are
# whole processes (start, connect, compute, print), run one after the other.
#   bash benches/pg_floor.sh [FILE]
# FILE defaults to a new file from `frontdesk demo --years 10` (about 1,000,000 visits); copying
# ten years into the server takes 4 to 6 minutes on 2 cores.
# FRONTDESK_BIN=path/to/frontdesk uses that binary instead of building the release one.
# FLOOR_PG_URL=postgres://… times the reports on that server database, which already holds the
# copy (no server started, nothing copied; FILE is then not used).
# Needs the PostgreSQL server and psql (Debian: postgresql). The server runs with fsync off, which
# read-only reports do not notice.
set -euo pipefail
shopt -s inherit_errexit
# Paths given are taken from where the script is run, before it moves to the repository.
app=${FRONTDESK_BIN:+$(realpath "$FRONTDESK_BIN")}
db=${1:+$(realpath "$1")}
cd "$(dirname "$0")/.."
# shellcheck source=.ci/pg-throwaway.sh
source .ci/pg-throwaway.sh
if [ -z "$(pg_bin)" ]; then
    echo "PostgreSQL's server binaries (initdb, pg_ctl) are not installed" >&2
    exit 1
fi
# The server's own psql: Debian's /usr/bin/psql is a Perl wrapper that takes about 75 ms to start.
psql="$(pg_bin)/psql"
[ -x "$psql" ] || psql=$(command -v psql)
# shellcheck source=benches/floor_common.sh
source benches/floor_common.sh
floor_binary
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
floor_isolate "$work"
if [ -n "${FLOOR_PG_URL:-}" ]; then
    PG_URL=$FLOOR_PG_URL
else
    floor_demo_file "$work"
    pg_start
    if ! "$app" migrate --from "$db" --to "$PG_URL" >"$work/migrate.log" 2>&1; then
        cat "$work/migrate.log" >&2
        exit 1
    fi
fi

# psql_floor <sql file> <from> <to>: psql with the variables from, to and now set.
psql_floor() {
    "$psql" -X -q -A -t -v ON_ERROR_STOP=1 -v from="$2 00:00:00" -v to="$3 00:00:00" \
        -v now="$as_of" -d "$PG_URL" -f "$1"
}

floor_table psql "$PG_URL" psql_floor benches/sql/pg
