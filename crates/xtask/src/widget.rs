//! Building the widget: Trunk (offline, release) for the pages and the tier table's
//! bundle, the other bundles with the same cargo profile, wasm-bindgen and wasm-opt, then
//! the embed loader and the precompressed variants the server sends.
//!
//! The widget is one Wasm bundle per need, chosen by the root package's features: a
//! pricing page then downloads the tier table's code only, and a page with a current
//! subscriber the plan-change calculation too. `ratecard.js` carries every
//! bundle's glue and integrity hash and starts the bundle an element's `view` needs.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tools::Tools;
use crate::util::{Cmd, Result, cmd, root, step, target_dir};

const LOADER_TEMPLATE: &str = "src/embed/loader.js";
const BUNDLES_MARKER: &str = "/* __RATECARD_BUNDLES__ */";

/// The list of attribute names the element observes, one per line; the loader's
/// `ATTRIBUTES` marker becomes it.
const ATTRIBUTES_FILE: &str = "src/embed/attributes.txt";
const ATTRIBUTES_MARKER: &str = "/* __RATECARD_ATTRIBUTES__ */";
/// The glue's closing export line, which the bundle drops: `ratecard.js` exports only
/// its own JavaScript API.
const GLUE_EXPORTS: &str = "export { initSync, __wbg_init as default };";
/// How the demo pages load the widget before the integrity hash is added.
const SCRIPT_TAG: &str = r#"<script type="module" src="ratecard.js"></script>"#;
/// wasm-opt's flags beside `-Oz`, the same as `data-wasm-opt-params` in `index.html` (a
/// test checks): repeat the passes while they shrink the module, and drop the custom
/// sections no browser reads (about 350 bytes brotli on the tier table's bundle).
const WASM_OPT_PARAMS: [&str; 3] = ["--converge", "--strip-producers", "--strip-target-features"];
const COMPRESSIBLE: [&str; 7] = ["html", "js", "wasm", "css", "json", "svg", "bin"];

/// The toolchain of the release bundles (and of the bench's counter, built the same way).
const SIZE_TOOLCHAIN: &str = "nightly";
/// What the release bundles are built with beside the `wasm-release` profile: the
/// standard library rebuilt with the bundle, so that `opt-level = "z"` and LTO reach it
/// too, and panics that abort at once, which drops every panic message and the
/// formatting behind it. Leptos documents both ("Optimizing WASM binary size"); they
/// need nightly Rust and `rust-src` (see `tools::ensure_std_source`). Measured on the
/// tier table's bundle (brotli, 2026-11-29): 73.3 → 62.2 KB.
const SIZE_BUILD_STD: &str = "std,panic_abort";
const SIZE_RUSTFLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort";

/// `command` (a cargo or Trunk build of the `wasm-release` profile) set up for the size
/// build above, with `cfgs` (such as `--cfg erase_components`) added to its flags.
pub fn size_build(command: Cmd, cfgs: &str) -> Cmd {
    command
        .env("RUSTUP_TOOLCHAIN", SIZE_TOOLCHAIN)
        .env("CARGO_UNSTABLE_BUILD_STD", SIZE_BUILD_STD)
        .env("RUSTFLAGS", format!("{SIZE_RUSTFLAGS} {cfgs}").trim_end())
}

/// One Wasm bundle of the widget.
pub struct Bundle {
    /// Its name, in its file name (`ratecard-<name>-<hash>_bg.wasm`).
    pub name: &'static str,
    /// The kind of page that downloads it, for `BENCHMARKS.md`.
    pub page: &'static str,
    /// The root package's features it is built with, beside no default features.
    pub features: &'static str,
    /// The `view` attribute values it renders.
    views: &'static [&'static str],
    /// Whether it reads catalogues fetched as JSON (the `remote` feature), or only the
    /// built-in ones.
    remote: bool,
    /// Whether its tier table computes a current subscriber's plan changes and what is
    /// due now (the `plan-change` feature, which `checkout` implies).
    plan_change: bool,
    /// Whether it is built with Leptos's `--cfg erase_components`, which type-erases every
    /// component's view. Measured (brotli, 2026-11-29): support −11.5 KB, checkout
    /// −4.8 KB; but the tier table +1.8 KB, plans +0.8 KB and remote +1.4 KB, so only the
    /// two large views use it. The flag changes every crate's build, so these bundles
    /// have their own target folder (`target/erased`).
    erase_components: bool,
}

/// The bundles, smallest first. The first is the one Trunk builds from `index.html`
/// (`data-cargo-no-default-features`): the tier table of a built-in catalogue, what a
/// pricing page needs. The loader falls back to it for an unknown view. A name is
/// lower-case letters only (the e2e suite reads it back from the Wasm's file name).
pub const BUNDLES: [Bundle; 5] = [
    Bundle {
        name: "tiers",
        page: "a pricing page with a built-in catalogue",
        features: "",
        views: &["tiers"],
        remote: false,
        plan_change: false,
        erase_components: false,
    },
    Bundle {
        name: "plans",
        page: "a subscriber's tier table with `current-plan`",
        features: "plan-change",
        views: &["tiers"],
        remote: false,
        plan_change: true,
        erase_components: false,
    },
    Bundle {
        name: "remote",
        page: "a tier table of a catalogue from a URL or the server",
        features: "remote",
        views: &["tiers"],
        remote: true,
        plan_change: false,
        erase_components: false,
    },
    Bundle {
        name: "checkout",
        page: "a checkout preview",
        features: "checkout,remote",
        views: &["tiers", "checkout"],
        remote: true,
        plan_change: true,
        erase_components: true,
    },
    Bundle {
        name: "support",
        page: "the support console",
        features: "support,remote",
        views: &["tiers", "support"],
        remote: true,
        plan_change: false,
        erase_components: true,
    },
];

/// A built bundle: its Wasm's file name in `dist/` and its wasm-bindgen glue.
struct Built {
    wasm_name: String,
    glue: String,
}

/// Builds the widget into `dist/` and returns its path.
pub fn build(tools: &Tools) -> Result<PathBuf> {
    step("building the widget (trunk build --release, offline)");
    // Trunk passes --offline to cargo, so every dependency must be in the local registry.
    cmd("cargo").arg("fetch").status_ok("cargo fetch")?;
    size_build(cmd("trunk"), "")
        .args(["build", "--release"])
        .path_prepend(&tools.bin_dirs)
        .status_ok("trunk build --release")?;
    let dist = root().join("dist");
    let mut built = vec![take_trunk_bundle(&dist, &BUNDLES[0])?];
    for bundle in &BUNDLES[1..] {
        built.push(build_bundle(tools, &dist, bundle)?);
    }
    write_zones(&dist)?;
    let loader_sri = write_loader(&dist, &built, &tools.terser)?;
    add_integrity_to_pages(&dist, &loader_sri)?;
    compress_all(&dist)?;
    Ok(dist)
}

/// Writes `dist/zones/`: one file per time zone, named after its digest, which the Wasm
/// fetches when a calculation first needs that zone and checks against the index it
/// carries (see `ratecard_rules::zone_file_needed`).
fn write_zones(dist: &Path) -> Result<()> {
    let dir = dist.join("zones");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, record) in ratecard_rules::zone_files() {
        write(&dir.join(name), &record)?;
    }
    Ok(())
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

/// Renames the bundle Trunk wrote (`ratecard-<hash>_bg.wasm` and its glue) to the
/// bundle's name, and takes the glue out of `dist/`: it lives inside `ratecard.js`.
fn take_trunk_bundle(dist: &Path, bundle: &Bundle) -> Result<Built> {
    let names = file_names(dist)?;
    let trunk_named = |suffix: &str| {
        names.iter().find(|n| {
            n.strip_prefix("ratecard-")
                .and_then(|rest| rest.strip_suffix(suffix))
                .is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
    };
    let glue_name = trunk_named(".js").ok_or("trunk wrote no ratecard-<hash>.js")?;
    let wasm_name = trunk_named("_bg.wasm").ok_or("trunk wrote no ratecard-<hash>_bg.wasm")?;
    let glue = read_text(&dist.join(glue_name))?;
    let wasm = read_bytes(&dist.join(wasm_name))?;
    fs::remove_file(dist.join(glue_name)).map_err(|e| format!("cannot remove {glue_name}: {e}"))?;
    fs::remove_file(dist.join(wasm_name)).map_err(|e| format!("cannot remove {wasm_name}: {e}"))?;
    place_wasm(dist, bundle, &wasm, glue)
}

/// Builds one bundle the way Trunk builds the first: the `wasm-release` profile,
/// wasm-bindgen for the web, then `wasm-opt -Oz`.
fn build_bundle(tools: &Tools, dist: &Path, bundle: &Bundle) -> Result<Built> {
    step(&format!(
        "building the {} bundle (features: {})",
        bundle.name, bundle.features
    ));
    let target = if bundle.erase_components {
        target_dir().join("erased")
    } else {
        target_dir()
    };
    let cfgs = if bundle.erase_components {
        "--cfg erase_components"
    } else {
        ""
    };
    size_build(cmd("cargo"), cfgs)
        .env("CARGO_TARGET_DIR", &target)
        .args([
            "build",
            "--offline",
            "--package",
            "ratecard",
            "--bin",
            "ratecard",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--no-default-features",
            "--features",
            bundle.features,
        ])
        .status_ok("cargo build (widget bundle)")?;
    let raw = target
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("ratecard.wasm");
    let out = target_dir().join("bundles").join(bundle.name);
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let out_name = format!("ratecard-{}", bundle.name);
    cmd("wasm-bindgen")
        .arg("--target=web")
        .arg("--no-typescript")
        .arg(format!("--out-dir={}", out.display()))
        .arg(format!("--out-name={out_name}"))
        .arg(&raw)
        .path_prepend(&tools.bin_dirs)
        .status_ok("wasm-bindgen")?;
    let bindgen_wasm = out.join(format!("{out_name}_bg.wasm"));
    let optimised = out.join(format!("{out_name}_opt.wasm"));
    cmd("wasm-opt")
        .arg(format!("--output={}", optimised.display()))
        .arg("-Oz")
        .args(WASM_OPT_PARAMS)
        .arg(&bindgen_wasm)
        .path_prepend(&tools.bin_dirs)
        .status_ok("wasm-opt -Oz")?;
    let glue = read_text(&out.join(format!("{out_name}.js")))?;
    let wasm = read_bytes(&optimised)?;
    place_wasm(dist, bundle, &wasm, glue)
}

/// Writes a bundle's Wasm into `dist/` as `ratecard-<name>-<hash>_bg.wasm`, the hash
/// being the first 16 hex digits of its SHA-256, so it can be cached as immutable.
fn place_wasm(dist: &Path, bundle: &Bundle, wasm: &[u8], glue: String) -> Result<Built> {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(wasm);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let wasm_name = format!("ratecard-{}-{hash}_bg.wasm", bundle.name);
    write(&dist.join(&wasm_name), wasm)?;
    Ok(Built { wasm_name, glue })
}

/// The loader template with its `ATTRIBUTES` marker replaced by the names of
/// `attributes` (one per line) as JavaScript strings.
fn with_attributes(template: &str, attributes: &str) -> Result<String> {
    if !template.contains(ATTRIBUTES_MARKER) {
        return Err(format!(
            "{LOADER_TEMPLATE} lost its `{ATTRIBUTES_MARKER}` marker"
        ));
    }
    let names: Vec<String> = attributes
        .lines()
        .filter(|line| !line.is_empty())
        .map(|name| format!("\"{name}\""))
        .collect();
    Ok(template.replace(ATTRIBUTES_MARKER, &names.join(", ")))
}

/// Writes `dist/ratecard.js`: the template with `BUNDLES` in place of its marker, each
/// bundle's glue inlined as a function and its Wasm's name and integrity hash filled in.
/// Returns the loader's own integrity hash.
///
/// Every page downloads `ratecard.js`, so it is minified with terser (comments,
/// whitespace, and local names, which the glue has many of): 10.2 KB → 9.5 KB of brotli
/// when measured. The unminified script stays in `target/ratecard.src.js` to read.
fn write_loader(dist: &Path, built: &[Built], terser: &Path) -> Result<String> {
    let template = read_text(&root().join(LOADER_TEMPLATE))?;
    if !template.contains(BUNDLES_MARKER) {
        return Err(format!(
            "{LOADER_TEMPLATE} lost its `{BUNDLES_MARKER}` marker"
        ));
    }
    let mut bundles = String::from(
        "/** The widget's bundles, smallest first: what each renders, where its Wasm is, and its glue. */\nconst BUNDLES = [\n",
    );
    for (bundle, built) in BUNDLES.iter().zip(built) {
        let wasm = read_bytes(&dist.join(&built.wasm_name))?;
        let views: Vec<String> = bundle.views.iter().map(|v| format!("\"{v}\"")).collect();
        bundles.push_str(&format!(
            "  {{\n    name: \"{name}\",\n    views: [{views}],\n    remote: {remote},\n    planChange: {plan_change},\n    url: new URL(\"./{wasm_name}\", import.meta.url),\n    integrity: \"{integrity}\",\n    // The wasm-bindgen glue of this bundle; called once, when the bundle starts.\n    glue() {{\n{glue}\n      return {{ init: __wbg_init, mountWidget }};\n    }},\n  }},\n",
            name = bundle.name,
            views = views.join(", "),
            remote = bundle.remote,
            plan_change = bundle.plan_change,
            wasm_name = built.wasm_name,
            integrity = sri(&wasm),
            glue = inline_glue(&built.glue)?,
        ));
    }
    bundles.push_str("];");
    let attributes = read_text(&root().join(ATTRIBUTES_FILE))?;
    let source = with_attributes(&template, &attributes)?.replace(BUNDLES_MARKER, &bundles);
    let source_path = target_dir().join("ratecard.src.js");
    write(&source_path, source.as_bytes())?;
    let out = dist.join("ratecard.js");
    cmd(terser)
        .arg(&source_path)
        .args([
            "--module",
            "--compress",
            "--mangle",
            "--comments",
            "false",
            "--output",
        ])
        .arg(&out)
        .status_ok("terser (ratecard.js)")?;
    let loader = read_bytes(&out)?;
    if loader.is_empty() {
        return Err("terser wrote an empty ratecard.js".to_owned());
    }
    Ok(sri(&loader))
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
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

#[cfg(test)]
mod tests {
    use super::{ATTRIBUTES_FILE, LOADER_TEMPLATE, WASM_OPT_PARAMS, with_attributes};

    #[test]
    fn trunk_and_the_other_bundles_pass_wasm_opt_the_same_flags() {
        let page =
            std::fs::read_to_string(crate::util::root().join("index.html")).expect("index.html");
        let attribute = format!("data-wasm-opt-params=\"{}\"", WASM_OPT_PARAMS.join(" "));
        assert!(page.contains(&attribute), "index.html lacks {attribute}");
    }

    #[test]
    fn the_loader_observes_every_attribute_of_the_list() {
        let read = |path| std::fs::read_to_string(crate::util::root().join(path)).expect("read");
        let loader =
            with_attributes(&read(LOADER_TEMPLATE), &read(ATTRIBUTES_FILE)).expect("marker");
        let start = loader.find("const ATTRIBUTES = [").expect("the list") + 20;
        let list = &loader[start..start + loader[start..].find(']').expect("its end")];
        let names: Vec<&str> = list.split(", ").map(|n| n.trim_matches('"')).collect();
        assert_eq!(names, read(ATTRIBUTES_FILE).lines().collect::<Vec<_>>());
        assert!(names.contains(&"time-zone") && names.len() == 20);
        assert!(with_attributes("const ATTRIBUTES = [];", "view").is_err());
    }
}
