//! The pages, rendered on the server from the store's records: each
//! module turns records into HTML and reads no store itself.

pub mod compare;
pub mod dag;
pub mod layout;
pub mod run;
pub mod runs;
pub mod task;

use kfp_local::store::{ArtifactRecord, RunRecord};

use crate::html::Esc;
use crate::route::{artifact_href, run_href, task_href};

/// An error page with `status` (`404`, `400`, `500`) and what went wrong.
pub fn error(status: u16, message: &str) -> String {
    let title = match status {
        404 => "Not found",
        400 => "Bad request",
        _ => "Error",
    };
    layout::page(
        title,
        &[("Runs", Some("/".into())), (title, None)],
        &format!(
            "<h1>{status} · {title}</h1><p class=\"error\" role=\"alert\">{}</p>\
             <p><a href=\"/\">Back to the runs</a></p>",
            Esc(message)
        ),
        None,
    )
}

/// The page of a folder inside an artifact: `relative` is its path in the
/// artifact (empty for the artifact itself), `task_path` the producer's.
pub fn folder(
    run: &RunRecord,
    artifact: &ArtifactRecord,
    task_path: &str,
    relative: &str,
    dir: &std::path::Path,
) -> String {
    let name = if relative.is_empty() {
        artifact.output.clone()
    } else {
        format!("{}/{relative}", artifact.output)
    };
    let mut body = format!(
        "<h1>{}</h1><p class=\"uri\"><code>{}</code></p>",
        Esc(&name),
        Esc(&artifact.uri)
    );
    if !relative.is_empty() {
        let parent = relative.rsplit_once('/').map_or("", |(p, _)| p);
        body.push_str(&format!(
            "<p><a href=\"{}\">↑ Up</a></p>",
            Esc(&artifact_href(&run.id, artifact.id, parent))
        ));
    }
    body.push_str(&task::listing(run, artifact.id, dir, relative));
    layout::page(
        &name,
        &[
            ("Runs", Some("/".into())),
            (run.name.as_str(), Some(run_href(&run.id))),
            (task_path, Some(task_href(&run.id, task_path))),
            (name.as_str(), None),
        ],
        &body,
        None,
    )
}
