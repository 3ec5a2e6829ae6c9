//! Building the widget: Trunk (offline, release), then the embed loader and the
//! precompressed variants the server sends.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tools::Tools;
use crate::util::{Result, cmd, root, step};

const LOADER_TEMPLATE: &str = "src/embed/loader.js";
const GLUE_MARKER: &str = "/* __RATECARD_GLUE_INLINE__ */";
const WASM_PLACEHOLDER: &str = "__RATECARD_WASM__";
const WASM_SRI_PLACEHOLDER: &str = "__RATECARD_WASM_SRI__";
/// The glue's closing export line, which the bundle drops: `ratecard.js` exports only
/// its own JavaScript API.
const GLUE_EXPORTS: &str = "export { initSync, __wbg_init as default };";
/// How the demo pages load the widget before the integrity hash is added.
const SCRIPT_TAG: &str = r#"<script type="module" src="ratecard.js"></script>"#;
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
    let loader_sri = write_loader(&dist)?;
    add_integrity_to_pages(&dist, &loader_sri)?;
    compress_all(&dist)?;
    Ok(dist)
}

/// The Subresource Integrity value of some bytes: `sha384-<base64>`.
pub fn sri(bytes: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Adds the loader's integrity hash to every page that loads it, and writes
/// `embed-snippet.html`: the two lines an integrator pastes, with the current hash.
fn add_integrity_to_pages(dist: &Path, loader_sri: &str) -> Result<()> {
    let tag = format!(
        r#"<script type="module" src="ratecard.js" integrity="{loader_sri}" crossorigin="anonymous"></script>"#
    );
    for name in file_names(dist)? {
        if !name.ends_with(".html") {
            continue;
        }
        let path = dist.join(&name);
        let page = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        // With `inject_scripts = false` Trunk leaves its own `<link data-trunk rel="rust">`
        // in the page; the page loads the widget through `ratecard.js` instead.
        let page: String = page
            .lines()
            .filter(|line| !line.contains("data-trunk"))
            .map(|line| format!("{line}\n"))
            .collect();
        write(&path, page.replace(SCRIPT_TAG, &tag).as_bytes())?;
    }
    let snippet = format!(
        "<script type=\"module\" src=\"https://YOUR-RATECARD-HOST/ratecard.js\" integrity=\"{loader_sri}\" crossorigin=\"anonymous\"></script>\n<ratecard-widget view=\"tiers\" catalogue=\"stable-audio\"></ratecard-widget>\n"
    );
    write(&dist.join("embed-snippet.html"), snippet.as_bytes())
}

/// Writes `dist/ratecard.js`: the template with the wasm-bindgen glue inlined and the
/// Wasm's name and integrity hash filled in. Returns the bundle's own integrity hash.
fn write_loader(dist: &Path) -> Result<String> {
    let names = file_names(dist)?;
    let glue_name = names
        .iter()
        .find(|n| n.starts_with("ratecard-") && n.ends_with(".js"))
        .ok_or("trunk wrote no ratecard-<hash>.js")?;
    let wasm_name = names
        .iter()
        .find(|n| n.starts_with("ratecard-") && n.ends_with("_bg.wasm"))
        .ok_or("trunk wrote no ratecard-<hash>_bg.wasm")?;
    let glue_path = dist.join(glue_name);
    let glue = fs::read_to_string(&glue_path)
        .map_err(|e| format!("cannot read {}: {e}", glue_path.display()))?;
    let wasm =
        fs::read(dist.join(wasm_name)).map_err(|e| format!("cannot read {wasm_name}: {e}"))?;
    let template = fs::read_to_string(root().join(LOADER_TEMPLATE))
        .map_err(|e| format!("cannot read {LOADER_TEMPLATE}: {e}"))?;
    for marker in [GLUE_MARKER, WASM_PLACEHOLDER, WASM_SRI_PLACEHOLDER] {
        if !template.contains(marker) {
            return Err(format!("{LOADER_TEMPLATE} lost its `{marker}` marker"));
        }
    }
    let loader = template
        .replace(GLUE_MARKER, &inline_glue(&glue)?)
        .replace(WASM_SRI_PLACEHOLDER, &sri(&wasm))
        .replace(WASM_PLACEHOLDER, wasm_name);
    write(&dist.join("ratecard.js"), loader.as_bytes())?;
    // The glue now lives inside ratecard.js only.
    fs::remove_file(&glue_path)
        .map_err(|e| format!("cannot remove {}: {e}", glue_path.display()))?;
    Ok(sri(loader.as_bytes()))
}

/// The glue as statements of the bundle: its exports become plain declarations, so the
/// bundle exports only what the template exports.
fn inline_glue(glue: &str) -> Result<String> {
    if !glue.contains(GLUE_EXPORTS) {
        return Err(format!(
            "the wasm-bindgen glue no longer ends with `{GLUE_EXPORTS}`; update xtask's bundler"
        ));
    }
    let body = glue.replace(GLUE_EXPORTS, "");
    let body: Vec<String> = body
        .lines()
        .map(|line| {
            line.strip_prefix("export ")
                .map_or_else(|| line.to_owned(), str::to_owned)
        })
        .collect();
    if body.iter().any(|l| l.starts_with("import ")) {
        return Err(
            "the wasm-bindgen glue imports other modules; the bundler cannot inline it".into(),
        );
    }
    Ok(body.join("\n"))
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
