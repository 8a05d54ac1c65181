//! Build script. For a Windows target it embeds the application icon and the version information
//! (product name, description, company, version, copyright, original file name) into
//! `frontdesk.exe`, compiled with the resource compiler of the toolchain (`windres` of MinGW-w64,
//! `x86_64-w64-mingw32-windres` when cross-compiling; `WINDRES` overrides it). For any other target
//! it does nothing.

use std::env;
use std::io;
use std::path::Path;

const ICON: &str = "assets/icons/frontdesk.ico";

fn main() -> io::Result<()> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={ICON}");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return Ok(());
    }
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?;
    let icon = Path::new(&manifest_dir).join(ICON);
    let icon = icon
        .to_str()
        .ok_or_else(|| io::Error::other("the icon path is not valid UTF-8"))?;
    let version = env::var("CARGO_PKG_VERSION").map_err(io::Error::other)?;

    // winresource writes the .rc file as UTF-8 with `#pragma code_page(65001)`, so the Chinese
    // strings reach the version resource as the right UTF-16 text.
    let mut res = winresource::WindowsResource::new();
    res.set_language(0x0804) // zh-CN; the string block is "080404b0" (Unicode)
        .set_icon(icon)
        .set("ProductName", "前台客服台 FrontDesk")
        .set("FileDescription", "前台客服台 FrontDesk")
        .set("CompanyName", "FrontDesk developers")
        .set(
            "LegalCopyright",
            "Copyright © FrontDesk developers; MIT OR Apache-2.0",
        )
        .set("OriginalFilename", "frontdesk.exe")
        .set("InternalName", "frontdesk")
        .set("FileVersion", &version)
        .set("ProductVersion", &version);
    res.compile_for("frontdesk")
}
