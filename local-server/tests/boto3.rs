//! A real third-party client against the local server: boto3 (pinned in `tests/boto3/requirements.txt`,
//! installed in a venv under target/) runs `tests/boto3/exercise.py`: every operation, pagination
//! across pages, modeled exceptions, the seeds' capability rules, the 20-attendee limit, and a
//! signature made with the wrong secret — against a server verifying signatures.
//!
//! Without Python or the package index the test says so and passes, except under `CI=true`,
//! where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use chime_local_server::{InMemoryChime, Verify};

const KEY: &str = "AKIDLOCALBOTO3";
const SECRET: &str = "local/secret+key";

fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/boto3")
}

/// The venv's python, installing the pinned requirements once per requirements file content.
fn venv_python() -> Result<PathBuf, String> {
    let requirements = here().join("requirements.txt");
    let pins = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("boto3-venv");
    let python = venv.join("bin/python");
    let marker = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(pins.as_str()) && python.exists() {
        return Ok(python);
    }
    let _ = std::fs::remove_dir_all(&venv);
    let run = |cmd: &mut Command, what: &str| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr)))
        }
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv")?;
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-input",
                "-r",
            ])
            .arg(&requirements),
        "pip install -r tests/boto3/requirements.txt",
    )?;
    std::fs::write(&marker, pins).map_err(|e| e.to_string())?;
    Ok(python)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_against_the_local_server() {
    let python = match tokio::task::spawn_blocking(venv_python).await.expect("venv task") {
        Ok(python) => python,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("boto3 cannot run under CI: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED (not under CI): boto3 cannot run here: {e}");
            return;
        }
    };
    let service = InMemoryChime::default();
    let verify = Verify::Key { access_key_id: KEY.into(), secret_access_key: SECRET.into() };
    let server =
        chime_local_server::start_with("127.0.0.1:0".parse().unwrap(), verify, service.clone())
            .await
            .unwrap();
    let endpoint = server.endpoint_url();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(here().join("exercise.py"))
            .args([endpoint.as_str(), KEY, SECRET])
            .output()
    })
    .await
    .unwrap()
    .expect("run exercise.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exercise.py failed: {}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(stdout.trim()).expect("a JSON summary line");
    assert_eq!(summary["boto3"], "1.44.5");
    let mut ops: Vec<&str> =
        summary["operations"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    ops.sort_unstable();
    assert_eq!(
        ops,
        [
            "BatchCreateAttendee",
            "BatchUpdateAttendeeCapabilitiesExcept",
            "CreateAttendee",
            "CreateMeeting",
            "CreateMeetingWithAttendees",
            "DeleteAttendee",
            "DeleteMeeting",
            "GetAttendee",
            "GetMeeting",
            "ListAttendees",
            "ListTagsForResource",
            "StartMeetingTranscription",
            "StopMeetingTranscription",
            "TagResource",
            "UntagResource",
            "UpdateAttendeeCapabilities",
        ],
        "every operation of the model"
    );
    assert_eq!(summary["pages"], 3);
    // What boto3 did is in the server's state: the meeting it deleted is gone, the auto-token
    // meeting and the CreateMeetingWithAttendees meeting remain.
    let meetings = service.summary();
    assert_eq!(meetings.len(), 2, "{meetings:?}");
    assert!(meetings.contains_key(summary["meeting_id"].as_str().unwrap()));
    server.shutdown().await;
}
