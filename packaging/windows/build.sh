#!/usr/bin/env bash
# Builds the Windows release of FrontDesk on Debian/Ubuntu: frontdesk.exe cross-compiled for
# x86_64-pc-windows-gnu (MinGW-w64), with its icon and version information, and the MSI installer.
#
# Usage: packaging/windows/build.sh      (from any folder)
# Output: target/windows/x86_64-pc-windows-gnu/release/frontdesk.exe
#         target/windows/msi/FrontDesk-<version>-x64.msi   (<version> from Cargo.toml)
# The last two lines printed are these two paths, relative to the repository root.
#
# A separate target folder (target/windows) keeps this build from invalidating the Linux one.
# Run again with nothing changed, cargo does nothing and the MSI is kept (it is rebuilt only when
# the exe, the .wxs, the licences or the icon are newer). A cold build takes about 4 minutes on
# 2 cores with nothing else running, much longer beside other builds.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR=target/windows
exe="$CARGO_TARGET_DIR/$target/release/frontdesk.exe"

# Tools: MinGW-w64 (linker, C compiler for the bundled SQLite, windres for the resources), wixl
# and msitools (msiinfo, msibuild), python3 (build-msi.sh reads the exe's version), and the Rust
# standard library for the target.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-windres >/dev/null || need+=(binutils-mingw-w64-x86-64)
command -v wixl >/dev/null || need+=(wixl)
command -v msibuild >/dev/null && command -v msiinfo >/dev/null || need+=(msitools)
command -v python3 >/dev/null || need+=(python3)
if [ "${#need[@]}" -gt 0 ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi
if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi

# The version in [package] of Cargo.toml; the MSI takes major.minor.patch (a pre-release suffix
# such as -rc.1 is dropped there, and only there).
version="$(awk '/^\[/ { p = ($0 == "[package]") } p && /^version *=/ { gsub(/^[^"]*"|".*$/, ""); print; exit }' Cargo.toml)"
msi_version="${version%%[-+]*}"
if ! [[ "$msi_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "build.sh: cannot use the version '$version' from Cargo.toml" >&2
    exit 1
fi
msi="$CARGO_TARGET_DIR/msi/FrontDesk-$version-x64.msi"

echo "== cargo build --release --target $target (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
# build.rs (winresource) compiles the icon and version resource with this windres.
export WINDRES=x86_64-w64-mingw32-windres
started=$SECONDS
cargo build --release --target "$target" --bin frontdesk
echo "cargo build: $((SECONDS - started)) s"

inputs=("$exe" packaging/windows/frontdesk.wxs packaging/windows/build-msi.sh
    LICENSE-MIT LICENSE-APACHE assets/fonts/OFL.txt assets/icons/frontdesk.ico)
stale=0
if [ ! -f "$msi" ]; then
    stale=1
else
    for f in "${inputs[@]}"; do
        if [ "$f" -nt "$msi" ]; then stale=1; fi
    done
fi
if [ "$stale" -eq 1 ]; then
    echo "== wixl: $msi"
    bash packaging/windows/build-msi.sh "$exe" "$msi_version" "$msi"
else
    echo "== $msi is up to date"
fi
echo "$exe"
echo "$msi"
