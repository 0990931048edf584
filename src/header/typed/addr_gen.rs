//! Proptest generators shared by the address-header property tests: hosts,
//! URIs, LWS with folds, random-case names, parameter lists. Test-only.
#![cfg(test)]

use proptest::prelude::*;

use crate::Span;

/// LWS that may appear around a separator, folds included (RFC 3261 §7.3.1).
pub(crate) fn lws() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\r\n ".to_string()),
        Just("  \r\n\t ".to_string()),
    ]
}

/// LWS that is not empty (where the grammar needs at least one byte).
pub(crate) fn lws1() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\r\n ".to_string()),
        Just(" \r\n\t".to_string()),
    ]
}

/// `s` with each ASCII letter in random case.
pub(crate) fn random_case(s: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<bool>(), s.len()).prop_map(move |up| {
        s.chars()
            .zip(up)
            .map(|(c, u)| {
                if u {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

/// A `token` (RFC 3261 §25.1).
pub(crate) fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9.!%*_+`'~-]{1,10}"
}

/// A `hostname`.
pub(crate) fn hostname() -> impl Strategy<Value = String> {
    "([a-zA-Z0-9]([a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?\\.){0,3}[a-zA-Z]([a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?\\.?"
}

/// An `IPv4address`.
pub(crate) fn ipv4() -> impl Strategy<Value = String> {
    any::<[u8; 4]>().prop_map(|a| format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]))
}

/// An unbracketed `IPv6address` in any of the usual textual forms
/// (compressed, full, IPv4-mapped).
pub(crate) fn ipv6() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<[u16; 8]>().prop_map(|g| std::net::Ipv6Addr::from(g).to_string()),
        any::<[u16; 8]>().prop_map(|g| {
            g.iter()
                .map(|x| format!("{x:x}"))
                .collect::<Vec<_>>()
                .join(":")
        }),
        any::<[u8; 4]>().prop_map(|a| format!("::ffff:{}.{}.{}.{}", a[0], a[1], a[2], a[3])),
        (any::<u16>(), any::<[u8; 4]>())
            .prop_map(|(x, a)| format!("2001:{x:x}::{}.{}.{}.{}", a[0], a[1], a[2], a[3])),
    ]
}

/// A `host`: name, IPv4 or bracketed IPv6.
pub(crate) fn host() -> impl Strategy<Value = String> {
    prop_oneof![hostname(), ipv4(), ipv6().prop_map(|a| format!("[{a}]"))]
}

/// A URI `user` with escapes, `;` and `?` included (RFC 4475 `semiuri`).
pub(crate) fn uri_user() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9_.!~*'()&=+$,;?/-]",
            "%[0-9a-fA-F]{2}".prop_map(|s| s)
        ],
        1..8,
    )
    .prop_map(|v| v.concat())
}

/// A `pname` / `pvalue` of a URI parameter.
pub(crate) fn paramchars() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9_.!~*'()\\[\\]/:&+$-]",
            "%[0-9a-fA-F]{2}".prop_map(|s| s)
        ],
        1..8,
    )
    .prop_map(|v| v.concat())
}

/// The parts of a generated SIP URI, for comparing after a parse.
#[derive(Clone, Debug)]
pub(crate) struct SipUriParts {
    pub(crate) scheme: String,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) host: String,
    pub(crate) port: Option<u16>,
    pub(crate) params: Vec<(String, Option<String>)>,
    pub(crate) headers: Option<String>,
}

impl SipUriParts {
    pub(crate) fn render(&self) -> String {
        let mut s = format!("{}:", self.scheme);
        if let Some(u) = &self.user {
            s.push_str(u);
            if let Some(p) = &self.password {
                s.push(':');
                s.push_str(p);
            }
            s.push('@');
        }
        s.push_str(&self.host);
        if let Some(p) = self.port {
            s.push_str(&format!(":{p}"));
        }
        for (n, v) in &self.params {
            s.push(';');
            s.push_str(n);
            if let Some(v) = v {
                s.push('=');
                s.push_str(v);
            }
        }
        if let Some(h) = &self.headers {
            s.push('?');
            s.push_str(h);
        }
        s
    }
}

/// A SIP or SIPS URI; `simple` keeps it free of `;`, `?`, `,` (a URI that
/// may stand bare in an address header).
pub(crate) fn sip_uri(simple: bool) -> impl Strategy<Value = SipUriParts> {
    let user = if simple {
        "[a-zA-Z0-9_.+-]{1,8}".boxed()
    } else {
        uri_user().boxed()
    };
    let password = if simple {
        Just(None).boxed()
    } else {
        proptest::option::of("[a-zA-Z0-9&=+$,_.-]{0,6}").boxed()
    };
    let params = if simple {
        Just(vec![]).boxed()
    } else {
        proptest::collection::vec((paramchars(), proptest::option::of(paramchars())), 0..4).boxed()
    };
    let headers = if simple {
        Just(None).boxed()
    } else {
        proptest::option::of(
            proptest::collection::vec(("[a-zA-Z0-9]{1,5}", "[a-zA-Z0-9%:/?]{0,5}"), 1..3).prop_map(
                |v| {
                    v.iter()
                        .map(|(n, val)| format!("{n}={}", val.replace('%', "%25")))
                        .collect::<Vec<_>>()
                        .join("&")
                },
            ),
        )
        .boxed()
    };
    (
        prop_oneof![random_case("sip"), random_case("sips")],
        proptest::option::of((user, password)),
        host(),
        proptest::option::of(any::<u16>()),
        params,
        headers,
    )
        .prop_map(|(scheme, up, host, port, params, headers)| SipUriParts {
            scheme,
            user: up.as_ref().map(|(u, _)| u.clone()),
            password: up.and_then(|(_, p)| p),
            host,
            port,
            params,
            headers,
        })
}

/// A header parameter list `*( SEMI generic-param )` with random LWS around
/// `;` and `=`: the rendered text and the (name, value) pairs.
pub(crate) fn header_params(
    reserved: &'static [&'static str],
) -> impl Strategy<Value = (String, Vec<(String, Option<String>)>)> {
    proptest::collection::vec(
        (
            token().prop_filter("reserved name", move |n| {
                !reserved.iter().any(|r| r.eq_ignore_ascii_case(n))
            }),
            proptest::option::of(prop_oneof![
                token(),
                ipv4(),
                "\"[a-zA-Z0-9 ,;<>@:=]{0,8}\"".prop_map(|s| s)
            ]),
            lws(),
            lws(),
            lws(),
        ),
        0..5,
    )
    .prop_map(|v| {
        let mut s = String::new();
        let mut pairs = vec![];
        for (n, val, a, b, c) in v {
            s.push_str(&a);
            s.push(';');
            s.push_str(&b);
            s.push_str(&n);
            if let Some(val) = &val {
                s.push_str(&c);
                s.push('=');
                s.push_str(&c);
                s.push_str(val);
            }
            pairs.push((n, val));
        }
        (s, pairs)
    })
}

/// Bytes biased towards the delimiters of address grammars, to reach deep
/// error paths more often than uniform random bytes.
pub(crate) fn addrish_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        "[sipSIPtel:@<>\";,=?&%\\[\\]/ \r\n\t.0-9a-fA-FzZ*\\\\]{0,48}".prop_map(|s| s.into_bytes()),
    ]
}

/// True when `sp` lies within `base..base + len` and is well-formed.
pub(crate) fn in_bounds(sp: Span, base: usize, len: usize) -> bool {
    sp.start <= sp.end && sp.start >= base && sp.end <= base + len
}

/// A display name: token words joined by LWS, or a quoted-string with
/// quoted-pairs.
pub(crate) fn display_name() -> impl Strategy<Value = String> {
    prop_oneof![
        (token(), proptest::collection::vec((lws1(), token()), 0..3)).prop_map(|(t, rest)| {
            let mut s = t;
            for (w, t) in rest {
                s.push_str(&w);
                s.push_str(&t);
            }
            s
        }),
        proptest::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9 ,;<>:@]".prop_map(|s| s),
                "\\\\[\"\\\\a-z]".prop_map(|s| s),
            ],
            0..8
        )
        .prop_map(|v| format!("\"{}\"", v.concat())),
    ]
}

/// A generated address value (`name-addr` or bare `addr-spec`, then header
/// params), with what a parse must give back.
#[derive(Clone, Debug)]
pub(crate) struct AddrCase {
    pub(crate) text: String,
    pub(crate) display: Option<String>,
    pub(crate) uri: String,
    pub(crate) bracketed: bool,
    pub(crate) params: Vec<(String, Option<String>)>,
}

/// An address value whose header parameter names avoid `reserved`.
pub(crate) fn addr_case(reserved: &'static [&'static str]) -> impl Strategy<Value = AddrCase> {
    (
        proptest::option::of(display_name()),
        any::<bool>(),
        sip_uri(false),
        sip_uri(true),
        lws(),
        header_params(reserved),
    )
        .prop_map(|(display, bracket, full, simple, gap, (ptext, params))| {
            let bracketed = display.is_some() || bracket;
            let uri = if bracketed {
                full.render()
            } else {
                simple.render()
            };
            let text = match (&display, bracketed) {
                (Some(d), _) => format!("{d}{gap}<{uri}>{ptext}"),
                (None, true) => format!("<{uri}>{ptext}"),
                (None, false) => format!("{uri}{ptext}"),
            };
            AddrCase {
                text,
                display,
                uri,
                bracketed,
                params,
            }
        })
}

/// Header params as comparable owned pairs.
pub(crate) fn pairs(p: &crate::header::Params<'_>) -> Vec<(String, Option<String>)> {
    p.iter()
        .map(|q| {
            (
                q.name().to_string(),
                q.value().map(|v| String::from_utf8_lossy(v).into_owned()),
            )
        })
        .collect()
}
