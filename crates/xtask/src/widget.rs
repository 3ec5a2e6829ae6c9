//! Building the widget: Trunk (offline, release), then the embed loader and the
//! precompressed variants the server sends.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tools::Tools;
use crate::util::{Result, cmd, root, step};

const LOADER_TEMPLATE: &str = "src/embed/loader.js";
const GLUE_PLACEHOLDER: &str = "__RATECARD_GLUE__";
const WASM_PLACEHOLDER: &str = "__RATECARD_WASM__";
const COMPRESSIBLE: [&str; 6] = ["html", "js", "wasm", "css", "json", "svg"];

/// Builds the widget into `dist/` and returns its path.
pub fn build(tools: &Tools) -> Result<PathBuf> {
    step("building the widget (trunk build --release, offline)");
    // Trunk passes --offline to cargo, so every dependency must be in the local registry.
    cmd("cargo").arg("fetch").status_ok("cargo fetch")?;
    cmd("trunk")
        .args(["build", "--release"])
        .path_prepend(&tools.bin_dirs)
        .status_ok("trunk build --release")?;
    let dist = root().join("dist");
    write_loader(&dist)?;
    compress_all(&dist)?;
    Ok(dist)
}

/// Writes `dist/ratecard.js` from the template, naming the hashed glue and Wasm.
fn write_loader(dist: &Path) -> Result<()> {
    let names = file_names(dist)?;
    let glue = names
        .iter()
        .find(|n| n.starts_with("ratecard-") && n.ends_with(".js"))
        .ok_or("trunk wrote no ratecard-<hash>.js")?;
    let wasm = names
        .iter()
        .find(|n| n.starts_with("ratecard-") && n.ends_with("_bg.wasm"))
        .ok_or("trunk wrote no ratecard-<hash>_bg.wasm")?;
    let template = fs::read_to_string(root().join(LOADER_TEMPLATE))
        .map_err(|e| format!("cannot read {LOADER_TEMPLATE}: {e}"))?;
    if !template.contains(GLUE_PLACEHOLDER) || !template.contains(WASM_PLACEHOLDER) {
        return Err(format!("{LOADER_TEMPLATE} lost its placeholders"));
    }
    let loader = template
        .replace(GLUE_PLACEHOLDER, glue)
        .replace(WASM_PLACEHOLDER, wasm);
    write(&dist.join("ratecard.js"), loader.as_bytes())
}

/// Writes `.br` and `.gz` siblings of every compressible file.
fn compress_all(dist: &Path) -> Result<()> {
    for entry in walk(dist)? {
        let ext = entry.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let raw = fs::read(&entry).map_err(|e| format!("cannot read {}: {e}", entry.display()))?;
        write(&sibling(&entry, "br"), &brotli_bytes(&raw)?)?;
        write(&sibling(&entry, "gz"), &gzip_bytes(&raw)?)?;
    }
    Ok(())
}

/// Brotli at quality 11, as the server sends it.
pub fn brotli_bytes(raw: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer
            .write_all(raw)
            .map_err(|e| format!("brotli failed: {e}"))?;
    }
    Ok(out)
}

/// Gzip at level 9.
pub fn gzip_bytes(raw: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(raw)
        .map_err(|e| format!("gzip failed: {e}"))?;
    encoder.finish().map_err(|e| format!("gzip failed: {e}"))
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn file_names(dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect())
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
