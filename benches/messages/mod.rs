//! The SIP messages the benches share (`mod messages;` in each): one copy
//! of each, so every bench measures the same bytes.
#![allow(dead_code)] // each bench uses some of them

/// A 100 Trying to INVITE, one Via.
pub(crate) const TRYING: &[u8] = b"SIP/2.0 100 Trying\r\n\
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n\
To: Bob <sip:bob@biloxi.com>\r\n\
From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710abc@pc33.atlanta.com\r\n\
CSeq: 314159 INVITE\r\n\
Content-Length: 0\r\n\
\r\n";

/// A 200 OK to INVITE with SDP, 640 bytes, two Vias (the top one a
/// proxy's, as `forward_upstream` removes it).
pub(crate) const OK_INVITE: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bKnashds8;received=192.0.2.3\r\n\
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n\
Record-Route: <sip:server10.biloxi.com;lr>\r\n\
To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n\
From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710abc@pc33.atlanta.com\r\n\
CSeq: 314159 INVITE\r\n\
Contact: <sip:bob@192.0.2.4>\r\n\
Allow: INVITE, ACK, CANCEL, BYE\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 146\r\n\
\r\n\
v=0\r\n\
o=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n\
s=-\r\n\
c=IN IP4 192.0.2.4\r\n\
t=0 0\r\n\
m=audio 3456 RTP/AVP 0 8 97\r\n\
a=rtpmap:0 PCMU/8000\r\n\
a=sendrecv\r\n";

/// A 200 OK to INVITE as a UAC receives it behind two proxies: three Vias,
/// Record-Route, SDP. 794 bytes.
pub(crate) const OK_794: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP proxy2.biloxi.example.com:5060;branch=z9hG4bK721e4.1;received=192.0.2.222\r\n\
Via: SIP/2.0/UDP proxy1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111\r\n\
Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n\
Record-Route: <sip:proxy2.biloxi.example.com;lr>, <sip:proxy1.atlanta.example.com;lr>\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=9fxced7\r\n\
To: Bob <sip:bob@biloxi.example.com>;tag=3141\r\n\
Call-ID: 3848276298220188511@atlanta.com\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:bob@192.0.2.201>\r\n\
Allow: INVITE, ACK, CANCEL, BYE\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 133\r\n\
\r\n\
v=0\r\n\
o=bob 2890844527 2890844527 IN IP4 192.0.2.201\r\n\
s=-\r\n\
c=IN IP4 192.0.2.201\r\n\
t=0 0\r\n\
m=audio 3456 RTP/AVP 0\r\n\
a=rtpmap:0 PCMU/8000\r\n";

/// The INVITE that 200 answers, as the UAS received it from proxy2
/// (`Context::with_request`'s contract): the Vias and Record-Route values
/// of both proxies on the way, and the `received` each server transport
/// added to the Via below its own. proxy2 sent it, so it is also the
/// request proxy2 holds when the 200 comes back to it.
pub(crate) const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP proxy2.biloxi.example.com:5060;branch=z9hG4bK721e4.1\r\n\
Via: SIP/2.0/UDP proxy1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111\r\n\
Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n\
Max-Forwards: 68\r\n\
Record-Route: <sip:proxy2.biloxi.example.com;lr>, <sip:proxy1.atlanta.example.com;lr>\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=9fxced7\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
Call-ID: 3848276298220188511@atlanta.com\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:alice@client.atlanta.example.com;transport=udp>\r\n\
Content-Length: 0\r\n\
\r\n";

/// A 180 Ringing in compact form (RFC 3261 §7.3.3: `v`, `t`, `f`, `i`,
/// `m`, `l`), as size-conscious UAs send over UDP. CSeq has no compact form.
pub(crate) const COMPACT: &[u8] = b"SIP/2.0 180 Ringing\r\n\
v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5060\r\n\
t: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n\
f: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
i: a84b4c76e66710abc@pc33.atlanta.com\r\n\
CSeq: 314159 INVITE\r\n\
m: <sip:bob@192.0.2.4>\r\n\
l: 0\r\n\
\r\n";

/// A 200 OK to INVITE with 20 header rows, as a PBX behind an edge proxy
/// sends it over TLS: two Vias with `rport`/`received`, Record-Route, a
/// session timer, Allow/Supported/Allow-Events lists, P-Asserted-Identity,
/// Server, Date and an SDP answer with telephone-event.
pub(crate) const HEADERS_20: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/TLS edge1.example.net:5061;branch=z9hG4bK-524287-1---7d5f2a4c;rport=5061;received=198.51.100.17\r\n\
Via: SIP/2.0/TLS 10.0.0.23:50312;branch=z9hG4bK-524287-1---a1b2c3d4e5f60718;rport=50312;received=203.0.113.45\r\n\
Record-Route: <sip:edge1.example.net:5061;transport=tls;lr>\r\n\
From: \"Alice\" <sip:alice@example.net>;tag=7c2b9e1f\r\n\
To: <sip:bob@example.net>;tag=as5f3c1d2e\r\n\
Call-ID: 4a7e0c1b9d3f4e2a8b6c5d4e3f2a1b0c@203.0.113.45\r\n\
CSeq: 2 INVITE\r\n\
Contact: <sip:bob@198.51.100.80:5061;transport=tls>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\"\r\n\
Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE, PRACK\r\n\
Supported: replaces, timer, 100rel\r\n\
Require: timer\r\n\
Session-Expires: 1800;refresher=uac\r\n\
Content-Disposition: session\r\n\
Allow-Events: talk, hold, conference, refer\r\n\
Accept: application/sdp, application/dtmf-relay\r\n\
P-Asserted-Identity: \"Bob\" <sip:bob@example.net>\r\n\
Server: Asterisk PBX 20.5.0\r\n\
Date: Wed, 02 Dec 2026 16:30:00 GMT\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 223\r\n\
\r\n\
v=0\r\n\
o=- 3925362012 3925362013 IN IP4 198.51.100.80\r\n\
s=Asterisk\r\n\
c=IN IP4 198.51.100.80\r\n\
t=0 0\r\n\
m=audio 18432 RTP/AVP 0 101\r\n\
a=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:101 telephone-event/8000\r\n\
a=fmtp:101 0-16\r\n\
a=ptime:20\r\n\
a=sendrecv\r\n";
