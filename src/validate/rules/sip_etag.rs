//! SIP-ETag (RFC 3903 §11.3.1): the one entity-tag a 2xx to PUBLISH
//! carries, with the Expires of the publication.

use crate::error::HeaderValueErrorKind;
use crate::header::typed::{SipEtag, TypedHeader};
use crate::header::KnownHeader;
use crate::lex;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `2xx-publish-expires-etag` — RFC 3903 §6 step 6: the 2xx to PUBLISH
/// MUST contain an Expires header and a SIP-ETag with a single entity-tag.
/// Span: the status line, or the SIP-ETag row holding more than one tag.
pub(super) fn publish_expires_etag<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(200..300).contains(&f.code) || !f.method_is("PUBLISH") {
        return;
    }
    let rule = r::R_2XX_PUBLISH_EXPIRES_ETAG;
    if !f.has(KnownHeader::Expires) {
        out.emit(
            rule,
            Some(f.status_line),
            Detail::new("2xx to PUBLISH without Expires"),
        );
    }
    let mut rows = f.rows(KnownHeader::SipETag);
    match rows.next() {
        None => out.emit(
            rule,
            Some(f.status_line),
            Detail::new("2xx to PUBLISH without SIP-ETag"),
        ),
        Some(first) => {
            if let Some(what) = etag_defect(first.value()) {
                out.emit(rule, Some(first.span()), Detail::new(what));
            }
            for h in rows {
                out.emit(rule, Some(h.span()), Detail::new("more than one SIP-ETag"));
            }
        }
    }
}

/// What is wrong with a SIP-ETag value, `None` when it is one entity-tag,
/// read by the typed [`SipEtag`] (RFC 3903 §11.3.1: `entity-tag = token`):
/// empty, quoted (one malformed tag: SIP's entity-tag is not HTTP's quoted
/// one), more than one tag (the token ends at a comma or LWS and another
/// follows), or otherwise not a token.
fn etag_defect(v: &[u8]) -> Option<&'static str> {
    let e = SipEtag::parse(v, 0).err()?;
    let at = v.get(e.offset()).copied();
    Some(match (e.kind(), at) {
        (HeaderValueErrorKind::Empty, _) => "SIP-ETag is empty (entity-tag = token)",
        (_, Some(b'"')) => "SIP-ETag is quoted (entity-tag = token, RFC 3903 §11.3.1)",
        (_, Some(b)) if e.offset() > 0 && is_sep(b) && tags_follow(&v[e.offset()..]) => {
            "SIP-ETag holds more than one entity-tag"
        }
        _ => "SIP-ETag is not a token (entity-tag = token)",
    })
}

/// A comma or LWS: what would separate several entity-tags.
fn is_sep(b: u8) -> bool {
    b == b',' || lex::is_lws(b)
}

/// True when `v` (starting at a separator) is nothing but separators and
/// entity-tags, each read by [`SipEtag`]. Each step moves past a tag, so
/// the walk ends.
fn tags_follow(mut v: &[u8]) -> bool {
    loop {
        v = &v[v.iter().position(|&b| !is_sep(b)).unwrap_or(v.len())..];
        if v.is_empty() {
            return true;
        }
        match SipEtag::parse(v, 0) {
            Ok(_) => return true,
            Err(e) if e.offset() > 0 && v.get(e.offset()).is_some_and(|&b| is_sep(b)) => {
                v = &v[e.offset()..];
            }
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_defect_says_what_is_wrong() {
        for (v, want) in [
            (&b"dx200xyz"[..], None),
            (b" dx200xyz ", None),
            (b"", Some("SIP-ETag is empty (entity-tag = token)")),
            (
                b"\"dx200xyz\"",
                Some("SIP-ETag is quoted (entity-tag = token, RFC 3903 §11.3.1)"),
            ),
            (b"a b", Some("SIP-ETag holds more than one entity-tag")),
            (b"a, b", Some("SIP-ETag holds more than one entity-tag")),
            (b"a\r\n b", Some("SIP-ETag holds more than one entity-tag")),
            (b"a/b", Some("SIP-ETag is not a token (entity-tag = token)")),
            (
                b"a b/c",
                Some("SIP-ETag is not a token (entity-tag = token)"),
            ),
        ] {
            assert_eq!(etag_defect(v), want, "{:?}", String::from_utf8_lossy(v));
        }
    }
}
