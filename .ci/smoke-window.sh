#!/usr/bin/env bash
# Opens the real window under Xvfb on a fresh demo database, waits for the first frame, saves a
# screenshot and checks that it is not blank. Usage: smoke-window.sh BINARY OUT.png [DATABASE]
# (DATABASE: an empty database file or server URL to fill with the demo; default a new file).
set -euo pipefail
bin="$1"
out="$2"
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
display=":$((90 + RANDOM % 9))"
cleanup() {
    for pid in "${app_pid:-}" "${x_pid:-}"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
        fi
    done
    rm -rf "$work"
}
trap cleanup EXIT
db="${3:-$work/demo.sqlite3}"

"$bin" demo --db "$db"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
x_pid=$!
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done

DISPLAY="$display" FRONTDESK_LOG=info "$bin" --db "$db" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 300); do
    grep -q "first frame" "$work/app.log" && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log"; echo "the app exited early"; exit 1; }
    sleep 0.1
done
grep "first frame" "$work/app.log" || { cat "$work/app.log"; echo "no first frame within 30 s"; exit 1; }
sleep 2
import -display "$display" -window root "$out"
colours="$(identify -format '%k' "$out")"
echo "screenshot $out: $colours colours"
if [ "$colours" -lt 50 ]; then
    echo "the screenshot looks blank"
    exit 1
fi
kill -0 "$app_pid" || { echo "the app died while on screen"; exit 1; }
kill "$app_pid"
app_pid=""
# Start-up measuring: a window that draws a few frames, says when its first came, and closes.
measured="$(DISPLAY="$display" timeout 60 "$bin" --db "$db" --exit-after-frames 3)"
echo "$measured"
grep -q '^first_frame_ms=[0-9]\+$' <<<"$measured" || { echo "no first_frame_ms from --exit-after-frames"; exit 1; }
