//! What differs between operating systems at start-up.
//!
//! On Windows `frontdesk.exe` is a GUI-subsystem program, so double-clicking it opens no console
//! window. When it is started from a console (`cmd`, PowerShell, a batch file) for a command-line
//! job, [`attach_parent_console`] connects its standard output and error to that console so
//! reports and messages are printed there. Handles the parent already redirected (`> out.csv`)
//! are kept as they are.

/// Connects standard input, output and error to the console of the parent process where they are
/// not already redirected. Does nothing outside Windows, and nothing when there is no parent
/// console (started from Explorer or the Start menu).
#[cfg(windows)]
#[allow(unsafe_code)]
pub fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_INPUT_HANDLE,
        STD_OUTPUT_HANDLE, SetStdHandle,
    };
    let kinds = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
    // SAFETY: GetStdHandle, AttachConsole and SetStdHandle take plain values and change only this
    // process's standard handles; no memory is shared with Rust code.
    unsafe {
        let before = kinds.map(|kind| GetStdHandle(kind));
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            return;
        }
        // AttachConsole points every standard handle at the console; put back the ones the
        // parent had redirected to a file or pipe.
        for (kind, handle) in kinds.into_iter().zip(before) {
            if !handle.is_null() && handle as isize != -1 {
                SetStdHandle(kind, handle);
            }
        }
    }
}

/// Connects standard input, output and error to the console of the parent process where they are
/// not already redirected. Does nothing outside Windows.
#[cfg(not(windows))]
pub fn attach_parent_console() {}

/// This PC's name, as the office knows it (`COMPUTERNAME` on Windows, the host name elsewhere);
/// shown to supervisors in the list of desks connected to a server.
pub fn pc_name() -> String {
    let from_env = ["COMPUTERNAME", "HOSTNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
    from_env
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "?".to_owned())
}
