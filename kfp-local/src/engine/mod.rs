//! The engine: runs a pipeline's root DAG to its end.
//!
//! One thread (the caller's) owns the run: the tree of executions, the
//! store and the progress view. Container tasks run on worker threads,
//! each of which starts its command, waits for it, reads its outputs back
//! and reports on a channel. The owner reacts to each report: it records
//! the state change, then starts what became ready, so every decision is
//! made in one place and in one order.
//!
//! The KFP backend's semantics come from [`crate::driver`]; this module
//! decides only *when*: a task starts once its upstream tasks have ended
//! (its `dependentTasks` and the producers of its inputs; its condition
//! and its inputs are the driver's), container tasks run up to
//! `--parallelism` at once and a loop's iterations up to its
//! `parallelismLimit`, failed attempts are retried after their backoff,
//! and after a failure nothing new starts but the tasks that run on
//! `ALL_UPSTREAM_TASKS_COMPLETED` (exit handlers) and the tasks inside
//! them.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::Scope;
use std::time::{Duration, Instant};

use kfp_ir_schema::{PipelineSpec, PlatformSpec};

use crate::driver::Values;
use crate::driver::resolve::RunInfo;
use crate::exec::{Killer, TaskExecutor};
use crate::layout::Layout;
use crate::progress::{Event, Progress};
use crate::state::{RunState, TaskState};
use crate::store::{Store, StoreError};

mod container;
mod importer;
mod loops;
mod node;
mod tasks;

pub(crate) use node::{Body, LoopItems, Node, NodeId};

/// How a Rust-native component's executor runs locally.
#[derive(Clone)]
pub enum Native {
    /// This program instead of the image's command (a pipeline binary
    /// running its own components).
    Program(PathBuf),
    /// This function of this process (tests).
    InProcess(crate::exec::InProcessFn),
}

impl std::fmt::Debug for Native {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Program(path) => f.debug_tuple("Program").field(path).finish(),
            Self::InProcess(_) => f.write_str("InProcess(..)"),
        }
    }
}

/// What the engine needs to know of the run.
pub(crate) struct Context<'a> {
    pub spec: &'a PipelineSpec,
    pub platform: Option<&'a PlatformSpec>,
    pub run: RunInfo,
    pub pipeline_name: String,
    pub layout: &'a Layout,
    pub pipeline_root: PathBuf,
    pub parallelism: usize,
    pub cache: bool,
    /// The executor of container tasks.
    pub executor: Arc<dyn TaskExecutor>,
    /// True when commands run on this machine (images are ignored).
    pub on_host: bool,
    /// How Rust-native executors run, by executor label.
    pub native: &'a BTreeMap<String, Native>,
    /// The digest of each native program, for cache keys.
    pub native_digests: HashMap<String, String>,
    /// Each task's output lines are echoed with its path.
    pub verbose: bool,
    /// Environment variables for every task, before the task's own.
    pub env: &'a [(String, String)],
    /// Set when the run is to be canceled (Ctrl-C).
    pub cancel: &'a AtomicBool,
}

/// What a worker thread reports.
pub(crate) enum Report {
    /// The command started; this stops it.
    Started(NodeId, Killer),
    /// The attempt ended.
    Finished(NodeId, u32, Attempt),
}

/// How an attempt ended.
pub(crate) enum Attempt {
    /// Exit code 0, and the outputs read back, with the local path,
    /// digest and size of each output artifact that was written, by URI.
    Succeeded(Values, Vec<(String, String, String, u64)>),
    /// It failed: why, and the exit code when it ran.
    Failed(String, Option<i32>),
}

/// Work the owner does between reports.
#[derive(Clone, Copy, Debug)]
enum Work {
    /// See whether a DAG or loop can start something or has ended.
    Advance(NodeId),
}

/// A run in progress.
pub(crate) struct Engine<'a, 's, 'scope> {
    ctx: Context<'a>,
    store: &'s mut Store,
    progress: &'s mut dyn Progress,
    scope: &'scope Scope<'scope, 'a>,
    nodes: Vec<Node<'a>>,
    work: VecDeque<Work>,
    /// Container tasks waiting for a free slot.
    ready: VecDeque<NodeId>,
    running: usize,
    killers: HashMap<NodeId, Killer>,
    /// Retries waiting for their backoff.
    timers: Vec<(Instant, NodeId)>,
    /// Why the run is failing, once a task failed.
    failing: Option<String>,
    canceled: bool,
    warned: HashSet<String>,
    /// The digest and size of each artifact whose content is known, by URI.
    digests: HashMap<String, (String, u64)>,
    reports: Sender<Report>,
    inbox: Receiver<Report>,
}

/// How a run ended.
pub(crate) struct Ending {
    pub state: RunState,
    pub outputs: Values,
    pub error: Option<String>,
}

/// Runs the pipeline's root DAG with `inputs` and returns how it ended.
pub(crate) fn run(
    ctx: Context<'_>,
    store: &mut Store,
    progress: &mut dyn Progress,
    inputs: Values,
) -> Result<Ending, StoreError> {
    std::thread::scope(|scope| {
        let (reports, inbox) = channel();
        let mut engine = Engine {
            ctx,
            store,
            progress,
            scope,
            nodes: Vec::new(),
            work: VecDeque::new(),
            ready: VecDeque::new(),
            running: 0,
            killers: HashMap::new(),
            timers: Vec::new(),
            failing: None,
            canceled: false,
            warned: HashSet::new(),
            digests: HashMap::new(),
            reports,
            inbox,
        };
        let result = engine.drive(inputs);
        if result.is_err() {
            // A store failure ends the run: stop what runs before the
            // scope waits for its threads.
            engine.cancel();
        }
        result
    })
}

impl<'a> Engine<'a, '_, '_> {
    fn drive(&mut self, inputs: Values) -> Result<Ending, StoreError> {
        let root = self.start_root(inputs)?;
        loop {
            self.do_work()?;
            if self.nodes[root].state.is_final() {
                break;
            }
            self.pump()?;
            let wait = self.next_wake();
            match self.inbox.recv_timeout(wait) {
                Ok(report) => self.on_report(report)?,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the engine holds a sender"),
            }
            if self.ctx.cancel.load(Ordering::SeqCst) && !self.canceled {
                self.cancel();
            }
            self.fire_timers();
        }
        let root = &self.nodes[root];
        Ok(Ending {
            state: match root.state {
                TaskState::Succeeded => RunState::Succeeded,
                TaskState::Canceled => RunState::Canceled,
                _ => RunState::Failed,
            },
            outputs: root.outputs.clone(),
            error: match root.state {
                TaskState::Succeeded => None,
                TaskState::Canceled => Some("the run was canceled".to_owned()),
                _ => self.failing.clone().or_else(|| root.message.clone()),
            },
        })
    }

    /// Does the queued work until none is left.
    fn do_work(&mut self) -> Result<(), StoreError> {
        while let Some(Work::Advance(id)) = self.work.pop_front() {
            match self.nodes[id].body {
                Body::Dag { .. } => self.advance_dag(id)?,
                Body::Loop { .. } => self.advance_loop(id)?,
                Body::Container { .. } | Body::Importer { .. } => {}
            }
        }
        Ok(())
    }

    /// How long to wait for a report: until the next retry is due, and
    /// never so long that a Ctrl-C goes unnoticed.
    fn next_wake(&self) -> Duration {
        let poll = Duration::from_millis(50);
        let now = Instant::now();
        self.timers
            .iter()
            .map(|(at, _)| at.saturating_duration_since(now))
            .min()
            .map_or(poll, |d| d.min(poll))
    }

    fn fire_timers(&mut self) {
        let now = Instant::now();
        let (due, waiting): (Vec<_>, Vec<_>) =
            self.timers.drain(..).partition(|(at, _)| *at <= now);
        self.timers = waiting;
        self.ready.extend(due.into_iter().map(|(_, id)| id));
    }

    /// Stops every running command; what has not started will not.
    fn cancel(&mut self) {
        self.canceled = true;
        for kill in self.killers.values() {
            kill();
        }
        let waiting: Vec<NodeId> = self
            .ready
            .drain(..)
            .chain(self.timers.drain(..).map(|(_, id)| id))
            .collect();
        for id in waiting {
            let _ = self.finish(
                id,
                TaskState::Canceled,
                Some("the run was canceled before it started".into()),
                Values::default(),
            );
        }
    }

    fn warn_once(&mut self, key: &str, message: impl FnOnce() -> String) {
        if self.warned.insert(key.to_owned()) {
            self.progress.event(&Event::Warning(&message()));
        }
    }
}
