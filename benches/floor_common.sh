# shellcheck shell=bash
# Sourced by benches/shell_floor.sh and benches/pg_floor.sh (from the repository's root): what
# both comparisons of `frontdesk report …` with the floor share.
#   floor_binary      sets app: FRONTDESK_BIN (made absolute by the caller) or the release build
#   floor_isolate DIR the job's config and data folders inside DIR (never the user's own)
#   floor_demo_file DIR  sets db to a new ten-year demo file in DIR unless a FILE was given
#   median CMD…       median wall time in seconds of 3 runs of CMD (output discarded)
#   floor_table WHAT DB FLOOR SQLDIR
#                     prints the table: each report run as `frontdesk --db DB report …` against
#                     `FLOOR <sql file> <from> <to>` with SQLDIR's SQL for the same figures

# The complaint clocks are read as of this time (the demo's end), so runs can be compared.
as_of="2026-11-20 16:00:00"

floor_binary() {
    if [ -z "$app" ]; then
        cargo build --release --bin frontdesk
        app=$PWD/target/release/frontdesk
    fi
}

floor_isolate() {
    export FRONTDESK_MACHINE_CONFIG="$1/machine.toml" FRONTDESK_USER_CONFIG="$1/user.toml"
    export HOME="$1/home" XDG_DATA_HOME="$1/home/data" XDG_CONFIG_HOME="$1/home/config"
}

floor_demo_file() {
    if [ -z "$db" ]; then
        db="$1/ten_years.sqlite3"
        "$app" --db "$db" demo --until "$as_of" --years 10 2>/dev/null
    fi
}

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

floor_table() {
    local what=$1 target=$2 floor=$3 sql_dir=$4
    echo "| report | frontdesk | $what, same figures | ratio |"
    echo "|---|---|---|---|"
    row() {
        local name=$1 sql=$2 from=$3 to=$4
        shift 4
        local ours low
        ours=$(median "$app" --db "$target" report "$@")
        low=$(median "$floor" "$sql_dir/$sql" "$from" "$to")
        printf '| %s | %.3f s | %.3f s | %.2f |\n' "$name" "$ours" "$low" "$(echo "$ours / $low" | bc -l)"
    }
    row "reception, one year" reception.sql 2025-01-01 2026-01-01 reception --from 2025-01-01 --to 2025-12-31
    row "reception, ten years" reception.sql 2016-11-25 2026-11-21 reception --from 2016-11-25 --to 2026-11-20
    row "complaints, one week" complaints.sql 2026-11-16 2026-11-23 complaints --week 2026-W47 --as-of "$as_of"
    row "claims, one month" claims.sql 2025-06-01 2025-07-01 claims --month 2025-06
    row "inspections, one month" inspections.sql 2025-06-01 2025-07-01 inspections --month 2025-06
}
