#!/usr/bin/env bash
# Start-up of the window: time from start to the first frame and peak resident memory, of
# FrontDesk on the demo database, on ten years of visits (`demo --years 10`, about 1,000,000),
# and of a blank eframe window of the same size with the same font (examples/blank_window.rs),
# all built here with the same toolchain, in release. Runs under Xvfb (xvfb-run).
#   bash benches/first_frame.sh            (each measured 5 times; the median is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin frontdesk --example blank_window
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app=target/release/frontdesk
blank=target/release/examples/blank_window
export FRONTDESK_MACHINE_CONFIG="$work/machine.toml" FRONTDESK_USER_CONFIG="$work/user.toml"
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
"$app" demo --until "2026-11-20 16:00:00" --db "$work/demo.sqlite3" 2>/dev/null
"$app" demo --until "2026-11-20 16:00:00" --years 10 --db "$work/ten_years.sqlite3" 2>/dev/null

# Prints "<median first frame ms> <median peak KB>" of 5 runs of the command given.
measure() {
    local frames=() peaks=()
    for _ in 1 2 3 4 5; do
        local out
        out=$(xvfb-run -a /usr/bin/time -f "peak_kb=%M" "$@" --exit-after-frames 5 2>&1)
        frames+=("$(grep -o 'first_frame_ms=[0-9]*' <<<"$out" | cut -d= -f2)")
        peaks+=("$(grep -o 'peak_kb=[0-9]*' <<<"$out" | cut -d= -f2)")
    done
    echo "$(printf '%s\n' "${frames[@]}" | sort -n | sed -n 3p) $(printf '%s\n' "${peaks[@]}" | sort -n | sed -n 3p)"
}

read -r blank_ms blank_kb < <(measure "$blank")
read -r demo_ms demo_kb < <(measure "$app" --db "$work/demo.sqlite3")
read -r ten_ms ten_kb < <(measure "$app" --db "$work/ten_years.sqlite3")
printf '%-36s %10s %12s\n' "window" "first frame" "peak memory"
printf '%-36s %8s ms %9s MB\n' "blank eframe window, same font" "$blank_ms" "$((blank_kb / 1024))"
printf '%-36s %8s ms %9s MB\n' "FrontDesk, demo database" "$demo_ms" "$((demo_kb / 1024))"
printf '%-36s %8s ms %9s MB\n' "FrontDesk, ten years (1M visits)" "$ten_ms" "$((ten_kb / 1024))"
