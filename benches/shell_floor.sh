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
if [ -z "$app" ]; then
    cargo build --release --bin frontdesk
    app=$PWD/target/release/frontdesk
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FRONTDESK_MACHINE_CONFIG="$work/machine.toml" FRONTDESK_USER_CONFIG="$work/user.toml"
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
if [ -z "$db" ]; then
    db="$work/ten_years.sqlite3"
    "$app" --db "$db" demo --until "2026-11-20 16:00:00" --years 10 2>/dev/null
fi

# Median wall time in seconds of 3 runs of the command given (output discarded).
median() {
    local times=()
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

# The complaint clocks are read as of this time (the demo's end), so runs can be compared.
as_of="2026-11-20 16:00:00"

# shell <sql file> <from> <to>: the sqlite3 shell with @from, @to and @now set.
shell() {
    sqlite3 -readonly "$db" ".parameter set @from '$2 00:00:00'" ".parameter set @to '$3 00:00:00'" \
        ".parameter set @now '$as_of'" ".read $1"
}

echo "| report | frontdesk | sqlite3 shell, same figures | ratio |"
echo "|---|---|---|---|"
row() {
    local name=$1 sql=$2 from=$3 to=$4
    shift 4
    local ours floor
    ours=$(median "$app" --db "$db" report "$@")
    floor=$(median shell "benches/sql/$sql" "$from" "$to")
    printf '| %s | %.3f s | %.3f s | %.2f |\n' "$name" "$ours" "$floor" "$(echo "$ours / $floor" | bc -l)"
}
row "reception, one year" reception.sql 2025-01-01 2026-01-01 reception --from 2025-01-01 --to 2025-12-31
row "reception, ten years" reception.sql 2016-11-25 2026-11-21 reception --from 2016-11-25 --to 2026-11-20
row "complaints, one week" complaints.sql 2026-11-16 2026-11-23 complaints --week 2026-W47 --as-of "$as_of"
row "claims, one month" claims.sql 2025-06-01 2025-07-01 claims --month 2025-06
row "inspections, one month" inspections.sql 2025-06-01 2025-07-01 inspections --month 2025-06
