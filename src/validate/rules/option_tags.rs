//! Option tags in Require, Supported and Unsupported (RFC 3261 §19.2): their syntax, the IANA registry, and the responses that must or must not list them (420, 421, 199).

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{Require, Supported, Unsupported};
use crate::header::Element;

use super::Facts;

/// `option-tag-syntax` — RFC 3261 §25.1: `Require = "Require" HCOLON
/// option-tag *(COMMA option-tag)`, the same for Unsupported, and
/// `Supported = ... HCOLON [option-tag *(COMMA option-tag)]`, with
/// `option-tag = token`. An empty Supported is legal; an empty Require or
/// Unsupported row, or an entry that is not a token, is not. Span: the
/// entry; an empty entry (`a,,b`), the commas around it; an empty row,
/// the row.
pub(super) fn option_tag_syntax<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    for k in [
        KnownHeader::Require,
        KnownHeader::Supported,
        KnownHeader::Unsupported,
    ] {
        for h in f.rows(k) {
            if h.value().is_empty() {
                if k != KnownHeader::Supported {
                    out.emit(
                        r::OPTION_TAG_SYNTAX,
                        Some(h.span()),
                        Detail::with("no option tag", DetailArg::Header(k)),
                    );
                }
                continue;
            }
            // The common row, tokens and commas: every tag parses (the
            // three are the same token production as Allow's).
            if crate::lex::is_token_list(h.value()) {
                continue;
            }
            for e in h.elements() {
                if !option_tag_parses(k, e) {
                    let span = if e.bytes.is_empty() {
                        super::empty_item_span(f.resp.headers().src(), e.span)
                    } else {
                        e.span
                    };
                    out.emit(
                        r::OPTION_TAG_SYNTAX,
                        Some(span),
                        Detail::with("option tag is not a token", DetailArg::Header(k)),
                    );
                }
            }
        }
    }
}

/// True when element `e` of Require, Supported or Unsupported is an
/// `option-tag` (a token), as the typed parsers read it.
pub(super) fn option_tag_parses(k: KnownHeader, e: Element<'_>) -> bool {
    match k {
        KnownHeader::Require => e.parse::<Require<'_>>().is_ok(),
        KnownHeader::Supported => e.parse::<Supported<'_>>().is_ok(),
        _ => e.parse::<Unsupported<'_>>().is_ok(),
    }
}

/// The IANA "Option Tags" registry (RFC 3261 §27.1: tags are registered
/// when published in standards-track RFCs), each with the RFC that
/// registered it. Compared ASCII case-insensitively (RFC 3261 §19.2 makes
/// tags tokens; `has_token` and the UAs we know compare them so).
pub(super) const REGISTERED_OPTION_TAGS: [&str; 36] = [
    "100rel",                   // RFC 3262 (reliable provisional responses)
    "199",                      // RFC 6228 (199 Early Dialog Terminated)
    "answermode",               // RFC 5373 (Answer-Mode)
    "early-session",            // RFC 3959 (early-session disposition)
    "eventlist",                // RFC 4662 (resource lists)
    "explicitsub",              // RFC 7614 (explicit REFER subscription)
    "from-change",              // RFC 4916 (connected identity)
    "geolocation-http",         // RFC 6442 (location conveyance)
    "geolocation-sip",          // RFC 6442
    "gin",                      // RFC 6140 (registration of multiple numbers)
    "gruu",                     // RFC 5627 (GRUU)
    "histinfo",                 // RFC 7044 (History-Info)
    "ice",                      // RFC 5768 (ICE in SIP)
    "join",                     // RFC 3911 (Join)
    "multiple-refer",           // RFC 5368 (REFER with multiple targets)
    "norefersub",               // RFC 4488 (REFER without subscription)
    "nosub",                    // RFC 7614
    "outbound",                 // RFC 5626 (SIP Outbound)
    "path",                     // RFC 3327 (Path)
    "policy",                   // RFC 6794 (session policies)
    "precondition",             // RFC 3312 (preconditions)
    "pref",                     // RFC 3840 (caller preferences)
    "privacy",                  // RFC 3323 (Privacy)
    "recipient-list-invite",    // RFC 5366 (conference via INVITE)
    "recipient-list-message",   // RFC 5365 (multiple-recipient MESSAGE)
    "recipient-list-subscribe", // RFC 5367 (subscriptions to lists)
    "record-aware",             // RFC 7866 (SIPREC)
    "replaces",                 // RFC 3891 (Replaces)
    "resource-priority",        // RFC 4412 (Resource-Priority)
    "sdp-anat",                 // RFC 4092 (ANAT semantics)
    "sec-agree",                // RFC 3329 (security agreement)
    "siprec",                   // RFC 7866 (SIPREC)
    "tdialog",                  // RFC 4538 (Target-Dialog)
    "timer",                    // RFC 4028 (session timers)
    "trickle-ice",              // RFC 8840 (Trickle ICE in SIP)
    "uui",                      // RFC 7433 (User-to-User Information)
];

/// True when `tag` is in [`REGISTERED_OPTION_TAGS`] (case-insensitive).
pub(super) fn is_registered_option_tag(tag: &[u8]) -> bool {
    REGISTERED_OPTION_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(tag))
}

/// `option-tag-unknown` — RFC 3261 §19.2, §20.32, §20.37: option tags are
/// registered with IANA once published in a standards-track RFC, and only
/// those may be used; a tag outside the registry (a private or draft
/// extension) is reported as info. Entries that are not tokens are
/// `option-tag-syntax`'s, not this rule's. Unsupported is included as the
/// spec says, though there the UAS only echoes the request's tags. Span:
/// the tag.
pub(super) fn option_tag_unknown<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !out.wants(r::OPTION_TAG_UNKNOWN) {
        return;
    }
    for k in [
        KnownHeader::Require,
        KnownHeader::Supported,
        KnownHeader::Unsupported,
    ] {
        for e in f.elements(k) {
            if option_tag_parses(k, e) && !is_registered_option_tag(e.bytes) {
                out.emit(
                    r::OPTION_TAG_UNKNOWN,
                    Some(e.span),
                    Detail::with("option tag not in the IANA registry", DetailArg::Header(k)),
                );
            }
        }
    }
}

/// `420-unsupported-required` — RFC 3261 §8.2.2.3: the 420 MUST list the
/// unsupported extensions in an Unsupported header; a row with no tag
/// counts as absent. Span: the status line.
pub(super) fn unsupported_required_420<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 420 {
        super::presence::require_header(
            f,
            out,
            r::R_420_UNSUPPORTED_REQUIRED,
            KnownHeader::Unsupported,
        );
    }
}

/// `421-require-required` — RFC 3261 §8.2.4, §21.4.16: the 421 MUST carry a
/// Require header listing the extension(s) needed. An empty Require row
/// lists nothing, so it does not satisfy the rule. Span: the status line,
/// or the empty Require row.
pub(super) fn require_listing_421<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 421 && !f.has_value(KnownHeader::Require) {
        let span = f
            .first(KnownHeader::Require)
            .map_or(f.status_line, |h| h.span());
        out.emit(
            r::R_421_REQUIRE_REQUIRED,
            Some(span),
            Detail::new("421 without a Require listing the needed extension"),
        );
    }
}

/// `199-no-199-option-tag` — RFC 6228 §5, §6: the 199 MUST NOT carry the
/// option tag `199` in Supported, Require or Proxy-Require. Span: the row.
pub(super) fn no_199_option_tag<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 199 {
        return;
    }
    for k in [
        KnownHeader::Supported,
        KnownHeader::Require,
        KnownHeader::ProxyRequire,
    ] {
        for h in f.rows(k) {
            if h.elements().any(|e| e.bytes.eq_ignore_ascii_case(b"199")) {
                out.emit(
                    r::R_199_NO_199_OPTION_TAG,
                    Some(h.span()),
                    Detail::new("199 lists the 199 option tag"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_option_tags() {
        for t in [
            &b"100rel"[..],
            b"TIMER",
            b"Replaces",
            b"199",
            b"uui",
            b"trickle-ice",
        ] {
            assert!(
                is_registered_option_tag(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
        for t in [&b"100rel2"[..], b"x-private", b"", b"time", b"timer "] {
            assert!(
                !is_registered_option_tag(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
        // Sorted and unique, so the table reads like the registry.
        assert!(REGISTERED_OPTION_TAGS.windows(2).all(|w| w[0] < w[1]));
    }
}
