# Sourced by .ci/test and .ci/run: a throwaway PostgreSQL server from the system's binaries.
#   pg_bin            prints the folder of initdb/pg_ctl (empty when PostgreSQL is not installed)
#   pg_start          initdb into a temporary folder, start on a free loopback port (as the
#                     `postgres` user when run as root); sets PG_URL (database `postgres`, user
#                     `frontdesk`, trust) and PG_DIR
#   pg_stop           stops it and removes the folder

pg_bin() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    local found
    found="$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1 || true)"
    if [ -n "$found" ]; then dirname "$found"; fi
}

pg_start() {
    local bin port
    bin="$(pg_bin)"
    PG_DIR="$(mktemp -d)"
    PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_DIR"
        PG_AS=(runuser -u postgres --)
    fi
    port=25432
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    "${PG_AS[@]}" "$bin/initdb" -D "$PG_DIR/data" -U frontdesk -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >/dev/null
    "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        start >/dev/null
    PG_URL="postgres://frontdesk@127.0.0.1:$port/postgres"
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ]; then
        "${PG_AS[@]}" "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=""
    fi
}
