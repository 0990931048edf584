//! The validator on responses from real SIP software: baresip, linphonec,
//! Twinkle, Kamailio, sipsak, Net::SIP and ejabberd, as Debian 12 packages
//! them, the Rust stacks rsipstack and ezk, the Python ones aiosipua and
//! voip-utils, node's `sip`, the Sippy B2BUA, rvoip-sip, sofia-sip and
//! Jami's PJSIP, and the browser stacks JsSIP and SIP.js over WebSocket
//! behind Kamailio, answering SIPp, sipsak and a small client on
//! 127.0.0.1. The captures are data in `tests/data/real-ua/pcap/` (made by
//! `tests/data/real-ua/capture.sh`, the Net::SIP and ejabberd ones with
//! `tests/data/real-ua/netsip-ejabberd/`, the Rust and Python ones with
//! `tests/data/real-ua/rust-python/`, the browser stacks with
//! `tests/data/real-ua/websocket-browser-stacks/`, node, Sippy and rvoip
//! with `tests/data/real-ua/node-sippy-rvoip/`, sofia-sip and Jami with
//! `tests/data/real-ua/sofia-jami/`; the README there gives
//! the software, versions, scenarios and commands), so this test needs
//! none of that software.
//!
//! The `validate` example runs once over every capture (JSON Lines), and for
//! each capture the test checks the status codes of the responses it found,
//! in order, and the exact multiset of findings, as (rule id, status code,
//! count). Every expected finding was checked against the RFC text and is
//! a defect of the software that sent the response; the comment above each
//! capture says why. A change to the validator that adds, drops or moves a
//! finding on real traffic fails here.
//!
//! A filtered run (`cargo test --test real_ua`) does not build the example:
//! run `cargo build --example validate --all-features` first.
#![cfg(all(feature = "capture", feature = "serde"))]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// One capture: its file stem, the status codes of its responses in capture
/// order, and the findings expected on them as (rule, status code, count).
/// Requests must draw no finding.
type Expected = (
    &'static str,
    &'static str,
    &'static [(&'static str, u16, usize)],
);

// The findings that recur, and why each is the software's defect:
//
// OPTIONS-CAPS   `2xx-options-capabilities` (one per missing header): a
//                200 to OPTIONS SHOULD carry Accept, Accept-Encoding,
//                Accept-Language and Supported (RFC 3261 §11.2, Table 2
//                m*). baresip sends Allow, an empty Supported (legal) and
//                an SDP body but none of the Accept headers; linphonec
//                sends none of the four out of dialog (Supported only
//                inside one).
// INVITE-SUP     `2xx-invite-allow-supported`: a 2xx to INVITE SHOULD carry
//                Allow and Supported (RFC 3261 §13.3.1.4). baresip's 200
//                has Allow but no Supported; its 200 to a re-INVITE has
//                neither.
// NO-CL          `content-length-missing-datagram`: linphonec (belle-sip)
//                leaves Content-Length out of every UDP response without a
//                body; RFC 3261 §20.14 says implementations SHOULD send it
//                (§18.3: over UDP the body then runs to the end of the
//                datagram). Over TCP it sends it.
// 1XX-CONTACT    `1xx-early-dialog-contact`: linphonec's 180 carries a To
//                tag (an early dialog) but no Contact; RFC 3261 §12.1.1,
//                applied to early-dialog provisional responses by
//                §13.3.1.1, says the UAS MUST add one (the rule table
//                records the conflict with Table 2 and keeps the MUST).
// NO-QOP         `auth-digest-params`: Kamailio's `www_challenge` with
//                flags "0" (as in its sample config) sends a Digest
//                challenge without `qop`, and so does Net::SIP's
//                (Net::SIP::Authorize); RFC 3261 §22.4 item 8: servers
//                MUST always send it.
// REG-DATE       `2xx-register-date`: the 200 to REGISTER of Kamailio,
//                Net::SIP and ejabberd has no Date; RFC 3261 §10.3 step 8:
//                it SHOULD.
// METHOD-INFO    `cseq-method-unknown` (info): the scenario's FOO is not a
//                registered method; the response rightly echoes it in CSeq.
//                A note, not a defect.
// TAG-INFO       `option-tag-unknown` (info): the 420 lists `foo`, the
//                unregistered tag the scenario required; the rule table
//                keeps Unsupported in scope and says such a note "says
//                nothing against the responder". A note, not a defect.
// NS-NO-TAG      `to-tag-missing`: Net::SIP's registrar (its 401 from
//                Net::SIP::Authorize, its 423 and 200 from
//                Net::SIP::Registrar) answers REGISTER with the request's To
//                and no tag; a registrar is a UAS (RFC 3261 §10.3), and
//                §8.2.6.2 says the UAS MUST add a To tag to every response
//                but 100.
// RR-100         `record-route-unexpected-code` (info): Net::SIP's UAS
//                copies the request's Record-Route into its 100 Trying too;
//                RFC 3261 Table 3 gives Record-Route a place in 18x and 2xx
//                responses only (§12.1.1: those that can set up a dialog).
// MF-RESP        `max-forwards-in-response` (info): ejabberd copies the
//                request's Max-Forwards into every response it makes itself
//                (not into those it relays); Table 2 marks Max-Forwards "R",
//                request only, and §7.3.2 says the receiver MUST ignore it.
const CAPTURES: &[Expected] = &[
    // --- baresip 1.0.0 (bob answers itself, carol rings) ---
    ("bs_bye_nodialog", "481", &[]),
    ("bs_cancel", "180 200 487", &[]),
    // METHOD-INFO.
    ("bs_foo", "501", &[("cseq-method-unknown", 501, 1)]),
    // INVITE-SUP (the Vias, the Record-Route values and their rows are
    // copied unchanged; no 100 over UDP, so no Timestamp to copy).
    (
        "bs_invite_rr_ts",
        "180 200 200",
        &[("2xx-invite-allow-supported", 200, 1)],
    ),
    // INVITE-SUP on the 200 to the INVITE; INVITE-SUP twice (Allow and
    // Supported) on the 200 to the re-INVITE; OPTIONS-CAPS (Accept,
    // Accept-Encoding, Accept-Language) on the 200 to OPTIONS in the dialog.
    (
        "bs_in_dialog",
        "180 200 200 200 200 501 200 200",
        &[
            ("2xx-invite-allow-supported", 200, 3),
            ("2xx-options-capabilities", 200, 3),
        ],
    ),
    // INVITE-SUP.
    (
        "bs_invite_bye",
        "180 200 200",
        &[("2xx-invite-allow-supported", 200, 1)],
    ),
    ("bs_message", "200", &[]),
    ("bs_notify_nosub", "400", &[]),
    // The odd but legal OPTIONS comes back with every compact name, the
    // escaped display name and the extension parameters as they were.
    // OPTIONS-CAPS.
    (
        "bs_options_odd",
        "200",
        &[("2xx-options-capabilities", 200, 3)],
    ),
    // OPTIONS-CAPS: Accept, Accept-Encoding, Accept-Language.
    ("bs_options", "200", &[("2xx-options-capabilities", 200, 3)]),
    ("bs_register", "501", &[]),
    ("bs_reject", "180 486", &[]),
    // baresip lists SUBSCRIBE in Allow but never answers one (RFC 3261
    // §8.2 wants a final response); there is no response to validate.
    ("bs_subscribe", "", &[]),
    // TAG-INFO.
    ("bs_require", "420", &[("option-tag-unknown", 420, 1)]),
    // INVITE-SUP, as over UDP.
    (
        "bs_tcp_invite_bye",
        "180 200 200",
        &[("2xx-invite-allow-supported", 200, 1)],
    ),
    // OPTIONS-CAPS, as over UDP.
    (
        "bs_tcp_options",
        "200",
        &[("2xx-options-capabilities", 200, 3)],
    ),
    // --- ejabberd 23.01 mod_sip (ejabberd/ejabberd.yml; dave is Net::SIP's
    // UAS on 5174) ---
    // OPTIONS whose CSeq says INVITE: ejabberd forwards it as `1 OPTIONS`
    // and relays dave's 200 with that CSeq: `copied-headers-mismatch`, RFC
    // 3261 §8.2.6.2 (the CSeq MUST equal the request's; a proxy changes no
    // CSeq, §16.6, §16.7). The 200 is paired with the request by the
    // request's own method, as §17.1.3 matches. SIPp's BYE: dave's 481 on
    // both hops. MF-RESP on the stale 408 to the INVITE of a discarded run
    // (to bob, who looped back to SIPp).
    (
        "ejabberd_cseq_mismatch",
        "200 200 481 481 408",
        &[
            ("copied-headers-mismatch", 200, 1),
            ("max-forwards-in-response", 408, 1),
        ],
    ),
    // No binding for nobody: 480 with the default phrase,
    // `reason-phrase-specific` (info), RFC 3261 §21.4.18: the phrase SHOULD
    // give a more precise cause. MF-RESP.
    (
        "ejabberd_invite_480",
        "480",
        &[
            ("reason-phrase-specific", 480, 1),
            ("max-forwards-in-response", 480, 1),
        ],
    ),
    // ejabberd (stateful) absorbs dave's 100 (§16.7 step 5) and relays the
    // 200s without its Via. RR-100 on dave's 100.
    (
        "ejabberd_proxied_call",
        "100 200 200 200 200",
        &[("record-route-unexpected-code", 100, 1)],
    ),
    // Net::SIP's 200 has Accept, Accept-Encoding (empty), Accept-Language,
    // Allow and Supported (empty), on both hops.
    ("ejabberd_proxied_options", "200 200", &[]),
    // The 401 carries `qop`; the 423 carries Min-Expires. MF-RESP on both.
    (
        "ejabberd_register_423",
        "401 423",
        &[
            ("max-forwards-in-response", 401, 1),
            ("max-forwards-in-response", 423, 1),
        ],
    ),
    // A query (no Contact): the 200 lists both of dave's bindings, each with
    // its expires. MF-RESP on both; REG-DATE.
    (
        "ejabberd_register_fetch",
        "401 200",
        &[
            ("max-forwards-in-response", 401, 1),
            ("max-forwards-in-response", 200, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // Net::SIP's UAS registers dave (the binding the proxied captures use).
    // MF-RESP on both; REG-DATE.
    (
        "ejabberd_register_netsip",
        "401 200",
        &[
            ("max-forwards-in-response", 401, 1),
            ("max-forwards-in-response", 200, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // The 200 lists only the new binding, not dave's other one (RFC 3261
    // §10.3 step 8 says all; README, defects no rule reports). MF-RESP on
    // both; REG-DATE.
    (
        "ejabberd_register_second",
        "401 200",
        &[
            ("max-forwards-in-response", 401, 1),
            ("max-forwards-in-response", 200, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // --- Kamailio 5.6.3 (kamailio/registrar.cfg) ---
    // The 405 carries the Allow the config appends. METHOD-INFO.
    ("kam_foo", "405", &[("cseq-method-unknown", 405, 1)]),
    // Kamailio forks to bob's and carol's baresip: both 180s (two To tags)
    // reach SIPp, bob's 200 too; carol's branch is cancelled (200, 487,
    // absorbed by Kamailio); BYE. INVITE-SUP on both copies of bob's 200.
    // Forking draws nothing else: two early dialogs are not an
    // inconsistency.
    (
        "kam_forked_call",
        "100 180 180 180 180 200 200 200 487 200 200",
        &[("2xx-invite-allow-supported", 200, 2)],
    ),
    ("kam_invite_404", "404", &[]),
    // Over IPv6, bob's OPTIONS relayed to baresip over IPv4: Kamailio fills
    // `rport` and adds `received=::1` (bare, as RFC 5118 §4.5 wants).
    // OPTIONS-CAPS on both hops (baresip's 200).
    (
        "kam_ipv6_options_rport",
        "200 200",
        &[("2xx-options-capabilities", 200, 6)],
    ),
    ("kam_ipv6_options_server", "200", &[]),
    // NO-QOP; REG-DATE (Contact `<sip:v6@[::1]:5090>`).
    (
        "kam_ipv6_register_auth",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    ("kam_maxfwd0", "483", &[]),
    // Relayed to baresip and back: OPTIONS-CAPS on both copies of its 200.
    (
        "kam_options_odd",
        "200 200",
        &[("2xx-options-capabilities", 200, 6)],
    ),
    // options_reply(): Accept, Accept-Encoding (empty), Accept-Language,
    // Supported (empty) and no Allow, as a proxy's 200 should (§11.2).
    ("kam_options_server", "200", &[]),
    // Kamailio's 100, then baresip's 180 and 200 on both hops, then the
    // 200 to BYE on both hops. INVITE-SUP on each copy of baresip's 200.
    (
        "kam_proxied_call",
        "100 180 180 200 200 200 200",
        &[("2xx-invite-allow-supported", 200, 2)],
    ),
    // Kamailio relays the CANCEL; baresip answers it (200) and the INVITE
    // (487); then Kamailio's own 200 to the CANCEL and the relayed 487 reach
    // SIPp (in this run in that order; it is a race).
    ("kam_proxied_cancel", "100 180 180 200 487 200 487", &[]),
    ("kam_proxied_reject", "100 180 180 486 486", &[]),
    // TAG-INFO (Proxy-Require: foo, answered by the sanity module).
    (
        "kam_proxy_require",
        "420",
        &[("option-tag-unknown", 420, 1)],
    ),
    // NO-QOP on the 401; the 423 carries Min-Expires.
    (
        "kam_register_423",
        "401 423",
        &[("auth-digest-params", 401, 1)],
    ),
    // NO-QOP; REG-DATE.
    (
        "kam_register_auth",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // NO-QOP; REG-DATE.
    (
        "kam_register_carol",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // Two bindings, one with its own expires (kept) and one with a q-value,
    // listed back in one comma-joined row; a query; removal of all with
    // `Contact: *` (the 200 then has no Contact). NO-QOP; REG-DATE on each
    // of the three 200s.
    (
        "kam_register_multi",
        "401 200 200 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 3),
        ],
    ),
    // NO-QOP; REG-DATE (user fork's two bindings, for kam_forked_call).
    (
        "kam_register_fork_bob",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    (
        "kam_register_fork_carol",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // NO-QOP; REG-DATE; and `2xx-register-expires-longer` (info): asked
    // for 30 s, Kamailio raised the binding to its min_expires (60 s).
    // RFC 3261 §10.3 step 7 lets a registrar shorten the interval or answer
    // 423, not lengthen it.
    (
        "kam_register_short",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
            ("2xx-register-expires-longer", 200, 1),
        ],
    ),
    // NO-QOP; REG-DATE (over TCP).
    (
        "kam_tcp_register_auth",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    ("kam_tel_uri", "416", &[]),
    // --- linphonec 5.1.65 (dave answers itself, erin rings) ---
    // NO-CL.
    (
        "lp_bye_nodialog",
        "481",
        &[("content-length-missing-datagram", 481, 1)],
    ),
    // NO-CL on all four; 1XX-CONTACT on the 180.
    (
        "lp_cancel",
        "100 180 200 487",
        &[
            ("content-length-missing-datagram", 100, 1),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 200, 1),
            ("content-length-missing-datagram", 487, 1),
            ("1xx-early-dialog-contact", 180, 1),
        ],
    ),
    // NO-CL; METHOD-INFO.
    (
        "lp_foo",
        "405",
        &[
            ("content-length-missing-datagram", 405, 1),
            ("cseq-method-unknown", 405, 1),
        ],
    ),
    // NO-CL on the two 100s, the 180 and the five bodiless 200s (INFO,
    // OPTIONS, UPDATE, MESSAGE, BYE); 1XX-CONTACT on the 180;
    // OPTIONS-CAPS (Accept, Accept-Encoding, Accept-Language: in a dialog
    // it sends Supported); and `2xx-dialog-contact` on the 200 to UPDATE,
    // which has no Contact: RFC 3311 §7 Table 1 marks Contact mandatory in
    // a 2xx to UPDATE (a target refresh request), and RFC 3261 §20 says a
    // mandatory header MUST be present.
    (
        "lp_in_dialog",
        "100 180 200 200 100 200 200 200 200 200",
        &[
            ("content-length-missing-datagram", 100, 2),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 200, 5),
            ("1xx-early-dialog-contact", 180, 1),
            ("2xx-options-capabilities", 200, 3),
            ("2xx-dialog-contact", 200, 1),
        ],
    ),
    // NO-CL on the 100, the 180 and the 200 to BYE; 1XX-CONTACT.
    (
        "lp_invite_bye",
        "100 180 200 200",
        &[
            ("content-length-missing-datagram", 100, 1),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 200, 1),
            ("1xx-early-dialog-contact", 180, 1),
        ],
    ),
    // The request's Record-Route is p2, p3 (one row) and p1; linphonec's
    // 180 and 200 carry p2, p3, p3, p1, one row each: `dialog-record-route-
    // copy` on both, RFC 3261 §12.1.1 (copy all values, in order). It copies
    // the Timestamp into its 100. NO-CL on the 100, the 180 and the 200 to
    // BYE; 1XX-CONTACT.
    (
        "lp_invite_rr_ts",
        "100 180 200 200",
        &[
            ("content-length-missing-datagram", 100, 1),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 200, 1),
            ("1xx-early-dialog-contact", 180, 1),
            ("dialog-record-route-copy", 180, 1),
            ("dialog-record-route-copy", 200, 1),
        ],
    ),
    // As lp_invite_bye, over IPv6.
    (
        "lp_ipv6_invite_bye",
        "100 180 200 200",
        &[
            ("content-length-missing-datagram", 100, 1),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 200, 1),
            ("1xx-early-dialog-contact", 180, 1),
        ],
    ),
    // The Via's empty `rport` comes back empty: `via-rport-empty` (info,
    // as the rule table lowers it), RFC 3581 §4: a server that implements
    // it MUST fill it in, and linphonec does fill it in when the source
    // port differs from the Via's (sipsak_lp_options). NO-CL;
    // OPTIONS-CAPS, all four.
    (
        "lp_ipv6_options_rport",
        "200",
        &[
            ("content-length-missing-datagram", 200, 1),
            ("2xx-options-capabilities", 200, 4),
            ("via-rport-empty", 200, 1),
        ],
    ),
    // NO-CL.
    (
        "lp_message",
        "200",
        &[("content-length-missing-datagram", 200, 1)],
    ),
    // NO-CL.
    (
        "lp_notify_nosub",
        "481",
        &[("content-length-missing-datagram", 481, 1)],
    ),
    // linphonec rewrites the compact names in full and quotes "Bob"; From
    // and To are still equal (RFC 3261 §20.20). NO-CL; OPTIONS-CAPS, all four.
    (
        "lp_options_odd",
        "200",
        &[
            ("content-length-missing-datagram", 200, 1),
            ("2xx-options-capabilities", 200, 4),
        ],
    ),
    // NO-CL; OPTIONS-CAPS, all four.
    (
        "lp_options",
        "200",
        &[
            ("content-length-missing-datagram", 200, 1),
            ("2xx-options-capabilities", 200, 4),
        ],
    ),
    // NO-CL (the 405 has its Allow).
    (
        "lp_register",
        "405",
        &[("content-length-missing-datagram", 405, 1)],
    ),
    // NO-CL on the 100, the 180 and the 603; 1XX-CONTACT.
    (
        "lp_reject",
        "100 180 603",
        &[
            ("content-length-missing-datagram", 100, 1),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 603, 1),
            ("1xx-early-dialog-contact", 180, 1),
        ],
    ),
    // As lp_invite_bye: linphonec accepts an INVITE with `Require: foo`
    // (RFC 3261 §8.2.2.3 says it MUST answer 420), which no response rule
    // can see. NO-CL on the 100, the 180 and the 200 to BYE; 1XX-CONTACT.
    (
        "lp_require",
        "100 180 200 200",
        &[
            ("content-length-missing-datagram", 100, 1),
            ("content-length-missing-datagram", 180, 1),
            ("content-length-missing-datagram", 200, 1),
            ("1xx-early-dialog-contact", 180, 1),
        ],
    ),
    // linphonec accepts the SUBSCRIBE (200 with Expires) but sends no
    // NOTIFY (RFC 6665 §4.2.1.2 says it must, at once; no response rule can
    // see that). Its 200 to the unsubscribe has no Expires:
    // `2xx-subscribe-expires`, RFC 6665 §3.1.1 (200-class responses to
    // SUBSCRIBE MUST contain Expires). NO-CL on both 200s.
    (
        "lp_subscribe",
        "200 200",
        &[
            ("content-length-missing-datagram", 200, 2),
            ("2xx-subscribe-expires", 200, 1),
        ],
    ),
    // Over TCP Content-Length is there; 1XX-CONTACT stays.
    (
        "lp_tcp_invite_bye",
        "100 180 200 200",
        &[("1xx-early-dialog-contact", 180, 1)],
    ),
    // OPTIONS-CAPS, all four.
    (
        "lp_tcp_options",
        "200",
        &[("2xx-options-capabilities", 200, 4)],
    ),
    // --- Net::SIP 0.835 (netsip/regproxy.pl on 5170, netsip/uas.pl: carl
    // on 5172) ---
    ("netsip_invite_bye", "100 200 200", &[]),
    // Accept, Accept-Encoding (empty), Accept-Language, Allow, Supported
    // (empty).
    ("netsip_options", "200", &[]),
    // The stateless proxy forwards every response (RFC 3261 §16.11), the 100
    // too, so each appears on both hops. RR-100 on both copies of carl's 100.
    (
        "netsip_proxied_call",
        "100 100 200 200 200 200",
        &[("record-route-unexpected-code", 100, 2)],
    ),
    ("netsip_proxied_options", "200 200", &[]),
    // NS-NO-TAG on both; NO-QOP; and `423-min-expires-required`: the 423
    // has no Min-Expires, RFC 3261 §10.3 step 7 (it MUST contain one).
    (
        "netsip_register_423",
        "401 423",
        &[
            ("to-tag-missing", 401, 1),
            ("to-tag-missing", 423, 1),
            ("auth-digest-params", 401, 1),
            ("423-min-expires-required", 423, 1),
        ],
    ),
    // NS-NO-TAG on both; NO-QOP; REG-DATE.
    (
        "netsip_register_auth",
        "401 200",
        &[
            ("to-tag-missing", 401, 1),
            ("to-tag-missing", 200, 1),
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // --- sipsak 0.9.8.1 against the same elements ---
    // OPTIONS-CAPS (baresip).
    (
        "sipsak_bs_options",
        "200",
        &[("2xx-options-capabilities", 200, 3)],
    ),
    ("sipsak_kam_options", "200", &[]),
    // NO-QOP; REG-DATE.
    (
        "sipsak_kam_register",
        "401 200",
        &[
            ("auth-digest-params", 401, 1),
            ("2xx-register-date", 200, 1),
        ],
    ),
    // Max-Forwards 0: Kamailio's 483; Max-Forwards 1: relayed to baresip,
    // whose 200 is seen on both hops. OPTIONS-CAPS on each copy.
    (
        "sipsak_kam_trace",
        "483 200 200",
        &[("2xx-options-capabilities", 200, 6)],
    ),
    // NO-CL; OPTIONS-CAPS, all four (linphonec).
    (
        "sipsak_lp_options",
        "200",
        &[
            ("content-length-missing-datagram", 200, 1),
            ("2xx-options-capabilities", 200, 4),
        ],
    ),
    ("sipsak_tw_options", "200", &[]),
    // --- Twinkle 1.10.2 (frank and gina ring until told) ---
    // 100rel: the reliable 180 (Require: 100rel, RSeq), the 200 to PRACK,
    // the 200 to INVITE, the 200 to BYE.
    ("tw_100rel", "100 180 200 200 200", &[]),
    ("tw_bye_nodialog", "481", &[]),
    ("tw_cancel", "100 180 200 487", &[]),
    // METHOD-INFO.
    ("tw_foo", "501", &[("cseq-method-unknown", 501, 1)]),
    ("tw_in_dialog", "100 180 200 200 200 200 501 200 200", &[]),
    ("tw_invite_bye", "100 180 200 200", &[]),
    // The 100 lacks the request's Timestamp: `100-timestamp-copied`, RFC 3261
    // §8.2.6.1 (the UAS MUST copy it into the 100). The Vias and the
    // Record-Route values come back joined in one row each, which is equal.
    (
        "tw_invite_rr_ts",
        "100 180 200 200",
        &[("100-timestamp-copied", 100, 1)],
    ),
    ("tw_message", "200", &[]),
    ("tw_notify_nosub", "400", &[]),
    ("tw_options_odd", "200", &[]),
    ("tw_options", "200", &[]),
    ("tw_register", "403", &[]),
    ("tw_reject", "100 180 486", &[]),
    // TAG-INFO.
    ("tw_require", "420", &[("option-tag-unknown", 420, 1)]),
    // 489 with Allow-Events: refer (RFC 6665 §4.4.4).
    ("tw_subscribe", "489", &[]),
    ("tw_tcp_options", "200", &[]),
    // --- Rust and Python stacks (README "Rust and Python stacks") ---
    // aiosipua 0.7.1: the BYE's To already carries a tag (nosuchdialog42)
    // and the 481 adds a second one: `header-param-repeated` (§7.3.1: a
    // parameter name MUST NOT appear twice in one value) and
    // `copied-headers-mismatch` (§8.2.6.2: the To of the response MUST
    // equal the request's, with a tag added only when it had none).
    (
        "aiosipua_bye_nodialog",
        "481",
        &[
            ("copied-headers-mismatch", 481, 1),
            ("header-param-repeated", 481, 1),
        ],
    ),
    // INVITE-SUP: neither Allow nor Supported, on the 200 and on its
    // retransmission. The INVITE sent again after the 200 (same branch) is
    // answered with a 481 and a new To tag: after a 2xx an INVITE server
    // transaction passes on only further 2xx (RFC 6026 §7.1, RFC 3261
    // §17.2.1): `final-response-multiple` (a local row).
    (
        "aiosipua_invite_retrans",
        "100 180 200 200 481",
        &[
            ("2xx-invite-allow-supported", 200, 4),
            ("final-response-multiple", 481, 1),
        ],
    ),
    // ezk 0.9: every response drops the port of the From and To URIs
    // (`<sip:alice@127.0.0.1:5291>` becomes `<sip:alice@127.0.0.1>`), so
    // From and To no longer equal the request's (§8.2.6.2; URIs compared
    // by §19.1.4): `copied-headers-mismatch` twice on each response. It
    // never answers the BYE.
    (
        "ezk_invite",
        "100 200",
        &[
            ("copied-headers-mismatch", 100, 2),
            ("copied-headers-mismatch", 200, 2),
        ],
    ),
    // rsipstack 0.7.14 bench_ua: INVITE-SUP (Allow and Supported), and its
    // 200 to an INVITE that carried an offer has no answer in it
    // (§13.3.1.4: the 2xx MUST carry one; no reliable provisional response
    // carried it): `2xx-invite-sdp`.
    (
        "rsipstack_invite",
        "100 200 200",
        &[
            ("2xx-invite-allow-supported", 200, 2),
            ("2xx-invite-sdp", 200, 1),
        ],
    ),
    // rsipstack's proxy example (stateful, record-routing) in front of
    // aiosipua: aiosipua's 180 and 200 do not copy the INVITE's
    // Record-Route (§12.1.1: the UAS MUST copy it into a dialog-creating
    // response): `dialog-record-route-copy`, on its own hop only (the
    // proxy's forwarded copies carry its Record-Route again). The proxy
    // pushes its Record-Route onto the 100 it forwards (Table 3: 18x and
    // 2xx only; info), and forwards a 100 at all (RFC 3261 §16.7 step 5,
    // a verdict in proxy role, nothing here). INVITE-SUP on both hops.
    (
        "rsipstack_proxied_invite",
        "100 180 100 180 200 200 200 200",
        &[
            ("2xx-invite-allow-supported", 200, 4),
            ("dialog-record-route-copy", 180, 1),
            ("dialog-record-route-copy", 200, 1),
            ("record-route-unexpected-code", 100, 1),
        ],
    ),
    // voip-utils 0.5.0: its 200 has Allow but no Supported (INVITE-SUP),
    // and its 200 to BYE ends after `Content-Length: 0` with no empty line
    // (§7: the empty line MUST be present even without a body):
    // `header-block-unterminated`.
    (
        "voiputils_invite",
        "200 200",
        &[
            ("2xx-invite-allow-supported", 200, 1),
            ("header-block-unterminated", 200, 1),
        ],
    ),
    // The INVITE sent again (same branch) is taken for a new call and
    // answered with a second 200 carrying a new To tag, from the same
    // source and Contact: one UAS gives one transaction two tags
    // (`to-tag-inconsistent`). INVITE-SUP on both 200s; the 200 to BYE
    // again lacks its empty line.
    (
        "voiputils_invite_retrans",
        "200 200 200",
        &[
            ("2xx-invite-allow-supported", 200, 2),
            ("header-block-unterminated", 200, 1),
            ("to-tag-inconsistent", 200, 1),
        ],
    ),
    // --- Node, Sippy and rvoip (README "Node, Sippy and rvoip"). ---
    // node's `sip` 0.0.6 copies the request's version into its response:
    // `SIP/3.0 200 OK` (RFC 3261 §7.1: a response of this specification
    // says "SIP/2.0"; to a version it does not support a server answers
    // 505, §21.5.6), `sip-version-not-2-0`. The capture reader takes such
    // a message as SIP (it once needed the literal `SIP/2.0` and dropped
    // it unseen). Its
    // 200 to OPTIONS lists neither Accept, Accept-Encoding nor
    // Accept-Language (§11.2, SHOULD). The 481 to SIPp's BYE is right.
    (
        "nodeuas_options_sip30",
        "200 481",
        &[
            ("2xx-options-capabilities", 200, 3),
            ("sip-version-not-2-0", 200, 1),
        ],
    ),
    // rvoip-sip 0.4.0 answers an INVITE whose From has an extension
    // parameter (`x-from`) with a From without it: §20.20 ignores an
    // extension parameter present in one From only, so the copy stands
    // (§8.2.6.2), and nothing is reported for it. Its 180 has a To tag and
    // no Contact (§12.1.1: the UAS MUST add one to a dialog-creating
    // response); its 200s to INVITE carry neither Allow nor Supported
    // (§13.3.1.4, SHOULD), nor do the ones to the INVITE sent again.
    (
        "rvoip_invite_odd",
        "200 180 200 200 200",
        &[
            ("1xx-early-dialog-contact", 180, 1),
            ("2xx-invite-allow-supported", 200, 6),
        ],
    ),
    // The Sippy B2BUA 2.5.0 answers `SIP/3.0` with `SIP/3.0 501`
    // (§7.1, `sip-version-not-2-0`).
    (
        "sippy_options_sip30",
        "501 481",
        &[("sip-version-not-2-0", 501, 1)],
    ),
    // Both legs through the Sippy B2BUA. Its 180 and 200 copy the three
    // Record-Route values with `;lr;ftag=...` written `;ftag=...;lr`: the
    // same URIs with the same parameters (§19.1.4: their order is not
    // significant), so `dialog-record-route-copy` stays silent. Its 100
    // drops the request's `Timestamp: 54.3` (§8.2.6.1: MUST be copied) and
    // carries Record-Route (info: only 18x and 2xx to INVITE have it,
    // §12.1.1). Neither Sippy's 200s nor SIPp's UAS's list Allow or
    // Supported (§13.3.1.4); both leave `rport` empty in a Via they relay
    // (RFC 3581 §4, info) once each.
    (
        "sippy_uac_invite_rr_ts",
        "100 180 200 180 200 200 200",
        &[
            ("100-timestamp-copied", 100, 1),
            ("2xx-invite-allow-supported", 200, 8),
            ("record-route-unexpected-code", 100, 1),
            ("via-rport-empty", 180, 1),
            ("via-rport-empty", 200, 1),
        ],
    ),
    // --- sofia-sip and PJSIP (README "sofia-sip and PJSIP (Jami)"). ---
    // Jami's PJSIP writes the From and To of its 100, 180 and 200 to the
    // INVITE, and the From of its 200 to the BYE, without the port and
    // `transport` that SIPp's URIs carried (it cites RFC 3261 §19.1.1
    // Table 1, which keeps them out of From and To): §8.2.6.2 says the From
    // MUST equal the request's, and the To too once tagged, and §19.1.4
    // never matches a URI with a port to one without, so each is
    // `copied-headers-mismatch` (its detail names Table 1). Its 100 drops
    // the request's `Timestamp` (§8.2.6.1: MUST be copied) and carries the
    // Record-Route (info: only 18x and 2xx to INVITE have it, §12.1.1).
    (
        "jami_invite_rr_ts",
        "100 180 200 200",
        &[
            ("100-timestamp-copied", 100, 1),
            ("copied-headers-mismatch", 100, 2),
            ("copied-headers-mismatch", 180, 2),
            ("copied-headers-mismatch", 200, 3),
            ("record-route-unexpected-code", 100, 1),
        ],
    ),
    // sofia-sip's `nua` copies the Timestamp into its 100, and From, To,
    // Call-ID, CSeq and Via as sent; its 180 and 200 carry Contact, Allow
    // and Supported. Only the Record-Route it also copies into the 100 is a
    // note (info, §12.1.1).
    (
        "sofia_invite_rr_ts",
        "100 180 200 200",
        &[("record-route-unexpected-code", 100, 1)],
    ),
    // --- pyVoIP 1.6.8 and rfcvoip 2.10.3 (README "pyVoIP and rfcvoip"):
    // SIPp's INVITE requires 100rel, and both answer with an unreliable 180
    // (no Require, no RSeq): RFC 3262 §3, the UAS MUST send it reliably or
    // reject the INVITE with 420. pyVoIP's 200 has neither Allow nor
    // Supported (SHOULD, §13.3.1.4). rfcvoip answers SIPp's PRACK for the
    // unreliable 180 with 501, and the BYE with 200. ---
    (
        "pyvoip_invite_100rel",
        "180 200",
        &[
            ("1xx-unreliable-when-required", 180, 1),
            ("2xx-invite-allow-supported", 200, 1),
        ],
    ),
    (
        "rfcvoip_invite_100rel",
        "180 501 200",
        &[("1xx-unreliable-when-required", 180, 1)],
    ),
    // --- Browser stacks over WebSocket, behind Kamailio (README "Browser
    // stacks over WebSocket"): each UA response on both hops. REG-DATE on
    // Kamailio's two 200s to REGISTER in each. ---
    // JsSIP 3.13.8 answers an INVITE it cannot take (no WebRTC in Node)
    // with a 488 that has no Warning: RFC 3261 §13.3.1.3 says the 488
    // SHOULD carry one explaining why the offer was rejected
    // (`488-warning`).
    (
        "jssip_ws_invite_488",
        "401 200 100 100 488 488 401 200",
        &[("2xx-register-date", 200, 2), ("488-warning", 488, 2)],
    ),
    // JsSIP's 482 (a Call-ID it takes for its own) and 416 (a `sips:` To)
    // carry no Content-Length: legal over WebSocket (RFC 7118 §5), and
    // Kamailio relays them unchanged over UDP, where RFC 3261 §20.14 says
    // it SHOULD be there (`content-length-missing-datagram`, on the UDP
    // copies only).
    (
        "jssip_ws_loop",
        "401 200 482 482 416 416 401 200",
        &[
            ("2xx-register-date", 200, 2),
            ("content-length-missing-datagram", 416, 1),
            ("content-length-missing-datagram", 482, 1),
        ],
    ),
    // OPTIONS-CAPS: JsSIP's 200 to OPTIONS has Allow, Accept and Supported
    // but neither Accept-Encoding nor Accept-Language (two per copy).
    (
        "jssip_ws_options",
        "401 200 200 200 401 200",
        &[
            ("2xx-options-capabilities", 200, 4),
            ("2xx-register-date", 200, 2),
        ],
    ),
    // SIP.js 0.21.2 answers INFO outside a dialog with a 405 without
    // Allow: RFC 3261 §21.4.6, §20.5: the 405 MUST contain one.
    (
        "sipjs_ws_info",
        "401 200 405 405 200",
        &[
            ("2xx-register-date", 200, 2),
            ("405-allow-required", 405, 2),
        ],
    ),
];

fn real_ua_dir() -> PathBuf {
    common::data_dir().join("real-ua")
}

/// The capture files, sorted by name.
fn capture_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(real_ua_dir().join("pcap"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_capture_is_listed_and_byte_exact() {
    // README.md lists each capture as "| `name.pcap` | ... | `sha256` |".
    let readme = std::fs::read_to_string(real_ua_dir().join("README.md")).unwrap();
    let mut listed = BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let name = cells[0].trim_matches('`');
        let sha = cells.last().unwrap().trim_matches('`');
        if name.ends_with(".pcap") {
            listed.insert(name.to_string(), sha.to_string());
        }
    }
    let files = capture_files();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        listed.keys().cloned().collect::<Vec<_>>(),
        "README.md and pcap/ disagree"
    );
    let mut expected: Vec<String> = CAPTURES.iter().map(|c| format!("{}.pcap", c.0)).collect();
    expected.sort();
    assert_eq!(names, expected, "CAPTURES and pcap/ disagree");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy();
        let got = format!("{:x}", Sha256::digest(std::fs::read(f).unwrap()));
        assert_eq!(got, listed[name.as_ref()], "{name} differs from README.md");
    }
}

/// What the tool found in one capture: response codes in order, findings
/// as (rule, code) → count (code 0 for a finding on a request).
#[derive(Default, Debug)]
struct Seen {
    codes: Vec<String>,
    findings: BTreeMap<(String, u16), usize>,
}

#[test]
fn findings_on_real_traffic_are_exactly_the_expected_ones() {
    let exe = common::example_exe("validate", &["examples/validate"], "capture,serde");
    let files = capture_files();
    let out = Command::new(exe)
        .args(["--format", "json", "--color", "never"])
        .args(&files)
        .output()
        .expect("run validate");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 1: error findings were reported (NO-QOP, 1XX-CONTACT, ...), nothing failed.
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");

    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut summary = None;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let o: Value = serde_json::from_str(line).unwrap();
        let kind = o["kind"].as_str().unwrap();
        if kind == "summary" {
            summary = Some(o);
            continue;
        }
        assert!(kind == "request" || kind == "response", "{line}");
        let source = stem(Path::new(o["source"].as_str().unwrap()));
        let s = seen.entry(source).or_default();
        let code = if kind == "response" {
            let c = o["code"].as_u64().unwrap() as u16;
            s.codes.push(c.to_string());
            c
        } else {
            0
        };
        for f in o["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap().to_string();
            *s.findings.entry((rule, code)).or_default() += 1;
        }
    }
    let summary = summary.expect("no summary record");
    for key in ["parse_errors", "unreadable_inputs", "capture_problems"] {
        assert_eq!(summary[key], 0, "{key}: {summary}");
    }

    let mut failures = Vec::new();
    for (name, codes, findings) in CAPTURES {
        let s = seen.remove(*name).unwrap_or_default();
        let got_codes = s.codes.join(" ");
        if got_codes != *codes {
            failures.push(format!(
                "{name}: responses `{got_codes}`, expected `{codes}`"
            ));
        }
        let want: BTreeMap<(String, u16), usize> = findings
            .iter()
            .map(|&(r, c, n)| ((r.to_string(), c), n))
            .collect();
        if s.findings != want {
            failures.push(format!(
                "{name}: findings {:?}, expected {:?}",
                s.findings, want
            ));
        }
    }
    assert!(seen.is_empty(), "messages from unlisted captures: {seen:?}");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
