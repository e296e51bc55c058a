//! The words drawn for a task, the same in every format: its name, and a
//! caption that says what it is (a container's image, what a loop iterates
//! over, a branch's condition, ...).

use crate::model::{Task, TaskKind};

/// The first line of a task's box or of a group's title: its display name.
pub fn title(task: &Task) -> &str {
    &task.display_name
}

/// The second line: what the task is.
///
/// * a container: its image, without its registry path (`python:3.12`);
/// * an importer: `importer`;
/// * a loop: `for each in ITEMS`, and `, N at a time` when limited;
/// * a branch, or any task with a trigger condition: `if CONDITION`
///   (readable, see [`crate::Condition`]);
/// * an If/Elif/Else chain: `if / elif / else`;
/// * an exit handler: `exit handler`;
/// * a nested pipeline: `pipeline NAME` (its component's name without
///   `comp-`).
pub fn caption(task: &Task) -> String {
    if let Some(condition) = &task.condition {
        return format!("if {}", condition.readable);
    }
    match &task.kind {
        TaskKind::Container { image } => image.rsplit('/').next().unwrap_or(image).to_owned(),
        TaskKind::Importer => "importer".to_owned(),
        TaskKind::Other => component_name(task).to_owned(),
        TaskKind::Loop(l) => match l.parallelism {
            Some(n) => format!("for each in {}, {n} at a time", l.items),
            None => format!("for each in {}", l.items),
        },
        TaskKind::Condition => "if".to_owned(),
        TaskKind::Branches => "if / elif / else".to_owned(),
        TaskKind::ExitHandler => "exit handler".to_owned(),
        TaskKind::Pipeline => format!("pipeline {}", component_name(task)),
    }
}

/// The most characters of a caption in [`short_caption`].
pub const SHORT_CAPTION_CHARS: usize = 60;

/// The [`caption`] cut to [`SHORT_CAPTION_CHARS`] characters with `…`, for
/// the formats whose renderer lays text out itself (DOT, Mermaid); the SVG
/// renderer cuts captions to the width of their box instead.
pub fn short_caption(task: &Task) -> String {
    let caption = caption(task);
    match caption.char_indices().nth(SHORT_CAPTION_CHARS - 1) {
        Some((cut, _)) if caption.chars().count() > SHORT_CAPTION_CHARS => {
            format!("{}…", caption[..cut].trim_end())
        }
        _ => caption,
    }
}

/// The task's component's name without kfp's `comp-` prefix.
fn component_name(task: &Task) -> &str {
    task.component
        .strip_prefix("comp-")
        .unwrap_or(&task.component)
}
