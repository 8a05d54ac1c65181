#!/usr/bin/env bash
# Builds the MSI installer of FrontDesk from packaging/windows/frontdesk.wxs with wixl (msitools).
# Usage: packaging/windows/build-msi.sh FRONTDESK.EXE VERSION OUT.msi
#   VERSION is the MSI ProductVersion: major.minor.patch, numbers only.
# build.sh calls this after the cross-build; .ci/windows-check.sh calls it again with a higher
# version to test an upgrade.
#
# wixl 0.101 (Debian 12) needs five things done around it:
# - It writes the string pool in the code page it guesses from the locale (CP1252 under C.UTF-8,
#   which drops every Chinese string) and marks the pool "system code page". WINDOWS_LANGUAGE=zh_CN
#   makes it use CP936, and importing _ForceCodepage (936) with msibuild then marks the pool as 936,
#   so Windows reads the strings right whatever the PC's own code page is.
# - Its <Property> has no Secure attribute: msibuild adds DATABASEFILE, BACKUPFOLDER and INSTALLDIR
#   to SecureCustomProperties, so they reach the elevated part of a per-machine install.
# - It ignores <Package Languages>: msibuild sets the summary Template to "x64;2052".
# - It leaves File.Version empty: msibuild writes the exe's file version (from its version
#   resource), so Windows Installer treats it as a versioned file, and drops the exe's
#   MsiFileHash row (that table is for unversioned files only).
# - Source paths must be relative (an absolute one trips a GLib assertion), so wixl runs inside a
#   staging folder holding copies of the files.
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 FRONTDESK.EXE VERSION OUT.msi" >&2
    exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
exe="$(realpath "$1")"
version="$2"
out="$(realpath -m "$3")"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "build-msi: the MSI version must be major.minor.patch, got '$version'" >&2
    exit 2
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$exe" "$stage/frontdesk.exe"
cp "$root/assets/icons/frontdesk.ico" "$stage/frontdesk.ico"
# The licence texts with Windows line ends, named .txt so a double-click opens them.
crlf() { sed 's/\r*$/\r/' "$1" >"$2"; }
crlf "$root/LICENSE-MIT" "$stage/LICENSE-MIT.txt"
crlf "$root/LICENSE-APACHE" "$stage/LICENSE-APACHE.txt"
crlf "$root/assets/fonts/OFL.txt" "$stage/OFL-NotoSansSC.txt"

(
    cd "$stage"
    # wixl says "unimplemented" for every non-advertised shortcut although it writes it fine.
    WINDOWS_LANGUAGE=zh_CN wixl --arch x64 \
        -D Version="$version" \
        -D ExeFile=frontdesk.exe \
        -D StageDir=. \
        -D IconFile=frontdesk.ico \
        -o frontdesk.msi "$root/packaging/windows/frontdesk.wxs" 2>wixl.log ||
        { cat wixl.log >&2; exit 1; }
    sed '/builder\.vala:[0-9]*: unimplemented$/d' wixl.log >&2

    printf '\r\n\r\n936\t_ForceCodepage\r\n' >_ForceCodepage.idt
    secure="$(WINDOWS_LANGUAGE=zh_CN msiinfo export frontdesk.msi Property |
        awk -F'\t' '$1 == "SecureCustomProperties" { sub(/\r$/, "", $2); print $2 }')"
    # VS_VERSION_INFO: the key in UTF-16, then VS_FIXEDFILEINFO (signature 0xFEEF04BD, structure
    # version, FileVersionMS, FileVersionLS) on the next 4-byte boundary.
    file_version="$(python3 -c '
import struct, sys
data = open(sys.argv[1], "rb").read()
key = "VS_VERSION_INFO\0".encode("utf-16-le")
at = data.find(key)
fixed = data.find(b"\xbd\x04\xef\xfe", at, at + len(key) + 8) if at >= 0 else -1
if fixed < 0:
    sys.exit("build-msi: the exe has no version resource")
ms, ls = struct.unpack_from("<II", data, fixed + 8)
print(f"{ms >> 16}.{ms & 0xffff}.{ls >> 16}.{ls & 0xffff}")
' frontdesk.exe)"
    if [ -n "$secure" ]; then
        query="UPDATE \`Property\` SET \`Value\` = '$secure;DATABASEFILE;BACKUPFOLDER;INSTALLDIR' WHERE \`Property\` = 'SecureCustomProperties'"
    else
        query="INSERT INTO \`Property\` (\`Property\`, \`Value\`) VALUES ('SecureCustomProperties', 'DATABASEFILE;BACKUPFOLDER;INSTALLDIR')"
    fi
    WINDOWS_LANGUAGE=zh_CN msibuild frontdesk.msi \
        -i _ForceCodepage.idt \
        -q "$query" \
        -q "UPDATE \`File\` SET \`Version\` = '$file_version' WHERE \`File\` = 'FrontDeskExe'" \
        -q "DELETE FROM \`MsiFileHash\` WHERE \`File_\` = 'FrontDeskExe'" \
        -s "FrontDesk $version" "FrontDesk developers" "x64;2052"
)
mkdir -p "$(dirname "$out")"
mv "$stage/frontdesk.msi" "$out"
