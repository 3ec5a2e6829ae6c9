//! The catalogues the server knows: the built-in ones plus every file of `--catalogues DIR`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratecard_rules::{Catalogue, DEFAULT_CATALOGUE_ID, RuleError};

/// The largest catalogue file the server reads (1 MiB). A catalogue is a few KiB.
pub const MAX_CATALOGUE_FILE_BYTES: u64 = 1024 * 1024;

/// Why the catalogue directory could not be loaded. The server refuses to start.
#[derive(Debug)]
pub enum LoadError {
    /// The directory or a file in it could not be read.
    Io {
        /// The path at fault.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// A file is larger than [`MAX_CATALOGUE_FILE_BYTES`].
    TooLarge {
        /// The path at fault.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// A file that fails to parse or validate: the error names the file, the field and
    /// the problem.
    Invalid(RuleError),
    /// Two catalogues with one id.
    Duplicate {
        /// The id.
        id: String,
        /// Where the first one came from.
        first: String,
        /// Where the second one came from.
        second: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            LoadError::TooLarge { path, bytes } => write!(
                f,
                "{}: the file is {bytes} bytes; a catalogue file is at most {MAX_CATALOGUE_FILE_BYTES} bytes",
                path.display()
            ),
            LoadError::Invalid(e) => write!(f, "{e}"),
            LoadError::Duplicate { id, first, second } => write!(
                f,
                "{second}: `id`: the catalogue id `{id}` is already used by {first}; ids must be unique"
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// One known catalogue and where it came from.
#[derive(Debug)]
struct Entry {
    catalogue: Arc<Catalogue>,
    source: String,
}

/// The catalogues the server knows: the built-in ones in their own order (the default
/// `stable-audio` first), then those of `--catalogues` by file name. Immutable once built.
#[derive(Debug)]
pub struct Registry {
    entries: Vec<Entry>,
    by_id: BTreeMap<String, usize>,
}

impl Registry {
    /// The built-in catalogues only.
    ///
    /// # Errors
    ///
    /// Only if a built-in catalogue fails its own validation, which the rules crate's
    /// tests rule out.
    pub fn builtin() -> Result<Registry, LoadError> {
        let mut registry = Registry {
            entries: Vec::new(),
            by_id: BTreeMap::new(),
        };
        for id in Catalogue::builtin_ids() {
            let catalogue = Catalogue::builtin(id).map_err(LoadError::Invalid)?;
            registry.insert(catalogue, format!("the built-in catalogue `{id}`"))?;
        }
        Ok(registry)
    }

    /// The built-in catalogues plus every `*.toml` and `*.json` file of `dir`.
    ///
    /// All or nothing: any file that cannot be read, parsed or validated, or that reuses
    /// an id, fails the whole load.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the file (and, for an invalid one, the field and problem).
    pub fn with_dir(dir: &Path) -> Result<Registry, LoadError> {
        let mut registry = Registry::builtin()?;
        let io = |path: &Path, error| LoadError::Io {
            path: path.to_owned(),
            error,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let entry = entry.map_err(|e| io(dir, e))?;
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "toml" | "json") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::metadata(&path).map_err(|e| io(&path, e))?.len();
            if bytes > MAX_CATALOGUE_FILE_BYTES {
                return Err(LoadError::TooLarge { path, bytes });
            }
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            let catalogue = if name.ends_with(".toml") {
                Catalogue::from_toml(&name, &text)
            } else {
                Catalogue::from_json(&name, &text)
            }
            .map_err(LoadError::Invalid)?;
            registry.insert(catalogue, name)?;
        }
        Ok(registry)
    }

    fn insert(&mut self, catalogue: Catalogue, source: String) -> Result<(), LoadError> {
        let id = catalogue.id().to_owned();
        if let Some(&existing) = self.by_id.get(&id) {
            return Err(LoadError::Duplicate {
                id,
                first: self.entries[existing].source.clone(),
                second: source,
            });
        }
        self.by_id.insert(id, self.entries.len());
        self.entries.push(Entry {
            catalogue: Arc::new(catalogue),
            source,
        });
        Ok(())
    }

    /// A catalogue by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownCatalogue`] listing the known ids.
    pub fn get(&self, id: &str) -> Result<Arc<Catalogue>, RuleError> {
        self.by_id
            .get(id)
            .and_then(|&i| self.entries.get(i))
            .map(|e| Arc::clone(&e.catalogue))
            .ok_or_else(|| RuleError::UnknownCatalogue {
                id: id.to_owned(),
                valid: self.ids(),
            })
    }

    /// The default catalogue, `stable-audio`.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownCatalogue`] if the build lacks it, which cannot happen.
    pub fn default_catalogue(&self) -> Result<Arc<Catalogue>, RuleError> {
        self.get(DEFAULT_CATALOGUE_ID)
    }

    /// Every known id, in registry order.
    #[must_use]
    pub fn ids(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| e.catalogue.id().to_owned())
            .collect()
    }

    /// Every known catalogue, in registry order.
    pub fn iter(&self) -> impl Iterator<Item = &Catalogue> {
        self.entries.iter().map(|e| e.catalogue.as_ref())
    }
}
