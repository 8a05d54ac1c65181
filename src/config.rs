//! Where the data lives: the `frontdesk.toml` configuration files that office IT writes.
//!
//! Two files are read at start, the machine-wide one first and then the current user's; a key in
//! the user's file overrides the same key in the machine-wide one. `--db` overrides both. Each
//! value remembers where it came from, so Settings and `frontdesk config` can show it.
//!
//! ```toml
//! # FrontDesk configuration
//! database = 'D:\FrontDesk\frontdesk.sqlite3'
//! backup_folder = 'D:\FrontDesk\backups'
//! # How many backups the rotation keeps (each optional; overrides 设置 → 数据)
//! backup_keep_recent = 8
//! backup_keep_daily = 7
//! backup_keep_weekly = 4
//! backup_keep_monthly = 12
//! ```
//!
//! Relative paths are taken from the folder of the file they are written in. A file that exists
//! but cannot be read or parsed, an unknown key or an empty value is an error naming the file and
//! line: FrontDesk never falls back silently to another database.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file name of a configuration file.
pub const FILE_NAME: &str = "frontdesk.toml";

/// Environment variable that replaces the machine-wide configuration file's path.
pub const MACHINE_CONFIG_ENV: &str = "FRONTDESK_MACHINE_CONFIG";

/// Environment variable that replaces the per-user configuration file's path.
pub const USER_CONFIG_ENV: &str = "FRONTDESK_USER_CONFIG";

/// Which configuration file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// For every user of the PC (written by IT or the installer).
    Machine,
    /// For the current user only.
    User,
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The `--db` option on the command line.
    CommandLine,
    /// A configuration file.
    File {
        /// Machine-wide or per user.
        scope: Scope,
        /// The file.
        path: PathBuf,
        /// The line of the value in it (1-based).
        line: usize,
    },
    /// Nothing configured: the built-in default.
    Default,
}

impl Source {
    /// Says where the value came from, in the current UI language.
    pub fn describe(&self) -> String {
        use crate::i18n::{t, tf};
        match self {
            Self::CommandLine => t("config.from_command_line").to_owned(),
            Self::File { scope, path, line } => tf(
                match scope {
                    Scope::Machine => "config.from_machine_file",
                    Scope::User => "config.from_user_file",
                },
                &[
                    ("path", &path.display().to_string()),
                    ("line", &line.to_string()),
                ],
            ),
            Self::Default => t("config.from_default").to_owned(),
        }
    }
}

/// A configured value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

impl Sourced<PathBuf> {
    /// The location as it may be shown: a path, or a server URL without its password.
    pub fn shown(&self) -> String {
        crate::store::shown_location(&self.value)
    }
}

/// One configuration file that was looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileState {
    /// Machine-wide or per user.
    pub scope: Scope,
    /// Where it is looked for.
    pub path: PathBuf,
    /// Whether it exists (and was read).
    pub present: bool,
}

/// The resolved configuration: what FrontDesk uses, and where each choice came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The database file.
    pub database: Sourced<PathBuf>,
    /// The folder automatic and `frontdesk backup` copies go to (default: the database's folder).
    pub backup_folder: Sourced<PathBuf>,
    /// Rotation counts set in a file (`backup_keep_recent`, `…_daily`, `…_weekly`,
    /// `…_monthly`, in the order of [`crate::store::backup::ROTATION_KEYS`]); a count set here
    /// wins over the one saved in the app's settings.
    pub backup_keep: [Option<Sourced<u32>>; 4],
    /// The password for a server `database` whose URL has none (`database_password`). Keep a
    /// file that holds it readable only by the accounts that need it; a password file
    /// (`PGPASSFILE`) or the prompt at start are the alternatives.
    pub database_password: Option<Sourced<String>>,
    /// This desk's name as its colleagues know it ("1号台"; `desk_name`), kept with each step it
    /// records and shown on the board; default: the PC's name.
    pub desk_name: Option<Sourced<String>>,
    /// The files looked for, machine-wide first.
    pub files: Vec<FileState>,
}

impl Config {
    /// The rotation in force: each count from the configuration file if set there, else from
    /// `saved` (the app's settings).
    pub fn rotation(
        &self,
        saved: crate::store::backup::Rotation,
    ) -> crate::store::backup::Rotation {
        let mut counts = saved.counts();
        for (count, configured) in counts.iter_mut().zip(&self.backup_keep) {
            if let Some(c) = configured {
                *count = c.value;
            }
        }
        crate::store::backup::Rotation::from_counts(counts)
    }
}

impl Config {
    /// A configuration that only names a database (tests, and a window opened on a given file):
    /// the database came from the command line and backups go beside it.
    pub fn for_database(database: &Path) -> Self {
        Self {
            database: Sourced {
                value: database.to_path_buf(),
                source: Source::CommandLine,
            },
            backup_folder: Sourced {
                value: folder_of(database),
                source: Source::Default,
            },
            backup_keep: [None, None, None, None],
            database_password: None,
            desk_name: None,
            files: Vec::new(),
        }
    }

    /// Whether the database is on a PostgreSQL server.
    pub fn on_server(&self) -> bool {
        crate::store::is_server_url(&self.database.value)
    }

    /// Where to open the database: the configured location, and for a server whose URL has no
    /// password of its own, `database_password` added to it.
    pub fn database_location(&self) -> PathBuf {
        let value = &self.database.value;
        match &self.database_password {
            Some(password) if crate::store::is_server_url(value) => {
                let url = value.to_string_lossy();
                if crate::store::connect::has_url_password(&url) {
                    value.clone()
                } else {
                    PathBuf::from(crate::store::connect::with_password(&url, &password.value))
                }
            }
            _ => value.clone(),
        }
    }
}

/// A configuration file that FrontDesk cannot use.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid, or a value in it is not acceptable.
    #[error("{}, line {line}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file could not be written (`frontdesk config set`).
    #[error("cannot write {}: {source}", path.display())]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No such setting.
    #[error(
        "unknown setting '{0}' (known: database, backup_folder, backup_keep_recent, backup_keep_daily, backup_keep_weekly, backup_keep_monthly)"
    )]
    UnknownKey(String),
}

impl ConfigError {
    /// The message for the user, in the current UI language.
    pub fn user_message(&self) -> String {
        use crate::i18n::tf;
        match self {
            Self::Unreadable { path, source } | Self::Unwritable { path, source } => tf(
                if matches!(self, Self::Unreadable { .. }) {
                    "config.unreadable"
                } else {
                    "config.unwritable"
                },
                &[
                    ("path", &path.display().to_string()),
                    ("detail", &source.to_string()),
                ],
            ),
            Self::Invalid {
                path,
                line,
                message,
            } => tf(
                "config.invalid",
                &[
                    ("path", &path.display().to_string()),
                    ("line", &line.to_string()),
                    ("detail", message),
                ],
            ),
            Self::UnknownKey(key) => tf("config.unknown_key", &[("key", key)]),
        }
    }
}

/// The keys of a configuration file. Unknown keys are errors, so a typo is caught.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileValues {
    database: Option<toml::Spanned<String>>,
    backup_folder: Option<toml::Spanned<String>>,
    backup_keep_recent: Option<toml::Spanned<i64>>,
    backup_keep_daily: Option<toml::Spanned<i64>>,
    backup_keep_weekly: Option<toml::Spanned<i64>>,
    backup_keep_monthly: Option<toml::Spanned<i64>>,
    database_password: Option<toml::Spanned<String>>,
    desk_name: Option<toml::Spanned<String>>,
}

impl FileValues {
    /// The rotation counts, in the order of [`crate::store::backup::ROTATION_KEYS`].
    fn keep(&self) -> [&Option<toml::Spanned<i64>>; 4] {
        [
            &self.backup_keep_recent,
            &self.backup_keep_daily,
            &self.backup_keep_weekly,
            &self.backup_keep_monthly,
        ]
    }
}

/// The longest desk name (`desk_name`).
pub const DESK_NAME_MAX: usize = 40;

/// Whether `name` (trimmed) can name a desk: 1 to [`DESK_NAME_MAX`] characters, none a control
/// character.
fn is_desk_name(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= DESK_NAME_MAX && !name.chars().any(char::is_control)
}

/// The settings a configuration file can hold, as `frontdesk config set` names them.
pub const KEYS: [&str; 8] = [
    "database",
    "backup_folder",
    "backup_keep_recent",
    "backup_keep_daily",
    "backup_keep_weekly",
    "backup_keep_monthly",
    "database_password",
    "desk_name",
];

/// Whether `key` holds a path (the others hold counts).
fn is_path_key(key: &str) -> bool {
    matches!(key, "database" | "backup_folder")
}

/// Where the machine-wide configuration file is looked for: [`MACHINE_CONFIG_ENV`] if set, else
/// `%ProgramData%\FrontDesk\frontdesk.toml` on Windows, `/etc/frontdesk/frontdesk.toml` elsewhere.
pub fn machine_config_path() -> PathBuf {
    if let Some(p) = std::env::var_os(MACHINE_CONFIG_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if cfg!(windows) {
        let program_data = std::env::var_os("ProgramData")
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from(r"C:\ProgramData"), PathBuf::from);
        program_data.join("FrontDesk").join(FILE_NAME)
    } else {
        PathBuf::from("/etc/frontdesk").join(FILE_NAME)
    }
}

/// Where the current user's configuration file is looked for: [`USER_CONFIG_ENV`] if set, else
/// the per-user configuration folder of the OS (`~/.config/frontdesk/frontdesk.toml` on Linux,
/// `%APPDATA%\FrontDesk\FrontDesk\config\frontdesk.toml` on Windows).
pub fn user_config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(USER_CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join(FILE_NAME))
}

/// The configuration file of a scope.
pub fn config_path(scope: Scope) -> Option<PathBuf> {
    match scope {
        Scope::Machine => Some(machine_config_path()),
        Scope::User => user_config_path(),
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("cn", "FrontDesk", "FrontDesk")
}

/// The default database: `frontdesk.sqlite3` in the per-user data folder of the OS.
pub fn default_database() -> PathBuf {
    project_dirs().map_or_else(
        || PathBuf::from("frontdesk.sqlite3"),
        |dirs| dirs.data_dir().join("frontdesk.sqlite3"),
    )
}

/// Where the heads of the databases' records of changes are kept outside the files (see
/// `store::seal`): `anchors` in the per-user data folder of the OS.
pub fn anchor_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("anchors"))
}

/// Reads the configuration files where the OS keeps them, then applies `--db`.
pub fn load(db_option: Option<&Path>) -> Result<Config, ConfigError> {
    let files = [
        (Scope::Machine, Some(machine_config_path())),
        (Scope::User, user_config_path()),
    ];
    let files: Vec<(Scope, PathBuf)> = files
        .into_iter()
        .filter_map(|(scope, path)| path.map(|p| (scope, p)))
        .collect();
    load_from(&files, db_option)
}

/// Reads the given configuration files in order (later ones override earlier ones), then applies
/// `--db`. A missing file is skipped; a bad one is an error.
pub fn load_from(
    files: &[(Scope, PathBuf)],
    db_option: Option<&Path>,
) -> Result<Config, ConfigError> {
    let mut database: Option<Sourced<PathBuf>> = None;
    let mut backup_folder: Option<Sourced<PathBuf>> = None;
    let mut backup_keep: [Option<Sourced<u32>>; 4] = [None, None, None, None];
    let mut database_password = None;
    let mut desk_name = None;
    let mut states = Vec::new();
    for (scope, path) in files {
        let Some(text) = read_if_present(path)? else {
            states.push(FileState {
                scope: *scope,
                path: path.clone(),
                present: false,
            });
            continue;
        };
        states.push(FileState {
            scope: *scope,
            path: path.clone(),
            present: true,
        });
        let values: FileValues = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.clone(),
            line: e.span().map_or(1, |s| line_of(&text, s.start)),
            message: e.message().trim().to_owned(),
        })?;
        let resolve = |value: &toml::Spanned<String>| -> Result<Sourced<PathBuf>, ConfigError> {
            let line = line_of(&text, value.span().start);
            let raw = value.get_ref().trim();
            if raw.is_empty() {
                return Err(ConfigError::Invalid {
                    path: path.clone(),
                    line,
                    message: "the path is empty".to_owned(),
                });
            }
            if raw.contains('\0') {
                return Err(ConfigError::Invalid {
                    path: path.clone(),
                    line,
                    message: "the path contains a NUL character".to_owned(),
                });
            }
            let raw = PathBuf::from(raw);
            // A server URL is kept as written, never taken as a path relative to the file.
            let value = if raw.is_absolute() || crate::store::is_server_url(&raw) {
                raw
            } else {
                folder_of(path).join(raw)
            };
            Ok(Sourced {
                value,
                source: Source::File {
                    scope: *scope,
                    path: path.clone(),
                    line,
                },
            })
        };
        if let Some(v) = &values.database {
            database = Some(resolve(v)?);
        }
        if let Some(v) = &values.backup_folder {
            backup_folder = Some(resolve(v)?);
        }
        if let Some(v) = &values.database_password {
            database_password = Some(Sourced {
                value: v.get_ref().clone(),
                source: Source::File {
                    scope: *scope,
                    path: path.clone(),
                    line: line_of(&text, v.span().start),
                },
            });
        }
        if let Some(v) = &values.desk_name {
            let line = line_of(&text, v.span().start);
            let name = v.get_ref().trim();
            if !is_desk_name(name) {
                return Err(ConfigError::Invalid {
                    path: path.clone(),
                    line,
                    message: format!("desk_name must be 1 to {DESK_NAME_MAX} characters"),
                });
            }
            desk_name = Some(Sourced {
                value: name.to_owned(),
                source: Source::File {
                    scope: *scope,
                    path: path.clone(),
                    line,
                },
            });
        }
        for (slot, value) in backup_keep.iter_mut().zip(values.keep()) {
            if let Some(v) = value {
                let line = line_of(&text, v.span().start);
                let range = crate::domain::validation::KEEP_COUNT;
                let n = *v.get_ref();
                if !range.contains(&n) {
                    return Err(ConfigError::Invalid {
                        path: path.clone(),
                        line,
                        message: format!(
                            "a number of backups to keep must be {} to {}",
                            range.start(),
                            range.end()
                        ),
                    });
                }
                *slot = Some(Sourced {
                    value: u32::try_from(n).unwrap_or(0),
                    source: Source::File {
                        scope: *scope,
                        path: path.clone(),
                        line,
                    },
                });
            }
        }
    }
    if let Some(db) = db_option {
        database = Some(Sourced {
            value: db.to_path_buf(),
            source: Source::CommandLine,
        });
    }
    let database = database.unwrap_or_else(|| Sourced {
        value: default_database(),
        source: Source::Default,
    });
    let backup_folder = backup_folder.unwrap_or_else(|| Sourced {
        value: folder_of(&database.value),
        source: Source::Default,
    });
    Ok(Config {
        database,
        backup_folder,
        backup_keep,
        database_password,
        desk_name,
        files: states,
    })
}

/// Sets one key in a configuration file, creating the file and its folder when missing and
/// keeping everything else in it (comments included).
pub fn set_value(path: &Path, key: &str, value: &str) -> Result<(), ConfigError> {
    if !KEYS.contains(&key) {
        return Err(ConfigError::UnknownKey(key.to_owned()));
    }
    let value = value.trim();
    let item = if key == "database_password" {
        toml_edit::value(value)
    } else if key == "desk_name" {
        if !is_desk_name(value) {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line: 1,
                message: format!("desk_name must be 1 to {DESK_NAME_MAX} characters"),
            });
        }
        toml_edit::value(value)
    } else if is_path_key(key) {
        if value.is_empty() || value.contains('\0') {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line: 1,
                message: format!("the value of {key} must be a non-empty path"),
            });
        }
        toml_edit::value(value)
    } else {
        let range = crate::domain::validation::KEEP_COUNT;
        match value.parse::<i64>() {
            Ok(n) if range.contains(&n) => toml_edit::value(n),
            _ => {
                return Err(ConfigError::Invalid {
                    path: path.to_path_buf(),
                    line: 1,
                    message: format!(
                        "the value of {key} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                });
            }
        }
    };
    let existing = read_if_present(path)?;
    let text = existing.clone().unwrap_or_default();
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ConfigError::Invalid {
                path: path.to_path_buf(),
                line: e.span().map_or(1, |s| line_of(&text, s.start)),
                message: e.message().trim().to_owned(),
            })?;
    doc[key] = item;
    let mut new_text = doc.to_string();
    if existing.is_none() {
        new_text.insert_str(
            0,
            "# FrontDesk (前台客服台) configuration; see README.md, \"Install\".\n",
        );
    }
    if !new_text.ends_with('\n') {
        new_text.push('\n');
    }
    // Check the result the way it will be read, so nothing unreadable is ever written.
    toml::from_str::<FileValues>(&new_text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: e.span().map_or(1, |s| line_of(&new_text, s.start)),
        message: e.message().trim().to_owned(),
    })?;
    let unwritable = |source| ConfigError::Unwritable {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(unwritable)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, new_text).map_err(unwritable)?;
    std::fs::rename(&tmp, path).map_err(unwritable)
}

fn read_if_present(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| ConfigError::Invalid {
                path: path.to_path_buf(),
                line: line_of_bytes(e.as_bytes(), e.utf8_error().valid_up_to()),
                message: "the file is not UTF-8 text".to_owned(),
            })?;
            // Notepad may save UTF-8 with a byte-order mark.
            Ok(Some(
                text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned(),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The folder a file is in ("." for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    line_of_bytes(text.as_bytes(), byte)
}

fn line_of_bytes(bytes: &[u8], byte: usize) -> usize {
    1 + bytes[..byte.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Machine => "machine",
            Self::User => "user",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn user_file_overrides_machine_file_and_db_option_overrides_both() {
        let dir = tempfile::tempdir().unwrap();
        let machine = write(
            dir.path(),
            "machine.toml",
            "# IT\ndatabase = '/srv/fd/main.sqlite3'\nbackup_folder = '/srv/fd/backups'\n",
        );
        let user = write(
            dir.path(),
            "user.toml",
            "\n\ndatabase = \"/home/a/fd.sqlite3\"\n",
        );
        let files = [
            (Scope::Machine, machine.clone()),
            (Scope::User, user.clone()),
        ];
        let c = load_from(&files, None).unwrap();
        assert_eq!(c.database.value, PathBuf::from("/home/a/fd.sqlite3"));
        assert_eq!(
            c.database.source,
            Source::File {
                scope: Scope::User,
                path: user,
                line: 3
            }
        );
        assert_eq!(c.backup_folder.value, PathBuf::from("/srv/fd/backups"));
        assert_eq!(
            c.backup_folder.source,
            Source::File {
                scope: Scope::Machine,
                path: machine,
                line: 3
            }
        );
        let c = load_from(&files, Some(Path::new("x.sqlite3"))).unwrap();
        assert_eq!(c.database.value, PathBuf::from("x.sqlite3"));
        assert_eq!(c.database.source, Source::CommandLine);
        assert!(c.files.iter().all(|f| f.present));
    }

    #[test]
    fn missing_files_give_the_default_database_and_backups_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let files = [(Scope::Machine, dir.path().join("none.toml"))];
        let c = load_from(&files, None).unwrap();
        assert_eq!(c.database.source, Source::Default);
        assert_eq!(c.database.value, default_database());
        assert_eq!(c.backup_folder.source, Source::Default);
        assert_eq!(
            Some(c.backup_folder.value.as_path()),
            c.database.value.parent()
        );
        assert!(!c.files[0].present);
    }

    #[test]
    fn rotation_counts_from_a_file_override_the_settings() {
        use crate::store::backup::Rotation;
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "a.toml",
            "database = 'fd.sqlite3'\nbackup_keep_daily = 30\nbackup_keep_monthly = 0\n",
        );
        let c = load_from(&[(Scope::Machine, f.clone())], None).unwrap();
        let saved = Rotation::from_counts([5, 6, 7, 8]);
        assert_eq!(c.rotation(saved), Rotation::from_counts([5, 30, 7, 0]));
        assert_eq!(
            c.backup_keep[1].as_ref().map(|s| s.source.clone()),
            Some(Source::File {
                scope: Scope::Machine,
                path: f.clone(),
                line: 2
            })
        );
        assert!(c.backup_keep[0].is_none());
        for bad in ["backup_keep_weekly = -1\n", "backup_keep_weekly = 1001\n"] {
            let f = write(dir.path(), "b.toml", bad);
            let e = load_from(&[(Scope::User, f)], None).unwrap_err();
            assert!(matches!(e, ConfigError::Invalid { line: 1, .. }), "{e:?}");
        }
        let f = write(dir.path(), "b.toml", "backup_keep_weekly = 'four'\n");
        assert!(load_from(&[(Scope::User, f)], None).is_err());
        // `config set` writes numbers as numbers, and refuses what is not one.
        let g = dir.path().join("set.toml");
        set_value(&g, "backup_keep_recent", "12").unwrap();
        assert!(
            std::fs::read_to_string(&g)
                .unwrap()
                .contains("backup_keep_recent = 12")
        );
        let c = load_from(&[(Scope::User, g.clone())], None).unwrap();
        assert_eq!(c.backup_keep[0].as_ref().map(|s| s.value), Some(12));
        assert!(set_value(&g, "backup_keep_recent", "lots").is_err());
        assert!(set_value(&g, "backup_keep_recent", "5000").is_err());
    }

    #[test]
    fn a_server_url_in_a_file_is_kept_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "a.toml",
            "database = 'postgres://desk@db.example:5432/frontdesk'\n",
        );
        let c = load_from(&[(Scope::Machine, f)], None).unwrap();
        assert_eq!(
            c.database.value,
            PathBuf::from("postgres://desk@db.example:5432/frontdesk")
        );
    }

    #[test]
    fn relative_paths_are_taken_from_the_files_folder() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "a.toml", "database = 'data/fd.sqlite3'\n");
        let c = load_from(&[(Scope::User, f)], None).unwrap();
        assert_eq!(c.database.value, dir.path().join("data/fd.sqlite3"));
        // Backups go beside the configured database when no folder is configured.
        assert_eq!(c.backup_folder.value, dir.path().join("data"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        for (text, line, needle) in [
            ("# ok\n\ndatabase = /no/quotes\n", 3, "string"),
            ("database = 'a'\ndatabse = 'b'\n", 2, "databse"),
            ("database = 5\n", 1, "string"),
            ("\nbackup_folder = '   '\n", 2, "empty"),
            ("database = 'a'\ndatabase = 'b'\n", 2, "duplicate"),
        ] {
            let f = write(dir.path(), "bad.toml", text);
            let err = load_from(&[(Scope::Machine, f.clone())], None).unwrap_err();
            let ConfigError::Invalid {
                path,
                line: l,
                message,
            } = &err
            else {
                panic!("{err:?}");
            };
            assert_eq!((path, *l), (&f, line), "{text:?}: {message}");
            assert!(
                message.to_lowercase().contains(needle),
                "{text:?}: {message}"
            );
            let shown = err.user_message();
            assert!(shown.contains(&f.display().to_string()), "{shown}");
            assert!(shown.contains(&line.to_string()), "{shown}");
        }
    }

    #[test]
    fn a_bad_machine_file_is_an_error_even_when_the_user_file_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let machine = write(dir.path(), "m.toml", "database = [\n");
        let user = write(dir.path(), "u.toml", "database = 'fine.sqlite3'\n");
        assert!(load_from(&[(Scope::Machine, machine), (Scope::User, user)], None).is_err());
    }

    #[test]
    fn not_utf8_and_unreadable_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("latin1.toml");
        std::fs::write(&f, b"# ok\ndatabase = '\xe9'\n").unwrap();
        let err = load_from(&[(Scope::User, f)], None).unwrap_err();
        assert!(
            matches!(err, ConfigError::Invalid { line: 2, .. }),
            "{err:?}"
        );
        // A folder where the file should be cannot be read as a file.
        let d = dir.path().join("folder.toml");
        std::fs::create_dir(&d).unwrap();
        let err = load_from(&[(Scope::User, d)], None).unwrap_err();
        assert!(matches!(err, ConfigError::Unreadable { .. }), "{err:?}");
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "bom.toml",
            "\u{feff}database = 'C:/fd.sqlite3'\n",
        );
        let c = load_from(&[(Scope::Machine, f)], None).unwrap();
        assert!(c.database.value.ends_with("fd.sqlite3"));
    }

    #[test]
    fn set_value_creates_updates_and_keeps_comments() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("sub").join("frontdesk.toml");
        // A Windows path with backslashes is written so that it reads back unchanged.
        set_value(&f, "database", r"D:\FrontDesk\frontdesk.sqlite3").unwrap();
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.starts_with("# FrontDesk"), "{text}");
        assert!(text.ends_with('\n'), "{text}");
        let values: FileValues = toml::from_str(&text).unwrap();
        assert_eq!(
            values.database.unwrap().into_inner(),
            r"D:\FrontDesk\frontdesk.sqlite3"
        );
        std::fs::write(
            &f,
            format!("# kept\n{}", std::fs::read_to_string(&f).unwrap()),
        )
        .unwrap();
        set_value(&f, "backup_folder", "/b 'quoted' \"too\"").unwrap();
        set_value(&f, "database", "/new.sqlite3").unwrap();
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.contains("# kept"), "{text}");
        let c = load_from(&[(Scope::Machine, f.clone())], None).unwrap();
        assert_eq!(c.database.value, PathBuf::from("/new.sqlite3"));
        assert_eq!(c.backup_folder.value, PathBuf::from("/b 'quoted' \"too\""));
        assert!(matches!(
            set_value(&f, "colour", "x"),
            Err(ConfigError::UnknownKey(_))
        ));
        assert!(set_value(&f, "database", "  ").is_err());
    }
}
