//! `kfp validate`, `kfp schema` and `kfp fmt`: the subcommands on pipeline
//! files, on kfp-ir-schema alone. A file argument `-` is stdin.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kfp_ir_schema::diagnostic::{Diagnostic, Document};
use kfp_ir_schema::file::{FileError, Source, read_validated};
use kfp_ir_schema::schema::SchemaKind;
use kfp_ir_schema::validate::{Validated, validate_text};
use kfp_ir_schema::{PipelineFile, yaml::Position};
use serde_json::json;

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
        FileError::Io { .. }
        | FileError::NotText { .. }
        | FileError::NotAFile { .. }
        | FileError::NotWritable { .. }
        | FileError::ReadOnly { .. } => Outcome::Unreadable,
    }
}

/// How `kfp validate` reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct ValidateOptions {
    /// Print nothing for valid files without warnings.
    pub quiet: bool,
    /// A warning makes the file invalid (exit status 1).
    pub strict: bool,
    /// Print every problem as a JSON line on stdout (see [`json_line`]).
    pub json: bool,
}

/// `kfp validate`: 0 when every file is valid, 1 when any is invalid
/// (every problem is listed) or, with `strict`, has a warning, 2 when any
/// cannot be read.
pub fn validate(files: &[PathBuf], options: ValidateOptions) -> ExitCode {
    let mut worst = Outcome::Ok;
    for arg in files {
        let source = Source::from_arg(arg);
        let name = source.name();
        let outcome = match read_validated(source) {
            Ok(validated) => report_valid(name, &validated, options),
            Err(error) => {
                report_error(name, &error, options.json);
                outcome_of(&error)
            }
        };
        worst = worst.max(outcome);
    }
    ExitCode::from(worst as u8)
}

/// Reports a valid file and its warnings; with `strict`, a warning makes
/// it invalid.
fn report_valid(name: &Path, validated: &Validated, options: ValidateOptions) -> Outcome {
    let warnings = &validated.warnings;
    let outcome = if options.strict && !warnings.is_empty() {
        Outcome::Invalid
    } else {
        Outcome::Ok
    };
    if options.json {
        print_json_lines(name, warnings);
        return outcome;
    }
    let pipeline = validated.file.spec.name().unwrap_or_default();
    let verdict = if outcome == Outcome::Ok {
        "valid"
    } else {
        "invalid (--strict)"
    };
    let summary = match warnings.len() {
        0 => format!("{}: {verdict} pipeline `{pipeline}`", name.display()),
        1 => format!(
            "{}: {verdict} pipeline `{pipeline}`, 1 warning:",
            name.display()
        ),
        n => format!(
            "{}: {verdict} pipeline `{pipeline}`, {n} warnings:",
            name.display()
        ),
    };
    if warnings.is_empty() {
        if !options.quiet {
            println!("{summary}");
        }
    } else {
        let mut text = summary;
        for warning in warnings {
            text.push_str("\n  ");
            text.push_str(&warning.to_string());
        }
        eprintln!("{text}");
    }
    outcome
}

/// Reports a file that could not be read or is not valid: as text on
/// stderr, or as JSON lines on stdout.
fn report_error(name: &Path, error: &FileError, json: bool) {
    if !json {
        eprintln!("{error}");
        return;
    }
    match error {
        FileError::Invalid { source, .. } => print_json_lines(name, &source.diagnostics),
        other => {
            // The message without the path that every variant starts with.
            let text = other.to_string();
            let prefix = format!("{}: ", name.display());
            let message = text.strip_prefix(&prefix).unwrap_or(&text);
            let whole_file = Diagnostic::new(Document::File, "", message);
            print_json_lines(name, std::slice::from_ref(&whole_file));
        }
    }
}

fn print_json_lines(name: &Path, diagnostics: &[Diagnostic]) {
    let mut out = std::io::stdout().lock();
    for d in diagnostics {
        // A closed stdout (`| head`) is not an error of the files checked.
        let _ = writeln!(out, "{}", json_line(name, d));
    }
}

/// One problem as a JSON object: `file`, `severity` (`error` or
/// `warning`), `document` (1 for the pipeline spec, 2 and up for platform
/// documents, `null` for the whole file), `pointer` (a JSON pointer into
/// that document, `""` for all of it), `line` and `column` (from 1, or
/// `null` when unknown) and `message`.
fn json_line(name: &Path, d: &Diagnostic) -> serde_json::Value {
    let document = match d.document {
        Document::File => None,
        // A component file's one document (never a pipeline file's).
        Document::PipelineSpec | Document::Component => Some(1),
        Document::PlatformSpec { index } => Some(index),
    };
    let (line, column) = d
        .location
        .map(|Position { line, column }| (line, column))
        .unzip();
    json!({
        "file": name.display().to_string(),
        "severity": d.severity.as_str(),
        "document": document,
        "pointer": d.path,
        "line": line,
        "column": column,
        "message": d.message,
    })
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

/// What `kfp fmt` did with one file.
enum Formatted {
    /// Already canonical.
    Same,
    /// Not canonical: rewritten, or (with `--check`) only reported.
    Changed,
}

/// `kfp fmt`: rewrites each file as kfp writes it; with `check`, only
/// reports (exit 1) the files that are not written so. Stdin (`-`) is
/// written canonically to stdout, or only checked.
pub fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
    let mut worst = Outcome::Ok;
    for arg in files {
        let source = Source::from_arg(arg);
        let name = source.name();
        match fmt_one(source, check) {
            Ok(Formatted::Same) => {}
            Ok(Formatted::Changed) if check => {
                println!("{}: not canonical", name.display());
                worst = worst.max(Outcome::Invalid);
            }
            Ok(Formatted::Changed) if source == Source::Stdin => {}
            Ok(Formatted::Changed) => println!("{}: rewritten", name.display()),
            Err(error) => {
                eprintln!("{error}");
                worst = worst.max(outcome_of(&error));
            }
        }
    }
    ExitCode::from(worst as u8)
}

/// Formats one file: reads it once, and writes its canonical text back
/// (through [`kfp_ir_schema::file::write_atomically`], which keeps the
/// file's mode and links, follows a symbolic link and refuses a read-only
/// file), or to stdout for stdin.
fn fmt_one(source: Source<'_>, check: bool) -> Result<Formatted, FileError> {
    let name = source.name();
    let text = source.read_text()?;
    let format = source.format(&text);
    let file: PipelineFile = validate_text(&text, format)
        .map_err(|error| FileError::Invalid {
            path: name.to_owned(),
            source: error,
        })?
        .file;
    let canonical = file
        .to_string_as(format)
        .ok_or_else(|| FileError::Unsupported {
            path: name.to_owned(),
            message: "platform-specific features can only be written to YAML".to_owned(),
        })?;
    let changed = canonical != text;
    match source {
        Source::Stdin if !check => {
            let mut out = std::io::stdout().lock();
            out.write_all(canonical.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|error| FileError::Io {
                    path: PathBuf::from("<stdout>"),
                    source: error,
                })?;
        }
        Source::File(path) if changed && !check => {
            kfp_ir_schema::file::write_atomically(path, canonical.as_bytes())?;
        }
        _ => {}
    }
    Ok(if changed {
        Formatted::Changed
    } else {
        Formatted::Same
    })
}
