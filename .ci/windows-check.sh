#!/usr/bin/env bash
# Checks a Windows build of FrontDesk on Linux.
# Usage: .ci/windows-check.sh FRONTDESK.EXE FRONTDESK.MSI   (both from packaging/windows/build.sh)
#
# 1. The exe: a 64-bit GUI-subsystem PE with the icon and the version information (Chinese text
#    included), and no MinGW runtime DLL to ship beside it.
# 2. The MSI tables: files, shortcut, licences, upgrade code, language and code page, the custom
#    actions that write the machine-wide configuration.
# 3. Under Wine (a throwaway 64-bit prefix) and Xvfb: command-line jobs (exit codes, stdout reaching
#    this script), the real window (screenshots/wine-window.png), and the MSI: a refused
#    DATABASEFILE rolled back, a silent install with DATABASEFILE and BACKUPFOLDER, an upgrade to a
#    newer MSI, a refused downgrade and an uninstall that leaves the machine-wide configuration
#    file in place.
#
# Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng Rust's standard library calls;
# .ci/wine/processprng.c stands in for it inside the test prefix only (never in the MSI).
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 FRONTDESK.EXE FRONTDESK.MSI" >&2
    exit 2
fi
exe="$(realpath "$1")"
msi="$(realpath "$2")"
cd "$(dirname "$0")/.."

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
ok() { echo "ok: $*"; }

# --- tools -----------------------------------------------------------------------------------------
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
command -v file >/dev/null || need+=(file)
command -v x86_64-w64-mingw32-objdump >/dev/null || need+=(binutils-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v wrestool >/dev/null || need+=(icoutils)
# Debian's own Python (3.11: tomllib) with Debian's pefile, whatever python3 comes first in PATH.
py=/usr/bin/python3
"$py" -c 'import pefile' 2>/dev/null || need+=(python3 python3-pefile)
command -v msiinfo >/dev/null && command -v msibuild >/dev/null || need+=(msitools)
command -v wixl >/dev/null || need+=(wixl)
[ -x /usr/lib/wine/wine64 ] || need+=(wine wine64)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xwininfo >/dev/null || need+=(x11-utils)
command -v import >/dev/null || need+=(imagemagick)
if [ "${#need[@]}" -gt 0 ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

version="$(awk '/^\[/ { p = ($0 == "[package]") } p && /^version *=/ { gsub(/^[^"]*"|".*$/, ""); print; exit }' Cargo.toml)"
msi_version="${version%%[-+]*}"
upgrade_code="{2E1D29C2-1FCE-43F8-88EE-DD44F7D80082}"
started=$SECONDS

work="$(mktemp -d)"
x_pid=""
app_pid=""
cleanup() {
    set +e # try every step; the script's exit status stays what it was
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill "$app_pid"; fi
    if [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ]; then
        /usr/lib/wine/wineserver -k 2>/dev/null
        /usr/lib/wine/wineserver -w 2>/dev/null
        rm -rf "$WINEPREFIX"
    fi
    if [ -n "$x_pid" ] && kill -0 "$x_pid" 2>/dev/null; then kill "$x_pid"; fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. the exe ------------------------------------------------------------------------------------
echo "== the exe: $exe"
desc="$(file -b "$exe")"
echo "file: $desc"
[[ "$desc" == "PE32+ executable (GUI) x86-64"* ]] || fail "not a PE32+ GUI x86-64 executable"
ok "PE32+ GUI x86-64"

x86_64-w64-mingw32-objdump -p "$exe" >"$work/objdump.txt"
grep -Eq '^Subsystem[[:space:]]+0+2[[:space:]]+\(Windows GUI\)' "$work/objdump.txt" ||
    fail "objdump -p: Subsystem is not 2 (Windows GUI)"
ok "Subsystem 2 (Windows GUI)"
rsrc="$(awk '/Resource Directory \[\.rsrc\]/ { print $4 }' "$work/objdump.txt")"
{ [ -n "$rsrc" ] && [ "$((16#$rsrc))" -gt 0 ]; } || fail "objdump -p: no resource directory"
ok "resource directory, $((16#$rsrc)) bytes"
grep -q 'The \.rsrc Resource Directory section' "$work/objdump.txt" || fail "objdump -p: no .rsrc section"

wrestool -l "$exe" | tee "$work/resources.txt"
grep -q -- '--type=3 ' "$work/resources.txt" || fail "no RT_ICON resource"
grep -q -- '--type=14 ' "$work/resources.txt" || fail "no RT_GROUP_ICON resource"
grep -q -- '--type=16 ' "$work/resources.txt" || fail "no RT_VERSION resource"
wrestool -x --type=14 "$exe" -o "$work/icon.ico"
identify -format '%wx%h\n' "$work/icon.ico" | tee "$work/icon-sizes.txt" >/dev/null
for size in 16x16 32x32 48x48 256x256; do
    grep -qx "$size" "$work/icon-sizes.txt" || fail "the embedded icon has no $size image"
done
ok "icon embedded: $(tr '\n' ' ' <"$work/icon-sizes.txt")"

# The version resource, read with pefile (the strings decoded from their UTF-16).
"$py" - "$exe" "$version" <<'PY'
import sys
import pefile

exe, version = sys.argv[1], sys.argv[2]
pe = pefile.PE(exe)
strings = {}
for info in getattr(pe, "FileInfo", [[]])[0]:
    if getattr(info, "Key", b"") == b"StringFileInfo":
        for table in info.StringTable:
            for k, v in table.entries.items():
                strings[k.decode()] = v.decode()
expected = {
    "ProductName": "前台客服台 FrontDesk",
    "FileDescription": "前台客服台 FrontDesk",
    "CompanyName": "FrontDesk developers",
    "FileVersion": version,
    "ProductVersion": version,
    "OriginalFilename": "frontdesk.exe",
}
for key, value in sorted(strings.items()):
    print(f"  {key}: {value}")
bad = [k for k, v in expected.items() if strings.get(k) != v]
if "FrontDesk developers" not in strings.get("LegalCopyright", ""):
    bad.append("LegalCopyright")
fixed = pe.VS_FIXEDFILEINFO[0]
numbers = [int(n) for n in version.split("-")[0].split("+")[0].split(".")]
want_ms = (numbers[0] << 16) | numbers[1]
want_ls = numbers[2] << 16
if (fixed.FileVersionMS, fixed.FileVersionLS) != (want_ms, want_ls):
    bad.append("VS_FIXEDFILEINFO.FileVersion")
if bad:
    sys.exit("FAIL: version resource: wrong or missing " + ", ".join(bad))
dlls = sorted(entry.dll.decode().lower() for entry in pe.DIRECTORY_ENTRY_IMPORT)
print("  imports: " + " ".join(dlls))
runtime = [d for d in dlls if d.startswith(("libgcc", "libstdc++", "libwinpthread"))]
if runtime:
    sys.exit("FAIL: the exe needs MinGW runtime DLLs: " + " ".join(runtime))
PY
ok "version information (Chinese text intact) and imports"

# --- 2. the MSI tables -----------------------------------------------------------------------------
echo "== the MSI: $msi"
# Run in $work: msiinfo writes a table's binary columns (Icon) into a folder named after the table.
table() { (cd "$work" && msiinfo export "$msi" "$1") | tr -d '\r'; }
has_row() { # TABLE REGEX: a row of the table matches the extended regex
    table "$1" | grep -Eq -- "$2" || { table "$1" >&2; fail "table $1 has no row matching: $2"; }
}
[ "$(table _ForceCodepage | awk -F'\t' '$2 == "_ForceCodepage" { print $1 }')" = 936 ] ||
    fail "the string pool is not in code page 936"
has_row Property $'^ProductLanguage\t2052$'
has_row Property $'^ProductName\t前台客服台 FrontDesk$'
has_row Property $'^ProductVersion\t'"${msi_version//./\\.}"'$'
has_row Property $'^UpgradeCode\t'"$upgrade_code"'$'
has_row Property $'^ALLUSERS\t1$'
has_row Property $'^ARPPRODUCTICON\tFrontDeskIcon\\.ico$'
has_row Property $'^SecureCustomProperties\t.*DATABASEFILE;BACKUPFOLDER'
has_row Upgrade "^$upgrade_code"$'\t\t[0-9.]+\t\t1\t\tWIX_UPGRADE_DETECTED$'
has_row Upgrade "^$upgrade_code"$'\t[0-9.]+\t\t\t2\t\tWIX_DOWNGRADE_DETECTED$'
has_row LaunchCondition $'^NOT WIX_DOWNGRADE_DETECTED\t'
has_row Directory $'^INSTALLDIR\tProgramFiles64Folder\tFRONTDSK\\|FrontDesk$'
has_row File $'^FrontDeskExe\tFrontDeskExe\tFRONTDSK\\.EXE\\|frontdesk\\.exe\t[0-9]+\t'"${msi_version//./\\.}"$'\\.0\t'
has_row File $'^LicenceMit\tLicenceMit\tLICMIT\\.TXT\\|LICENSE-MIT\\.txt\t'
has_row File $'^LicenceApache\tLicenceApache\tLICAPA\\.TXT\\|LICENSE-APACHE\\.txt\t'
has_row File $'^LicenceFont\tLicenceFont\tOFLNOTO\\.TXT\\|OFL-NotoSansSC\\.txt\t'
if table File | grep -qi 'bcryptprimitives\|processprng'; then fail "the test-only Wine shim is in the MSI"; fi
has_row Component $'^FrontDeskExe\t\\{4FBAEBCC-E739-43D4-9522-DA65A47DC1B1\\}\tINSTALLDIR\t256\t'
has_row Shortcut $'^StartMenuShortcut\tProgramMenuFolder\tFRONTDSK\\|前台客服台 FrontDesk\tFrontDeskExe\t\\[#FrontDeskExe\\]\t.*\tFrontDeskIcon\\.ico\t0\t'
has_row Icon $'^FrontDeskIcon\\.ico\t'
cmp -s "$work/Icon/Icon.FrontDeskIcon.ico" assets/icons/frontdesk.ico || fail "the MSI's icon is not assets/icons/frontdesk.ico"
has_row CustomAction $'^SetMachineDatabase\t3090\tFrontDeskExe\tconfig set --machine database "\\[DATABASEFILE\\]\t'
has_row CustomAction $'^SetMachineBackupFolder\t3090\tFrontDeskExe\tconfig set --machine backup_folder "\\[BACKUPFOLDER\\]\t'
has_row InstallExecuteSequence $'^SetMachineDatabase\tDATABASEFILE AND NOT REMOVE\t'
has_row InstallExecuteSequence $'^SetMachineBackupFolder\tBACKUPFOLDER AND NOT REMOVE\t'
has_row InstallExecuteSequence $'^RemoveExistingProducts\t\t1401$'
msiinfo suminfo "$msi" | tee "$work/suminfo.txt" | grep -qx 'Template: x64;2052' ||
    { cat "$work/suminfo.txt" >&2; fail "summary Template is not x64;2052"; }
ok "MSI tables: File, Shortcut, Icon, licences, Upgrade ($upgrade_code), Language 2052, code page 936, custom actions"

# --- 3. Wine ---------------------------------------------------------------------------------------
echo "== Wine"
export WINEARCH=win64 WINEDEBUG=-all
export WINEPREFIX="$work/prefix"
# No Mono/Gecko download prompts, and no menu entries written into this machine's desktop.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
wine=/usr/lib/wine/wine64
mkdir -p "$WINEPREFIX"

display=":$((70 + RANDOM % 20))"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
x_pid=$!
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done
xwininfo -display "$display" -root >/dev/null || fail "Xvfb did not start on $display"
export DISPLAY="$display"

t=$SECONDS
"$wine" wineboot -i 2>"$work/wineboot.log" || { cat "$work/wineboot.log" >&2; fail "wineboot -i"; }
echo "wine prefix initialised in $((SECONDS - t)) s"
system32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$system32" ] || fail "no system32 in the Wine prefix"
x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -Werror -o "$system32/bcryptprimitives.dll" \
    .ci/wine/processprng.c -ladvapi32
ok "ProcessPrng stand-in in the prefix's system32"

# Windows paths of a folder inside the prefix.
check_dir="$WINEPREFIX/drive_c/frontdesk-check"
mkdir -p "$check_dir"
win_dir='C:\frontdesk-check'
db_win="$win_dir\\demo.sqlite3"

# 3a. command-line jobs: exit codes and standard output
out="$("$wine" "$exe" --version 2>"$work/stderr.txt")" || { cat "$work/stderr.txt" >&2; fail "--version"; }
echo "--version: $out"
[[ "$out" == *"$version"* ]] || fail "--version did not print $version"
ok "--version exit 0, prints $version"

"$wine" "$exe" demo --db "$db_win" >"$work/demo.txt" 2>&1 || { cat "$work/demo.txt" >&2; fail "demo"; }
[ -s "$check_dir/demo.sqlite3" ] || fail "demo wrote no database"
ok "demo --db $db_win: exit 0 ($(stat -c %s "$check_dir/demo.sqlite3") bytes)"

"$wine" "$exe" check --db "$db_win" >"$work/check.txt" 2>&1 || { cat "$work/check.txt" >&2; fail "check"; }
ok "check --db: exit 0"

"$wine" "$exe" report reception --from 2020-01-01 --to 2020-01-03 --db "$db_win" >"$work/report.csv" 2>"$work/stderr.txt" ||
    { cat "$work/stderr.txt" >&2; fail "report reception"; }
head -1 "$work/report.csv" | grep -q '^date,visits,greeted,' || fail "report reception: no CSV header on stdout"
[ "$(wc -l <"$work/report.csv")" -eq 5 ] || fail "report reception: expected 3 days and a total"
ok "report reception: CSV on redirected stdout ($(wc -l <"$work/report.csv") lines)"

rc=0
"$wine" "$exe" report claims --month bad --db "$db_win" >"$work/bad.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "report claims --month bad exited 0"
grep -q 'frontdesk:' "$work/bad.txt" || fail "report claims --month bad: no message on stderr"
ok "report claims --month bad: exit $rc, $(head -1 "$work/bad.txt")"

# 3b. the real window
FRONTDESK_LOG=info "$wine" "$exe" --db "$db_win" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 600); do
    grep -q "first frame" "$work/app.log" && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; fail "the app exited early under Wine"; }
    sleep 0.1
done
grep "first frame" "$work/app.log" || { cat "$work/app.log" >&2; fail "no first frame within 60 s"; }
sleep 3
mkdir -p screenshots
import -display "$display" -window root screenshots/wine-window.png
colours="$(identify -format '%k' screenshots/wine-window.png)"
echo "screenshot screenshots/wine-window.png: $colours colours"
[ "$colours" -gt 50 ] || fail "the screenshot looks blank"
kill -0 "$app_pid" || fail "the app died while on screen"
kill "$app_pid"
app_pid=""
ok "window under Wine + Xvfb, screenshot saved"

# 3c. silent install, upgrade, downgrade, uninstall
program_dir="$WINEPREFIX/drive_c/Program Files/FrontDesk"
config="$WINEPREFIX/drive_c/ProgramData/FrontDesk/frontdesk.toml"
shortcut_name="前台客服台 FrontDesk.lnk"
# Per-machine shortcuts go to the common Start menu on Windows; Wine 8 puts them in the user's.
shortcut_dirs=("$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs"
    "$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs")
find_shortcut() {
    for d in "${shortcut_dirs[@]}"; do
        if [ -f "$d/$shortcut_name" ]; then
            echo "$d/$shortcut_name"
            return 0
        fi
    done
    return 1
}
run_msiexec() { # LOG-NAME ARGS...: runs msiexec with a verbose log, prints the log's errors on failure
    local name="$1"
    shift
    local rc=0
    "$wine" msiexec "$@" /l*v "$win_dir\\$name.log" || rc=$?
    if [ "$rc" -ne 0 ]; then
        grep -a -E 'Return value 3|error|Error' "$check_dir/$name.log" | tail -20 >&2
    fi
    return "$rc"
}
# The products registered in Windows Installer's Uninstall key: "ProductCode DisplayVersion".
installed_products() {
    rm -f "$check_dir/uninstall.reg"
    "$wine" reg export 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' "$win_dir\\uninstall.reg" /y >/dev/null
    iconv -f UTF-16 -t UTF-8 "$check_dir/uninstall.reg" | tr -d '\r' >"$work/uninstall.txt"
    awk -v name='"DisplayName"="前台客服台 FrontDesk"' '
        /^\[/ { key = $0; sub(/.*\\/, "", key); sub(/\]$/, "", key); shown = 0; ver = "" }
        $0 == name { shown = 1 }
        /^"DisplayVersion"=/ { ver = $0; sub(/^[^=]*="/, "", ver); sub(/"$/, "", ver) }
        shown && ver != "" { print key, ver; shown = 0 }
    ' "$work/uninstall.txt"
}

cp "$msi" "$check_dir/FrontDesk.msi"

# A value the program refuses (blank) fails the custom action and rolls the installation back.
rc=0
run_msiexec refused /i "$win_dir\\FrontDesk.msi" /qn 'DATABASEFILE= ' 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "msiexec /i DATABASEFILE=' ' succeeded"
if [ -e "$program_dir" ]; then fail "a failed installation left Program Files\\FrontDesk behind"; fi
installed_products >"$work/products.txt"
[ ! -s "$work/products.txt" ] || fail "a failed installation left FrontDesk registered"
ok "a refused DATABASEFILE fails the installation (msiexec exit $rc) and rolls it back"

# A space and Chinese in one, a trailing backslash in the other (no space: Wine would quote the
# argument and double that backslash on its way to msiexec).
database='D:\FrontDesk 数据\frontdesk.sqlite3'
backups='D:\FrontDesk-备份'\\
run_msiexec install /i "$win_dir\\FrontDesk.msi" /qn DATABASEFILE="$database" BACKUPFOLDER="$backups" ||
    fail "msiexec /i /qn DATABASEFILE=... BACKUPFOLDER=..."
[ -f "$program_dir/frontdesk.exe" ] || fail "no frontdesk.exe in Program Files\\FrontDesk"
cmp -s "$exe" "$program_dir/frontdesk.exe" || fail "the installed exe differs from the built one"
for f in LICENSE-MIT.txt LICENSE-APACHE.txt OFL-NotoSansSC.txt; do
    [ -s "$program_dir/licences/$f" ] || fail "no licences\\$f"
done
if [ -e "$program_dir/bcryptprimitives.dll" ]; then fail "the Wine shim was installed"; fi
lnk="$(find_shortcut)" || fail "no Start-menu shortcut \"$shortcut_name\""
{ strings "$lnk"; strings -e l "$lnk"; } >"$work/lnk.txt"
grep -q 'Program Files\\FrontDesk\\frontdesk\.exe' "$work/lnk.txt" || fail "the shortcut does not point at the exe"
grep -q 'FrontDeskIcon\.ico' "$work/lnk.txt" || fail "the shortcut has not the product icon"
ok "installed: Program Files\\FrontDesk\\frontdesk.exe, licences, shortcut ${lnk#"$WINEPREFIX"/drive_c/}"
[ -f "$config" ] || fail "no ProgramData\\FrontDesk\\frontdesk.toml"
echo "--- ProgramData/FrontDesk/frontdesk.toml"
cat "$config"
echo "---"
"$py" - "$config" "$database" "$backups" <<'PY'
import sys
import tomllib

path, database, backups = sys.argv[1:]
with open(path, "rb") as f:
    config = tomllib.load(f)
if config.get("database") != database:
    sys.exit(f"FAIL: database in the machine config is {config.get('database')!r}, not {database!r}")
if config.get("backup_folder") != backups:
    sys.exit(f"FAIL: backup_folder in the machine config is {config.get('backup_folder')!r}")
PY
ok "ProgramData\\FrontDesk\\frontdesk.toml: database and backup_folder as given"
# The installed program reads it.
"$wine" "$program_dir/frontdesk.exe" config >"$work/config.txt" 2>&1 || { cat "$work/config.txt" >&2; fail "frontdesk config"; }
grep -qF "$database" "$work/config.txt" || { cat "$work/config.txt" >&2; fail "frontdesk config does not show the database"; }
ok "the installed frontdesk.exe config shows the database"
installed_products >"$work/products.txt"
cat "$work/products.txt"
{ [ "$(wc -l <"$work/products.txt")" -eq 1 ] && grep -q " $msi_version\$" "$work/products.txt"; } ||
    fail "expected one registered FrontDesk $msi_version"
ok "registered once, as 前台客服台 FrontDesk $msi_version"
cp "$config" "$work/config-after-install.toml"

# A newer MSI (same UpgradeCode, new ProductCode) replaces it.
IFS=. read -r major minor patch <<<"$msi_version"
newer="$major.$minor.$((patch + 1))"
bash packaging/windows/build-msi.sh "$exe" "$newer" "$check_dir/FrontDesk-newer.msi"
run_msiexec upgrade /i "$win_dir\\FrontDesk-newer.msi" /qn || fail "msiexec /i (upgrade to $newer)"
installed_products >"$work/products.txt"
cat "$work/products.txt"
{ [ "$(wc -l <"$work/products.txt")" -eq 1 ] && grep -q " $newer\$" "$work/products.txt"; } ||
    fail "after the upgrade, expected only FrontDesk $newer registered"
{ [ -f "$program_dir/frontdesk.exe" ] && find_shortcut >/dev/null; } || fail "files or shortcut missing after the upgrade"
cmp -s "$config" "$work/config-after-install.toml" || fail "the upgrade changed the machine config"
ok "upgrade $msi_version -> $newer: one product left, files and shortcut in place, config untouched"

# The older MSI is refused now (LaunchCondition NOT WIX_DOWNGRADE_DETECTED).
rc=0
run_msiexec downgrade /i "$win_dir\\FrontDesk.msi" /qn 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "installing the older MSI over the newer one succeeded"
installed_products >"$work/products.txt"
{ grep -q " $newer\$" "$work/products.txt" && [ "$(wc -l <"$work/products.txt")" -eq 1 ]; } ||
    fail "the refused downgrade changed what is installed"
ok "downgrade refused (msiexec exit $rc)"

# Uninstall: the program goes, the machine-wide config and the users' data stay.
run_msiexec uninstall /x "$win_dir\\FrontDesk-newer.msi" /qn || fail "msiexec /x /qn"
if [ -e "$program_dir/frontdesk.exe" ]; then fail "frontdesk.exe still there after uninstall"; fi
if [ -e "$program_dir" ]; then fail "Program Files\\FrontDesk still there after uninstall"; fi
if find_shortcut >/dev/null; then fail "the shortcut is still there after uninstall"; fi
installed_products >"$work/products.txt"
[ ! -s "$work/products.txt" ] || fail "FrontDesk is still registered after uninstall"
cmp -s "$config" "$work/config-after-install.toml" || fail "the machine config was changed or removed by uninstall"
ok "uninstalled: program, shortcut and registration gone; ProgramData\\FrontDesk\\frontdesk.toml kept"

echo "windows-check: all checks passed in $((SECONDS - started)) s"
