//! Responses from other SIP stacks' public test suites
//! (`tests/data/stacks/`, provenance and licences in its `README.md`),
//! parsed and validated: every finding's rule id is pinned, so a change in
//! what the validator says about another stack's test message shows up here.
//!
//! Each case gives, per response in the file, the rule ids expected (in any
//! order, each as often as it is reported), and says why each is right. The
//! files are read as one datagram each (UDP), except where a case says TCP:
//! then the file is a stream and is cut by the stream decoder.

use std::fs;
use std::path::Path;

use bytes::BytesMut;
use sip_response::validate::{validate, Context, Transport};
use sip_response::{parse_response, ParseOptions, ResponseDecoder};

/// One file: its transport and, per response in it, the expected rule ids.
struct Case {
    file: &'static str,
    transport: Transport,
    expect: &'static [&'static [&'static str]],
}

const CASES: &[Case] = &[
    // ersip conn_test: `127.0.0.2:5061&branch=...` — the `&` cannot follow a
    // port, so the sent-by is broken (spec example for via-sent-by-syntax),
    // reported once; the value's other rules stay silent. `Supported: foo`
    // is an unregistered option tag (info).
    Case {
        file: "ersip-200-via-ampersand.sip",
        transport: Transport::Udp,
        expect: &[&["option-tag-unknown", "via-sent-by-syntax"]],
    },
    // ersip hdr_auth parse_error_test (the source expects a parse error):
    // the Digest challenge has two separate defects, a missing comma between
    // `username="123"` and `realm=` and a quoted string cut off at the line
    // end (`uri="sip:bilox`); each is one auth-challenge-syntax finding with
    // its own span. The NTLM challenge on the next row is well formed.
    Case {
        file: "ersip-407-challenge-errors.sip",
        transport: Transport::Udp,
        expect: &[&["auth-challenge-syntax", "auth-challenge-syntax"]],
    },
    // gosip stream parser test: a bare 200 with a CSeq and a body. No Via,
    // From, To or Call-ID (one finding each); the body has no Content-Type
    // (MUST, §7.4.1); a 2xx to INVITE without Contact (§13.3.1.4) and
    // without Allow and Supported (SHOULD); no Content-Length on UDP.
    Case {
        file: "gosip-200-body-no-type.sip",
        transport: Transport::Udp,
        expect: &[&[
            "2xx-dialog-contact",
            "2xx-invite-allow-supported",
            "2xx-invite-allow-supported",
            "call-id-required",
            "content-length-missing-datagram",
            "content-type-missing",
            "from-required",
            "to-required",
            "via-required",
        ]],
    },
    // gosip stream parser test of folding: `CSeq:   2     \r\n    INVITE`
    // and a folded Max-Forwards are valid (§7.3.1) and raise nothing; the
    // rest is the missing mandatory headers of a test fragment, a body
    // without Content-Type, and Max-Forwards in a response (info).
    Case {
        file: "gosip-200-folded-cseq.sip",
        transport: Transport::Udp,
        expect: &[&[
            "2xx-dialog-contact",
            "2xx-invite-allow-supported",
            "2xx-invite-allow-supported",
            "content-length-missing-datagram",
            "content-type-missing",
            "from-required",
            "max-forwards-in-response",
            "to-required",
            "via-required",
        ]],
    },
    // JAIN-SIP torture test 22, "unexpected header in reply message
    // (Subject:)": Subject is request-only (Table 3, info); `received=` is a
    // host name, not an address (§18.2.1); no From, To, Call-ID. The
    // message ends with one more CRLF after the empty line: on a datagram
    // without Content-Length that is a two-octet body (§18.3), which has no
    // Content-Type (§7.4.1, as the rule table defines the body).
    Case {
        file: "jsip-180-subject-received-host.sip",
        transport: Transport::Udp,
        expect: &[&[
            "call-id-required",
            "content-length-missing-datagram",
            "content-type-missing",
            "from-required",
            "request-header-in-response",
            "to-required",
            "via-branch-missing",
            "via-received-syntax",
        ]],
    },
    // JAIN-SIP torture test 58 (an old draft's call flow): a 2xx to
    // REGISTER lists three bindings, none with `expires`, and there is no
    // Expires header to fall back on (§10.3 step 8: one finding per
    // binding); no Date (SHOULD); RFC 2543-style: no tags, no branch.
    Case {
        file: "jsip-200-register-no-expires.sip",
        transport: Transport::Udp,
        expect: &[&[
            "2xx-register-contact-expires",
            "2xx-register-contact-expires",
            "2xx-register-contact-expires",
            "2xx-register-date",
            "from-tag-missing",
            "to-tag-missing",
            "via-branch-missing",
        ]],
    },
    // JAIN-SIP torture test 56: the Digest challenge has no `qop` (§22.4
    // item 8, RFC 8760 §2.6: servers MUST send it). `stale=FALSE` is fine:
    // ABNF literals are case-insensitive.
    Case {
        file: "jsip-401-digest-no-qop.sip",
        transport: Transport::Udp,
        expect: &[&[
            "auth-digest-params",
            "from-tag-missing",
            "to-tag-missing",
            "via-branch-missing",
        ]],
    },
    // Kamailio test/misc/sip/repl1.sip, paraphrased: bare LF line ends are
    // one finding for the whole message, not one per line; RFC 2543 style
    // (no tags, no branches); a 2xx to INVITE without Allow and Supported.
    Case {
        file: "kamailio-para-200-bare-lf-rfc2543.sip",
        transport: Transport::Udp,
        expect: &[&[
            "2xx-invite-allow-supported",
            "2xx-invite-allow-supported",
            "content-length-missing-datagram",
            "from-tag-missing",
            "line-ending-not-crlf",
            "to-tag-missing",
            "via-branch-missing",
            "via-branch-missing",
        ]],
    },
    // pjproject msg_err_test.c, "syntax error in header" (`Via: SIP/2.0`),
    // paraphrased: one defect, the sent-protocol without its transport; the
    // sent-by is missing only because of it and is not reported again.
    Case {
        file: "pjsip-para-180-via-truncated.sip",
        transport: Transport::Udp,
        expect: &[&["via-sent-protocol"]],
    },
    // pjproject msg_test.c's "typical response", paraphrased: Route and
    // Max-Forwards are request headers (info); the top Via's `rport` was
    // not filled in (RFC 3581 §4, info). LWS before `;received` is legal.
    Case {
        file: "pjsip-para-200-route-max-forwards.sip",
        transport: Transport::Udp,
        expect: &[&[
            "max-forwards-in-response",
            "request-header-in-response",
            "via-rport-empty",
        ]],
    },
    // reSIProcate testSipMessage.cxx: `SIP/2.0 200` without the SP before
    // the empty phrase (liberal receivers accept it: warning); a 2xx to
    // REGISTER without Date (SHOULD).
    Case {
        file: "resip-200-no-reason-sp.sip",
        transport: Transport::Udp,
        expect: &[&["2xx-register-date", "status-line-missing-reason-sp"]],
    },
    // reSIProcate SipTortureTests.cxx: `Warning: junk junk junk` is not
    // warn-code SP warn-agent SP warn-text; no Date on a 2xx to REGISTER.
    Case {
        file: "resip-200-register-junk-warning.sip",
        transport: Transport::Udp,
        expect: &[&["2xx-register-date", "warning-header-syntax"]],
    },
    // reSIProcate testRedirectManager.cxx: a 302 whose contacts have no
    // expiry (must not be cached, info); an unfilled `rport` (info).
    Case {
        file: "resip-302-redirect.sip",
        transport: Transport::Udp,
        expect: &[&["302-no-expiry-no-cache", "via-rport-empty"]],
    },
    // reSIProcate testSipMessage.cxx: a Basic challenge (§22: MUST NOT);
    // `realm=test` unquoted is a legal auth-param outside Digest, so no
    // syntax finding as well.
    Case {
        file: "resip-401-basic.sip",
        transport: Transport::Udp,
        expect: &[&[
            "auth-challenge-no-basic",
            "max-forwards-in-response",
            "via-rport-empty",
        ]],
    },
    // reSIProcate testSipMessage.cxx: `Via: SIP/2.0/64.124.66.32:9091;...`.
    // The grammar reads the token `64.124.66.32` as the transport, so what
    // breaks is the sent-by (`:9091` where LWS and a host belong): one
    // via-sent-by-syntax. A 407 without Proxy-Authenticate (§22.3 MUST)
    // and without a To tag.
    Case {
        file: "resip-407-via-no-transport.sip",
        transport: Transport::Udp,
        expect: &[&[
            "407-proxy-authenticate",
            "to-tag-missing",
            "via-sent-by-syntax",
        ]],
    },
    // sipgo parser_test.go "no empty line between header and body" (the
    // source expects an error): the body line `v=0` is read as a header
    // line without a colon and the header block never ends. Test fragment:
    // no From, To, Call-ID, CSeq.
    Case {
        file: "sipgo-180-no-empty-line.sip",
        transport: Transport::Udp,
        expect: &[&[
            "call-id-required",
            "cseq-required",
            "from-required",
            "header-block-unterminated",
            "header-line-malformed",
            "to-required",
        ]],
    },
    // sipgo TestParserStreamMultiple, read as the TCP stream it is: two
    // responses. Both have the transport `quic` (legal, unregistered:
    // info); the 200 to INVITE has no Contact and no Allow/Supported.
    Case {
        file: "sipgo-stream-100-200.sip",
        transport: Transport::Tcp,
        expect: &[
            &["via-transport-unknown"],
            &[
                "2xx-dialog-contact",
                "2xx-invite-allow-supported",
                "2xx-invite-allow-supported",
                "via-transport-unknown",
            ],
        ],
    },
    // SIPSorcery ParseAsteriskTRYINGUnitTest (an Asterisk 100): a base64
    // branch with `+`, `/` and `=` is not a token (via-param-syntax, not
    // via-sent-protocol); `received=220.240.255.198:64193` carries a port.
    Case {
        file: "sipsorcery-100-asterisk-branch.sip",
        transport: Transport::Udp,
        expect: &[&["via-param-syntax", "via-received-syntax"]],
    },
    // SIPSorcery: From and To carry their tags inside the URI's angle
    // brackets (URI parameters, so no tag: info on From, error on To);
    // `Contact: sip: 172.17.2.2:5060` has a space inside the URI;
    // Content-Length 250 over a 249-octet body; no Allow.
    Case {
        file: "sipsorcery-200-tag-in-uri.sip",
        transport: Transport::Udp,
        expect: &[&[
            "2xx-invite-allow-supported",
            "contact-syntax",
            "content-length-exceeds-body",
            "from-tag-missing",
            "to-tag-missing",
        ]],
    },
    // Sofia-SIP torture_sip.c, paraphrased: `Expires:` as an RFC 2543
    // SIP-date is not delta-seconds under RFC 3261 (§20.19). It still
    // counts as present, so 2xx-subscribe-expires stays silent.
    Case {
        file: "sofia-para-200-expires-date.sip",
        transport: Transport::Udp,
        expect: &[&["expires-syntax"]],
    },
    // Sofia-SIP torture_sip.c, paraphrased: `From: <sip:...>;` has a `;`
    // with no parameter (name-addr-syntax on From); a 202 to SUBSCRIBE
    // (RFC 6665 §8.3.1: MUST NOT).
    Case {
        file: "sofia-para-202-subscribe-from-semicolon.sip",
        transport: Transport::Udp,
        expect: &[&["202-deprecated", "name-addr-syntax"]],
    },
    // Sofia-SIP torture_sip.c (an OCS 401), paraphrased: Kerberos and NTLM
    // challenges with auth-params, `;transport=tls` after a To name-addr,
    // `ms-received-*` Via parameters: all legal, nothing to report.
    Case {
        file: "sofia-para-401-kerberos-ntlm.sip",
        transport: Transport::Udp,
        expect: &[&[]],
    },
    // A VoWiFi P-CSCF 401 quoted in a sipgo folding test, paraphrased: a
    // folded Digest challenge with AKAv1-MD5, a bracketed IPv6 sent-by and
    // an unbracketed IPv6 `received`: all legal on TCP.
    Case {
        file: "vowifi-para-401-folded-aka.sip",
        transport: Transport::Tcp,
        expect: &[&[]],
    },
];

fn sorted(v: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = v.into_iter().collect();
    v.sort();
    v
}

/// The rule ids reported on each response of `case`'s file.
fn findings(case: &Case) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/stacks")
        .join(case.file);
    let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ctx = Context::new().with_transport(case.transport);
    let ids = |f: &sip_response::validate::Finding| f.rule().to_string();
    if matches!(case.transport, Transport::Udp) {
        let resp =
            parse_response(&bytes).unwrap_or_else(|e| panic!("{}: does not parse: {e}", case.file));
        return vec![sorted(validate(&resp, &ctx).iter().map(ids))];
    }
    let mut dec = ResponseDecoder::new(ParseOptions::stream());
    let mut buf = BytesMut::from(&bytes[..]);
    let mut out = Vec::new();
    while let Some(resp) = dec
        .decode_message(&mut buf)
        .unwrap_or_else(|e| panic!("{}: does not decode: {e}", case.file))
    {
        out.push(sorted(validate(&resp, &ctx).iter().map(ids)));
    }
    assert!(
        buf.is_empty(),
        "{}: {} bytes left over",
        case.file,
        buf.len()
    );
    out
}

#[test]
fn other_stacks_responses() {
    let mut problems = Vec::new();
    for case in CASES {
        let got = findings(case);
        let want: Vec<Vec<String>> = case
            .expect
            .iter()
            .map(|ids| sorted(ids.iter().map(|s| s.to_string())))
            .collect();
        if got != want {
            problems.push(format!("{}:\n  got  {got:?}\n  want {want:?}", case.file));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every file in the folder has a case, and every case a file.
#[test]
fn every_file_is_pinned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/stacks");
    let files: Vec<String> = sorted(
        fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sip")),
    );
    let cases = sorted(CASES.iter().map(|c| c.file.to_string()));
    assert_eq!(files, cases);
}
