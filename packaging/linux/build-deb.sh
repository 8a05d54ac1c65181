#!/usr/bin/env bash
# Builds the Debian package with cargo-deb: the release binary is built once by `cargo build
# --release` (nothing is rebuilt when target/release/frontdesk is up to date), then `cargo deb
# --no-build` packages it as described in Cargo.toml's [package.metadata.deb]. The package is
# written to target/debian/ and its path is printed as the last line.
# Usage: packaging/linux/build-deb.sh     (then: .ci/deb-check.sh target/debian/frontdesk_*.deb)
set -euo pipefail
cd "$(dirname "$0")/../.."

# cargo-deb 3.x builds with Rust 1.85 and newer; pinned so CI builds the same packages every time.
cargo_deb_version="${CARGO_DEB_VERSION:-3.8.0}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# cargo-deb runs dpkg-shlibdeps (dpkg-dev) for the `$auto` dependencies and strip (binutils);
# without dpkg-shlibdeps it would only warn and leave libc out of Depends.
need=()
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v strip >/dev/null || need+=(binutils)
if [ "${#need[@]}" -gt 0 ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

if ! cargo deb --version >/dev/null 2>&1; then
    echo "== cargo install cargo-deb --locked --version $cargo_deb_version"
    cargo install cargo-deb --locked --version "$cargo_deb_version"
fi
cargo deb --version

echo "== cargo build --release"
cargo build --release
echo "== cargo deb --no-build"
deb="$(cargo deb --no-build | tail -n 1)"
if [ ! -f "$deb" ]; then
    echo "cargo deb did not report a package file (got: $deb)" >&2
    exit 1
fi
case "$deb" in
    "$PWD"/*) deb="${deb#"$PWD"/}" ;;
esac
echo "$deb"
