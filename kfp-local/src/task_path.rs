//! Where an execution sits in a run: the task names from the root DAG down,
//! with the iteration index after a looped task (`for-loop-2/3/print-op`).
//!
//! A path names an execution in the store, in `kfp local show` and `logs`,
//! and is the relative folder of its files, so no two executions of a run
//! share a folder.

use std::fmt;
use std::path::PathBuf;

/// One step down a run's tree of executions.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A task of the DAG above, by its key (`print-op`).
    Task(String),
    /// One iteration of the looped task above, from 0.
    Iteration(usize),
}

/// The path of an execution in a run; the root DAG's is empty.
///
/// ```
/// use kfp_local::TaskPath;
///
/// let path = TaskPath::root().task("for-loop-2").iteration(3).task("print-op");
/// assert_eq!(path.to_string(), "for-loop-2/3/print-op");
/// assert_eq!(TaskPath::parse("for-loop-2/3/print-op"), Some(path));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskPath(Vec<Segment>);

impl TaskPath {
    /// The root DAG's path.
    pub fn root() -> Self {
        Self::default()
    }

    /// The path of a task of this DAG.
    #[must_use]
    pub fn task(&self, name: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Task(name.to_owned()));
        next
    }

    /// The path of one iteration of this looped task.
    #[must_use]
    pub fn iteration(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Iteration(index));
        next
    }

    /// The steps, from the root down.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// True for the root DAG's path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last task name on the path (`print-op`), if any.
    pub fn task_name(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Segment::Task(name) => Some(name.as_str()),
            Segment::Iteration(_) => None,
        })
    }

    /// The relative folder of the execution's files.
    pub fn to_relative_path(&self) -> PathBuf {
        self.0
            .iter()
            .map(|s| match s {
                Segment::Task(name) => name.clone(),
                Segment::Iteration(i) => i.to_string(),
            })
            .collect()
    }

    /// Reads a path as [`Display`](fmt::Display) writes it: task names, each
    /// looped task followed by its iteration's number. `None` when a part
    /// is empty or a number does not follow a task.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Self::root());
        }
        let mut path = Self::root();
        for part in text.split('/') {
            let after_task = matches!(path.0.last(), Some(Segment::Task(_)));
            match part.parse::<usize>() {
                Ok(i) if after_task && part.bytes().all(|b| b.is_ascii_digit()) => {
                    path.0.push(Segment::Iteration(i));
                }
                _ if part.is_empty() => return None,
                _ => path.0.push(Segment::Task(part.to_owned())),
            }
        }
        Some(path)
    }
}

impl fmt::Display for TaskPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            match segment {
                Segment::Task(name) => f.write_str(name)?,
                Segment::Iteration(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_back_as_written() {
        let path = TaskPath::root()
            .task("outer")
            .iteration(0)
            .task("inner-loop")
            .iteration(12)
            .task("train");
        let text = path.to_string();
        assert_eq!(text, "outer/0/inner-loop/12/train");
        assert_eq!(TaskPath::parse(&text), Some(path.clone()));
        assert_eq!(path.task_name(), Some("train"));
        assert_eq!(
            path.to_relative_path(),
            PathBuf::from("outer/0/inner-loop/12/train")
        );
        assert_eq!(TaskPath::parse(""), Some(TaskPath::root()));
        assert_eq!(TaskPath::parse("a//b"), None);
        // A number right under the root is a task's name, not an iteration.
        assert_eq!(
            TaskPath::parse("3").unwrap().segments(),
            [Segment::Task("3".into())]
        );
    }
}
