#!/usr/bin/env bash
# Checks a FrontDesk .deb built by packaging/linux/build-deb.sh: validates the desktop entry and the
# AppStream metainfo, checks the package's fields and files, installs it with apt-get, runs the
# installed program (version, a fresh database, the window under Xvfb) and removes it again.
# Usage: .ci/deb-check.sh target/debian/frontdesk_VERSION_ARCH.deb
set -euo pipefail
if [ "$#" -ne 1 ]; then
    echo "usage: $0 PATH/TO/frontdesk.deb" >&2
    exit 2
fi
deb="$(realpath -e "$1")"
cd "$(dirname "$0")/.."

app_id=cn.frontdesk.FrontDesk
desktop_src="packaging/linux/$app_id.desktop"
metainfo_src="packaging/linux/$app_id.metainfo.xml"
icon_sizes=(16 24 32 48 64 128 256)
# libc from `$auto`; the rest are loaded with dlopen by the window (X11, xkbcommon, GL/EGL,
# Wayland), the file dialog (libdbus-1) and the system-font fallback (fontconfig), so the package
# must declare them itself.
required_libs=(
    libc6
    libx11-6 libx11-xcb1 libxcursor1 libxi6 libxcb1 libxrender1 libxkbcommon-x11-0 libxkbcommon0
    libgl1 libegl1
    libwayland-client0 libwayland-egl1
    libdbus-1-3 libfontconfig1
)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        $SUDO apt-get update -q
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@"
}

need=()
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v appstreamcli >/dev/null || need+=(appstream)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xwininfo >/dev/null || need+=(x11-utils)
command -v import >/dev/null || need+=(imagemagick)
if [ "${#need[@]}" -gt 0 ]; then
    apt_install "${need[@]}"
fi

work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# desktop-file-validate exits non-zero only on errors; its warnings fail this check too (hints do not).
validate_desktop() {
    local out
    out="$(desktop-file-validate "$1" 2>&1)" || { echo "$out"; fail "desktop-file-validate $1"; }
    if [ -n "$out" ]; then echo "$out"; fi
    if grep -qE '(error|warning):' <<<"$out"; then fail "desktop-file-validate $1 reported problems"; fi
    echo "desktop-file-validate $1: ok"
}
# appstreamcli exits non-zero on errors and warnings; infos and pedantic notes are printed only.
validate_metainfo() {
    appstreamcli validate --no-net "$1" || fail "appstreamcli validate --no-net $1"
}

echo "== validate the desktop entry and the AppStream metainfo (sources)"
validate_desktop "$desktop_src"
validate_metainfo "$metainfo_src"

echo "== dpkg-deb --info $deb"
dpkg-deb --info "$deb"
[ "$(dpkg-deb --field "$deb" Package)" = frontdesk ] || fail "the package is not named frontdesk"
depends="$(dpkg-deb --field "$deb" Depends)"
# Depends as one package name per line, without version constraints.
dep_names="$(tr ',|' '\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | sed '/^$/d')"
for lib in "${required_libs[@]}"; do
    grep -qxF "$lib" <<<"$dep_names" || fail "Depends lacks $lib: $depends"
done
echo "Depends has all of: ${required_libs[*]}"

echo "== dpkg-deb --contents $deb"
dpkg-deb --contents "$deb" | tee "$work/contents.txt"
# "mode owner/group size date time ./path" -> path, and the mode of each path.
awk '{ print $NF }' "$work/contents.txt" >"$work/paths.txt"
expect_file() {
    grep -qxF "./$1" "$work/paths.txt" || fail "the package lacks /$1"
}
expect_file usr/bin/frontdesk
awk '$NF == "./usr/bin/frontdesk" { print $1 }' "$work/contents.txt" | grep -qx -- '-rwxr-xr-x' ||
    fail "/usr/bin/frontdesk is not mode 755"
expect_file "usr/share/applications/$app_id.desktop"
expect_file "usr/share/metainfo/$app_id.metainfo.xml"
for n in "${icon_sizes[@]}"; do
    expect_file "usr/share/icons/hicolor/${n}x${n}/apps/frontdesk.png"
done
for f in copyright LICENSE-MIT LICENSE-APACHE OFL-NotoSansSC.txt; do
    expect_file "usr/share/doc/frontdesk/$f"
done

echo "== the packaged files match their sources"
dpkg-deb -x "$deb" "$work/root"
cmp "$desktop_src" "$work/root/usr/share/applications/$app_id.desktop"
cmp "$metainfo_src" "$work/root/usr/share/metainfo/$app_id.metainfo.xml"
cmp packaging/linux/copyright "$work/root/usr/share/doc/frontdesk/copyright"
cmp LICENSE-MIT "$work/root/usr/share/doc/frontdesk/LICENSE-MIT"
cmp LICENSE-APACHE "$work/root/usr/share/doc/frontdesk/LICENSE-APACHE"
cmp assets/fonts/OFL.txt "$work/root/usr/share/doc/frontdesk/OFL-NotoSansSC.txt"
head -n 1 "$work/root/usr/share/doc/frontdesk/copyright" |
    grep -qxF 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    fail "the copyright file is not in the machine-readable format"
for n in "${icon_sizes[@]}"; do
    icon="$work/root/usr/share/icons/hicolor/${n}x${n}/apps/frontdesk.png"
    size="$(identify -format '%m %wx%h' "$icon")"
    [ "$size" = "PNG ${n}x${n}" ] || fail "icon ${n}x${n} is $size"
done
grep -qxF "Icon=frontdesk" "$desktop_src" || fail "the desktop entry does not use Icon=frontdesk"
# The window's app id (X11 WM_CLASS, Wayland app_id) must match the desktop entry so the window
# gets its icon and name in the task bar.
grep -qxF "StartupWMClass=cn.frontdesk.FrontDesk" "$desktop_src" || fail "the desktop entry lacks StartupWMClass=cn.frontdesk.FrontDesk"
grep -qF 'with_app_id("cn.frontdesk.FrontDesk")' src/main.rs || fail "the window's app id is not cn.frontdesk.FrontDesk"
echo "ok"

echo "== apt-get install $deb"
if dpkg-query -W -f='${Status}\n' frontdesk 2>/dev/null | grep -qx 'install ok installed'; then
    echo "frontdesk is already installed (an earlier run?); removing it first"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -q frontdesk
fi
[ ! -e /usr/bin/frontdesk ] || fail "/usr/bin/frontdesk exists but not from the frontdesk package"
if [ "$apt_updated" -eq 0 ]; then
    # apt-get fetches the missing dependencies of the package, so the lists must be current.
    $SUDO apt-get update -q
    apt_updated=1
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$deb"
dpkg-query -W -f='${Status}\n' frontdesk | grep -qx 'install ok installed' || fail "frontdesk is not installed"
[ "$(command -v frontdesk)" = /usr/bin/frontdesk ] || fail "frontdesk on PATH is not /usr/bin/frontdesk"

echo "== validate the installed desktop entry and metainfo"
validate_desktop "/usr/share/applications/$app_id.desktop"
validate_metainfo "/usr/share/metainfo/$app_id.metainfo.xml"

echo "== /usr/bin/frontdesk --version"
version_out="$(/usr/bin/frontdesk --version)"
echo "$version_out"
upstream_version="$(dpkg-deb --field "$deb" Version)"
upstream_version="${upstream_version%-*}"
grep -qF "$upstream_version" <<<"$version_out" || fail "--version does not print $upstream_version"

echo "== frontdesk init / check on a fresh database"
db="$work/db/frontdesk.sqlite3"
mkdir -p "$work/db"
frontdesk init --db "$db"
[ -s "$db" ] || fail "frontdesk init did not create $db"
frontdesk check --db "$db"

echo "== the installed program's window under Xvfb"
bash .ci/smoke-window.sh /usr/bin/frontdesk screenshots/deb-window.png

echo "== apt-get remove frontdesk"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -q frontdesk
[ ! -e /usr/bin/frontdesk ] || fail "/usr/bin/frontdesk is still there after apt-get remove"
[ ! -e "/usr/share/applications/$app_id.desktop" ] || fail "the desktop entry is still there after apt-get remove"
if dpkg-query -W -f='${Status}\n' frontdesk 2>/dev/null | grep -qx 'install ok installed'; then
    fail "dpkg still lists frontdesk as installed"
fi
echo "deb check passed: $deb"
