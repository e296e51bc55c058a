//! Runs a command in a container of its image through the Docker Engine
//! API: Docker, or Podman's compatible service (`podman system service`).
//!
//! The engine is found through `DOCKER_HOST` or else at the default sockets
//! ([`Container::connect`]). A task's container gets its command line as
//! entrypoint and arguments (as Kubernetes' `command` and `args` replace an
//! image's), its environment, its CPU and memory limits, and every mount at
//! the same path, read-write (the pipeline root, as kfp.local's
//! DockerRunner does). The image is pulled per the pull policy. The output
//! is copied to the log file as it comes, and made whole once the container
//! has ended (module `output`). When the container has ended it
//! is removed, and so it is when anything fails once it was created, or
//! when a started run is dropped: no container is left behind. Each carries
//! the label [`LOG_LABEL`], so [`Container::containers`] finds any a killed
//! runner left.
//!
//! No async runtime: every pipeline binary links this crate. The client is
//! a small blocking HTTP/1.1 one (module `http`), one connection per call.

mod engine;
mod http;
mod logs;
mod output;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

pub use engine::Endpoint;
use engine::{Engine, EngineError};
use output::Output;

use super::host::GRACE;
use super::{ExecError, Exit, Killer, ProcessSpec, PullPolicy, Running, TaskExecutor, open_log};

/// The label every container kfp-local starts carries; its value is the
/// task's log file.
pub const LOG_LABEL: &str = "io.kfp-rs.local.log";

/// The engine's sockets looked for when `DOCKER_HOST` is not set, in this
/// order (`$XDG_RUNTIME_DIR/podman/podman.sock` comes second).
const DEFAULT_SOCKETS: [&str; 2] = ["/var/run/docker.sock", "/run/podman/podman.sock"];

/// Runs commands in containers through a container engine.
#[derive(Clone, Debug)]
pub struct Container {
    engine: Engine,
}

/// No container engine answered.
#[derive(Debug, thiserror::Error)]
#[error("no container engine (tried {})", tried.join("; "))]
pub struct ConnectError {
    /// Each address tried, with why it did not do.
    pub tried: Vec<String>,
}

/// A container that kfp-local started, as the engine lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskContainer {
    /// Its id.
    pub id: String,
    /// Its image.
    pub image: String,
    /// Its state (`running`, `exited`, ...).
    pub state: String,
    /// The log file of its task.
    pub log: Option<PathBuf>,
}

impl Container {
    /// Finds the container engine: `DOCKER_HOST` (`unix:///PATH` or
    /// `tcp://HOST:PORT`) when set, else the first of
    /// `/var/run/docker.sock`, `$XDG_RUNTIME_DIR/podman/podman.sock` and
    /// `/run/podman/podman.sock` that answers a ping.
    ///
    /// # Errors
    /// When none answers, naming each address tried and why.
    pub fn connect() -> Result<Self, ConnectError> {
        if let Some(host) = std::env::var_os("DOCKER_HOST").filter(|h| !h.is_empty()) {
            let host = host.to_string_lossy();
            return Self::connect_to(&host).map_err(|e| ConnectError {
                tried: e
                    .tried
                    .into_iter()
                    .map(|t| format!("DOCKER_HOST={t}"))
                    .collect(),
            });
        }
        let mut sockets: Vec<PathBuf> = DEFAULT_SOCKETS.iter().map(PathBuf::from).collect();
        if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
            sockets.insert(1, Path::new(&runtime).join("podman/podman.sock"));
        }
        let mut tried = Vec::new();
        for socket in sockets {
            let endpoint = Endpoint::Unix(socket);
            match Self::try_endpoint(endpoint.clone()) {
                Ok(container) => return Ok(container),
                Err(why) => tried.push(format!("{endpoint}: {why}")),
            }
        }
        Err(ConnectError { tried })
    }

    /// Connects to the engine at `docker_host`, in `DOCKER_HOST`'s form.
    ///
    /// # Errors
    /// When the address is not of a form read here, or nothing answers
    /// there.
    pub fn connect_to(docker_host: &str) -> Result<Self, ConnectError> {
        Endpoint::parse(docker_host)
            .and_then(Self::try_endpoint)
            .map_err(|why| ConnectError {
                tried: vec![format!("{docker_host}: {why}")],
            })
    }

    fn try_endpoint(endpoint: Endpoint) -> Result<Self, String> {
        if let Endpoint::Unix(path) = &endpoint
            && !path.exists()
        {
            return Err("absent".to_owned());
        }
        Engine::connect(endpoint).map(|engine| Self { engine })
    }

    /// Where the engine listens.
    pub fn endpoint(&self) -> &Endpoint {
        self.engine.endpoint()
    }

    /// The containers kfp-local started that still exist, running or not:
    /// normally none but those of running tasks, else what a killed runner
    /// left.
    ///
    /// # Errors
    /// When the engine cannot list them.
    pub fn containers(&self) -> Result<Vec<TaskContainer>, ExecError> {
        let listed = self.engine.list(LOG_LABEL)?;
        Ok(listed
            .into_iter()
            .map(|c| TaskContainer {
                log: c
                    .labels
                    .as_ref()
                    .and_then(|labels| labels.get(LOG_LABEL))
                    .map(PathBuf::from),
                id: c.id,
                image: c.image,
                state: c.state,
            })
            .collect())
    }

    /// Makes sure `image` is there, pulling it as `policy` says.
    fn provide_image(&self, image: &str, policy: PullPolicy) -> Result<(), ExecError> {
        match policy {
            PullPolicy::Always => self.engine.pull(image)?,
            PullPolicy::IfNotPresent => {
                if !self.engine.image_present(image)? {
                    self.engine.pull(image)?;
                }
            }
            PullPolicy::Never => {
                if !self.engine.image_present(image)? {
                    return Err(ExecError::Engine(format!(
                        "{}: image `{image}` is not present, and the pull policy is Never",
                        self.endpoint()
                    )));
                }
            }
        }
        Ok(())
    }
}

impl From<EngineError> for ExecError {
    fn from(error: EngineError) -> Self {
        Self::Engine(error.to_string())
    }
}

impl TaskExecutor for Container {
    fn start(&self, spec: &ProcessSpec) -> Result<Box<dyn Running>, ExecError> {
        let config = create_config(spec)?;
        let log = open_log(&spec.log).map_err(|source| ExecError::Log {
            path: spec.log.clone(),
            source,
        })?;
        self.provide_image(&spec.image, spec.pull_policy)?;
        let id = self.engine.create(&spec.image, &config)?;
        // From here on, dropping `run` removes the container.
        let mut run = ContainerRun {
            engine: self.engine.clone(),
            id,
            image: spec.image.clone(),
            output: None,
            killed: Arc::default(),
            removed: false,
        };
        self.engine.start(&run.id, &run.image)?;
        run.output = Some(Output::start(
            self.engine.logs(&run.id, &run.image, true)?,
            log,
            spec.log.clone(),
            spec.echo_prefix.clone(),
        )?);
        Ok(Box::new(run))
    }
}

/// The body of the create call.
fn create_config(spec: &ProcessSpec) -> Result<Value, ExecError> {
    let (entrypoint, args) = spec.argv.split_first().ok_or(ExecError::EmptyCommand)?;
    if spec.image.is_empty() {
        return Err(ExecError::Engine(format!(
            "no image is given to run `{entrypoint}` in"
        )));
    }
    let binds = spec
        .mounts
        .iter()
        .map(|path| (path, path))
        .chain(spec.mounted_at.iter().map(|(folder, at)| (folder, at)))
        .map(|(folder, at)| bind(folder, at))
        .collect::<Result<Vec<_>, _>>()?;
    let mut host = json!({ "Binds": binds });
    if let Some(cpus) = spec.cpu_limit {
        if !(cpus.is_finite() && cpus > 0.0) {
            return Err(ExecError::Engine(format!(
                "a CPU limit of {cpus} cores cannot be given to a container"
            )));
        }
        host["NanoCpus"] = json!((cpus * 1e9).round() as i64);
    }
    if let Some(bytes) = spec.memory_limit {
        host["Memory"] = json!(i64::try_from(bytes).unwrap_or(i64::MAX));
    }
    let env: Vec<String> = spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Ok(json!({
        "Image": spec.image,
        "Entrypoint": [entrypoint],
        "Cmd": args,
        "Env": env,
        "Labels": { LOG_LABEL: spec.log.to_string_lossy() },
        "Tty": false,
        "OpenStdin": false,
        "AttachStdin": false,
        "AttachStdout": false,
        "AttachStderr": false,
        "HostConfig": host,
    }))
}

/// `FOLDER:AT:rw`: a folder mounted at path `at`, read-write.
fn bind(folder: &Path, at: &Path) -> Result<String, ExecError> {
    Ok(format!("{}:{}:rw", bind_path(folder)?, bind_path(at)?))
}

/// A path as a bind names it: absolute UTF-8 with no `:`.
fn bind_path(path: &Path) -> Result<&str, ExecError> {
    let refuse = |why: &str| {
        Err(ExecError::Engine(format!(
            "{} cannot be mounted in a container: {why}",
            path.display()
        )))
    };
    match path.to_str() {
        None => refuse("it is not UTF-8"),
        Some(_) if !path.is_absolute() => refuse("it is not an absolute path"),
        Some(text) if text.contains(':') => refuse("it has a `:`"),
        Some(text) => Ok(text),
    }
}

/// How a container's exit code reads: 128 + N after it was stopped is
/// signal N (the engine reports a signal so); otherwise a code.
fn exit_of(code: i64, killed: bool) -> Exit {
    match i32::try_from(code) {
        Ok(code) if killed && (129..=128 + 64).contains(&code) => Exit::Signal(code - 128),
        Ok(code) => Exit::Code(code),
        Err(_) => Exit::Code(-1),
    }
}

/// A started container.
struct ContainerRun {
    engine: Engine,
    id: String,
    image: String,
    output: Option<Output>,
    /// Set once the killer has been called.
    killed: Arc<AtomicBool>,
    removed: bool,
}

impl Running for ContainerRun {
    fn killer(&self) -> Killer {
        let engine = self.engine.clone();
        let id = self.id.clone();
        let killed = self.killed.clone();
        Arc::new(move || {
            killed.store(true, Ordering::SeqCst);
            let engine = engine.clone();
            let id = id.clone();
            // Stopping takes up to the grace period; the caller goes on.
            std::thread::spawn(move || {
                // Gone already is fine; nothing else to do when it fails.
                let _ = engine.stop(&id, GRACE);
            });
        })
    }

    fn wait(mut self: Box<Self>) -> Result<Exit, ExecError> {
        let code = self.engine.wait(&self.id, &self.image);
        let copied = match self.output.take() {
            Some(output) => output.finish(&self.engine, &self.id, &self.image),
            None => Ok(()),
        };
        let removed = self.engine.remove(&self.id);
        self.removed = removed.is_ok();
        let code = code?;
        copied?;
        removed?;
        Ok(exit_of(code, self.killed.load(Ordering::SeqCst)))
    }
}

impl Drop for ContainerRun {
    fn drop(&mut self) {
        if !self.removed {
            // Best effort: a drop cannot report.
            let _ = self.engine.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_create_call_carries_the_command_env_limits_and_mounts() {
        let spec = ProcessSpec {
            argv: vec!["sh".into(), "-c".into(), "echo hi".into()],
            env: vec![("A".into(), "1=2".into())],
            image: "localhost/x:1".into(),
            cpu_limit: Some(0.5),
            memory_limit: Some(64 << 20),
            mounts: vec!["/tmp/root".into()],
            log: "/tmp/root/log".into(),
            ..Default::default()
        };
        let config = create_config(&spec).unwrap();
        assert_eq!(
            config,
            json!({
                "Image": "localhost/x:1",
                "Entrypoint": ["sh"],
                "Cmd": ["-c", "echo hi"],
                "Env": ["A=1=2"],
                "Labels": { LOG_LABEL: "/tmp/root/log" },
                "Tty": false,
                "OpenStdin": false,
                "AttachStdin": false,
                "AttachStdout": false,
                "AttachStderr": false,
                "HostConfig": {
                    "Binds": ["/tmp/root:/tmp/root:rw"],
                    "NanoCpus": 500_000_000,
                    "Memory": 64 << 20,
                },
            })
        );
    }

    #[test]
    fn a_folder_is_mounted_at_another_path() {
        let spec = ProcessSpec {
            argv: vec!["ls".into()],
            image: "i".into(),
            mounts: vec!["/tmp/root".into()],
            mounted_at: vec![("/tmp/run/.workspace".into(), "/kfp-workspace".into())],
            ..Default::default()
        };
        let config = create_config(&spec).unwrap();
        assert_eq!(
            config["HostConfig"]["Binds"],
            json!([
                "/tmp/root:/tmp/root:rw",
                "/tmp/run/.workspace:/kfp-workspace:rw"
            ])
        );
    }

    #[test]
    fn what_cannot_be_run_is_refused_before_the_engine_is_asked() {
        let spec = |argv: &[&str], image: &str, mount: &str| ProcessSpec {
            argv: argv.iter().map(|a| (*a).to_owned()).collect(),
            image: image.into(),
            mounts: vec![mount.into()],
            ..Default::default()
        };
        let cases = [
            (spec(&[], "i", "/a"), "the command line is empty"),
            (spec(&["sh"], "", "/a"), "no image is given to run `sh` in"),
            (
                spec(&["sh"], "i", "rel"),
                "rel cannot be mounted in a container: it is not an absolute path",
            ),
            (
                spec(&["sh"], "i", "/a:b"),
                "/a:b cannot be mounted in a container: it has a `:`",
            ),
        ];
        for (spec, expected) in cases {
            let err = create_config(&spec).unwrap_err().to_string();
            assert!(
                err.ends_with(expected),
                "{err:?} should end with {expected:?}"
            );
        }
        let zero_cpu = ProcessSpec {
            cpu_limit: Some(0.0),
            ..spec(&["sh"], "i", "/a")
        };
        assert!(create_config(&zero_cpu).is_err());
    }

    #[test]
    fn a_stopped_container_ends_by_signal_only_when_it_was_killed() {
        assert_eq!(exit_of(0, false), Exit::Code(0));
        assert_eq!(exit_of(137, false), Exit::Code(137));
        assert_eq!(exit_of(137, true), Exit::Signal(9));
        assert_eq!(exit_of(143, true), Exit::Signal(15));
        assert_eq!(exit_of(2, true), Exit::Code(2));
        assert_eq!(exit_of(1 << 40, false), Exit::Code(-1));
    }

    #[test]
    fn no_engine_names_what_was_tried() {
        let err = Container::connect_to("unix:///no/such/engine.sock").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no container engine (tried unix:///no/such/engine.sock: absent)"
        );
        let err = Container::connect_to("ssh://host").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no container engine (tried ssh://host: not unix:///PATH or tcp://HOST:PORT \
             (the forms kfp-local reads))"
        );
    }
}
