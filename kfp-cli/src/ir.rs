//! `kfp validate`, `kfp schema` and `kfp fmt`: the subcommands on pipeline
//! files, on kfp-ir-schema alone.

use std::path::PathBuf;
use std::process::ExitCode;

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::file::FileError;
use kfp_ir_schema::schema::SchemaKind;
use kfp_ir_schema::validate::Format;

/// What happened to one file, in the order of severity of the exit status.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    Ok = 0,
    Invalid = 1,
    Unreadable = 2,
}

/// How bad an error of reading or writing a file is.
pub(crate) fn outcome_of(error: &FileError) -> Outcome {
    match error {
        FileError::Invalid { .. } | FileError::Unsupported { .. } => Outcome::Invalid,
        FileError::Io { .. } | FileError::NotText { .. } => Outcome::Unreadable,
    }
}

/// `kfp validate`: 0 when every file is valid, 1 when any is invalid
/// (every problem is listed), 2 when any cannot be read.
pub fn validate(files: &[PathBuf], quiet: bool) -> ExitCode {
    let mut worst = Outcome::Ok;
    for path in files {
        match PipelineFile::read(path) {
            Ok(file) => {
                if !quiet {
                    let name = file.spec.name().unwrap_or_default();
                    println!("{}: valid pipeline `{name}`", path.display());
                }
            }
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(outcome_of(&error));
            }
        }
    }
    ExitCode::from(worst as u8)
}

/// `kfp schema`: prints the committed JSON Schema of the pipeline spec, or
/// of the platform spec.
pub fn schema(platform: bool) -> ExitCode {
    let kind = if platform {
        SchemaKind::PlatformSpec
    } else {
        SchemaKind::PipelineSpec
    };
    print!("{}", kind.committed());
    ExitCode::SUCCESS
}

/// `kfp fmt`: rewrites each file as kfp writes it; with `check`, only
/// reports (exit 1) the files that are not written so.
pub fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
    let mut worst = Outcome::Ok;
    for path in files {
        let result = PipelineFile::read(path).and_then(|file| {
            let format = Format::from_path(path);
            let text = file
                .to_string_as(format)
                .ok_or_else(|| FileError::Unsupported {
                    path: path.clone(),
                    message: "platform-specific features can only be written to YAML".to_owned(),
                })?;
            let current = std::fs::read_to_string(path).unwrap_or_default();
            if current == text {
                return Ok(false);
            }
            if !check {
                kfp_ir_schema::file::write_atomically(path, text.as_bytes())?;
            }
            Ok(true)
        });
        match result {
            Ok(false) => {}
            Ok(true) if check => {
                println!("{}: not canonical", path.display());
                worst = worst.max(Outcome::Invalid);
            }
            Ok(true) => println!("{}: rewritten", path.display()),
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(outcome_of(&error));
            }
        }
    }
    ExitCode::from(worst as u8)
}
