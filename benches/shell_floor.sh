#!/usr/bin/env bash
# The reports against the floor: `frontdesk report …` and the sqlite3 shell computing the same
# figures (benches/sql/*.sql) on the same file, each run 3 times, the median printed with the
# ratio. Both are whole processes (start, open, compute, print), run one after the other.
#   bash benches/shell_floor.sh [FILE]
# FILE defaults to a new file from `frontdesk demo --years 10` (about 1,000,000 visits).
# FRONTDESK_BIN=path/to/frontdesk uses that binary instead of building the release one.
# Needs the sqlite3 shell (Debian: sqlite3).
set -euo pipefail
shopt -s inherit_errexit
# Paths given are taken from where the script is run, before it moves to the repository.
app=${FRONTDESK_BIN:+$(realpath "$FRONTDESK_BIN")}
db=${1:+$(realpath "$1")}
cd "$(dirname "$0")/.."
# shellcheck source=benches/floor_common.sh
source benches/floor_common.sh
floor_binary
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
floor_isolate "$work"
floor_demo_file "$work"

# shell <sql file> <from> <to>: the sqlite3 shell with @from, @to and @now set.
shell() {
    sqlite3 -readonly "$db" ".parameter set @from '$2 00:00:00'" ".parameter set @to '$3 00:00:00'" \
        ".parameter set @now '$as_of'" ".read $1"
}

floor_table "sqlite3 shell" "$db" shell benches/sql
