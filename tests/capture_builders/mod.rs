//! Builders for small captures in code (pcap, pcapng, Ethernet, IPv4/IPv6,
//! UDP, TCP, SCTP), shared by the capture tests.
#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;

use bytes::Bytes;
use sip_response::capture::{CaptureEvent, CaptureReader};

/// A classic pcap file, little-endian, microseconds.
pub struct Pcap {
    pub buf: Vec<u8>,
    frames: u32,
}

impl Pcap {
    pub fn new(link: u32) -> Self {
        let mut buf = Vec::new();
        buf.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        buf.extend_from_slice(&2u16.to_le_bytes());
        buf.extend_from_slice(&4u16.to_le_bytes());
        buf.extend_from_slice(&[0; 8]);
        buf.extend_from_slice(&65535u32.to_le_bytes());
        buf.extend_from_slice(&link.to_le_bytes());
        Pcap { buf, frames: 0 }
    }

    pub fn ethernet() -> Self {
        Pcap::new(1)
    }

    /// Adds a packet; frame numbers count from 1, frame n at second n.
    pub fn add(&mut self, data: &[u8]) -> &mut Self {
        self.add_cut(data, data.len())
    }

    /// Adds a packet of which only the first `keep` octets were captured.
    pub fn add_cut(&mut self, data: &[u8], keep: usize) -> &mut Self {
        self.frames += 1;
        self.buf
            .extend_from_slice(&(1_700_000_000 + self.frames).to_le_bytes());
        self.buf.extend_from_slice(&500_000u32.to_le_bytes());
        self.buf.extend_from_slice(&(keep as u32).to_le_bytes());
        self.buf
            .extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(&data[..keep]);
        self
    }

    pub fn read(&self) -> Vec<CaptureEvent> {
        CaptureReader::new(Bytes::from(self.buf.clone()))
            .expect("a capture")
            .collect()
    }
}

/// A pcapng file, little-endian: one section, interfaces of the given link
/// types (microsecond timestamps).
pub struct Pcapng {
    pub buf: Vec<u8>,
}

impl Pcapng {
    pub fn block(&mut self, btype: u32, body: &[u8]) {
        let padded = (body.len() + 3) & !3;
        let total = (12 + padded) as u32;
        self.buf.extend_from_slice(&btype.to_le_bytes());
        self.buf.extend_from_slice(&total.to_le_bytes());
        self.buf.extend_from_slice(body);
        self.buf.resize(self.buf.len() + padded - body.len(), 0);
        self.buf.extend_from_slice(&total.to_le_bytes());
    }

    pub fn new(links: &[u16]) -> Self {
        let mut f = Pcapng { buf: Vec::new() };
        let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
        shb.extend_from_slice(&[1, 0, 0, 0]);
        shb.extend_from_slice(&[0xff; 8]);
        f.block(0x0a0d_0d0a, &shb);
        for link in links {
            let mut idb = link.to_le_bytes().to_vec();
            idb.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            f.block(1, &idb);
        }
        f
    }

    /// An Enhanced Packet Block on `iface` at `usecs`.
    pub fn add(&mut self, iface: u32, usecs: u64, data: &[u8]) -> &mut Self {
        let mut body = iface.to_le_bytes().to_vec();
        body.extend_from_slice(&((usecs >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(usecs as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        self.block(6, &body);
        self
    }

    pub fn read(&self) -> Vec<CaptureEvent> {
        CaptureReader::new(Bytes::from(self.buf.clone()))
            .expect("a capture")
            .collect()
    }
}

pub type Ep = ([u8; 4], u16);

pub const UAS: Ep = ([10, 0, 0, 1], 5060);
pub const UAC: Ep = ([10, 0, 0, 2], 40000);

pub fn sa(ep: Ep) -> SocketAddr {
    SocketAddr::from(ep)
}

pub fn eth(et: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
    v.extend_from_slice(&et.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

pub fn ipv4(proto: u8, src: [u8; 4], dst: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x45, 0];
    v.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
    v.extend_from_slice(&[0, 1, 0, 0, 64, proto, 0, 0]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(payload);
    v
}

/// An IPv4 fragment (`offset` in octets, a multiple of 8).
pub fn ipv4_fragment(id: u16, offset: usize, more: bool, part: &[u8]) -> Vec<u8> {
    let mut v = ipv4(17, UAS.0, UAC.0, part);
    let frag = (offset / 8) as u16 | if more { 0x2000 } else { 0 };
    v[4..6].copy_from_slice(&id.to_be_bytes());
    v[6..8].copy_from_slice(&frag.to_be_bytes());
    eth(0x0800, &v)
}

pub fn ipv6(next: u8, src: [u8; 16], dst: [u8; 16], payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x60, 0, 0, 0];
    v.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    v.extend_from_slice(&[next, 64]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(payload);
    v
}

pub fn udp_header(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(payload);
    v
}

/// An Ethernet/IPv4/UDP frame.
pub fn udp(src: Ep, dst: Ep, payload: &[u8]) -> Vec<u8> {
    eth(
        0x0800,
        &ipv4(17, src.0, dst.0, &udp_header(src.1, dst.1, payload)),
    )
}

pub const SYN: u8 = 0x02;
pub const FIN: u8 = 0x01;
pub const ACK: u8 = 0x10;
pub const PSH: u8 = 0x08;

/// An Ethernet/IPv4/TCP frame.
pub fn tcp(src: Ep, dst: Ep, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(&src.1.to_be_bytes());
    t.extend_from_slice(&dst.1.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&[0; 4]);
    t.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(payload);
    eth(0x0800, &ipv4(6, src.0, dst.0, &t))
}

/// An SCTP DATA chunk with B/E flags.
pub fn data_chunk(begin: bool, end: bool, stream: u16, tsn: u32, payload: &[u8]) -> Vec<u8> {
    let flags = (u8::from(begin) << 1) | u8::from(end);
    let mut v = vec![0, flags];
    v.extend_from_slice(&((16 + payload.len()) as u16).to_be_bytes());
    v.extend_from_slice(&tsn.to_be_bytes());
    v.extend_from_slice(&stream.to_be_bytes());
    v.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    v.extend_from_slice(payload);
    v.resize((v.len() + 3) & !3, 0);
    v
}

/// An Ethernet/IPv4/SCTP frame.
pub fn sctp(src: Ep, dst: Ep, chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&src.1.to_be_bytes());
    s.extend_from_slice(&dst.1.to_be_bytes());
    s.extend_from_slice(&[0; 8]);
    for c in chunks {
        s.extend_from_slice(c);
    }
    eth(0x0800, &ipv4(132, src.0, dst.0, &s))
}

/// A SIP response with `body`.
pub fn response(code: u16, cseq: u32, body: &str) -> Vec<u8> {
    format!(
        "SIP/2.0 {code} Whatever\r\n\
         Via: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK{cseq}\r\n\
         From: <sip:a@example.com>;tag=1\r\n\
         To: <sip:b@example.com>;tag=2\r\n\
         Call-ID: {cseq}@example.com\r\n\
         CSeq: {cseq} INVITE\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

pub fn request() -> Vec<u8> {
    b"OPTIONS sip:b@example.com SIP/2.0\r\n\
      Via: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bKo\r\n\
      From: <sip:a@example.com>;tag=1\r\n\
      To: <sip:b@example.com>\r\n\
      Call-ID: o@example.com\r\n\
      CSeq: 1 OPTIONS\r\n\
      Max-Forwards: 70\r\n\
      Content-Length: 0\r\n\r\n"
        .to_vec()
}

/// A HEP3 packet built per the HEP3 specification: generic chunks (vendor
/// 0) for IPv4 family, IP protocol, addresses, ports, time, payload type
/// SIP, capture id and the payload.
pub fn hep3(src: Ep, dst: Ep, ip_proto: u8, secs: u32, micros: u32, payload: &[u8]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: u16, v: &[u8]) {
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&kind.to_be_bytes());
        out.extend_from_slice(&((v.len() + 6) as u16).to_be_bytes());
        out.extend_from_slice(v);
    }
    let mut c = Vec::new();
    chunk(&mut c, 1, &[2]);
    chunk(&mut c, 2, &[ip_proto]);
    chunk(&mut c, 3, &src.0);
    chunk(&mut c, 4, &dst.0);
    chunk(&mut c, 7, &src.1.to_be_bytes());
    chunk(&mut c, 8, &dst.1.to_be_bytes());
    chunk(&mut c, 9, &secs.to_be_bytes());
    chunk(&mut c, 10, &micros.to_be_bytes());
    chunk(&mut c, 11, &[1]);
    chunk(&mut c, 12, &2001u32.to_be_bytes());
    chunk(&mut c, 15, payload);
    let mut p = b"HEP3".to_vec();
    p.extend_from_slice(&((c.len() + 6) as u16).to_be_bytes());
    p.extend_from_slice(&c);
    p
}

/// A HEPv2 header (IPv4) before `payload`: ports and addresses in network
/// order, time and capture id in the agent's (little-endian) order.
pub fn hep2(src: Ep, dst: Ep, ip_proto: u8, secs: u32, micros: u32, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![2, 28, 2, ip_proto];
    p.extend_from_slice(&src.1.to_be_bytes());
    p.extend_from_slice(&dst.1.to_be_bytes());
    p.extend_from_slice(&src.0);
    p.extend_from_slice(&dst.0);
    p.extend_from_slice(&secs.to_le_bytes());
    p.extend_from_slice(&micros.to_le_bytes());
    p.extend_from_slice(&7u16.to_le_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    p
}
