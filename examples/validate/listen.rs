//! `--hep-listen`: a live audit of what capture agents (heplify, Kamailio
//! `siptrace`, OpenSIPS, FreeSWITCH, Asterisk) send to a Homer collector,
//! received as HEP over UDP and reported as it arrives, until interrupted
//! (SIGINT or SIGTERM: the run then ends as any other, with its summary).

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use sip_response::capture::{decode_hep, CaptureError, CaptureErrorKind, CaptureEvent, Timestamp};
use sip_response::validate::TxnStats;

use crate::input::{CaptureItems, Correlation, Item};

/// Receives HEP datagrams on `addr` and hands each SIP message (or each
/// damaged HEP packet, as a capture problem) to `sink`. Packets are
/// numbered from 1 in arrival order; a packet with no time of its own is
/// placed at its arrival. Returns on a socket error, or `Ok` once `stop`
/// is set (looked at least every 200 ms), with how much transaction state
/// the feed took.
pub(crate) fn listen(
    stop: &AtomicBool,
    addr: &str,
    correlation: Correlation,
    sink: &mut dyn FnMut(Item),
) -> std::io::Result<TxnStats> {
    let socket = UdpSocket::bind(addr)?;
    // Said on stderr, so that a caller that asked for port 0 learns it.
    eprintln!(
        "validate: listening for HEP on udp {}",
        socket.local_addr()?
    );
    let mut items = CaptureItems::new(&format!("hep:{}", socket.local_addr()?), correlation);
    socket.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut buf = vec![0u8; 65_536];
    let mut frame = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let n = match socket.recv_from(&mut buf) {
            Ok((n, _from)) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(e) => return Err(e),
        };
        frame += 1;
        let packet = Bytes::copy_from_slice(&buf[..n]);
        let event = match decode_hep(&packet) {
            Some(Ok(h)) if h.is_sip() => CaptureEvent::Message(Box::new(h.into_message_with(
                frame,
                now(),
                &crate::datagram_options(),
            ))),
            Some(Ok(_)) => continue, // RTCP reports, logs and the like
            Some(Err(e)) => problem(CaptureErrorKind::Hep(e), frame),
            None => continue, // not HEP at all
        };
        sink(items.item(event));
    }
    Ok(items.txn_stats())
}

fn problem(kind: CaptureErrorKind, frame: u64) -> CaptureEvent {
    CaptureEvent::Problem(CaptureError {
        kind,
        offset: 0,
        frame: Some(frame),
    })
}

fn now() -> Timestamp {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp {
        secs: d.as_secs(),
        nanos: d.subsec_nanos(),
    }
}
