//! Installing the build and test tools, idempotently and only when missing.
//!
//! Each tool is checked with its `--version` first; only a missing or wrong version is
//! installed, and every install is printed. Trunk never downloads anything itself: it runs
//! offline against the tools installed here (see `Trunk.toml`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{Result, cmd, root, step};

const TRUNK_VERSION: &str = "0.21.14";
/// binaryen from npm: Debian's binaryen 108 produces Wasm that fails to load.
const BINARYEN_VERSION: &str = "132.0.0";
const WASM_OPT_VERSION_TAG: &str = "version 132";
/// terser from npm, which minifies `ratecard.js`: every page downloads it.
const TERSER_VERSION: &str = "5.51.4";

/// Where the build tools live, for `PATH`.
pub struct Tools {
    /// Directories to put in front of `PATH` when running Trunk or the wasm test runner.
    pub bin_dirs: Vec<PathBuf>,
    /// The `terser` command.
    pub terser: PathBuf,
}

/// The browser and its driver for the wasm and end-to-end tests.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Installs whatever of the wasm target, Trunk, wasm-bindgen-cli and wasm-opt is missing.
pub fn ensure_build_tools() -> Result<Tools> {
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    let bindgen = wasm_bindgen_version()?;
    check_trunk_pin(&bindgen)?;
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
    let binaryen_bin = ensure_wasm_opt()?;
    let terser = ensure_terser()?;
    ensure_std_source()?;
    Ok(Tools {
        bin_dirs: vec![binaryen_bin],
        terser,
    })
}

fn ensure_wasm_target() -> Result<()> {
    let installed = cmd("rustup")
        .args(["target", "list", "--installed"])
        .output_ok()
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target");
    cmd("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .status_ok("rustup target add wasm32-unknown-unknown")
}

/// Installs `krate` at `version` with `cargo install` unless `binary --version` says so.
fn ensure_cargo_tool(binary: &str, krate: &str, version: &str, locked: bool) -> Result<()> {
    let found = cmd(binary).arg("--version").output_ok().unwrap_or_default();
    if found.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    step(&format!(
        "installing {krate} {version} (cargo install; takes minutes once)"
    ));
    let mut install = cmd("cargo").args(["install", krate, "--version", version]);
    if locked {
        install = install.arg("--locked");
    }
    install.status_ok(&format!("cargo install {krate} {version}"))
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
fn wasm_bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

/// Trunk must be pinned to the same wasm-bindgen as Cargo.lock, or it would refuse offline.
fn check_trunk_pin(version: &str) -> Result<()> {
    let trunk_toml = fs::read_to_string(root().join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let pin = format!("wasm_bindgen = \"{version}\"");
    if trunk_toml.lines().any(|l| l.trim_start().starts_with(&pin)) {
        Ok(())
    } else {
        Err(format!(
            "Trunk.toml must pin `{pin}` to match Cargo.lock's wasm-bindgen {version}"
        ))
    }
}

/// The per-user directory for tools that do not come from cargo.
fn tools_dir() -> PathBuf {
    let cache = env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| crate::util::target_dir().join("tools"));
    cache.join("ratecard-tools")
}

/// Whether rustup has a nightly toolchain.
fn has_nightly() -> bool {
    cmd("rustup")
        .args(["toolchain", "list"])
        .output_ok()
        .is_some_and(|list| list.lines().any(|l| l.starts_with("nightly")))
}

/// Installs the nightly toolchain if it is missing and its `rust-src`, and fetches the standard library's own
/// dependencies into the local registry: the widget's bundles rebuild `std` (see
/// `widget::size_build`), and Trunk builds offline.
fn ensure_std_source() -> Result<()> {
    if !has_nightly() {
        step("installing the nightly toolchain (the widget's bundles rebuild std with it)");
        cmd("rustup")
            .args(["toolchain", "install", "nightly", "--profile", "minimal"])
            .status_ok("rustup toolchain install nightly")?;
    }
    let components = cmd("rustup")
        .args(["component", "list", "--installed", "--toolchain", "nightly"])
        .output_ok()
        .unwrap_or_default();
    if !components.lines().any(|l| l.trim() == "rust-src") {
        step("installing rust-src for the nightly toolchain");
        cmd("rustup")
            .args(["component", "add", "rust-src", "--toolchain", "nightly"])
            .status_ok("rustup component add rust-src")?;
    }
    let sysroot = cmd("rustc")
        .args(["+nightly", "--print", "sysroot"])
        .output_ok()
        .ok_or("rustc +nightly --print sysroot failed")?;
    let library = PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust/library/Cargo.toml");
    cmd("cargo")
        .args(["+nightly", "fetch", "--quiet", "--manifest-path"])
        .arg(&library)
        .status_ok("cargo fetch (the standard library's dependencies)")
}

/// Installs binaryen's wasm-opt from npm into the tools directory; returns its `bin` dir.
fn ensure_wasm_opt() -> Result<PathBuf> {
    let prefix = tools_dir().join("binaryen");
    let bin = prefix.join("node_modules").join(".bin");
    let found = cmd(bin.join("wasm-opt"))
        .arg("--version")
        .output_ok()
        .unwrap_or_default();
    if found.contains(WASM_OPT_VERSION_TAG) {
        return Ok(bin);
    }
    npm_install(&prefix, "binaryen", BINARYEN_VERSION)?;
    Ok(bin)
}

/// Installs terser from npm into the tools directory; returns the command's path.
fn ensure_terser() -> Result<PathBuf> {
    let prefix = tools_dir().join("terser");
    let terser = prefix.join("node_modules").join(".bin").join("terser");
    let found = cmd(&terser)
        .arg("--version")
        .output_ok()
        .unwrap_or_default();
    if found.trim() == format!("terser {TERSER_VERSION}") {
        return Ok(terser);
    }
    npm_install(&prefix, "terser", TERSER_VERSION)?;
    Ok(terser)
}

/// Installs `package` at `version` from npm into `prefix` (npm itself from Debian's
/// packages when missing), saying so first.
fn npm_install(prefix: &Path, package: &str, version: &str) -> Result<()> {
    ensure_debian_packages(&["npm"], &["npm"])?;
    step(&format!(
        "installing {package}@{version} (npm) into {}",
        prefix.display()
    ));
    fs::create_dir_all(prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    cmd("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(prefix)
        .arg(format!("{package}@{version}"))
        .status_ok(&format!("npm install {package}"))
}

/// Checks for the nightly toolchain (cargo-fuzz needs it) and installs cargo-fuzz when
/// missing.
pub fn ensure_cargo_fuzz() -> Result<()> {
    if !has_nightly() {
        return Err(
            "the fuzz targets need the nightly toolchain: rustup toolchain install nightly"
                .to_owned(),
        );
    }
    if cmd("cargo")
        .args(["fuzz", "--version"])
        .output_ok()
        .is_some()
    {
        return Ok(());
    }
    step("installing cargo-fuzz (cargo install; takes a minute or two once)");
    cmd("cargo")
        .args(["install", "cargo-fuzz", "--locked"])
        .status_ok("cargo install cargo-fuzz")
}

/// axe-core from npm, injected by the end-to-end tests to audit accessibility.
const AXE_CORE_VERSION: &str = "4.11.1";

/// Installs axe-core into the tools directory when missing; returns the path of
/// `axe.min.js`.
pub fn ensure_axe() -> Result<PathBuf> {
    let prefix = tools_dir().join("axe-core");
    let script = prefix
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js");
    let manifest = prefix
        .join("node_modules")
        .join("axe-core")
        .join("package.json");
    let installed = fs::read_to_string(&manifest)
        .is_ok_and(|m| m.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")));
    if installed && script.is_file() {
        return Ok(script);
    }
    npm_install(&prefix, "axe-core", AXE_CORE_VERSION)?;
    Ok(script)
}

/// Finds Chromium and chromedriver, installing Debian's packages when they are missing.
pub fn ensure_browser() -> Result<Browser> {
    let chromium =
        env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let chromedriver = env::var_os("CHROMEDRIVER")
        .map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from);
    if !chromium.exists() || !chromedriver.exists() {
        ensure_debian_packages(
            &["chromium", "chromedriver"],
            &["chromium", "chromium-driver"],
        )?;
    }
    for path in [&chromium, &chromedriver] {
        if !path.exists() {
            return Err(format!("{} is missing after installing", path.display()));
        }
    }
    Ok(Browser {
        chromium,
        chromedriver,
    })
}

/// Installs Debian packages unless every command in `commands` is already on `PATH`.
fn ensure_debian_packages(commands: &[&str], packages: &[&str]) -> Result<()> {
    if commands.iter().all(|c| on_path(c)) {
        return Ok(());
    }
    let is_root = cmd("id")
        .arg("-u")
        .output_ok()
        .is_some_and(|uid| uid.trim() == "0");
    let list = packages.join(" ");
    if !is_root {
        return Err(format!(
            "missing {}; install them with: sudo apt-get install -y {list}",
            commands.join(", ")
        ));
    }
    step(&format!("installing Debian packages: {list}"));
    cmd("apt-get")
        .args(["update", "-qq"])
        .status_ok("apt-get update")?;
    cmd("apt-get")
        .args(["install", "-y", "-qq"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status_ok(&format!("apt-get install {list}"))
}

fn on_path(command: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|paths| env::split_paths(&paths).any(|dir| is_file(&dir.join(command))))
}

fn is_file(path: &Path) -> bool {
    path.is_file()
}

/// PostgreSQL's server programs, for the throwaway clusters of `postgres.rs`.
pub struct Postgres {
    /// The directory of `initdb`, `pg_ctl` and `postgres`.
    pub bin_dir: PathBuf,
    /// `createdb`: beside them, or on `PATH`.
    pub createdb: PathBuf,
    /// What `postgres --version` says, such as `postgres (PostgreSQL) 15.14`.
    pub version: String,
}

/// The programs a throwaway cluster needs, all from one installation.
const POSTGRES_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Finds PostgreSQL's server programs (on `PATH`, then in `/usr/lib/postgresql/*/bin`,
/// newest first), installing Debian's `postgresql` when they are missing.
pub fn ensure_postgres() -> Result<Postgres> {
    if let Some(found) = find_postgres() {
        return Ok(found);
    }
    if !is_root() {
        return Err(
            "missing PostgreSQL's server programs (initdb, pg_ctl, postgres); install them with: \
             sudo apt-get install -y postgresql"
                .to_owned(),
        );
    }
    step("installing Debian packages: postgresql (for the store tests and benchmarks)");
    let install = || {
        cmd("apt-get")
            .args(["install", "-y", "-qq", "postgresql"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status_ok("apt-get install postgresql")
    };
    if install().is_err() {
        cmd("apt-get")
            .args(["update", "-qq"])
            .status_ok("apt-get update")?;
        install()?;
    }
    find_postgres().ok_or_else(|| {
        "initdb, pg_ctl and postgres are still missing after installing postgresql".to_owned()
    })
}

fn is_root() -> bool {
    cmd("id")
        .arg("-u")
        .output_ok()
        .is_some_and(|uid| uid.trim() == "0")
}

fn find_postgres() -> Option<Postgres> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(paths) = env::var_os("PATH") {
        for dir in env::split_paths(&paths) {
            let initdb = dir.join("initdb");
            if is_file(&initdb) {
                // Debian links /usr/local/bin/initdb and friends to the versioned folder,
                // which holds the others too.
                if let Some(real) = fs::canonicalize(&initdb)
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                {
                    candidates.push(real);
                }
                candidates.push(dir);
            }
        }
    }
    let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versioned.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    candidates.extend(versioned.into_iter().map(|(_, dir)| dir));
    let bin_dir = candidates
        .into_iter()
        .find(|dir| POSTGRES_PROGRAMS.iter().all(|p| is_file(&dir.join(p))))?;
    let createdb = if is_file(&bin_dir.join("createdb")) {
        bin_dir.join("createdb")
    } else if on_path("createdb") {
        PathBuf::from("createdb")
    } else {
        return None;
    };
    let version = cmd(bin_dir.join("postgres"))
        .arg("--version")
        .output_ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    Some(Postgres {
        bin_dir,
        createdb,
        version,
    })
}

/// schemathesis from PyPI, the OpenAPI fuzzer of `cargo xtask schemathesis`.
const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Installs schemathesis into a virtual environment in the tools directory when missing
/// (Debian's `python3-venv` first, when `python3` cannot make one); returns the path of
/// its `schemathesis` program.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = tools_dir().join("schemathesis");
    let program = venv.join("bin").join("schemathesis");
    let found = cmd(&program)
        .arg("--version")
        .output_ok()
        .unwrap_or_default();
    if found
        .split_whitespace()
        .any(|word| word == SCHEMATHESIS_VERSION)
    {
        return Ok(program);
    }
    // Debian's python3 makes virtual environments only with python3-venv (ensurepip).
    let can_make_venv = cmd("python3")
        .args(["-c", "import ensurepip, venv"])
        .output_ok()
        .is_some();
    if !can_make_venv {
        if !is_root() {
            return Err(
                "python3 cannot make a virtual environment; install it with: \
                 sudo apt-get install -y python3 python3-venv"
                    .to_owned(),
            );
        }
        step("installing Debian packages: python3 python3-venv");
        cmd("apt-get")
            .args(["update", "-qq"])
            .status_ok("apt-get update")?;
        cmd("apt-get")
            .args(["install", "-y", "-qq", "python3", "python3-venv"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status_ok("apt-get install python3-venv")?;
    }
    step(&format!(
        "installing schemathesis {SCHEMATHESIS_VERSION} (PyPI) into {}",
        venv.display()
    ));
    cmd("python3")
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .status_ok("python3 -m venv")?;
    cmd(venv.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}"))
        .status_ok(&format!("pip install schemathesis=={SCHEMATHESIS_VERSION}"))?;
    let found = cmd(&program)
        .arg("--version")
        .output_ok()
        .unwrap_or_default();
    if found
        .split_whitespace()
        .any(|word| word == SCHEMATHESIS_VERSION)
    {
        Ok(program)
    } else {
        Err(format!(
            "{} does not report version {SCHEMATHESIS_VERSION} after installing",
            program.display()
        ))
    }
}
