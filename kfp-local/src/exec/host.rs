//! Runs a command as a process of this machine.
//!
//! The process starts in a process group of its own, so that stopping it
//! also stops what it started (a shell's children, a Python interpreter
//! under `sh -c`). Its stdout and stderr go straight to the log file; with
//! an echo prefix they go through two threads that also copy each line to
//! this process's stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process_group};

use super::{ExecError, Exit, Killer, ProcessSpec, Running, TaskExecutor, open_log};

/// How long a stopped command gets between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(3);

/// Runs commands as processes of this machine.
#[derive(Clone, Copy, Debug, Default)]
pub struct Host;

impl TaskExecutor for Host {
    fn start(&self, spec: &ProcessSpec) -> Result<Box<dyn Running>, ExecError> {
        let (program, args) = spec.argv.split_first().ok_or(ExecError::EmptyCommand)?;
        let log_error = |source| ExecError::Log {
            path: spec.log.clone(),
            source,
        };
        let log = open_log(&spec.log).map_err(log_error)?;
        let mut command = Command::new(program);
        command
            .args(args)
            .envs(spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .process_group(0);
        let echo = spec.echo_prefix.clone();
        if echo.is_some() {
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
        } else {
            command
                .stdout(log.try_clone().map_err(log_error)?)
                .stderr(log.try_clone().map_err(log_error)?);
        }
        let mut child = command.spawn().map_err(|source| ExecError::Spawn {
            program: program.clone(),
            source,
        })?;
        let readers = match echo {
            Some(prefix) => {
                let log = Arc::new(Mutex::new(log));
                let stdout = child
                    .stdout
                    .take()
                    .map(|s| copy_lines(s, log.clone(), prefix.clone()));
                let stderr = child.stderr.take().map(|s| copy_lines(s, log, prefix));
                stdout.into_iter().chain(stderr).collect()
            }
            None => Vec::new(),
        };
        Ok(Box::new(HostRun { child, readers }))
    }
}

struct HostRun {
    child: Child,
    readers: Vec<JoinHandle<()>>,
}

impl Running for HostRun {
    fn killer(&self) -> Killer {
        let pid = Pid::from_child(&self.child);
        Arc::new(move || {
            // The group may be gone already; nothing to do then.
            let _ = kill_process_group(pid, Signal::TERM);
            std::thread::spawn(move || {
                std::thread::sleep(GRACE);
                let _ = kill_process_group(pid, Signal::KILL);
            });
        })
    }

    fn wait(mut self: Box<Self>) -> Result<Exit, ExecError> {
        let status = self.child.wait().map_err(|source| ExecError::Spawn {
            program: "the task's command".into(),
            source,
        })?;
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        Ok(match (status.code(), status.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => Exit::Code(-1),
        })
    }
}

/// Copies a pipe to the log, line by line, echoing each line to stderr
/// after `prefix`.
fn copy_lines(
    pipe: impl Read + Send + 'static,
    log: Arc<Mutex<std::fs::File>>,
    prefix: String,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            if let Ok(mut log) = log.lock() {
                let _ = log.write_all(&line);
            }
            let text = String::from_utf8_lossy(&line);
            eprint!("{prefix}{}", text);
            if !text.ends_with('\n') {
                eprintln!();
            }
            line.clear();
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &std::path::Path, script: &str) -> ProcessSpec {
        ProcessSpec {
            argv: vec!["sh".into(), "-c".into(), script.into()],
            env: vec![("GREETING".into(), "hello".into())],
            log: dir.join("task/log"),
            ..Default::default()
        }
    }

    #[test]
    fn output_goes_to_the_log_and_the_exit_code_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = spec(dir.path(), "echo $GREETING; echo oops >&2; exit 3");
        let exit = Host.start(&s).unwrap().wait().unwrap();
        assert_eq!(exit, Exit::Code(3));
        assert_eq!(std::fs::read_to_string(&s.log).unwrap(), "hello\noops\n");
        let echoed = ProcessSpec {
            echo_prefix: Some("[t] ".into()),
            ..spec(dir.path(), "echo again")
        };
        assert!(Host.start(&echoed).unwrap().wait().unwrap().success());
        assert!(
            std::fs::read_to_string(&s.log)
                .unwrap()
                .ends_with("again\n")
        );
    }

    #[test]
    fn a_killed_command_and_its_children_stop() {
        let dir = tempfile::tempdir().unwrap();
        let s = spec(dir.path(), "sleep 30 & sleep 30; wait");
        let running = Host.start(&s).unwrap();
        let kill = running.killer();
        let started = std::time::Instant::now();
        kill();
        let exit = running.wait().unwrap();
        assert_eq!(exit, Exit::Signal(15));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_missing_program_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let s = ProcessSpec {
            argv: vec!["/no/such/program".into()],
            log: dir.path().join("log"),
            ..Default::default()
        };
        let err = Host.start(&s).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("could not start `/no/such/program`"),
            "{err}"
        );
    }
}
