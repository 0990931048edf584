//! `--hep-listen`: a live audit of what capture agents (heplify, Kamailio
//! `siptrace`, OpenSIPS, FreeSWITCH, Asterisk) send to a Homer collector,
//! received as HEP over UDP and reported as it arrives, until interrupted.

use std::net::UdpSocket;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use sip_response::capture::{decode_hep, CaptureError, CaptureErrorKind, CaptureEvent, Timestamp};

use crate::input::{CaptureItems, Correlation, Item};

/// Receives HEP datagrams on `addr` and hands each SIP message (or each
/// damaged HEP packet, as a capture problem) to `sink`. Packets are
/// numbered from 1 in arrival order; a packet with no time of its own is
/// placed at its arrival. Returns only on a socket error.
pub(crate) fn listen(
    addr: &str,
    correlation: Correlation,
    sink: &mut dyn FnMut(Item),
) -> std::io::Result<()> {
    let socket = UdpSocket::bind(addr)?;
    // Said on stderr, so that a caller that asked for port 0 learns it.
    eprintln!(
        "validate: listening for HEP on udp {}",
        socket.local_addr()?
    );
    let mut items = CaptureItems::new(&format!("hep:{}", socket.local_addr()?), correlation);
    let mut buf = vec![0u8; 65_536];
    let mut frame = 0u64;
    loop {
        let (n, _from) = socket.recv_from(&mut buf)?;
        frame += 1;
        let packet = Bytes::copy_from_slice(&buf[..n]);
        let event = match decode_hep(&packet) {
            Some(Ok(h)) if h.is_sip() => {
                CaptureEvent::Message(Box::new(h.into_message(frame, now())))
            }
            Some(Ok(_)) => continue, // RTCP reports, logs and the like
            Some(Err(e)) => problem(CaptureErrorKind::Hep(e), frame),
            None => continue, // not HEP at all
        };
        sink(items.item(event));
    }
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
