//! SIP-ETag (RFC 3903 §11.3.1): the one entity-tag a 2xx to PUBLISH
//! carries, with the Expires of the publication.

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

/// What is wrong with a SIP-ETag value, `None` when it is one entity-tag.
/// RFC 3903 §11.3.1: `SIP-ETag = "SIP-ETag" HCOLON entity-tag`,
/// `entity-tag = token`. Unlike HTTP's entity-tag, it is not quoted: a
/// quoted value is one malformed tag, not several, and the detail says so.
/// (SIP-ETag has no typed parser yet: spec §12.4 leaves its syntax rule
/// open.)
// second reader: replace with typed lax reading
fn etag_defect(v: &[u8]) -> Option<&'static str> {
    let v = lex::trim_lws(v);
    if lex::is_token_str(v) {
        return None;
    }
    if v.is_empty() {
        return Some("SIP-ETag is empty (entity-tag = token)");
    }
    if v.first() == Some(&b'"') {
        return Some("SIP-ETag is quoted (entity-tag = token, RFC 3903 §11.3.1)");
    }
    // Tokens separated by commas or white space: several tags.
    let sep = |b: &u8| *b == b',' || lex::is_lws(*b);
    let several = v.iter().any(sep)
        && v.split(sep)
            .filter(|p| !p.is_empty())
            .all(lex::is_token_str);
    Some(if several {
        "SIP-ETag holds more than one entity-tag"
    } else {
        "SIP-ETag is not a token (entity-tag = token)"
    })
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
