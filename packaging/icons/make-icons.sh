#!/usr/bin/env bash
# Generates every icon the installers need from the one source, assets/icons/frontdesk.png (256×256):
# the hicolor PNGs for Linux (assets/icons/hicolor/NxN/apps/frontdesk.png) and the multi-size
# Windows icon (assets/icons/frontdesk.ico). Needs ImageMagick. The results are committed, so
# builds need no ImageMagick; run this again after changing the source.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=assets/icons/frontdesk.png
sizes=(16 24 32 48 64 128 256)
for n in "${sizes[@]}"; do
    dir="assets/icons/hicolor/${n}x${n}/apps"
    mkdir -p "$dir"
    # -strip keeps timestamps out of the files so regenerating gives the same bytes.
    convert "$src" -resize "${n}x${n}" -depth 8 -strip "PNG32:$dir/frontdesk.png"
done
ico_sources=()
for n in "${sizes[@]}"; do ico_sources+=("assets/icons/hicolor/${n}x${n}/apps/frontdesk.png"); done
convert "${ico_sources[@]}" -strip assets/icons/frontdesk.ico
