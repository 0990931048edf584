//! Real SIP software through `examples/relay.rs`: SIPp's built-in `uac`
//! and `uas` scenarios place calls through the relay on 127.0.0.1, over UDP
//! and over TCP, and every call must complete; a UAS broken on purpose
//! (`tests/data/sipp/uas_405_no_allow.xml`, a 405 without Allow) must have
//! its response dropped, with `405-allow-required` in the relay's JSON
//! Lines log.
//!
//! SIPp is Debian's `sip-tester` (`.ci/run` installs it). Without `sipp`
//! on the PATH the tests say so and pass, except under CI (`CI=true`),
//! where they fail. The relay binary is built by `cargo test
//! --all-features` (examples are built before integration tests); a
//! filtered run needs `cargo build --example relay --all-features` first.
//!
//! Run time stays short: three calls per transport at 10 calls/s, SIPp's
//! own `-timeout`, and a deadline on every wait. Ports are picked free by
//! binding port 0, for UDP and TCP at once, and none is handed out twice
//! (SIPp's media ports included, [`free_ports`]).
#![cfg(all(feature = "serde", feature = "socket2", feature = "tokio-codec"))]

mod common;

use std::collections::BTreeSet;
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Calls placed per transport.
const CALLS: u32 = 3;

/// `sipp` from the PATH; `None` (after saying so) when the test must be
/// skipped. Under CI a missing `sipp` is a failure.
fn sipp() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("sipp"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "sipp is not installed, and CI=true: .ci/run must install sip-tester"
        );
        // Straight to the process's stderr: libtest captures `eprintln!`,
        // and a skip must be visible.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "sipp_relay: SKIPPED: `sipp` not found (apt-get install sip-tester)"
        );
    }
    found
}

/// The `relay` example binary ([`common::example_exe`]).
fn relay_exe() -> PathBuf {
    common::example_exe("relay", &["examples/relay.rs"], "serde,socket2,tokio-codec")
}

/// Every port this test process has handed out. The three tests run at
/// once, and each port is handed out once, so the relays, the SIPp
/// instances and SIPp's media sockets never meet. (SIPp binds its `-mp`
/// port and `-mp + 2`, audio and video RTP, and exits when either is
/// taken; the kernel's `bind(0)` ports were seen to land two apart, so a
/// UAS once took its video socket on the relay's port and never started.)
static HANDED_OUT: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

/// The first of `n` consecutive ports that are each free for both UDP and
/// TCP on 127.0.0.1 and not handed out before (the relay listens on both;
/// SIPp binds one of them).
fn free_ports(n: u16) -> u16 {
    let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 0..1000 {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        let first = probe.local_addr().unwrap().port();
        let Some(last) = first.checked_add(n - 1) else {
            continue;
        };
        if (first..=last).any(|p| handed_out.contains(&p)) {
            continue;
        }
        let free = (first..=last).all(|p| {
            (p == first || TcpListener::bind(("127.0.0.1", p)).is_ok())
                && UdpSocket::bind(("127.0.0.1", p)).is_ok()
        });
        if free {
            handed_out.extend(first..=last);
            return first;
        }
    }
    panic!("no {n} consecutive ports free for both UDP and TCP");
}

/// One port ([`free_ports`]).
fn free_port() -> u16 {
    free_ports(1)
}

/// A child process killed (by its own handle) when the test ends.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Proc {
    /// Waits for the process to exit, at most `limit`.
    fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if let Some(s) = self.0.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

/// A scratch directory for SIPp's files and the relay's log.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sipp_relay-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts the relay and waits (at most 10 s) for its "listening" line, so
/// that both its UDP socket and its TCP listener are bound.
fn start_relay(dir: &Path, listen: u16, uas: u16) -> (Proc, PathBuf) {
    use std::io::{BufRead, BufReader};
    let log = dir.join("relay.jsonl");
    let mut child = Command::new(relay_exe())
        .args(["--listen", &format!("127.0.0.1:{listen}")])
        .args(["--uas", &format!("127.0.0.1:{uas}")])
        .arg("--log")
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the relay");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("listening") {
                let _ = tx.send(());
            } else {
                eprintln!("{line}");
            }
        }
    });
    let proc = Proc(child);
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the relay did not start listening");
    (proc, log)
}

/// SIPp with `args`, in `dir`, its screen into `dir/<name>.out`.
fn start_sipp(sipp: &Path, dir: &Path, name: &str, args: &[String]) -> Proc {
    let out = std::fs::File::create(dir.join(format!("{name}.out"))).unwrap();
    let child = Command::new(sipp)
        .current_dir(dir)
        .args(args)
        .args(["-nostdin", "-i", "127.0.0.1"])
        // Media: audio RTP on the port, video on the port + 2.
        .args(["-mp", &free_ports(4).to_string()])
        // Errors (a port SIPp could not bind) into `<scenario>_<pid>_errors.log`,
        // which a failure prints ([`dump`]).
        .arg("-trace_err")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start sipp");
    Proc(child)
}

/// Every file SIPp and the relay left in `dir`, for a failure message.
fn dump(dir: &Path) -> String {
    let mut out = String::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for p in names {
        let text = std::fs::read(&p).unwrap_or_default();
        out += &format!("--- {}\n{}\n", p.display(), String::from_utf8_lossy(&text));
    }
    out
}

fn log_lines(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("relay log line is JSON"))
        .collect()
}

/// SIPp's `-t` for a transport.
fn sipp_transport(tcp: bool) -> &'static str {
    if tcp {
        "t1"
    } else {
        "u1"
    }
}

/// Built-in `uac` → relay → built-in `uas`: every call completes.
fn calls_complete(sipp: &Path, tcp: bool) {
    let name = if tcp { "tcp" } else { "udp" };
    let dir = scratch(name);
    let (relay_port, uas_port, uac_port) = (free_port(), free_port(), free_port());
    let t = sipp_transport(tcp).to_string();
    let (_relay, log) = start_relay(&dir, relay_port, uas_port);
    let _uas = start_sipp(
        sipp,
        &dir,
        "uas",
        &[
            "-sn".into(),
            "uas".into(),
            "-p".into(),
            uas_port.to_string(),
            "-t".into(),
            t.clone(),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    let mut uac = start_sipp(
        sipp,
        &dir,
        "uac",
        &[
            "-sn".into(),
            "uac".into(),
            format!("127.0.0.1:{relay_port}"),
            "-p".into(),
            uac_port.to_string(),
            "-t".into(),
            t,
            "-m".into(),
            CALLS.to_string(),
            "-r".into(),
            "10".into(),
            "-timeout".into(),
            "15s".into(),
            "-timeout_error".into(),
        ],
    );
    let status = uac
        .wait_for(Duration::from_secs(30))
        .unwrap_or_else(|| panic!("{name}: the uac did not finish\n{}", dump(&dir)));
    let screen = std::fs::read_to_string(dir.join("uac.out")).unwrap_or_default();
    assert!(
        status.success(),
        "{name}: sipp uac exited with {status}: not every call completed\n{}",
        dump(&dir)
    );
    let successful = screen
        .lines()
        .find(|l| l.trim_start().starts_with("Successful call"))
        .and_then(|l| l.rsplit('|').next())
        .and_then(|c| c.trim().parse::<u32>().ok());
    assert_eq!(successful, Some(CALLS), "{name}: calls\n{screen}");
    // Nothing the SIPp UAS sends is broken or refused.
    for line in log_lines(&log) {
        assert_eq!(line["action"], "forwarded", "{name}: {line}");
        assert_eq!(line["transport"], name);
        assert!(line["report"]["verdicts"].as_array().unwrap().is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sipp_calls_complete_through_the_relay_over_udp() {
    let Some(sipp) = sipp() else { return };
    calls_complete(&sipp, false);
}

#[test]
fn sipp_calls_complete_through_the_relay_over_tcp() {
    let Some(sipp) = sipp() else { return };
    calls_complete(&sipp, true);
}

/// A 405 without Allow from the UAS is dropped, not forwarded: the relay's
/// log says `dropped`, with `405-allow-required`, and the UAC never sees it.
#[test]
fn a_broken_response_is_dropped_with_its_rule() {
    let Some(sipp) = sipp() else { return };
    let dir = scratch("broken");
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sipp/uas_405_no_allow.xml");
    let (relay_port, uas_port, uac_port) = (free_port(), free_port(), free_port());
    let (_relay, log) = start_relay(&dir, relay_port, uas_port);
    let _uas = start_sipp(
        &sipp,
        &dir,
        "uas",
        &[
            "-sf".into(),
            scenario.display().to_string(),
            "-p".into(),
            uas_port.to_string(),
            "-t".into(),
            "u1".into(),
            "-trace_msg".into(),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    let _uac = start_sipp(
        &sipp,
        &dir,
        "uac",
        &[
            "-sn".into(),
            "uac".into(),
            format!("127.0.0.1:{relay_port}"),
            "-p".into(),
            uac_port.to_string(),
            "-t".into(),
            "u1".into(),
            "-m".into(),
            "1".into(),
            "-timeout".into(),
            "30s".into(),
            "-trace_msg".into(),
        ],
    );
    // Generous: on a loaded 2-core machine the UAS may not listen yet when
    // the first INVITE leaves, and SIPp then waits for its retransmission.
    let end = Instant::now() + Duration::from_secs(30);
    let dropped = loop {
        let lines = log_lines(&log);
        if let Some(l) = lines.iter().find(|l| l["action"] == "dropped") {
            break l.clone();
        }
        assert!(
            Instant::now() < end,
            "no response dropped within 30 s; log: {lines:?}\n{}",
            dump(&dir)
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(dropped["code"], 405);
    assert_eq!(dropped["transport"], "udp");
    let rules: Vec<&str> = dropped["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"405-allow-required"), "{dropped}");
    let f = &dropped["report"]["findings"][0];
    assert_eq!(f["severity"], "error");
    // Nothing was forwarded: every line for this response is a drop.
    assert!(log_lines(&log).iter().all(|l| l["action"] == "dropped"));
    let _ = std::fs::remove_dir_all(&dir);
}
