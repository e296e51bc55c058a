//! What a run tells its watcher while it goes: the same events the engine
//! records in the store, shown as a live view on a terminal (indicatif),
//! as plain lines elsewhere (CI, pipes), or not at all (`--json`, tests).

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::state::TaskState;
use crate::store::TaskKind;
use crate::task_path::TaskPath;
use crate::time;

/// Something that happened in a run.
#[derive(Clone, Debug)]
pub enum Event<'a> {
    /// The run began.
    RunStarted {
        /// Its id.
        run_id: &'a str,
        /// Its name.
        run_name: &'a str,
    },
    /// A task execution began running.
    TaskStarted {
        /// Where it is.
        path: &'a TaskPath,
        /// Its display name.
        display_name: &'a str,
        /// What it is.
        kind: TaskKind,
    },
    /// An attempt failed and the task will be retried.
    TaskRetrying {
        /// Where it is.
        path: &'a TaskPath,
        /// The attempt that failed (from 1).
        attempt: u32,
        /// How it failed.
        reason: &'a str,
        /// When the next attempt starts.
        delay: Duration,
    },
    /// A task execution ended.
    TaskFinished {
        /// Where it is.
        path: &'a TaskPath,
        /// Its display name.
        display_name: &'a str,
        /// What it is.
        kind: TaskKind,
        /// How it ended.
        state: TaskState,
        /// Why, for a failure or a skip.
        message: Option<&'a str>,
        /// How long it ran (zero when it never started).
        duration: Duration,
    },
    /// Something the user should know (an image ignored, a setting that
    /// does nothing locally).
    Warning(&'a str),
}

/// Receives a run's events.
pub trait Progress: Send {
    /// One event.
    fn event(&mut self, event: &Event<'_>);
    /// The run has ended: clear any live view.
    fn finish(&mut self) {}
}

/// Shows nothing.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn event(&mut self, _: &Event<'_>) {}
}

/// One line per event, on stderr: for CI logs and pipes.
#[derive(Debug, Default)]
pub struct Lines;

impl Progress for Lines {
    fn event(&mut self, event: &Event<'_>) {
        if let Some(line) = line(event) {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }
}

/// The text of an event, as [`Lines`] writes it; `None` for events that
/// only a live view shows (a group starting).
pub fn line(event: &Event<'_>) -> Option<String> {
    Some(match event {
        Event::RunStarted { run_id, run_name } => format!("run {run_name} ({run_id})"),
        Event::TaskStarted { path, kind, .. } if leaf(*kind) => format!("  started   {path}"),
        Event::TaskStarted { .. } => return None,
        Event::TaskRetrying {
            path,
            attempt,
            reason,
            delay,
        } => format!(
            "  retrying  {path}: attempt {attempt} failed ({reason}); next in {}",
            time::human(*delay)
        ),
        Event::TaskFinished {
            path,
            kind,
            state,
            message,
            duration,
            ..
        } => {
            // A group is shown when its condition skipped it; its tasks
            // speak for it otherwise.
            if !leaf(*kind) && *state != TaskState::Skipped {
                return None;
            }
            let mut text = format!("  {:<9} {path}", state.as_str().to_lowercase());
            if !duration.is_zero() {
                text.push_str(&format!(" ({})", time::human(*duration)));
            }
            if let Some(message) = message.filter(|_| *state != TaskState::Failed) {
                text.push_str(&format!(": {}", first_line(message)));
            }
            text
        }
        Event::Warning(message) => format!("warning: {message}"),
    })
}

fn leaf(kind: TaskKind) -> bool {
    matches!(kind, TaskKind::Container | TaskKind::Importer)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// A live view for a terminal: one line per running task, and a line of
/// counts (succeeded, cached, failed, skipped).
pub struct Live {
    bars: MultiProgress,
    summary: ProgressBar,
    running: BTreeMap<TaskPath, ProgressBar>,
    counts: BTreeMap<TaskState, usize>,
}

impl Live {
    /// A live view on stderr.
    pub fn new() -> Self {
        let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        let summary = bars.add(ProgressBar::new_spinner());
        summary.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("a valid template"),
        );
        summary.enable_steady_tick(Duration::from_millis(100));
        Self {
            bars,
            summary,
            running: BTreeMap::new(),
            counts: BTreeMap::new(),
        }
    }

    fn update_summary(&self) {
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(state, n)| format!("{n} {}", state.as_str().to_lowercase()))
            .collect();
        self.summary.set_message(format!(
            "{} running  {}",
            self.running.len(),
            parts.join("  ")
        ));
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for Live {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::TaskStarted { path, kind, .. } if leaf(*kind) => {
                let bar = self
                    .bars
                    .insert_before(&self.summary, ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template("  {spinner} {elapsed:>4} {msg}")
                        .expect("a valid template"),
                );
                bar.set_message(path.to_string());
                bar.enable_steady_tick(Duration::from_millis(100));
                self.running.insert((*path).clone(), bar);
            }
            Event::TaskFinished {
                path, kind, state, ..
            } if leaf(*kind) || *state == TaskState::Skipped => {
                if let Some(bar) = self.running.remove(*path) {
                    bar.finish_and_clear();
                    self.bars.remove(&bar);
                }
                if let Some(text) = line(event) {
                    self.bars.suspend(|| eprintln!("{text}"));
                }
                *self.counts.entry(*state).or_default() += 1;
            }
            Event::TaskFinished { .. } | Event::TaskStarted { .. } => {}
            other => {
                if let Some(text) = line(other) {
                    self.bars.suspend(|| eprintln!("{text}"));
                }
            }
        }
        self.update_summary();
    }

    fn finish(&mut self) {
        for bar in self.running.values() {
            bar.finish_and_clear();
        }
        self.summary.finish_and_clear();
        let _ = self.bars.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_what_happened() {
        let path = TaskPath::root().task("train");
        let finished = |state, message| Event::TaskFinished {
            path: &path,
            display_name: "train",
            kind: TaskKind::Container,
            state,
            message,
            duration: Duration::from_millis(1500),
        };
        assert_eq!(
            line(&finished(TaskState::Succeeded, None)).unwrap(),
            "  succeeded train (1.5s)"
        );
        assert_eq!(
            line(&finished(
                TaskState::Skipped,
                Some("condition `x` is false\nmore")
            ))
            .unwrap(),
            "  skipped   train (1.5s): condition `x` is false"
        );
        let group = Event::TaskStarted {
            path: &path,
            display_name: "g",
            kind: TaskKind::Dag,
        };
        assert_eq!(line(&group), None);
    }
}
