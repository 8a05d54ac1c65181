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

/// Whether this PC can send a file to its default printer without a dialog: on Windows through
/// the shell's "print" action of the file's program, elsewhere when CUPS's `lp` is installed.
pub fn can_print_directly() -> bool {
    cfg!(windows) || lp_program().is_some()
}

/// Sends the PDF file `path` to this PC's default printer. The error is a sentence for the user
/// (no printer service, no program that prints PDF files, the printer service's own words).
pub fn print_to_default_printer(path: &std::path::Path) -> Result<(), String> {
    #[cfg(windows)]
    {
        shell_print(path)
    }
    #[cfg(not(windows))]
    {
        let lp = lp_program().ok_or_else(|| crate::i18n::t("print.no_lp").to_owned())?;
        print_with_lp(&lp, path)
    }
}

/// CUPS's `lp` on the `PATH`, if any.
fn lp_program() -> Option<std::path::PathBuf> {
    if cfg!(windows) {
        return None;
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("lp"))
        .find(|lp| lp.is_file())
}

/// Queues `file` on the default printer with `lp` (it returns once the job is queued), titled
/// with the file's name.
pub fn print_with_lp(lp: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    let title = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = std::process::Command::new(lp)
        .arg("-t")
        .arg(&title)
        .arg("--")
        .arg(file)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| crate::i18n::tf("print.failed", &[("detail", &e.to_string())]))?;
    if out.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&out.stderr);
    let said = said.trim().trim_end_matches('.');
    Err(crate::i18n::tf("print.failed", &[("detail", said)]))
}

/// Asks the program Windows opens PDF files with to print `file` on the default printer (the
/// shell's "print" verb); refused when no installed program offers to print PDF files.
#[cfg(windows)]
#[allow(unsafe_code)]
fn shell_print(file: &std::path::Path) -> Result<(), String> {
    use std::os::windows::ffi::OsStrExt as _;
    use windows_sys::Win32::UI::Shell::{SE_ERR_NOASSOC, ShellExecuteW};
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_SHOWMINNOACTIVE;
    let wide = |s: &std::ffi::OsStr| s.encode_wide().chain([0]).collect::<Vec<u16>>();
    let (verb, file) = (wide("print".as_ref()), wide(file.as_os_str()));
    // SAFETY: both strings are NUL-terminated UTF-16 buffers that live until the call returns;
    // the other pointers may be null.
    let code = unsafe {
        ShellExecuteW(
            std::ptr::null_mut(),
            verb.as_ptr(),
            file.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            SW_SHOWMINNOACTIVE,
        )
    } as usize;
    // Above 32 is success; below, one of the SE_ERR_… codes.
    match code {
        33.. => Ok(()),
        c if c == SE_ERR_NOASSOC as usize => Err(crate::i18n::t("print.no_program").to_owned()),
        c => Err(crate::i18n::tf(
            "print.failed",
            &[("detail", &format!("ShellExecute {c}"))],
        )),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn lp_gets_the_file_and_its_title_and_its_complaint_is_passed_on() {
        use std::os::unix::fs::PermissionsExt as _;
        crate::i18n::set_lang(crate::i18n::Lang::ZhCn);
        let dir = tempfile::tempdir().unwrap();
        let said = dir.path().join("args");
        let lp = dir.path().join("lp");
        std::fs::write(
            &lp,
            format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", said.display()),
        )
        .unwrap();
        std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = dir.path().join("顾客投诉记录-7.pdf");
        std::fs::write(&file, b"%PDF-1.7").unwrap();
        print_with_lp(&lp, &file).unwrap();
        let args = std::fs::read_to_string(&said).unwrap();
        assert_eq!(
            args.lines().collect::<Vec<_>>(),
            ["-t", "顾客投诉记录-7.pdf", "--", file.to_str().unwrap()]
        );

        let failing = dir.path().join("lp-failing");
        std::fs::write(
            &failing,
            "#!/bin/sh\necho 'lp: Error - no default destination available.' >&2\nexit 1\n",
        )
        .unwrap();
        std::fs::set_permissions(&failing, std::fs::Permissions::from_mode(0o755)).unwrap();
        let err = print_with_lp(&failing, &file).unwrap_err();
        assert!(err.contains("no default destination"), "{err}");
        assert!(err.starts_with("无法直接打印"), "{err}");
    }
}
