//! HEP (Homer Encapsulation Protocol): what capture agents (heplify,
//! Kamailio `siptrace`, OpenSIPS `proto_hep`, FreeSWITCH, Asterisk) send to
//! a collector, each captured message wrapped with the addresses, ports,
//! transport and time it was seen with.
//!
//! Versions 1 and 2 are a fixed binary header; version 3 is `HEP3`, a
//! total length and a list of chunks (vendor, type, length, value), all in
//! network order. A packet is recognised by its content, whatever port it
//! came to: `HEP3` with a length that matches the packet, or a v1/v2 header
//! whose family, length and transport agree and that is followed by SIP.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::Bytes;

use super::{CapturedMessage, Timestamp};
use crate::validate::Transport;
use crate::{OwnedMessage, ParseOptions};

/// Why a packet that announces itself as HEP cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum HepError {
    /// A chunk runs past the packet, or is shorter than its own header.
    #[error("HEP chunk damaged")]
    BadChunk,
    /// No address, port or payload chunk: nothing to place the message.
    #[error("HEP packet without addresses or payload")]
    Incomplete,
    /// The payload is compressed (chunk 16), which is not read.
    #[error("compressed HEP payload")]
    Compressed,
}

/// One HEP packet: the message it carries and where it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hep {
    /// 1, 2 or 3.
    pub version: u8,
    /// Where the message came from, as the agent saw it.
    pub src: SocketAddr,
    /// Where it went.
    pub dst: SocketAddr,
    /// The transport it was carried on (HEP's IP protocol: UDP, TCP,
    /// SCTP; anything else is taken for UDP).
    pub transport: Transport,
    /// When the agent captured it (v2 and v3; `None` on v1).
    pub timestamp: Option<Timestamp>,
    /// The agent's capture id (v2, v3 chunk 12).
    pub capture_id: Option<u32>,
    /// HEP's payload type (v3 chunk 11: 1 is SIP); `None` when absent.
    pub payload_type: Option<u8>,
    /// The captured message.
    pub payload: Bytes,
}

impl Hep {
    /// Is the payload SIP: declared so (payload type 1), or undeclared and
    /// shaped like it.
    pub fn is_sip(&self) -> bool {
        match self.payload_type {
            Some(t) => t == 1,
            None => super::looks_like_sip(&self.payload),
        }
    }

    /// The message it carries, framed with datagram semantics (an agent
    /// sends one message per packet, on TCP too), placed at `frame` and,
    /// when the packet gives no time, at `fallback` time.
    pub fn into_message(self, frame: u64, fallback: Timestamp) -> CapturedMessage {
        self.into_message_with(frame, fallback, &ParseOptions::datagram())
    }

    /// [`Hep::into_message`] with other parse options (their limits; the
    /// framing is a datagram's whatever they say).
    pub fn into_message_with(
        self,
        frame: u64,
        fallback: Timestamp,
        opts: &ParseOptions,
    ) -> CapturedMessage {
        let opts = ParseOptions::datagram().with_limits(*opts.limits());
        CapturedMessage {
            frame,
            timestamp: self.timestamp.unwrap_or(fallback),
            transport: self.transport,
            src: self.src,
            dst: self.dst,
            stream_offset: None,
            message: OwnedMessage::parse_with(self.payload, &opts),
        }
    }
}

/// Reads `packet` as HEP: `None` when it is not HEP at all.
pub fn decode_hep(packet: &Bytes) -> Option<Result<Hep, HepError>> {
    if packet.starts_with(b"HEP3") {
        let total = usize::from(u16::from_be_bytes([*packet.get(4)?, *packet.get(5)?]));
        // The length must be the packet's (HEP over TCP is cut by it before
        // this is called); a mere "HEP3" at the start of text is not HEP.
        if total != packet.len() {
            return None;
        }
        return Some(v3(packet));
    }
    v1_v2(packet)
}

fn transport_of(proto: u8) -> Transport {
    match proto {
        6 => Transport::Tcp,
        132 => Transport::Sctp,
        _ => Transport::Udp,
    }
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn v3(packet: &Bytes) -> Result<Hep, HepError> {
    let mut proto = None;
    let (mut src_ip, mut dst_ip) = (None::<IpAddr>, None::<IpAddr>);
    let (mut sport, mut dport) = (None, None);
    let (mut secs, mut micros) = (None, None);
    let (mut capture_id, mut payload_type, mut payload) = (None, None, None);
    let mut at = 6;
    while at < packet.len() {
        let head = packet.get(at..at + 6).ok_or(HepError::BadChunk)?;
        let (vendor, kind, len) = (
            be16(&head[0..2]),
            be16(&head[2..4]),
            usize::from(be16(&head[4..6])),
        );
        if len < 6 || at + len > packet.len() {
            return Err(HepError::BadChunk);
        }
        let v = &packet[at + 6..at + len];
        // Vendor 0 is the generic chunk set; vendors' own chunks are
        // passed over.
        if vendor == 0 {
            match (kind, v.len()) {
                (2, 1) => proto = Some(v[0]),
                (3, 4) => src_ip = Some(IpAddr::V4(Ipv4Addr::new(v[0], v[1], v[2], v[3]))),
                (4, 4) => dst_ip = Some(IpAddr::V4(Ipv4Addr::new(v[0], v[1], v[2], v[3]))),
                (5, 16) => src_ip = Some(IpAddr::V6(ipv6(v))),
                (6, 16) => dst_ip = Some(IpAddr::V6(ipv6(v))),
                (7, 2) => sport = Some(be16(v)),
                (8, 2) => dport = Some(be16(v)),
                (9, 4) => secs = Some(be32(v)),
                (10, 4) => micros = Some(be32(v)),
                (11, 1) => payload_type = Some(v[0]),
                (12, 4) => capture_id = Some(be32(v)),
                (15, _) => payload = Some(packet.slice(at + 6..at + len)),
                (16, _) => return Err(HepError::Compressed),
                _ => {}
            }
        }
        at += len;
    }
    let (Some(src_ip), Some(dst_ip), Some(payload)) = (src_ip, dst_ip, payload) else {
        return Err(HepError::Incomplete);
    };
    let timestamp = secs.map(|s| {
        Timestamp {
            secs: u64::from(s),
            // A micro-second offset past a second is carried over.
            nanos: 0,
        }
        .plus_micros(micros.unwrap_or(0))
    });
    Ok(Hep {
        version: 3,
        src: SocketAddr::new(src_ip, sport.unwrap_or(0)),
        dst: SocketAddr::new(dst_ip, dport.unwrap_or(0)),
        transport: transport_of(proto.unwrap_or(17)),
        timestamp,
        capture_id,
        payload_type,
        payload,
    })
}

fn ipv6(v: &[u8]) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(v);
    Ipv6Addr::from(a)
}

/// HEP v1 and v2: version, header length, family, protocol, ports and
/// addresses in network order; v2 adds seconds, microseconds and a capture
/// id in the agent's own (in practice little-endian) order.
fn v1_v2(packet: &Bytes) -> Option<Result<Hep, HepError>> {
    let &[version, len, family, proto, ..] = packet.get(..4)? else {
        return None;
    };
    let addr_len = match family {
        2 => 4,
        10 => 16,
        _ => return None,
    };
    let want = match version {
        1 => 8 + 2 * addr_len,
        2 => 8 + 2 * addr_len + 12,
        _ => return None,
    };
    if usize::from(len) != want || !matches!(proto, 6 | 17 | 132) || packet.len() < want {
        return None;
    }
    let payload = packet.slice(want..);
    // The header alone is too weak a sign: what follows must be SIP.
    if !super::looks_like_sip(&payload) {
        return None;
    }
    let h = &packet[..want];
    let (sport, dport) = (be16(&h[4..6]), be16(&h[6..8]));
    let ip = |b: &[u8]| -> IpAddr {
        if addr_len == 4 {
            IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
        } else {
            IpAddr::V6(ipv6(b))
        }
    };
    let src = SocketAddr::new(ip(&h[8..8 + addr_len]), sport);
    let dst = SocketAddr::new(ip(&h[8 + addr_len..8 + 2 * addr_len]), dport);
    let (timestamp, capture_id) = if version == 2 {
        let t = &h[8 + 2 * addr_len..];
        let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let ts = Timestamp {
            secs: u64::from(le32(&t[0..4])),
            nanos: 0,
        }
        .plus_micros(le32(&t[4..8]));
        (Some(ts), Some(u32::from(u16::from_le_bytes([t[8], t[9]]))))
    } else {
        (None, None)
    };
    Some(Ok(Hep {
        version,
        src,
        dst,
        transport: transport_of(proto),
        timestamp,
        capture_id,
        payload_type: None,
        payload,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: u16, v: &[u8]) -> Vec<u8> {
        let mut c = Vec::new();
        c.extend_from_slice(&0u16.to_be_bytes());
        c.extend_from_slice(&kind.to_be_bytes());
        c.extend_from_slice(&((v.len() + 6) as u16).to_be_bytes());
        c.extend_from_slice(v);
        c
    }

    fn hep3(chunks: &[Vec<u8>]) -> Bytes {
        let body: Vec<u8> = chunks.concat();
        let mut p = b"HEP3".to_vec();
        p.extend_from_slice(&((body.len() + 6) as u16).to_be_bytes());
        p.extend_from_slice(&body);
        Bytes::from(p)
    }

    const SIP: &[u8] = b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";

    #[test]
    fn v3_gives_addresses_ports_transport_and_time() {
        let p = hep3(&[
            chunk(1, &[2]),
            chunk(2, &[6]),
            chunk(3, &[192, 0, 2, 1]),
            chunk(4, &[192, 0, 2, 2]),
            chunk(7, &5060u16.to_be_bytes()),
            chunk(8, &5061u16.to_be_bytes()),
            chunk(9, &1_700_000_000u32.to_be_bytes()),
            chunk(10, &1_500_000u32.to_be_bytes()),
            chunk(11, &[1]),
            chunk(12, &2001u32.to_be_bytes()),
            chunk(15, SIP),
        ]);
        let h = decode_hep(&p).unwrap().unwrap();
        assert_eq!(h.version, 3);
        assert_eq!(h.src, "192.0.2.1:5060".parse().unwrap());
        assert_eq!(h.dst, "192.0.2.2:5061".parse().unwrap());
        assert_eq!(h.transport, Transport::Tcp);
        assert_eq!(
            h.timestamp,
            Some(Timestamp {
                secs: 1_700_000_001,
                nanos: 500_000_000
            })
        );
        assert_eq!(h.capture_id, Some(2001));
        assert!(h.is_sip());
        assert_eq!(&h.payload[..], SIP);
    }

    #[test]
    fn v3_ipv6_and_vendor_chunks() {
        let mut vendor = chunk(99, b"x");
        vendor[1] = 7; // vendor 7's chunk 99: passed over
        let a6 = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let p = hep3(&[
            vendor,
            chunk(5, &a6),
            chunk(6, &a6),
            chunk(7, &1u16.to_be_bytes()),
            chunk(8, &2u16.to_be_bytes()),
            chunk(15, SIP),
        ]);
        let h = decode_hep(&p).unwrap().unwrap();
        assert_eq!(h.src, "[2001:db8::1]:1".parse().unwrap());
        assert_eq!(h.transport, Transport::Udp);
        assert_eq!(h.timestamp, None);
        assert!(h.is_sip(), "no payload type: judged by content");
    }

    #[test]
    fn v3_damage_and_non_hep() {
        // A chunk longer than the packet.
        let mut p = hep3(&[chunk(15, SIP)]).to_vec();
        p[10] = 0xff;
        assert_eq!(decode_hep(&Bytes::from(p)), Some(Err(HepError::BadChunk)));
        // No addresses.
        let p = hep3(&[chunk(15, SIP)]);
        assert_eq!(decode_hep(&p), Some(Err(HepError::Incomplete)));
        // Compressed.
        let p = hep3(&[chunk(16, b"\x1f\x8b")]);
        assert_eq!(decode_hep(&p), Some(Err(HepError::Compressed)));
        // A total length that is not the packet's: not HEP.
        let mut p = hep3(&[chunk(15, SIP)]).to_vec();
        p.push(0);
        assert_eq!(decode_hep(&Bytes::from(p)), None);
        assert_eq!(decode_hep(&Bytes::from_static(SIP)), None);
        assert_eq!(decode_hep(&Bytes::from_static(b"HEP")), None);
    }

    #[test]
    fn v2_and_v1_headers() {
        let mut p = vec![2, 28, 2, 17];
        p.extend_from_slice(&5060u16.to_be_bytes());
        p.extend_from_slice(&40000u16.to_be_bytes());
        p.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        p.extend_from_slice(&1_700_000_000u32.to_le_bytes());
        p.extend_from_slice(&250u32.to_le_bytes());
        p.extend_from_slice(&7u16.to_le_bytes());
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(SIP);
        let h = decode_hep(&Bytes::from(p.clone())).unwrap().unwrap();
        assert_eq!(h.version, 2);
        assert_eq!(h.src, "10.0.0.1:5060".parse().unwrap());
        assert_eq!(h.dst, "10.0.0.2:40000".parse().unwrap());
        assert_eq!(
            h.timestamp,
            Some(Timestamp {
                secs: 1_700_000_000,
                nanos: 250_000
            })
        );
        assert_eq!(h.capture_id, Some(7));
        assert_eq!(&h.payload[..], SIP);
        // v1: no time.
        let mut v1 = p[..16].to_vec();
        v1[0] = 1;
        v1[1] = 16;
        v1.extend_from_slice(SIP);
        let h = decode_hep(&Bytes::from(v1)).unwrap().unwrap();
        assert_eq!((h.version, h.timestamp), (1, None));
        // A v2-looking header before something that is not SIP: not HEP.
        let mut rtp = p[..28].to_vec();
        rtp.extend_from_slice(&[0x80, 0, 0, 1]);
        assert_eq!(decode_hep(&Bytes::from(rtp)), None);
    }
}

#[cfg(test)]
mod id_tests {
    use super::super::{CaptureErrorKind as K, LayerErrorKind as L};
    use super::HepError;

    #[test]
    fn capture_problem_ids_are_kebab_case_and_distinct() {
        let kinds = [
            K::Read,
            K::RecordTooLarge,
            K::NotACapture,
            K::Truncated,
            K::RecordPastEnd,
            K::BadBlockLength,
            K::BadByteOrderMagic,
            K::BadPacketBlock,
            K::TooManyInterfaces,
            K::UnknownInterface,
            K::UnsupportedLinkType(9),
            K::SnapLength,
            K::Layer(L::Truncated),
            K::Layer(L::BadIpHeader),
            K::Layer(L::TooDeep),
            K::Layer(L::FragmentDropped),
            K::StreamGap { missing: 1 },
            K::Skipped { octets: 1 },
            K::WebSocket,
            K::SctpTooLarge,
            K::TooManyFlows,
            K::Hep(HepError::BadChunk),
            K::Hep(HepError::Incomplete),
            K::Hep(HepError::Compressed),
        ];
        let mut ids: Vec<&str> = kinds.iter().map(K::id).collect();
        for id in &ids {
            assert!(
                !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && !id.starts_with('-')
                    && !id.ends_with('-'),
                "{id}"
            );
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), kinds.len(), "ids are distinct");
    }
}
