//! kfp's `upload_download_compiled` golden: a 20 MiB artifact passed
//! along (written, copied, read back and measured); caching off.
//!
//! kfp's last component downloads the artifact again from MinIO, with the
//! credentials of the `mlpipeline_minio_artifact_secret` input (a JSON
//! object of base64 fields). This one reads the copy the launcher has put
//! at its local path, which is that object, fetched from the pipeline's
//! artifact store; it decodes the secret to report the endpoint the
//! object came from.

use std::fs;
use std::io::{self, Read, Write};

use base64::Engine;
use kfp_dsl::prelude::*;

/// The size of the file passed along: 20 MiB.
const FILE_SIZE_BYTES: i64 = 20 * 1024 * 1024;

/// Writes `file_size_bytes` random bytes as `large_file.txt` in a zip
/// archive, the output `outgoingfile`.
#[component]
fn send_file(file_size_bytes: i64, outgoingfile: Output<Artifact>) -> io::Result<()> {
    println!("starting creating the file...");
    let size = u64::try_from(file_size_bytes).map_err(io::Error::other)?;
    let mut content = Vec::new();
    fs::File::open("/dev/urandom")?
        .take(size)
        .read_to_end(&mut content)?;
    let mut archive = fs::File::create(outgoingfile.path())?;
    write_zip(&mut archive, "large_file.txt", &content)?;
    println!("saved: {}", outgoingfile.path().display());
    Ok(())
}

/// Reads the first byte of `incomingfile` and copies it to `saveartifact`.
#[component]
fn receive_file(incomingfile: Input<Artifact>, saveartifact: Output<Artifact>) -> io::Result<()> {
    let size = fs::metadata(incomingfile.path())?.len();
    println!("reading {}, size is {size}", incomingfile.path().display());
    let mut first = [0u8; 1];
    fs::File::open(incomingfile.path())?.read_exact(&mut first)?;
    println!("read byte: {first:?}");
    println!(
        "copying in {} to out {}",
        incomingfile.path().display(),
        saveartifact.path().display()
    );
    fs::copy(incomingfile.path(), saveartifact.path())?;
    Ok(())
}

/// Checks that the artifact read back is as large as the file sent (to
/// three decimals of their ratio, as kfp's test does).
#[component]
fn test_uploaded_artifact(
    previous_step: Input<Artifact>,
    file_size_bytes: i64,
    mlpipeline_minio_artifact_secret: String,
    bucket_name: String,
) -> Result<(), String> {
    match minio_endpoint(&mlpipeline_minio_artifact_secret) {
        Some(endpoint) => println!("artifact store: {endpoint}, bucket {bucket_name}"),
        None => println!("artifact store: the secret names none, bucket {bucket_name}"),
    }
    let bytes_written = fs::metadata(previous_step.path())
        .map_err(|e| format!("{}: {e}", previous_step.path().display()))?
        .len();
    println!("{file_size_bytes} {bytes_written}");
    #[allow(clippy::cast_precision_loss)]
    let diff = ((bytes_written as f64 / file_size_bytes as f64 - 1.0) * 1000.0).round() / 1000.0;
    println!("{diff}");
    if diff == 0.0 {
        Ok(())
    } else {
        Err(format!(
            "read back {bytes_written} bytes of a {file_size_bytes}-byte file"
        ))
    }
}

/// `host:port` from kfp's MinIO secret (`{'host': <base64>, 'port':
/// <base64>, ...}`, written with Python's quotes), if it holds them.
fn minio_endpoint(secret: &str) -> Option<String> {
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&secret.replace('\'', "\"")).ok()?;
    let decode = |key: &str| {
        let text = fields.get(key)?.as_str()?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()?;
        String::from_utf8(bytes).ok()
    };
    Some(format!("{}:{}", decode("host")?, decode("port")?))
}

/// Writes a zip archive holding `content` as the file `name`, stored (the
/// random bytes would not deflate).
fn write_zip(out: &mut impl Write, name: &str, content: &[u8]) -> io::Result<()> {
    let too_large = || io::Error::other("a zip archive without ZIP64 holds under 4 GiB");
    let size = u32::try_from(content.len()).map_err(|_| too_large())?;
    let name_len = u16::try_from(name.len()).map_err(|_| too_large())?;
    let crc = crc32(content);
    // version 2.0, no flags, stored, no time or date, CRC, sizes, name.
    let entry = |out: &mut dyn Write| -> io::Result<()> {
        out.write_all(&20u16.to_le_bytes())?;
        out.write_all(&[0; 8])?;
        out.write_all(&crc.to_le_bytes())?;
        out.write_all(&size.to_le_bytes())?;
        out.write_all(&size.to_le_bytes())?;
        out.write_all(&name_len.to_le_bytes())?;
        out.write_all(&0u16.to_le_bytes())
    };
    out.write_all(&0x0403_4b50u32.to_le_bytes())?;
    entry(out)?;
    out.write_all(name.as_bytes())?;
    out.write_all(content)?;
    let directory_offset = 30 + u32::from(name_len) + size;
    out.write_all(&0x0201_4b50u32.to_le_bytes())?;
    out.write_all(&20u16.to_le_bytes())?; // made by version 2.0
    entry(out)?;
    // no comment, disk 0, no attributes, the entry at offset 0.
    out.write_all(&[0; 14])?;
    out.write_all(name.as_bytes())?;
    let directory_size = 46 + u32::from(name_len);
    out.write_all(&0x0605_4b50u32.to_le_bytes())?;
    out.write_all(&[0; 4])?; // disk numbers
    out.write_all(&1u16.to_le_bytes())?;
    out.write_all(&1u16.to_le_bytes())?;
    out.write_all(&directory_size.to_le_bytes())?;
    out.write_all(&directory_offset.to_le_bytes())?;
    out.write_all(&0u16.to_le_bytes()) // no comment
}

/// The CRC-32 (IEEE) of `bytes`, as zip records it.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !bytes
        .iter()
        .fold(!0u32, |c, &b| TABLE[usize::from((c as u8) ^ b)] ^ (c >> 8))
}

#[pipeline(name = "test-data-passing-pipeline-1")]
pub fn data_passing_pipeline(mlpipeline_minio_artifact_secret: String, bucket_name: String) {
    let sent = send_file(FILE_SIZE_BYTES).set_caching_options(false);
    let received = receive_file(sent.outputs().outgoingfile).set_caching_options(false);
    test_uploaded_artifact(
        received.outputs().saveartifact,
        FILE_SIZE_BYTES,
        mlpipeline_minio_artifact_secret,
        bucket_name,
    )
    .set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(data_passing_pipeline)
}
