//! A stateless, response-validating SIP relay over UDP and TCP: the crate
//! on a proxy's hot path (parse → validate in the proxy role → forward or
//! drop), with the findings logged as JSON Lines.
//!
//! ```sh
//! cargo run --example relay --features serde,socket2,tokio-codec -- \
//!     --listen 127.0.0.1:5060 --uas 127.0.0.1:5070 [--log relay.jsonl]
//! ```
//!
//! Requests (from the UAC side) get this relay's Via on top, with a branch
//! derived from theirs (RFC 3261 §16.11: a stateless proxy computes the same
//! branch for a retransmission), and go to `--uas`. Responses are parsed,
//! validated as [`Role::Proxy`], and then:
//!
//! * broken (`Report::has_errors`): dropped, logged as `"dropped"`;
//! * a 100: absorbed (RFC 3261 §16.7 step 5), not logged;
//! * refused by `forward_upstream` (not ours, meant for us, broadcast):
//!   logged as `"refused"`;
//! * otherwise forwarded without our Via to where the next Via says
//!   (`Forwarded::next_hop`): on UDP one vectored datagram
//!   (`Forwarded::send_to`), on TCP back over the connection the request
//!   came on, through the `tokio-codec` `Encoder`. Logged as `"forwarded"`
//!   only when the validator had something to say.
//!
//! Each log line is one JSON object: `{"action", "transport", "peer",
//! "code", "report": {"findings": [...], "verdicts": [...]}}`, the findings
//! in the library's serde shape.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use sip_response::decoder::{Frame, KeepAlive};
use sip_response::header::typed::Via;
use sip_response::validate::{validate, Context, Report, Role, SentBy, Transport};
use sip_response::{
    forward_upstream, parse_datagram, Forwarded, KnownHeader, MessageDecoder, OwnedMessage,
    OwnedResponse, ParseErrorKind, ResponseDecoder, Span,
};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{FramedRead, FramedWrite};

#[derive(Parser)]
#[command(about = "Stateless response-validating SIP relay (UDP and TCP)")]
struct Args {
    /// Address to listen on, for UDP and TCP alike.
    #[arg(long)]
    listen: SocketAddr,
    /// Where requests go (the UAS), on the transport they came on.
    #[arg(long)]
    uas: SocketAddr,
    /// JSON Lines log of dropped, refused and noteworthy responses
    /// (default: standard output).
    #[arg(long)]
    log: Option<std::path::PathBuf>,
}

/// The JSON Lines sink, shared by the UDP thread and the TCP tasks.
#[derive(Clone)]
struct Log(Arc<Mutex<Box<dyn Write + Send>>>);

impl Log {
    fn record(
        &self,
        action: &str,
        transport: Transport,
        peer: SocketAddr,
        code: u16,
        report: &Report,
    ) {
        let line = json!({
            "action": action,
            "transport": transport.as_str().to_ascii_lowercase(),
            "peer": peer.to_string(),
            "code": code,
            "report": report,
        });
        let mut w = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writeln!(w, "{line}");
        let _ = w.flush();
    }
}

/// This relay in one role and transport: the context it validates with.
struct Relay {
    ctx: Context,
    transport: Transport,
    own: SentBy,
    log: Log,
}

impl Relay {
    fn new(transport: Transport, own: SentBy, log: Log) -> Self {
        let ctx = Context::new()
            .with_role(Role::Proxy)
            .with_transport(transport)
            .with_own_sent_by(own.host(), own.port());
        Relay {
            ctx,
            transport,
            own,
            log,
        }
    }

    /// Parse is done; validate, then forward or drop. `Some` is what to send.
    fn response(&self, resp: &OwnedResponse, peer: SocketAddr) -> Option<Forwarded> {
        let code = resp.status().as_u16();
        let report = validate(resp, &self.ctx);
        if report.has_errors() {
            self.log
                .record("dropped", self.transport, peer, code, &report);
            return None;
        }
        match forward_upstream(resp, self.ctx.own_sent_by()) {
            Ok(fwd) => {
                if !report.is_empty() || !fwd.findings().is_empty() {
                    let mut all = report.into_findings();
                    all.extend_from_slice(fwd.findings());
                    let report = Report::from_findings(all);
                    self.log
                        .record("forwarded", self.transport, peer, code, &report);
                }
                Some(fwd)
            }
            Err(refused) if refused.is_absorbed() => None,
            Err(refused) => {
                let report = Report::from_findings(refused.findings().to_vec());
                self.log
                    .record("refused", self.transport, peer, code, &report);
                None
            }
        }
    }

    /// The request with this relay's Via on top (RFC 3261 §16.6 step 8), the
    /// branch a hash of the request's own top branch (§16.11), so that a
    /// retransmission, its CANCEL and a non-2xx ACK get the same one, and
    /// Max-Forwards decremented (§16.6 step 3; `None`, not forwarded, at 0:
    /// a full proxy would answer 483).
    fn request(&self, req: &OwnedMessage) -> Option<Vec<u8>> {
        let msg = req.view().span();
        let src = &req.bytes()[..msg.end];
        // Max-Forwards: the value replaced by one less, or 70 added.
        let (mf_span, mf_value) = match req.view().headers().get(KnownHeader::MaxForwards) {
            Some(h) => {
                let n: u32 = h.value_str()?.trim().parse().ok()?;
                (h.value_span(), n.checked_sub(1)?.to_string())
            }
            None => (Span::empty(msg.start), String::new()),
        };
        let wire = if mf_value.is_empty() {
            src[msg.start..].to_vec()
        } else {
            [
                &src[msg.start..mf_span.start],
                mf_value.as_bytes(),
                &src[mf_span.end..],
            ]
            .concat()
        };
        let line_end = wire.windows(2).position(|w| w == b"\r\n")? + 2;
        let branch = req
            .view()
            .headers()
            .typed::<Via<'_>>()
            .and_then(Result::ok)
            .and_then(|v| v.branch())
            .unwrap_or(b"");
        let mut h = DefaultHasher::new();
        branch.hash(&mut h);
        let port = self.own.port().map(|p| format!(":{p}")).unwrap_or_default();
        let via = format!(
            "Via: SIP/2.0/{} {}{port};branch=z9hG4bK{:016x}\r\n",
            self.transport.as_str(),
            self.own.host(),
            h.finish()
        );
        let max_forwards = if mf_value.is_empty() {
            "Max-Forwards: 70\r\n"
        } else {
            ""
        };
        Some(
            [
                &wire[..line_end],
                via.as_bytes(),
                max_forwards.as_bytes(),
                &wire[line_end..],
            ]
            .concat(),
        )
    }
}

/// UDP: one socket for both sides; requests go to the UAS, responses to
/// their next hop.
fn udp(sock: UdpSocket, uas: SocketAddr, log: Log) -> std::io::Result<()> {
    let relay = Relay::new(Transport::Udp, SentBy::from(sock.local_addr()?), log);
    let mut buf = vec![0u8; 65_536];
    loop {
        let (n, peer) = sock.recv_from(&mut buf)?;
        let bytes = Bytes::copy_from_slice(&buf[..n]);
        match parse_datagram(bytes.clone()) {
            Ok(Frame::KeepAlive(KeepAlive::Ping)) => {
                sock.send_to(KeepAlive::Pong.as_bytes(), peer)?;
            }
            Ok(Frame::KeepAlive(KeepAlive::Pong)) => {}
            Ok(Frame::Message(resp)) => {
                let Some(fwd) = relay.response(&resp, peer) else {
                    continue;
                };
                let Ok(hop) = fwd.next_hop() else { continue };
                let to = match hop.socket_addr() {
                    Some(a) => a,
                    // A name: the caller's resolver (here the system's).
                    None => match (hop.host.to_string(), hop.port).to_socket_addrs() {
                        Ok(mut addrs) => match addrs.next() {
                            Some(a) => a,
                            None => continue,
                        },
                        Err(_) => continue,
                    },
                };
                fwd.send_to(&sock, to)?;
            }
            Err(e) if e.kind() == ParseErrorKind::NotAResponse => {
                if let Ok(req) = OwnedMessage::parse(bytes) {
                    if let Some(out) = relay.request(&req) {
                        sock.send_to(&out, uas)?;
                    }
                }
            }
            Err(e) => eprintln!("relay: udp {peer}: not SIP: {e}"),
        }
    }
}

/// TCP: each accepted connection gets its own connection to the UAS;
/// responses from that one go back over the accepted one.
async fn tcp(listener: TcpListener, uas: SocketAddr, log: Log) -> std::io::Result<()> {
    loop {
        let (down, peer) = listener.accept().await?;
        let log = log.clone();
        tokio::spawn(async move {
            if let Err(e) = tcp_pair(down, peer, uas, log).await {
                eprintln!("relay: tcp {peer}: {e}");
            }
        });
    }
}

async fn tcp_pair(
    down: TcpStream,
    peer: SocketAddr,
    uas: SocketAddr,
    log: Log,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let relay = Relay::new(Transport::Tcp, SentBy::from(down.local_addr()?), log);
    let up = TcpStream::connect(uas).await?;
    let (down_r, down_w) = down.into_split();
    let (up_r, mut to_uas) = up.into_split();
    let mut from_uac = FramedRead::new(down_r, MessageDecoder::default());
    let mut to_uac = FramedWrite::new(down_w, ResponseDecoder::default());
    let mut from_uas = FramedRead::new(up_r, ResponseDecoder::default());
    loop {
        tokio::select! {
            frame = from_uac.next() => match frame.transpose()? {
                None => return Ok(()),
                Some(Frame::KeepAlive(KeepAlive::Ping)) => to_uac.send(KeepAlive::Pong).await?,
                Some(Frame::KeepAlive(KeepAlive::Pong)) => {}
                Some(Frame::Message(msg)) if !msg.is_response() => {
                    if let Some(out) = relay.request(&msg) {
                        to_uas.write_all(&out).await?;
                    }
                }
                Some(Frame::Message(_)) => {} // a response from the UAC side: not relayed
            },
            frame = from_uas.next() => match frame.transpose()? {
                None => return Ok(()),
                Some(Frame::KeepAlive(KeepAlive::Ping)) => to_uas.write_all(KeepAlive::Pong.as_bytes()).await?,
                Some(Frame::KeepAlive(KeepAlive::Pong)) => {}
                Some(Frame::Message(resp)) => {
                    // Reliable transport: back over the request's connection
                    // (RFC 3261 §18.2.2), whatever the Via names.
                    if let Some(fwd) = relay.response(&resp, peer) {
                        to_uac.send(fwd).await?;
                    }
                }
            },
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let sink: Box<dyn Write + Send> = match &args.log {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(std::io::stdout()),
    };
    let log = Log(Arc::new(Mutex::new(sink)));

    let sock = UdpSocket::bind(args.listen)?;
    let (uas, udp_log) = (args.uas, log.clone());
    std::thread::spawn(move || {
        if let Err(e) = udp(sock, uas, udp_log) {
            eprintln!("relay: udp: {e}");
            std::process::exit(1);
        }
    });

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    rt.block_on(async {
        let listener = TcpListener::bind(args.listen).await?;
        eprintln!(
            "relay: listening on {} (udp, tcp), uas {}",
            args.listen, args.uas
        );
        tcp(listener, args.uas, log).await
    })?;
    Ok(())
}
