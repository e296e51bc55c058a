//! Container tasks: the launcher's part. Build the executor input and the
//! command line, look the task up in the cache, wait for a free slot,
//! make the output folders, run the command on a worker thread, read the
//! outputs back, and retry a failed attempt after its backoff.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kfp_ir_schema::executor::ExecutorInput;
use kfp_ir_schema::{ComponentSpec, PipelineContainerSpec, RetryPolicy};

use super::{Attempt, Body, Engine, Native, NodeId, Report};
use crate::artifacts;
use crate::driver::Values;
use crate::driver::cache::{CacheKey, custom_fingerprint};
use crate::driver::launch::{self, OutputLocations};
use crate::driver::outputs::read_outputs;
use crate::exec::{InProcess, ProcessSpec, PullPolicy, TaskExecutor};
use crate::layout;
use crate::progress::Event;
use crate::state::TaskState;
use crate::store::{CacheEntry, StoreError};

/// How many lines of a failed task's log its failure shows.
const LOG_TAIL_LINES: usize = 20;

impl Engine<'_, '_, '_> {
    /// Builds a container task's executor input and command line, and
    /// either takes its outputs from the cache or queues it to run.
    pub(super) fn prepare_container(&mut self, id: NodeId) -> Result<(), StoreError> {
        let node = &self.nodes[id];
        let Body::Container {
            container, label, ..
        } = node.body
        else {
            unreachable!("prepare_container on a container task")
        };
        let at = self.locations(id);
        let input = launch::executor_input(node.component, &node.inputs, &at);
        let task_name = node.task_name.clone();
        let run = &self.ctx.run;
        let runtime = |name: &str| run.runtime_value(name, &task_name);
        let mut argv =
            match launch::command_line(&container.command, &container.args, &input, &runtime) {
                Ok(argv) => argv,
                Err(e) => return self.fail(id, format!("could not build its command line: {e}")),
            };
        match self.ctx.native.get(label) {
            Some(Native::Program(program)) if self.ctx.on_host => {
                if let Some(first) = argv.first_mut() {
                    *first = program.display().to_string();
                }
            }
            Some(_) => {}
            None if self.ctx.on_host => {
                let image = container.image.to_string();
                self.warn_once(&format!("image {image}"), || {
                    format!("image `{image}` is ignored: the host runner runs commands on this machine (`--runner container` runs them in their images)")
                });
            }
            None => {}
        }
        let fingerprint = self.fingerprint(id, container, label);
        if let Some(row) = self.nodes[id].store_id {
            self.store.set_task_fingerprint(row, &fingerprint)?;
        }
        if self.caching(id)
            && let Some(entry) = self.store.cache_get(&fingerprint)?
            && entry.files.iter().all(|f| Path::new(f).exists())
        {
            let message = format!(
                "reused the outputs of task `{}` of run {}",
                entry.task_path, entry.run_id
            );
            return self.finish(id, TaskState::Cached, Some(message), entry.outputs);
        }
        if let Body::Container {
            input: slot,
            argv: argv_slot,
            fingerprint: fp_slot,
            ..
        } = &mut self.nodes[id].body
        {
            *slot = Some(Box::new(input));
            *argv_slot = std::mem::take(&mut argv);
            *fp_slot = Some(fingerprint);
        }
        self.ready.push_back(id);
        Ok(())
    }

    fn locations(&self, id: NodeId) -> OutputLocations {
        let path = &self.nodes[id].path;
        OutputLocations {
            task_dir: self.ctx.layout.task_dir(&self.ctx.run.run_id, path),
            artifact_dir: layout::artifact_dir(
                &self.ctx.pipeline_root,
                &self.ctx.pipeline_name,
                &self.ctx.run.run_id,
                path,
            ),
        }
    }

    /// Whether the task may take its outputs from the cache.
    fn caching(&self, id: NodeId) -> bool {
        let task = self.nodes[id].task;
        self.ctx.cache
            && task
                .and_then(|t| t.caching_options.as_ref())
                .is_some_and(|c| c.enable_cache)
    }

    /// The task's cache fingerprint: its custom key's, or the backend's
    /// key with input artifacts by content.
    fn fingerprint(
        &mut self,
        id: NodeId,
        container: &PipelineContainerSpec,
        label: &str,
    ) -> String {
        let node = &self.nodes[id];
        let custom = node
            .task
            .and_then(|t| t.caching_options.as_ref())
            .map(|c| c.cache_key.as_str())
            .filter(|k| !k.is_empty());
        if let Some(key) = custom {
            return custom_fingerprint(node.component_name, key);
        }
        let uris: Vec<(String, Vec<String>)> = node
            .inputs
            .artifacts
            .iter()
            .map(|(name, list)| (name.clone(), list.iter().map(|a| a.uri.clone()).collect()))
            .collect();
        let mut artifact_digests = std::collections::BTreeMap::new();
        for (name, uris) in uris {
            let digests = uris.iter().map(|uri| self.digest_of(uri)).collect();
            artifact_digests.insert(name, digests);
        }
        let node = &self.nodes[id];
        CacheKey {
            component: Some(node.component),
            image: &container.image,
            command_and_args: container
                .command
                .iter()
                .chain(&container.args)
                .map(|s| s.as_str())
                .collect(),
            parameters: Some(&node.inputs.parameters),
            artifact_digests,
            program_digest: self.ctx.native_digests.get(label).cloned(),
            pvc_names: Vec::new(),
        }
        .fingerprint()
    }

    /// The digest of the content at `uri`, computed once; `absent` when
    /// it is not a readable local file or folder.
    pub(super) fn digest_of(&mut self, uri: &str) -> String {
        if let Some((digest, _)) = self.digests.get(uri) {
            return digest.clone();
        }
        let found = kfp_ir_schema::executor::local_path(uri)
            .ok()
            .and_then(|p| artifacts::digest(&p).ok());
        match found {
            Some((digest, size)) => {
                self.digests.insert(uri.to_owned(), (digest.clone(), size));
                digest
            }
            None => format!("absent:{uri}"),
        }
    }

    /// Starts queued container tasks while there are free slots.
    pub(super) fn pump(&mut self) -> Result<(), StoreError> {
        while self.running < self.ctx.parallelism.max(1) {
            let Some(id) = self.ready.pop_front() else {
                break;
            };
            if self.canceled {
                self.finish(
                    id,
                    TaskState::Canceled,
                    Some("the run was canceled before it started".into()),
                    Values::default(),
                )?;
                continue;
            }
            self.start_attempt(id)?;
        }
        Ok(())
    }

    fn start_attempt(&mut self, id: NodeId) -> Result<(), StoreError> {
        let at = self.locations(id);
        let log = self
            .ctx
            .layout
            .log_file(&self.ctx.run.run_id, &self.nodes[id].path);
        let attempt = match &mut self.nodes[id].body {
            Body::Container { attempt, .. } => {
                *attempt += 1;
                *attempt
            }
            _ => unreachable!("start_attempt on a container task"),
        };
        let Body::Container {
            container,
            label,
            input,
            argv,
            ..
        } = &self.nodes[id].body
        else {
            unreachable!()
        };
        let (container, label, argv) = (*container, *label, argv.clone());
        let input = input
            .as_deref()
            .expect("a queued task has its executor input")
            .clone();
        if let Err(e) = make_output_folders(&at, &input, &log, attempt) {
            return self.fail(id, format!("could not make its output folders: {e}"));
        }
        let spec = self.process_spec(id, container, label, argv, log.clone());
        let executor: Arc<dyn TaskExecutor> = match self.ctx.native.get(label) {
            Some(Native::InProcess(function)) => Arc::new(InProcess(function.clone())),
            _ => self.ctx.executor.clone(),
        };
        self.set_running(id)?;
        let row = self.nodes[id].store_id.expect("a task has a row");
        self.store
            .start_attempt(row, attempt, &spec.argv, &log.display().to_string())?;
        let component = self.nodes[id].component;
        let reports = self.reports.clone();
        self.scope.spawn(move || {
            let outcome = run_attempt(executor.as_ref(), &spec, component, &input, |killer| {
                let _ = reports.send(Report::Started(id, killer));
            });
            let _ = reports.send(Report::Finished(id, attempt, outcome));
        });
        self.running += 1;
        Ok(())
    }

    /// The command, environment, limits and mounts of an attempt.
    fn process_spec(
        &mut self,
        id: NodeId,
        container: &PipelineContainerSpec,
        label: &str,
        argv: Vec<String>,
        log: PathBuf,
    ) -> ProcessSpec {
        let node = &self.nodes[id];
        let input = match &node.body {
            Body::Container { input, .. } => input.as_deref(),
            _ => None,
        };
        let run = &self.ctx.run;
        let runtime = |name: &str| run.runtime_value(name, &node.task_name);
        let resolve = |text: &str| -> String {
            input
                .and_then(|i| launch::command_line(&[text], &[] as &[&str], i, &runtime).ok())
                .and_then(|mut line| line.pop())
                .unwrap_or_else(|| text.to_owned())
        };
        let env = self
            .ctx
            .env
            .iter()
            .cloned()
            .chain(
                container
                    .env
                    .iter()
                    .map(|e| (e.name.to_string(), resolve(&e.value))),
            )
            .collect();
        let resources = container.resources.as_deref();
        let cpu_limit = resources.and_then(|r| {
            kfp_ir_schema::resources::cpu_to_float(&resolve(&r.resource_cpu_limit))
                .or((r.cpu_limit > 0.0).then_some(r.cpu_limit))
        });
        let memory_limit = resources.and_then(|r| {
            kfp_ir_schema::resources::memory_to_float(&resolve(&r.resource_memory_limit))
                .or((r.memory_limit > 0.0).then_some(r.memory_limit))
                .map(|gb| (gb * 1e9) as u64)
        });
        let echo_prefix = self.ctx.verbose.then(|| format!("[{}] ", node.path));
        let on_host = self.ctx.on_host;
        let pull_policy = self.pull_policy(label);
        if on_host && (cpu_limit.is_some() || memory_limit.is_some()) {
            self.warn_once("limits", || "CPU and memory limits are not applied by the host runner (`--runner container` applies them)".to_owned());
        }
        ProcessSpec {
            argv,
            env,
            image: container.image.to_string(),
            pull_policy,
            cpu_limit,
            memory_limit,
            mounts: vec![
                self.ctx.pipeline_root.clone(),
                self.ctx.layout.run_dir(&self.ctx.run.run_id),
            ],
            mounted_at: vec![(
                self.ctx.layout.workspace(&self.ctx.run.run_id),
                kfp_ir_schema::workspace::MOUNT_PATH.into(),
            )],
            log,
            echo_prefix,
        }
    }

    /// The image pull policy kfp-kubernetes set for an executor.
    fn pull_policy(&self, label: &str) -> PullPolicy {
        let policy = self
            .ctx
            .platform
            .and_then(|p| p.platforms.get("kubernetes"))
            .and_then(|k| k.deployment_spec.as_ref())
            .and_then(|d| d.executors.get(label))
            .and_then(|config| config.get("imagePullPolicy"))
            .and_then(|v| v.as_str());
        match policy {
            Some("Always") => PullPolicy::Always,
            Some("Never") => PullPolicy::Never,
            _ => PullPolicy::IfNotPresent,
        }
    }

    /// What a worker reported about a container task.
    pub(super) fn on_report(&mut self, report: Report) -> Result<(), StoreError> {
        let (id, attempt, outcome) = match report {
            Report::Started(id, killer) => {
                if self.canceled {
                    killer();
                }
                self.killers.insert(id, killer);
                return Ok(());
            }
            Report::Finished(id, attempt, outcome) => (id, attempt, outcome),
        };
        self.running -= 1;
        self.killers.remove(&id);
        let row = self.nodes[id].store_id.expect("a task has a row");
        match outcome {
            Attempt::Succeeded(outputs, digests) => {
                self.store.finish_attempt(row, attempt, Some(0), None)?;
                let mut files = Vec::new();
                for (uri, path, digest, size) in digests {
                    files.push(path);
                    self.digests.insert(uri, (digest, size));
                }
                if let Body::Container {
                    fingerprint: Some(fp),
                    ..
                } = &self.nodes[id].body
                {
                    let fp = fp.clone();
                    let entry = CacheEntry {
                        outputs: outputs.clone(),
                        files,
                        run_id: self.ctx.run.run_id.clone(),
                        task_path: self.nodes[id].path.to_string(),
                    };
                    self.store.cache_put(&fp, &entry)?;
                }
                self.finish(id, TaskState::Succeeded, None, outputs)
            }
            Attempt::Failed(reason, code) => {
                self.store
                    .finish_attempt(row, attempt, code, Some(&reason))?;
                if self.canceled {
                    return self.finish(
                        id,
                        TaskState::Canceled,
                        Some(format!("canceled while running ({reason})")),
                        Values::default(),
                    );
                }
                let policy = self.nodes[id].task.and_then(|t| t.retry_policy.as_ref());
                if let Some(policy) = policy.filter(|p| attempt <= p.max_retry_count.max(0) as u32)
                {
                    let delay = backoff(policy, attempt);
                    self.timers.push((Instant::now() + delay, id));
                    let message = format!(
                        "attempt {attempt} failed ({reason}); retrying in {}",
                        crate::time::human(delay)
                    );
                    self.store
                        .set_task_state(row, TaskState::Running, Some(&message))?;
                    self.progress.event(&Event::TaskRetrying {
                        path: &self.nodes[id].path,
                        attempt,
                        reason: &reason,
                        delay,
                    });
                    return Ok(());
                }
                let log = self
                    .ctx
                    .layout
                    .log_file(&self.ctx.run.run_id, &self.nodes[id].path);
                let tail = artifacts::log_tail(&log, LOG_TAIL_LINES);
                let mut message = if attempt > 1 {
                    format!("{reason} (attempt {attempt})")
                } else {
                    reason
                };
                if !tail.is_empty() {
                    message.push_str("\n--- the end of its log ---\n");
                    message.push_str(&tail);
                }
                self.fail(id, message)
            }
        }
    }
}

/// Runs one attempt on a worker thread: start, report the killer, wait,
/// and read the outputs back when the command succeeded.
fn run_attempt(
    executor: &dyn TaskExecutor,
    spec: &ProcessSpec,
    component: &ComponentSpec,
    input: &ExecutorInput,
    started: impl FnOnce(crate::exec::Killer),
) -> Attempt {
    let running = match executor.start(spec) {
        Ok(running) => running,
        Err(e) => return Attempt::Failed(e.to_string(), None),
    };
    started(running.killer());
    let exit = match running.wait() {
        Ok(exit) => exit,
        Err(e) => return Attempt::Failed(e.to_string(), None),
    };
    if !exit.success() {
        let code = match exit {
            crate::exec::Exit::Code(c) => Some(c),
            crate::exec::Exit::Signal(_) => None,
        };
        return Attempt::Failed(format!("its command ended with {exit}"), code);
    }
    match read_outputs(component, input) {
        Ok(outputs) => {
            let digests = outputs
                .artifacts
                .values()
                .flatten()
                .filter_map(|a| {
                    let path = launch::artifact_path(a).ok()?;
                    let (digest, size) = artifacts::digest(&path).ok()?;
                    Some((a.uri.clone(), path.display().to_string(), digest, size))
                })
                .collect();
            Attempt::Succeeded(outputs, digests)
        }
        Err(e) => Attempt::Failed(format!("its outputs could not be read: {e}"), Some(0)),
    }
}

/// Makes the folders a command writes to, as the launcher does: the
/// parameter files' folder, and the parent of each output artifact. A
/// retried attempt gets a line in the log saying so.
fn make_output_folders(
    at: &OutputLocations,
    input: &ExecutorInput,
    log: &Path,
    attempt: u32,
) -> std::io::Result<()> {
    std::fs::create_dir_all(at.task_dir.join("outputs"))?;
    std::fs::create_dir_all(&at.artifact_dir)?;
    for artifact in input
        .outputs
        .iter()
        .flat_map(|o| o.artifacts.values())
        .flat_map(|l| &l.artifacts)
    {
        if let Some(parent) = launch::artifact_path(artifact)
            .ok()
            .as_deref()
            .and_then(Path::parent)
        {
            std::fs::create_dir_all(parent)?;
        }
    }
    if attempt > 1 {
        use std::io::Write;
        let mut file = crate::exec::open_log(log)?;
        writeln!(file, "--- attempt {attempt} ---")?;
    }
    Ok(())
}

/// The wait before attempt `attempt + 1`: `backoffDuration ×
/// backoffFactor^(attempt - 1)`, at most `backoffMaxDuration` (Argo's
/// backoff, which the KFP backend configures from the policy).
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let seconds = |d: Option<&str>| d.and_then(|d| d.strip_suffix('s')?.parse::<f64>().ok());
    let base = seconds(policy.backoff_duration.as_deref()).unwrap_or(0.0);
    let factor = if policy.backoff_factor > 0.0 {
        policy.backoff_factor
    } else {
        2.0
    };
    let max = seconds(policy.backoff_max_duration.as_deref()).unwrap_or(3600.0);
    let delay = (base * factor.powi(attempt.saturating_sub(1) as i32)).min(max);
    Duration::from_secs_f64(delay.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_its_factor_up_to_its_maximum() {
        let policy = RetryPolicy {
            max_retry_count: 5,
            backoff_duration: Some("1.5s".into()),
            backoff_factor: 2.0,
            backoff_max_duration: Some("5s".into()),
        };
        let delays: Vec<f64> = (1..=4).map(|a| backoff(&policy, a).as_secs_f64()).collect();
        assert_eq!(delays, [1.5, 3.0, 5.0, 5.0]);
        let zero = RetryPolicy {
            max_retry_count: 1,
            ..Default::default()
        };
        assert_eq!(backoff(&zero, 1), Duration::ZERO);
    }
}
