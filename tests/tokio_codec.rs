//! The `tokio-codec` feature: `Framed` over a byte stream reads each
//! response or keep-alive, and writes forwarded responses, responses and
//! keep-alives, the way a tokio proxy uses a TCP connection.
#![cfg(feature = "tokio-codec")]

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use sip_response::decoder::{Frame, KeepAlive};
use sip_response::validate::SentBy;
use sip_response::{
    forward_upstream, DecodeError, MessageDecoder, OwnedResponse, ParseErrorKind, ResponseDecoder,
};
use tokio::io::AsyncReadExt;
use tokio_util::codec::{Decoder, Encoder, FramedRead, FramedWrite};

#[tokio::test(flavor = "current_thread")]
async fn framed_read_yields_each_response_and_keepalive() {
    let wire: &[u8] =
        b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\n\r\n\r\nSIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nhi\r\n";
    let mut framed = FramedRead::new(wire, ResponseDecoder::default());
    let mut got = Vec::new();
    while let Some(item) = framed.next().await {
        got.push(match item.unwrap() {
            Frame::Message(r) => format!("{} {:?}", r.view().status().as_u16(), r.view().body()),
            Frame::KeepAlive(k) => format!("{k:?}"),
        });
    }
    assert_eq!(got, ["100 []", "Ping", "200 [104, 105]", "Pong"]);
}

#[tokio::test(flavor = "current_thread")]
async fn framing_errors_surface_as_decode_errors() {
    let wire: &[u8] = b"SIP/2.0 200 OK\r\nContent-Length: 1\r\nl: 2\r\n\r\nxx";
    let mut framed = FramedRead::new(wire, ResponseDecoder::default());
    match framed.next().await {
        Some(Err(DecodeError::Parse(e))) => {
            assert_eq!(e.kind(), ParseErrorKind::ContentLengthMultiple)
        }
        other => panic!("{other:?}"),
    }
}

/// The trait's `decode` is reachable with method syntax: no inherent method
/// of the same name hides it.
#[test]
fn trait_decode_is_not_shadowed() {
    let mut buf = bytes::BytesMut::from(&b"\r\n\r\nSIP/2.0 180 Ringing\r\nl: 0\r\n\r\n"[..]);
    let mut dec = ResponseDecoder::default();
    let first: Option<Frame<OwnedResponse>> = dec.decode(&mut buf).unwrap();
    assert_eq!(first, Some(Frame::KeepAlive(KeepAlive::Ping)));
    let second = dec.decode(&mut buf).unwrap().unwrap();
    assert_eq!(second.message().unwrap().view().status().as_u16(), 180);
    let mut mdec = MessageDecoder::default();
    let mut buf = bytes::BytesMut::from(&b"OPTIONS sip:a SIP/2.0\r\nl: 0\r\n\r\n"[..]);
    assert!(mdec.decode(&mut buf).unwrap().unwrap().message().is_some());
}

const RESPONSE: &[u8] = b"SIP/2.0 180 Ringing\r\n\
Via: SIP/2.0/TCP p.example.com;branch=z9hG4bKp, SIP/2.0/TCP a.example.com;branch=z9hG4bKa\r\n\
To: <sip:b@example.org>;tag=1\r\nFrom: <sip:a@example.com>;tag=2\r\n\
Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 4\r\n\r\nbody";

/// Reads responses on one side of a stream, forwards them through
/// `FramedWrite` on the other: what arrives is what `Forwarded` holds.
#[tokio::test(flavor = "current_thread")]
async fn framed_write_sends_forwarded_responses_and_keepalives() {
    let own = [SentBy::new("p.example.com", None)];
    let resp = OwnedResponse::parse(Bytes::from_static(RESPONSE)).unwrap();
    let fwd = forward_upstream(&resp, &own).unwrap();
    let expected = fwd.to_vec();

    let (tx, mut rx) = tokio::io::duplex(4096);
    let mut out = FramedWrite::new(tx, ResponseDecoder::default());
    out.send(&fwd).await.unwrap();
    out.send(KeepAlive::Pong).await.unwrap();
    out.send(fwd.clone()).await.unwrap();
    out.send(resp.clone()).await.unwrap();
    drop(out);
    let mut got = Vec::new();
    rx.read_to_end(&mut got).await.unwrap();
    let want = [&expected[..], b"\r\n", &expected, RESPONSE].concat();
    assert_eq!(got, want);

    // And the reading side frames it back.
    let mut framed = FramedRead::new(&got[..], ResponseDecoder::default());
    let mut kinds = Vec::new();
    while let Some(f) = framed.next().await {
        kinds.push(f.unwrap().keep_alive());
    }
    assert_eq!(kinds, [None, Some(KeepAlive::Pong), None, None]);
}

/// The encoder writes the message, not what framing left around it.
#[test]
fn encoder_writes_only_the_message() {
    let mut wire = b"\r\n\r\n".to_vec();
    wire.extend_from_slice(RESPONSE);
    let resp = OwnedResponse::parse_with(Bytes::from(wire), &sip_response::ParseOptions::stream())
        .unwrap();
    let mut dst = bytes::BytesMut::new();
    ResponseDecoder::default().encode(&resp, &mut dst).unwrap();
    assert_eq!(&dst[..], RESPONSE);
    // A datagram's octets after Content-Length are not sent either.
    let mut wire = RESPONSE.to_vec();
    wire.extend_from_slice(b"junk");
    let resp = OwnedResponse::parse(Bytes::from(wire)).unwrap();
    let mut dst = bytes::BytesMut::new();
    MessageDecoder::default().encode(resp, &mut dst).unwrap();
    assert_eq!(&dst[..], RESPONSE);
}

/// A connection that closes in the middle of a message: `FramedRead`
/// yields the frames before it, then the cut as the decoder's
/// `ParseError` (not tokio's "bytes remaining on stream"); one that closes
/// after a keep-alive ends cleanly.
#[tokio::test(flavor = "current_thread")]
async fn a_stream_cut_short_is_a_parse_error_at_its_end() {
    for (wire, want) in [
        (
            &b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\nSIP/2.0 200 OK\r\nl: 9\r\n\r\nhi"[..],
            Some(ParseErrorKind::BodyTruncated),
        ),
        (
            b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\nSIP/2.0 200 OK\r\nl: 9",
            Some(ParseErrorKind::Truncated),
        ),
        (b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\n\r\n", None),
    ] {
        let mut framed = FramedRead::new(wire, ResponseDecoder::default());
        let first = framed.next().await.unwrap().unwrap();
        assert_eq!(first.message().unwrap().view().status().as_u16(), 100);
        let mut end = None;
        while let Some(item) = framed.next().await {
            match item {
                Ok(Frame::KeepAlive(_)) => {}
                Ok(Frame::Message(m)) => panic!("{m:?}"),
                Err(DecodeError::Parse(e)) => {
                    assert_eq!(e.offset(), wire.len());
                    end = Some(e.kind());
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(end, want);
    }
}
