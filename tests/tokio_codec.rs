//! The `tokio-codec` feature: `FramedRead` over a byte stream yields each
//! response, the way a tokio proxy reads a TCP connection.
#![cfg(feature = "tokio-codec")]

use futures_util::StreamExt;
use sip_response::{DecodeError, ParseErrorKind, ResponseDecoder};
use tokio_util::codec::FramedRead;

#[tokio::test(flavor = "current_thread")]
async fn framed_read_yields_each_response() {
    let wire: &[u8] =
        b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\n\r\n\r\nSIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    let mut framed = FramedRead::new(wire, ResponseDecoder::default());
    let mut codes = Vec::new();
    while let Some(item) = framed.next().await {
        let r = item.unwrap();
        codes.push((r.view().status().as_u16(), r.view().body().to_vec()));
    }
    assert_eq!(codes, [(100, vec![]), (200, b"hi".to_vec())]);
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
