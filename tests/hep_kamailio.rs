//! HEP from a real agent: Kamailio (Debian `kamailio`) runs the stateless
//! responder in `tests/data/kamailio/kamailio.cfg`, whose `siptrace` module
//! mirrors every SIP message it receives and sends to a Homer collector as
//! HEPv3. The collector is `validate --hep-listen`, run as a process; SIPp
//! places one call. A tap between the two keeps a copy of each HEP packet,
//! so the test can check both what the library's decoder reads from
//! Kamailio's packets and what the tool reports from them: the responses
//! Kamailio sent, with the addresses, ports, transport and capture time
//! from the HEP chunks, validated like any others.
//!
//! Kamailio and SIPp (`sip-tester`) are installed by `.ci/run`. When either
//! is missing the test says so and passes, except under CI (`CI=true`),
//! where it fails. A filtered run (`cargo test --test hep_kamailio`) does
//! not build the example: run `cargo build --example validate
//! --all-features` first.
//!
//! Every wait has a deadline; ports are picked free by binding port 0;
//! Kamailio runs in the foreground in its own process group, with its
//! config, pid file and runtime directory in a temporary directory, and is
//! stopped (SIGTERM, then SIGKILL) on every path, panics included.
#![cfg(all(feature = "capture", feature = "serde"))]

mod common;

use std::io::{BufRead, ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde_json::{Map, Value};
use sip_response::capture::{decode_hep, Timestamp};

/// `name` from the PATH (and the sbin directories, where Debian puts
/// `kamailio`, in case the PATH lacks them); `None`, after saying so, when
/// the test must be skipped. Under CI a missing tool is a failure.
fn tool(name: &str, package: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "{name} is not installed, and CI=true: .ci/run must install {package}"
        );
        // Straight to the process's stderr: libtest captures `eprintln!`,
        // and a skip must be visible.
        let _ = writeln!(
            std::io::stderr(),
            "hep_kamailio: SKIPPED: `{name}` not found (apt-get install {package})"
        );
    }
    found
}

/// The `validate` example binary ([`common::example_exe`]).
fn validate_exe() -> PathBuf {
    common::example_exe("validate", &["examples/validate"], "capture,serde")
}

/// A process this test started, stopped when dropped: SIGTERM to its
/// process group (Kamailio's workers die with it), SIGKILL if it is still
/// there after 3 s.
struct Proc {
    child: Child,
    group: bool,
}

impl Proc {
    fn signal(&self, sig: &str) {
        let pid = self.child.id();
        let target = if self.group {
            format!("-{pid}")
        } else {
            pid.to_string()
        };
        let _ = Command::new("kill")
            .args([sig, "--", &target])
            .stderr(Stdio::null())
            .status();
    }

    /// Its exit status, or `None` once `limit` has passed.
    fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + limit;
        loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                return Some(s);
            }
            if Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) && !self.group {
            return;
        }
        self.signal("-TERM");
        if self.wait_for(Duration::from_secs(3)).is_none() || self.group {
            // A group may outlive its leader by a moment.
            self.signal("-KILL");
            let _ = self.child.wait();
        }
    }
}

/// A directory of its own under the temp dir, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A UDP port free at the time of asking.
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port()
}

/// `secs.nanos` as the tool prints times (RFC 3339, UTC, microseconds):
/// the record schema's own formatting.
fn rfc3339(t: Timestamp) -> String {
    sip_response::record::utc_time(t.secs, t.nanos)
}

#[test]
fn kamailio_siptrace_hep_is_audited_live() {
    let (Some(kamailio), Some(sipp)) = (tool("kamailio", "kamailio"), tool("sipp", "sip-tester"))
    else {
        return;
    };
    let started = Instant::now();
    let dir = TempDir(std::env::temp_dir().join(format!("hep_kamailio-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(dir.0.join("run")).unwrap();

    // The collector, on a port of its choosing, said on its first stderr line.
    let mut validate = Proc {
        child: Command::new(validate_exe())
            .args(["--format", "json", "--hep-listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn validate"),
        group: false,
    };
    let mut first = String::new();
    std::io::BufReader::new(validate.child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let collector: SocketAddr = first
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let (line_tx, lines) = mpsc::channel();
    let out = validate.child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });

    // The tap: Kamailio sends here; each packet is kept and passed on.
    let tap = UdpSocket::bind("127.0.0.1:0").unwrap();
    let tap_addr = tap.local_addr().unwrap();
    tap.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let (packet_tx, packets) = mpsc::channel::<Vec<u8>>();
    let tap_deadline = Instant::now() + Duration::from_secs(15);
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65_536];
        while Instant::now() < tap_deadline {
            match tap.recv_from(&mut buf) {
                Ok((n, _)) => {
                    // Kept before it is passed on: once the tool has
                    // reported a message, its packet is here.
                    if packet_tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                    tap.send_to(&buf[..n], collector).unwrap();
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("tap: {e}"),
            }
        }
    });

    // The agent.
    let kam_port = free_port();
    let kam: SocketAddr = format!("127.0.0.1:{kam_port}").parse().unwrap();
    let log = std::fs::File::create(dir.0.join("kamailio.log")).unwrap();
    let _kamailio = Proc {
        child: Command::new(&kamailio)
            .arg("-f")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kamailio/kamailio.cfg"))
            .args(["-l", &format!("udp:{kam}")])
            .args(["-A", &format!("HEP_URI=\"sip:{tap_addr}\"")])
            .arg("-P")
            .arg(dir.0.join("kamailio.pid"))
            .arg("-Y")
            .arg(dir.0.join("run"))
            .arg("-w")
            .arg(&dir.0)
            .args(["-DD", "-E", "-m", "16", "-M", "4"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("spawn kamailio"),
        group: true,
    };
    let kam_log = || std::fs::read_to_string(dir.0.join("kamailio.log")).unwrap_or_default();

    // Ready when it answers a probe. A probe sent before it listens is
    // refused (and sent again); one sent after is answered exactly once.
    let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
    let probe_addr = probe.local_addr().unwrap();
    probe.connect(kam).unwrap();
    probe
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let options = format!(
        "OPTIONS sip:probe@{kam} SIP/2.0\r\n\
         Via: SIP/2.0/UDP {probe_addr};branch=z9hG4bK-probe\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:test@127.0.0.1>;tag=probe\r\n\
         To: <sip:probe@{kam}>\r\n\
         Call-ID: probe-{}@127.0.0.1\r\n\
         CSeq: 1 OPTIONS\r\n\
         Content-Length: 0\r\n\r\n",
        std::process::id()
    );
    let ready_by = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 4096];
    let mut send = true;
    let answer = loop {
        assert!(
            Instant::now() < ready_by,
            "Kamailio did not answer within 5 s\n{}",
            kam_log()
        );
        if send {
            // Refused until Kamailio has bound its port: then it can be
            // sent again without a second answer.
            match probe.send(options.as_bytes()) {
                Ok(_) => send = false,
                Err(e) if e.kind() == ErrorKind::ConnectionRefused => {}
                Err(e) => panic!("probe: {e}"),
            }
        }
        match probe.recv(&mut buf) {
            Ok(n) => break String::from_utf8_lossy(&buf[..n]).into_owned(),
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                send = true;
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("probe: {e}"),
        }
    };
    assert!(answer.starts_with("SIP/2.0 405 "), "{answer}");

    // One call: INVITE (100, 180, 200), ACK, BYE (200).
    let sipp_port = free_port();
    let uac: SocketAddr = format!("127.0.0.1:{sipp_port}").parse().unwrap();
    let mut call = Proc {
        child: Command::new(&sipp)
            .args(["-sn", "uac", &kam.to_string(), "-i", "127.0.0.1"])
            .args(["-p", &sipp_port.to_string(), "-m", "1", "-nostdin"])
            .args(["-timeout", "5", "-timeout_error"])
            .current_dir(&dir.0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sipp"),
        group: false,
    };
    let status = call.wait_for(Duration::from_secs(8)).expect("sipp ended");
    assert!(status.success(), "sipp: {status}\n{}", kam_log());

    // Nine messages seen: the probe and its answer, then the call's seven.
    let wait_until = Instant::now() + Duration::from_secs(5);
    let mut records = Vec::new();
    while records.len() < 9 {
        let left = wait_until.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("{} records within 5 s: {records:#?}", records.len()));
        records.push(serde_json::from_str::<Map<String, Value>>(&line).unwrap());
    }
    // Interrupted, the tool ends with its summary; the exit code says
    // error findings were reported.
    validate.signal("-INT");
    let status = validate
        .wait_for(Duration::from_secs(5))
        .expect("validate ends on SIGINT");
    // The rest of its output, up to the end of its stdout.
    let mut rest = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(2)) {
        rest.push(line);
    }
    assert_eq!(status.code(), Some(1), "{rest:?}");
    assert_eq!(rest.len(), 1, "one summary record: {rest:?}");
    let summary: Map<String, Value> = serde_json::from_str(&rest[0]).unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(
        (
            summary["responses"].as_u64(),
            summary["requests"].as_u64(),
            summary["capture_problems"].as_u64(),
            summary["parse_errors"].as_u64()
        ),
        (Some(5), Some(4), Some(0), Some(0)),
        "{summary:?}"
    );

    // What Kamailio sent, read by the library's decoder: HEPv3, SIP, its
    // capture id, a time for each, and the endpoints of each message.
    let raw: Vec<Vec<u8>> = packets.try_iter().collect();
    assert_eq!(raw.len(), 9, "HEP packets");
    let heps: Vec<_> = raw
        .into_iter()
        .map(|p| match decode_hep(&Bytes::from(p)) {
            Some(Ok(h)) => h,
            other => panic!("not read: {other:?}"),
        })
        .collect();

    // Per message: kind, method or code, from, to; in the order sent.
    let (k, p, u) = (kam.to_string(), probe_addr.to_string(), uac.to_string());
    let expected: [(&str, &str, &str, &str); 9] = [
        ("request", "OPTIONS", &p, &k),
        ("response", "405", &k, &p),
        ("request", "INVITE", &u, &k),
        ("response", "100", &k, &u),
        ("response", "180", &k, &u),
        ("response", "200", &k, &u),
        ("request", "ACK", &u, &k),
        ("request", "BYE", &u, &k),
        ("response", "200", &k, &u),
    ];
    for ((r, h), want) in records.iter().zip(&heps).zip(expected) {
        assert_eq!(h.version, 3);
        assert_eq!(h.capture_id, Some(2001), "as kamailio.cfg sets it");
        assert_eq!(h.payload_type, Some(1), "SIP");
        assert_eq!(
            (h.src.to_string(), h.dst.to_string()),
            (want.2.to_string(), want.3.to_string())
        );
        let what = if want.0 == "request" {
            r["method"].as_str().unwrap().to_string()
        } else {
            r["code"].to_string()
        };
        assert_eq!(
            (
                r["kind"].as_str().unwrap(),
                what.as_str(),
                r["src"].as_str().unwrap(),
                r["dst"].as_str().unwrap(),
                r["transport"].as_str().unwrap()
            ),
            (want.0, want.1, want.2, want.3, "udp"),
            "{r:?}"
        );
        // The capture time is Kamailio's (HEP chunks 9 and 10), not the
        // moment the tool received the packet.
        let t = h.timestamp.expect("Kamailio sends a time");
        assert_eq!(r["time"].as_str(), Some(rfc3339(t).as_str()), "{r:?}");
    }
    // The call's responses belong to the INVITE and the BYE SIPp sent.
    let call_id = records[2]["call_id"].as_str().unwrap();
    for r in &records[3..] {
        assert_eq!(r["call_id"].as_str(), Some(call_id));
    }
    assert_eq!(
        records[3..]
            .iter()
            .filter(|r| r["kind"] == "response")
            .map(|r| r["cseq"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["1 INVITE", "1 INVITE", "1 INVITE", "2 BYE"]
    );
    // Kamailio's times are in the window of this run.
    let now = |d: Duration| {
        let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() - d;
        rfc3339(Timestamp {
            secs: t.as_secs(),
            nanos: t.subsec_nanos(),
        })
    };
    let (from, to) = (
        now(started.elapsed() + Duration::from_secs(1)),
        now(Duration::ZERO),
    );
    for r in &records {
        let t = r["time"].as_str().unwrap();
        assert!(
            from.as_str() <= t && t <= to.as_str(),
            "{t} not in {from}..{to}"
        );
    }

    // Validated like any response: what this responder leaves out is
    // reported, what it gets right is not.
    let rules = |r: &Map<String, Value>| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(rules(&records[1]).contains(&"405-allow-required".into()));
    assert!(rules(&records[3]).is_empty(), "100: {:?}", records[3]);
    assert!(rules(&records[4]).contains(&"1xx-early-dialog-contact".into()));
    assert!(rules(&records[5]).contains(&"2xx-dialog-contact".into()));
    assert!(
        rules(&records[8]).is_empty(),
        "200 to BYE: {:?}",
        records[8]
    );
}
