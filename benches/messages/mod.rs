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

/// The INVITE that 200 answers, as proxy1 received it.
pub(crate) const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n\
Max-Forwards: 70\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=9fxced7\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
Call-ID: 3848276298220188511@atlanta.com\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:alice@client.atlanta.example.com;transport=udp>\r\n\
Content-Length: 0\r\n\
\r\n";
