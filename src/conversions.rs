//! Small conversions a proxy needs between the crate's types and the
//! standard library's, kept together: the borrowed view of an
//! [`OwnedResponse`], [`SentBy`] from text or a socket address,
//! [`KnownHeader`] from text, and one header lookup ([`Headers::lookup`])
//! that takes a name string or a [`KnownHeader`].

use core::fmt;
use core::str::FromStr;
use std::net::{IpAddr, SocketAddr};

use crate::code::StatusCode;
use crate::header::typed::host::HostPort;
use crate::header::{Header, HeaderIter, HeaderName, Headers, KnownHeader};
use crate::message::{OwnedResponse, Response};
use crate::span::Span;
use crate::validate::SentBy;

// ---------------------------------------------------------------------------
// OwnedResponse → Response

/// Anything that gives a [`Response`] view: a `Response` itself, an
/// [`OwnedResponse`], or a reference to either. [`validate`](crate::validate())
/// takes `&impl AsResponse`, so `validate(&owned, &ctx)` needs no `.view()`.
/// Any transport and role.
///
/// This is the crate's `AsRef`, by value. Why not `Deref` or `AsRef`: both
/// must return a *reference* to a `Response` stored somewhere, but a
/// [`Response`] is a view that borrows the buffer, built on demand by
/// [`OwnedResponse::view`]. Storing one inside the `OwnedResponse` would make
/// it refer to its own field, which safe Rust (and this crate forbids
/// `unsafe`) cannot express. The view is small (spans and a borrowed slice),
/// so building it per call costs a copy of a few words.
pub trait AsResponse {
    /// The borrowed view.
    fn as_response(&self) -> Response<'_>;
}

impl AsResponse for Response<'_> {
    fn as_response(&self) -> Response<'_> {
        self.clone()
    }
}

impl AsResponse for OwnedResponse {
    fn as_response(&self) -> Response<'_> {
        self.view()
    }
}

impl<T: AsResponse + ?Sized> AsResponse for &T {
    fn as_response(&self) -> Response<'_> {
        (**self).as_response()
    }
}

/// The borrowed view of an owned response, by value (see [`AsResponse`]).
impl<'a> From<&'a OwnedResponse> for Response<'a> {
    fn from(r: &'a OwnedResponse) -> Self {
        r.view()
    }
}

/// The [`Response`] accessors a proxy uses most, forwarded so that
/// `resp.view().status()` can be `resp.status()`. For everything else, use
/// [`OwnedResponse::view`].
impl OwnedResponse {
    /// The status code ([`Response::status`]).
    pub fn status(&self) -> StatusCode {
        self.view().status()
    }

    /// The reason phrase as sent ([`Response::reason`]).
    pub fn reason(&self) -> &[u8] {
        self.bytes()
            .get(self.view().reason_span().range())
            .unwrap_or(&[])
    }

    /// The header section ([`Response::headers`]).
    pub fn headers(&self) -> Headers<'_> {
        *self.view().headers()
    }

    /// The body ([`Response`]'s `body`).
    pub fn body(&self) -> &[u8] {
        self.bytes()
            .get(self.view().body_span().range())
            .unwrap_or(&[])
    }

    /// The span of the message in [`bytes`](Self::bytes): keep-alives before
    /// it and octets after its Content-Length are outside.
    pub fn span(&self) -> Span {
        self.view().span()
    }
}

// ---------------------------------------------------------------------------
// SentBy

/// Text that is not a `sent-by` (`host [":" port]`, RFC 3261 §25.1): the
/// error of configuring a proxy's or UAC's own sent-by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a sent-by (host, IPv4, [IPv6] or bare IPv6, with an optional :port)")]
pub struct InvalidSentBy;

impl FromStr for SentBy {
    type Err = InvalidSentBy;

    /// Reads `host`, `host:port`, `[IPv6]`, `[IPv6]:port` or a bare IPv6
    /// address (which cannot carry a port), as a proxy's configuration
    /// writes its own sent-by. No port means the transport's default port
    /// ([`SentBy::matches`]).
    fn from_str(s: &str) -> Result<Self, InvalidSentBy> {
        if let Ok(hp) = HostPort::parse(s.as_bytes(), 0) {
            return Ok(SentBy::new(hp.host().as_str(), hp.port()));
        }
        match s.parse::<std::net::Ipv6Addr>() {
            Ok(a) => Ok(SentBy::new(format!("[{a}]"), None)),
            Err(_) => Err(InvalidSentBy),
        }
    }
}

/// The address and port a socket is bound to, as a sent-by (IPv6 in
/// brackets, the port always given).
impl From<SocketAddr> for SentBy {
    fn from(a: SocketAddr) -> Self {
        let host = match a.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        SentBy::new(host, Some(a.port()))
    }
}

// ---------------------------------------------------------------------------
// KnownHeader

/// A name that is none of the [`KnownHeader`]s. Any transport and role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a known header name")]
pub struct UnknownHeader;

impl FromStr for KnownHeader {
    type Err = UnknownHeader;

    /// The long or compact name, in any case (`"Via"`, `"v"`, `"CALL-ID"`).
    fn from_str(s: &str) -> Result<Self, UnknownHeader> {
        KnownHeader::from_bytes(s.as_bytes()).ok_or(UnknownHeader)
    }
}

// ---------------------------------------------------------------------------
// One header lookup

/// What [`Headers::lookup`] takes: a [`KnownHeader`], a [`HeaderName`], or
/// a name as text (any case; a known header's long or compact form finds
/// all its rows through the index, other names are compared row by row).
/// Any transport and role.
pub trait HeaderKey<'k> {
    /// The known header this key names, if any.
    fn known(&self) -> Option<KnownHeader>;
    /// The name as text, for extension headers.
    fn text(&self) -> &'k str;
}

impl HeaderKey<'static> for KnownHeader {
    fn known(&self) -> Option<KnownHeader> {
        Some(*self)
    }
    fn text(&self) -> &'static str {
        self.as_str()
    }
}

impl<'k> HeaderKey<'k> for &'k str {
    fn known(&self) -> Option<KnownHeader> {
        KnownHeader::from_bytes(self.as_bytes())
    }
    fn text(&self) -> &'k str {
        self
    }
}

impl<'k> HeaderKey<'k> for &'k String {
    fn known(&self) -> Option<KnownHeader> {
        KnownHeader::from_bytes(self.as_bytes())
    }
    fn text(&self) -> &'k str {
        self.as_str()
    }
}

impl<'k> HeaderKey<'k> for HeaderName<'k> {
    fn known(&self) -> Option<KnownHeader> {
        HeaderName::known(self)
    }
    fn text(&self) -> &'k str {
        match self {
            HeaderName::Known(k) => k.as_str(),
            HeaderName::Other(s) => s,
        }
    }
}

/// The rows [`Headers::lookup`] finds, in order. Any transport and role.
#[derive(Clone, Debug)]
pub struct Lookup<'a, 'k> {
    rows: HeaderIter<'a>,
    /// `None`: `rows` already holds only the known header's rows.
    other: Option<&'k str>,
}

impl<'a> Iterator for Lookup<'a, '_> {
    type Item = Header<'a>;

    fn next(&mut self) -> Option<Header<'a>> {
        match self.other {
            None => self.rows.next(),
            Some(name) => self
                .rows
                .by_ref()
                .find(|h| h.known().is_none() && h.name().matches(name)),
        }
    }
}

impl<'a> Headers<'a> {
    /// Every row of the header `key` names, in order: one lookup for a
    /// [`KnownHeader`] or a name string (`"Via"`, `"v"`, `"X-Custom"`).
    /// Known headers go through the index (no scan); other names are
    /// compared with each row's name, ASCII case-insensitively.
    ///
    /// ```
    /// use sip_response::{parse_response, KnownHeader};
    /// let r = parse_response(b"SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a\r\nX-Id: 7\r\nl: 0\r\n\r\n")?;
    /// let h = r.headers();
    /// assert_eq!(h.lookup("Via").count(), 1);
    /// assert_eq!(h.lookup(KnownHeader::Via).next().unwrap().value(), b"SIP/2.0/UDP a");
    /// assert_eq!(h.lookup("x-id").next().unwrap().value(), b"7");
    /// # Ok::<(), sip_response::ParseError>(())
    /// ```
    pub fn lookup<'k, K: HeaderKey<'k>>(&self, key: K) -> Lookup<'a, 'k> {
        match key.known() {
            Some(k) => Lookup {
                rows: self.get_all(k),
                other: None,
            },
            None => Lookup {
                rows: self.iter(),
                other: Some(key.text()),
            },
        }
    }
}

impl fmt::Display for Lookup<'_, '_> {
    /// The values of the rows found, joined with `", "` (lossy UTF-8), as
    /// RFC 3261 §7.3.1 lets a list header's rows be combined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, h) in self.clone().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&String::from_utf8_lossy(h.value()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_response;
    use bytes::Bytes;

    #[test]
    fn sent_by_from_text_and_sockets() {
        for (text, host, port) in [
            ("proxy.example.com", "proxy.example.com", None),
            ("proxy.example.com:5070", "proxy.example.com", Some(5070)),
            ("192.0.2.1", "192.0.2.1", None),
            ("192.0.2.1:5060", "192.0.2.1", Some(5060)),
            ("[2001:db8::1]", "[2001:db8::1]", None),
            ("[::1]:5062", "[::1]", Some(5062)),
            ("2001:db8::1", "[2001:db8::1]", None),
        ] {
            let s: SentBy = text.parse().unwrap();
            assert_eq!((s.host(), s.port()), (host, port), "{text}");
        }
        for bad in ["", ":5060", "a b", "host:99999", "[::1", "host:", "a/b"] {
            assert_eq!(bad.parse::<SentBy>(), Err(InvalidSentBy), "{bad:?}");
        }
        let v4: SentBy = "127.0.0.1:5060".parse::<SocketAddr>().unwrap().into();
        assert_eq!((v4.host(), v4.port()), ("127.0.0.1", Some(5060)));
        let v6: SentBy = "[::1]:5080".parse::<SocketAddr>().unwrap().into();
        assert_eq!((v6.host(), v6.port()), ("[::1]", Some(5080)));
        // And it matches the Via a socket's address puts on the wire.
        assert!(v6.matches(b"[0:0::1]", Some(5080), 5060));
    }

    #[test]
    fn known_header_from_str() {
        assert_eq!("Via".parse(), Ok(KnownHeader::Via));
        assert_eq!("v".parse(), Ok(KnownHeader::Via));
        assert_eq!("CALL-ID".parse(), Ok(KnownHeader::CallId));
        assert_eq!("i".parse(), Ok(KnownHeader::CallId));
        for k in KnownHeader::ALL {
            assert_eq!(k.as_str().parse(), Ok(*k));
            assert_eq!(k.as_str().to_ascii_lowercase().parse(), Ok(*k));
        }
        for bad in ["", "X-Custom", "Via:", " Via", "n"] {
            assert_eq!(bad.parse::<KnownHeader>(), Err(UnknownHeader), "{bad:?}");
        }
    }

    #[test]
    fn lookup_by_name_or_enum() {
        let r = parse_response(
            b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a\r\nX-Id: 7\r\nv: SIP/2.0/UDP b\r\n\
x-id: 8\r\nX-Idx: 9\r\nl: 0\r\n\r\n",
        )
        .unwrap();
        let h = r.headers();
        let vals = |l: Lookup<'_, '_>| l.map(|h| h.value().to_vec()).collect::<Vec<_>>();
        let vias = vals(h.lookup(KnownHeader::Via));
        assert_eq!(vias, [b"SIP/2.0/UDP a".to_vec(), b"SIP/2.0/UDP b".to_vec()]);
        assert_eq!(vals(h.lookup("via")), vias);
        assert_eq!(vals(h.lookup("V")), vias);
        assert_eq!(vals(h.lookup(HeaderName::Known(KnownHeader::Via))), vias);
        assert_eq!(vals(h.lookup("X-ID")), [b"7".to_vec(), b"8".to_vec()]);
        let name = String::from("x-idx");
        assert_eq!(vals(h.lookup(&name)), [b"9".to_vec()]);
        assert_eq!(h.lookup("Contact").count(), 0);
        assert_eq!(h.lookup("X-None").count(), 0);
        assert_eq!(h.lookup("x-id").to_string(), "7, 8");
    }

    #[test]
    fn owned_response_forwards_the_view() {
        let o = OwnedResponse::parse(Bytes::from_static(
            b"\r\nSIP/2.0 202 Accepted\r\nl: 2\r\n\r\nhi",
        ))
        .unwrap();
        assert_eq!(o.status(), StatusCode::ACCEPTED);
        assert_eq!(o.reason(), b"Accepted");
        assert_eq!(o.body(), b"hi");
        assert_eq!(o.headers().len(), 1);
        assert_eq!(o.span(), o.view().span());
        let v: Response<'_> = (&o).into();
        assert_eq!(v, o.view());
        assert_eq!(v.as_response(), v);
        assert_eq!((&&o).as_response(), v);
        let ctx = crate::validate::Context::new();
        assert_eq!(crate::validate(&o, &ctx), crate::validate(&v, &ctx));
    }
}
