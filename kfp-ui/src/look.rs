//! How a state looks, decided in this one place: its colour, its icon and
//! its name, always shown together, so that no state is told by colour
//! alone. The stylesheet's state rules are generated from this table.

use std::fmt::Write;

use kfp_local::{RunState, TaskState};

use crate::html::Esc;

/// How a state is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    /// The state's name (`SUCCEEDED`).
    pub name: &'static str,
    /// Its CSS class (`state-succeeded`).
    pub class: &'static str,
    /// Its icon.
    pub icon: char,
    /// Its colour, dark enough for text on white.
    pub colour: &'static str,
}

const GREY: &str = "#5f6368";
const BLUE: &str = "#1a73e8";
const GREEN: &str = "#188038";
const TEAL: &str = "#00796b";
const RED: &str = "#c5221f";
const ORANGE: &str = "#b06000";

const fn look(name: &'static str, class: &'static str, icon: char, colour: &'static str) -> Look {
    Look {
        name,
        class,
        icon,
        colour,
    }
}

/// How a task state looks.
pub const fn task(state: TaskState) -> Look {
    match state {
        TaskState::Pending => look("PENDING", "state-pending", '○', GREY),
        TaskState::Running => look("RUNNING", "state-running", '⟳', BLUE),
        TaskState::Succeeded => look("SUCCEEDED", "state-succeeded", '✓', GREEN),
        TaskState::Cached => look("CACHED", "state-cached", '☁', TEAL),
        TaskState::Skipped => look("SKIPPED", "state-skipped", '⇥', GREY),
        TaskState::Failed => look("FAILED", "state-failed", '✗', RED),
        TaskState::Canceled => look("CANCELED", "state-canceled", '⊘', ORANGE),
    }
}

/// How a run state looks.
pub const fn run(state: RunState) -> Look {
    match state {
        RunState::Running => task(TaskState::Running),
        RunState::Succeeded => task(TaskState::Succeeded),
        RunState::Failed => task(TaskState::Failed),
        RunState::Canceled => task(TaskState::Canceled),
        RunState::Interrupted => look("INTERRUPTED", "state-interrupted", '⚠', ORANGE),
    }
}

impl Look {
    /// The state as a badge: icon and name in the state's colour, with
    /// `extra` after the name (a duration, a count).
    pub fn badge(self, extra: &str) -> String {
        let mut out = format!(
            "<span class=\"state {}\" data-state=\"{}\"><span class=\"icon\" aria-hidden=\"true\">{}</span> {}",
            self.class, self.name, self.icon, self.name
        );
        if !extra.is_empty() {
            let _ = write!(out, " <span class=\"extra\">{}</span>", Esc(extra));
        }
        out.push_str("</span>");
        out
    }
}

/// The stylesheet rules of every state's class.
pub fn stylesheet() -> String {
    let mut looks: Vec<Look> = TaskState::ALL.into_iter().map(task).collect();
    looks.push(run(RunState::Interrupted));
    let mut out = String::new();
    for look in looks {
        let _ = writeln!(
            out,
            ".{c}{{color:{v};border-color:{v}}}",
            c = look.class,
            v = look.colour
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_own_icon_and_its_name() {
        let mut icons = Vec::new();
        for state in TaskState::ALL {
            let look = task(state);
            assert_eq!(look.name, state.as_str());
            assert_eq!(
                look.class,
                format!("state-{}", state.as_str().to_lowercase())
            );
            icons.push(look.icon);
        }
        for state in RunState::ALL {
            assert_eq!(run(state).name, state.as_str());
        }
        icons.push(run(RunState::Interrupted).icon);
        let count = icons.len();
        icons.sort_unstable();
        icons.dedup();
        assert_eq!(icons.len(), count, "two states share an icon");
        let badge = task(TaskState::Failed).badge("1.2s <x>");
        assert!(
            badge.contains("✗</span> FAILED") && badge.contains("1.2s &lt;x&gt;"),
            "{badge}"
        );
        assert!(stylesheet().contains(".state-cached{color:#00796b"));
    }
}
