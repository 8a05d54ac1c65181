/*
 * Test-only stand-in for bcryptprimitives.dll, which Wine 8 (Debian 12) lacks. Rust's standard
 * library takes its random bytes from ProcessPrng there; this one fills the buffer with
 * RtlGenRandom (advapi32's SystemFunction036). .ci/windows-check.sh builds it into the Wine
 * prefix it tests in. Never shipped: it is not part of the installer.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
