//! The container executor against a real engine (Docker, or Podman's
//! service: `scripts/container-engine` sets one up and prints the
//! `DOCKER_HOST` to use). The image is `KFP_LOCAL_TEST_IMAGE` (default
//! `localhost/kfp-rs-test:latest`, the busybox image that script builds).
//!
//! Where no engine is reachable, or it lacks the image, each test says it is
//! skipped; with `KFP_LOCAL_REQUIRE_ENGINE=1` (CI) it fails instead.

use std::path::Path;
use std::time::{Duration, Instant};

use kfp_local::exec::container::Container;
use kfp_local::exec::{Exit, ProcessSpec, PullPolicy, TaskExecutor};

const DEFAULT_IMAGE: &str = "localhost/kfp-rs-test:latest";

struct Setup {
    engine: Container,
    image: String,
    dir: tempfile::TempDir,
}

/// The engine and the test image, or `None` after saying why not.
fn setup() -> Option<Setup> {
    let required = std::env::var("KFP_LOCAL_REQUIRE_ENGINE").is_ok_and(|v| v == "1");
    let skip = |why: String| {
        assert!(!required, "KFP_LOCAL_REQUIRE_ENGINE=1, but {why}");
        println!("skipped: {why}");
        None
    };
    let engine = match Container::connect() {
        Ok(engine) => engine,
        Err(e) => return skip(e.to_string()),
    };
    let image = std::env::var("KFP_LOCAL_TEST_IMAGE").unwrap_or_else(|_| DEFAULT_IMAGE.into());
    // A run that needs no pull tells whether the image is there.
    let dir = tempfile::tempdir().unwrap();
    let probe = ProcessSpec {
        argv: vec!["true".into()],
        image: image.clone(),
        pull_policy: PullPolicy::Never,
        log: dir.path().join("probe.log"),
        ..Default::default()
    };
    if let Err(e) = engine.start(&probe).and_then(|run| run.wait()) {
        return skip(format!(
            "the test image is not usable ({e}); scripts/container-engine builds it"
        ));
    }
    Some(Setup { engine, image, dir })
}

impl Setup {
    /// `sh -c SCRIPT` in the test image, the temporary folder mounted.
    fn spec(&self, name: &str, script: &str) -> ProcessSpec {
        ProcessSpec {
            argv: vec!["sh".into(), "-c".into(), script.into()],
            image: self.image.clone(),
            mounts: vec![self.dir.path().to_owned()],
            log: self.dir.path().join(name).join("log"),
            ..Default::default()
        }
    }

    fn run(&self, spec: &ProcessSpec) -> (Exit, String) {
        let exit = self.engine.start(spec).unwrap().wait().unwrap();
        self.assert_removed(&spec.log);
        (exit, std::fs::read_to_string(&spec.log).unwrap_or_default())
    }

    /// No container of the task with this log is left.
    fn assert_removed(&self, log: &Path) {
        let left: Vec<_> = self
            .engine
            .containers()
            .unwrap()
            .into_iter()
            .filter(|c| c.log.as_deref() == Some(log))
            .collect();
        assert!(left.is_empty(), "containers left behind: {left:?}");
    }
}

#[test]
fn output_exit_code_and_environment_come_back() {
    let Some(setup) = setup() else { return };
    let spec = ProcessSpec {
        env: vec![("GREETING".into(), "hello there".into())],
        ..setup.spec("echo", "echo \"out $GREETING\"; echo err >&2; exit 3")
    };
    let (exit, log) = setup.run(&spec);
    assert_eq!(exit, Exit::Code(3));
    assert!(log.contains("out hello there\n"), "{log:?}");
    assert!(log.contains("err\n"), "{log:?}");
    // The log is appended to, and echoing does not change it.
    let again = ProcessSpec {
        echo_prefix: Some("[echo] ".into()),
        ..setup.spec("echo", "echo second; echo -n unended")
    };
    let (exit, log) = setup.run(&again);
    assert!(exit.success());
    assert!(log.ends_with("second\nunended"), "{log:?}");
    assert!(log.starts_with("out hello"), "{log:?}");
}

#[test]
fn a_mounted_folder_is_read_and_written_at_the_same_path() {
    let Some(setup) = setup() else { return };
    let root = setup.dir.path();
    std::fs::write(root.join("input"), "from the host\n").unwrap();
    let script = format!(
        "mkdir -p {root}/out && cat {root}/input > {root}/out/copy && echo done",
        root = root.display()
    );
    let (exit, log) = setup.run(&setup.spec("mount", &script));
    assert!(exit.success(), "{exit}: {log}");
    assert_eq!(
        std::fs::read_to_string(root.join("out/copy")).unwrap(),
        "from the host\n"
    );
}

#[test]
fn cpu_and_memory_limits_reach_the_container() {
    let Some(setup) = setup() else { return };
    // cgroup v2 files first, then v1.
    let script = "cat /sys/fs/cgroup/memory.max 2>/dev/null \
                  || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; \
                  cat /sys/fs/cgroup/cpu.max 2>/dev/null \
                  || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us";
    let spec = ProcessSpec {
        cpu_limit: Some(0.5),
        memory_limit: Some(64 << 20),
        ..setup.spec("limits", script)
    };
    let (exit, log) = setup.run(&spec);
    assert!(exit.success(), "{exit}: {log}");
    assert!(log.contains(&(64u64 << 20).to_string()), "{log:?}");
    assert!(log.contains("50000"), "{log:?}");
}

#[test]
fn a_killed_container_stops_within_seconds() {
    let Some(setup) = setup() else { return };
    let spec = ProcessSpec {
        argv: vec!["sleep".into(), "600".into()],
        ..setup.spec("kill", "")
    };
    let running = setup.engine.start(&spec).unwrap();
    let started = Instant::now();
    running.killer()();
    let exit = running.wait().unwrap();
    assert!(matches!(exit, Exit::Signal(_)), "{exit}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    setup.assert_removed(&spec.log);
}

#[test]
fn long_output_arrives_whole() {
    let Some(setup) = setup() else { return };
    let script = "i=0; while [ $i -lt 20000 ]; do echo \"line $i of the output\"; i=$((i+1)); done";
    let (exit, log) = setup.run(&setup.spec("long", script));
    assert!(exit.success());
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 20000);
    assert_eq!(lines[19999], "line 19999 of the output");
}

#[test]
fn what_cannot_start_is_a_clear_error_and_leaves_no_container() {
    let Some(setup) = setup() else { return };
    let endpoint = setup.engine.endpoint().to_string();
    let missing = ProcessSpec {
        image: "localhost/kfp-rs-no-such-image:1".into(),
        pull_policy: PullPolicy::Never,
        ..setup.spec("missing", "true")
    };
    let err = setup.engine.start(&missing).err().unwrap().to_string();
    assert_eq!(
        err,
        format!(
            "container engine: {endpoint}: image `localhost/kfp-rs-no-such-image:1` is not \
             present, and the pull policy is Never"
        )
    );
    let unpullable = ProcessSpec {
        pull_policy: PullPolicy::IfNotPresent,
        ..missing.clone()
    };
    let err = setup.engine.start(&unpullable).err().unwrap().to_string();
    assert!(
        err.starts_with(&format!(
            "container engine: {endpoint}: pulling image `localhost/kfp-rs-no-such-image:1`: "
        )),
        "{err}"
    );
    let no_program = ProcessSpec {
        argv: vec!["/no/such/program".into()],
        ..setup.spec("no-program", "")
    };
    let err = setup.engine.start(&no_program).err().unwrap().to_string();
    assert!(err.contains("starting container"), "{err}");
    assert!(err.contains(&setup.image), "{err}");
    assert!(err.contains("/no/such/program"), "{err}");
    setup.assert_removed(&no_program.log);
}
