//! Finding the files to check and reading them as text.
//!
//! Everything that can go wrong with a path ends up as a [`LoadError`] whose `Display` is
//! one short sentence; the caller prefixes the path. Nothing here panics on odd input.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Files above this size are skipped: no flow definition comes close (the service caps a
/// whole API request at 1 MiB), and reading a multi-gigabyte log by mistake should not
/// exhaust memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Directory names never descended into: they hold build output, dependencies or tool
/// state, never our flows, and can be huge.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

#[derive(Debug)]
pub enum LoadError {
    NotFound,
    PermissionDenied,
    TooBig {
        bytes: u64,
    },
    Binary,
    /// A FIFO, socket or device: reading one could block forever.
    NotAFile,
    Utf16,
    NotUtf8 {
        offset: usize,
    },
    Io(io::Error),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound => f.write_str("no such file or directory"),
            LoadError::PermissionDenied => f.write_str("permission denied"),
            LoadError::TooBig { bytes } => write!(
                f,
                "file is too big ({:.1} MiB, the limit is {} MiB); skipped",
                *bytes as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            LoadError::Binary => f.write_str("binary file (contains NUL bytes); skipped"),
            LoadError::NotAFile => f.write_str("not a regular file (a pipe, socket or device); skipped"),
            LoadError::Utf16 => f.write_str("UTF-16 text; only UTF-8 is supported, skipped"),
            LoadError::NotUtf8 { offset } => {
                write!(f, "not UTF-8 text (invalid byte at offset {offset}); skipped")
            }
            LoadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<io::Error> for LoadError {
    fn from(e: io::Error) -> LoadError {
        match e.kind() {
            io::ErrorKind::NotFound => LoadError::NotFound,
            io::ErrorKind::PermissionDenied => LoadError::PermissionDenied,
            _ => LoadError::Io(e),
        }
    }
}

/// Reads a file as UTF-8 text without its byte-order mark.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    // Opening a FIFO blocks until a writer appears: look before opening.
    if !fs::metadata(path)?.is_file() {
        return Err(LoadError::NotAFile);
    }
    let file = fs::File::open(path)?;
    let declared = file.metadata()?.len();
    if declared > MAX_FILE_BYTES {
        return Err(LoadError::TooBig { bytes: declared });
    }
    // Special files (pipes, /dev/zero) report no size, so the limit is enforced while reading too.
    let mut bytes = Vec::with_capacity(declared as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooBig { bytes: bytes.len() as u64 });
    }
    decode(bytes)
}

/// Turns file bytes into text. The UTF-8 byte-order mark is dropped: editors do not count it
/// as a character, so positions computed without it are the ones they show.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, LoadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::Utf16);
    }
    if bytes.contains(&0) {
        return Err(LoadError::Binary);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 { offset: e.utf8_error().valid_up_to() })
}

/// What a recursive search of one directory found.
#[derive(Debug, Default)]
pub struct Walk {
    /// `*.yaml`, `*.yml` and `*.tf` files in a deterministic (sorted, depth-first) order.
    pub files: Vec<PathBuf>,
    /// Directories that could not be listed, with why.
    pub errors: Vec<(PathBuf, LoadError)>,
}

/// Name of the file that lists, one name per line, entries of its directory that a directory
/// search skips (`#` starts a comment; a trailing `/` is allowed). It exists for folders of
/// deliberately broken flows next to good ones: `fdl check examples/` stays clean while
/// `fdl check examples/broken` still checks them, because a named path is always searched.
pub const IGNORE_FILE: &str = ".fdlignore";

/// Lists the YAML and Terraform files under `dir`. Hidden directories, `target`, `node_modules` and the
/// entries named in an [`IGNORE_FILE`] are skipped, and symbolic links to directories are
/// not followed (they could form cycles).
pub fn walk(dir: &Path) -> Walk {
    let mut walk = Walk::default();
    walk_into(dir, &mut walk);
    walk
}

fn walk_into(dir: &Path, walk: &mut Walk) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            walk.errors.push((dir.to_path_buf(), e.into()));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    let ignored = ignored_names(dir);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if ignored.iter().any(|i| *i == name) {
            continue;
        }
        // `file_type` does not follow links, so a link to a directory is neither dir nor file here.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref()) {
                walk_into(&path, walk);
            }
        } else if (is_yaml_name(&name) || is_terraform_name(Path::new(name.as_ref())))
            && (kind.is_file() || path.is_file())
        {
            walk.files.push(path);
        }
    }
}

fn ignored_names(dir: &Path) -> Vec<String> {
    // An unreadable ignore file ignores nothing: worst case, more files are checked.
    let Ok(list) = fs::read_to_string(dir.join(IGNORE_FILE)) else { return Vec::new() };
    parse_ignore_list(&list)
}

fn parse_ignore_list(list: &str) -> Vec<String> {
    list.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim().trim_end_matches('/'))
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// A Terraform configuration file (`*.tf`).
pub fn is_terraform_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped() {
        assert_eq!(decode(b"\xEF\xBB\xBFType: StateMachine\n".to_vec()).unwrap(), "Type: StateMachine\n");
    }

    #[test]
    fn binary_and_foreign_encodings_are_refused() {
        assert!(matches!(decode(b"a: 1\n\0\x01".to_vec()), Err(LoadError::Binary)));
        assert!(matches!(decode(b"\xFF\xFEa\0:\0".to_vec()), Err(LoadError::Utf16)));
        let err = decode(b"Name: caf\xE9\n".to_vec()).unwrap_err();
        assert!(matches!(err, LoadError::NotUtf8 { offset: 9 }));
        assert_eq!(err.to_string(), "not UTF-8 text (invalid byte at offset 9); skipped");
    }

    #[test]
    fn messages_are_one_line() {
        let all = [
            LoadError::NotFound,
            LoadError::PermissionDenied,
            LoadError::TooBig { bytes: 11 * 1024 * 1024 },
            LoadError::Binary,
            LoadError::NotAFile,
            LoadError::Utf16,
            LoadError::NotUtf8 { offset: 3 },
            LoadError::Io(io::Error::other("boom")),
        ];
        for e in all {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
        assert_eq!(
            LoadError::TooBig { bytes: 11 * 1024 * 1024 }.to_string(),
            "file is too big (11.0 MiB, the limit is 10 MiB); skipped"
        );
    }

    #[test]
    fn ignore_lists() {
        assert_eq!(
            parse_ignore_list("# broken on purpose\nbroken/\n\n  old.yaml  # superseded\n"),
            ["broken", "old.yaml"]
        );
    }

    #[test]
    fn yaml_names() {
        assert!(is_yaml_name("flow.yaml"));
        assert!(is_yaml_name("flow.fdl.YML"));
        assert!(!is_yaml_name("flow.json"));
        assert!(!is_yaml_name("yaml"));
    }
}
