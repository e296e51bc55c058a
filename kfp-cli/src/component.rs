//! `kfp component fetch URL -o FILE`: downloads a component file once
//! (kfp's `load_component_from_url` use case), so that `load_component!`,
//! which never reaches the network, reads it from the repository.
//!
//! The file is checked to be a component kfp can load (a compiled v2
//! component or pipeline, or a legacy v1 component) before anything is
//! written, and is written as downloaded with two lines added to its header
//! comment: where it came from and its sha256
//! (`kfp_ir_schema::component::provenance`). Loading it checks the digest,
//! so that a review sees either the file as published or a deliberate
//! change.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use kfp_ir_schema::component::{self, provenance};
use kfp_ir_schema::validate::MAX_FILE_SIZE;

/// How long a download may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// `kfp component ...`.
#[derive(Subcommand)]
pub enum ComponentCommand {
    /// Download a component file (a compiled v2 component or pipeline, or a
    /// legacy v1 component.yaml) and record its URL and sha256 in its header
    /// comment, for `load_component!` to read.
    ///
    /// The file is checked to load as a component before it is written;
    /// an existing FILE is replaced only with --force.
    Fetch {
        /// The URL to download (http or https).
        url: String,
        /// The file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Runs `kfp component ...`; exit status 0 on success, 1 when the download
/// is not a component, 2 when it cannot be downloaded or written.
pub fn main(command: ComponentCommand) -> ExitCode {
    let ComponentCommand::Fetch { url, output, force } = command;
    match fetch(&url, &output, force) {
        Ok(Fetched::Written { name, sha256 }) => {
            println!("wrote {} ({name}, sha256 {sha256})", output.display());
            ExitCode::SUCCESS
        }
        Ok(Fetched::NotAComponent(problems)) => {
            eprintln!("error: {url} is not a component kfp can load: {problems}");
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// What a fetch did.
enum Fetched {
    /// The file was written.
    Written {
        /// The component's name.
        name: String,
        /// The digest of the file as downloaded.
        sha256: String,
    },
    /// The download is not a component; nothing was written.
    NotAComponent(String),
}

fn fetch(url: &str, output: &Path, force: bool) -> Result<Fetched> {
    if !url.starts_with("http://") && !url.starts_with("https://") {
        bail!("`{url}` is not an http or https URL");
    }
    if output.exists() && !force {
        bail!("{} exists; give --force to replace it", output.display());
    }
    let text = download(url)?;
    let loaded = match component::load_str(&text) {
        Ok(loaded) => loaded,
        Err(problems) => return Ok(Fetched::NotAComponent(problems.to_string())),
    };
    let sha256 = provenance::sha256_hex(text.as_bytes());
    write_atomically(output, &provenance::stamp(&text, url))?;
    Ok(Fetched::Written {
        name: loaded.name,
        sha256,
    })
}

/// The text at `url`: a success status, at most the KFP upload limit,
/// UTF-8.
fn download(url: &str) -> Result<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let bytes = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .context("cannot build the HTTP client")?;
        let mut response = client
            .get(url)
            .send()
            .await
            .with_context(|| format!("cannot download {url}"))?;
        let status = response.status();
        if !status.is_success() {
            bail!("cannot download {url}: the server answered {status}");
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .with_context(|| format!("cannot download {url}"))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_FILE_SIZE {
                bail!("{url} is over {MAX_FILE_SIZE} bytes, the KFP upload limit");
            }
        }
        Ok(bytes)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{url} is not UTF-8 text: invalid byte at offset {}",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Writes `text` to `path` through a temporary file beside it, renamed
/// into place, so that a failed write leaves no partial file.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let temporary = dir.join(format!(".{}.fetching", name.to_string_lossy()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}
