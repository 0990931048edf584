//! The harness behind BENCHMARKS.md: sip-response beside the other Rust SIP
//! parsers of crates.io (and httparse on the HTTP twin of each message), the
//! cost of `validate` on top of `parse`, and the stream decoder fed one byte
//! at a time. `tools/bench_peers.sh` drives it; see there for the commands.
//!
//! ```text
//! bench-peers check                 each case on each message: what it read
//! bench-peers count CASE MSG N      CASE on MSG, N times (run under callgrind)
//! bench-peers wall [REPS] [MS]      every case, interleaved, REPS timed loops
//!                                   of ~MS ms each; prints ns per operation
//! ```
//!
//! Every case returns a number computed from what it parsed (status code,
//! header count, body length) and passes its whole result to `black_box`, so
//! the compiler keeps the construction of the result, not only the reads.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use bytes::{Bytes, BytesMut};

#[path = "../../../benches/messages/mod.rs"]
mod messages;

/// The system allocator, counting calls and bytes (for `check`'s
/// allocations per operation). Two relaxed atomic adds per allocation; the
/// same for every case.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static ALLOC_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        ALLOC_BYTES.fetch_add(layout.size(), Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        ALLOC_BYTES.fetch_add(new_size, Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and allocated bytes of one call of `f` (after a first call,
/// so one-time initialisation is not counted).
fn allocations(f: Case, m: &Msg, ctx: &Ctx) -> (usize, usize) {
    let _ = f(m, ctx);
    let (a, b) = (ALLOCS.load(Relaxed), ALLOC_BYTES.load(Relaxed));
    let _ = black_box(f(m, ctx));
    (ALLOCS.load(Relaxed) - a, ALLOC_BYTES.load(Relaxed) - b)
}

/// One message as each parser wants it.
struct Msg {
    name: &'static str,
    sip: &'static [u8],
    /// The same bytes with `SIP/2.0` replaced by `HTTP/1.1` (httparse).
    http: Vec<u8>,
    /// The same bytes as `Bytes` (ezk-sip-types slices its input).
    bytes: Bytes,
}

fn messages() -> Vec<Msg> {
    [
        ("100_trying", messages::TRYING),
        ("200_ok_794", messages::OK_794),
        ("180_compact", messages::COMPACT),
        ("200_ok_20_headers", messages::HEADERS_20),
    ]
    .into_iter()
    .map(|(name, sip)| {
        let mut http = b"HTTP/1.1".to_vec();
        http.extend_from_slice(&sip[7..]);
        Msg {
            name,
            sip,
            http,
            bytes: Bytes::from_static(sip),
        }
    })
    .collect()
}

/// What a case read: status code, header fields it reports, body length.
#[derive(Debug, Clone, Copy)]
struct Read {
    code: u16,
    headers: usize,
    body: usize,
}

impl Read {
    fn sum(self) -> usize {
        usize::from(self.code) + self.headers + self.body
    }
}

type Case = fn(&Msg, &Ctx) -> Result<Read, String>;

/// The validation contexts, built once.
struct Ctx {
    default: sip_response::validate::Context,
    proxy: sip_response::validate::Context,
}

fn contexts() -> Ctx {
    use sip_response::validate::{Context, Role};
    let request = sip_response::OwnedMessage::parse(Bytes::from_static(messages::INVITE))
        .expect("the INVITE parses");
    Ctx {
        default: Context::new(),
        proxy: Context::new()
            .with_role(Role::Proxy)
            .with_own_sent_by("proxy2.biloxi.example.com", Some(5060))
            .with_request(request)
            .expect("INVITE is a request"),
    }
}

fn sip_response(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let r = sip_response::parse_response(black_box(m.sip)).map_err(|e| e.to_string())?;
    black_box(&r);
    Ok(Read {
        code: r.status().as_u16(),
        headers: r.headers().len(),
        body: r.body().len(),
    })
}

/// `sip_response` without keeping the view: only the status and the body
/// length are read, so the compiler may drop the rest of the view's
/// construction (the harness of benches/README.md measures this).
fn sip_response_lean(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let r = sip_response::parse_response(black_box(m.sip)).map_err(|e| e.to_string())?;
    Ok(Read {
        code: r.status().as_u16(),
        headers: 0,
        body: r.body().len(),
    })
}

fn httparse(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let mut h = [httparse::EMPTY_HEADER; 32];
    let mut r = httparse::Response::new(&mut h);
    let status = r.parse(black_box(&m.http)).map_err(|e| e.to_string())?;
    let head = match status {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Err("partial".into()),
    };
    black_box(&r);
    Ok(Read {
        code: r.code.unwrap_or(0),
        headers: r.headers.len(),
        // httparse stops at the head; the rest is what a caller would frame.
        body: m.http.len() - head,
    })
}

fn parsip(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let mut h = [parsip::EMPTY_HEADER; 32];
    let mut r = parsip::Response::new(&mut h);
    let head = match r.parse(black_box(m.sip)) {
        parsip::IResult::Done(_, n) => n,
        parsip::IResult::Incomplete(n) => return Err(format!("incomplete {n:?}")),
        parsip::IResult::Error(e) => return Err(format!("{e:?}")),
    };
    black_box(&r);
    Ok(Read {
        code: r.code.unwrap_or(0),
        headers: r.headers.len(),
        body: m.sip.len() - head,
    })
}

fn rsip(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let r = rsip::Response::try_from(black_box(m.sip)).map_err(|e| e.to_string())?;
    black_box(&r);
    Ok(Read {
        code: r.status_code.code(),
        headers: r.headers.iter().count(),
        body: r.body.len(),
    })
}

fn sipmsg(m: &Msg, _: &Ctx) -> Result<Read, String> {
    use sipmsg::NomParser;
    let (_, r) = sipmsg::SipResponse::parse(black_box(m.sip)).map_err(|e| format!("{e:?}"))?;
    black_box(&r);
    Ok(Read {
        // sipmsg's status code is an enum without a numeric accessor; the
        // reason phrase's length stands in for it.
        code: r.sl.reason_phrase.len() as u16,
        headers: r.headers.len(),
        body: r.body.map_or(0, <[u8]>::len),
    })
}

/// ezk-sip-types has no one-call message parser; its transport (ezk-sip-core)
/// frames with `PullParser` and a Content-Length pass, then parses the start
/// line and each `Line` into `Headers`. This does the same steps.
fn ezk(m: &Msg, _: &Ctx) -> Result<Read, String> {
    use ezk_sip_types::msg::{Line, MessageLine, PullParser};
    use ezk_sip_types::parse::Parse;
    let src = black_box(&m.bytes);
    // Framing pass: the head's end and the Content-Length value.
    let mut content_len = 0usize;
    let mut frame = PullParser::new(src, 0);
    for line in &mut frame {
        let line = line.map_err(|_| "incomplete head".to_string())?;
        let mut split = line.splitn(2, |&c| c == b':');
        let name = split.next().unwrap_or_default();
        let names = ezk_sip_types::Name::CONTENT_LENGTH
            .as_parse_strs()
            .unwrap_or_default();
        if names
            .iter()
            .any(|n| name.trim_ascii().eq_ignore_ascii_case(n.as_bytes()))
        {
            let value = split.next().ok_or("Content-Length without value")?;
            content_len = std::str::from_utf8(value)
                .map_err(|e| e.to_string())?
                .trim()
                .parse()
                .map_err(|_| "bad Content-Length".to_string())?;
        }
    }
    if src.len() < frame.head_end() + content_len {
        return Err("incomplete body".into());
    }
    // Parse pass.
    let mut parser = PullParser::new(src, 0);
    let mut start = None;
    let mut headers = ezk_sip_types::Headers::new();
    for line in &mut parser {
        let line = line.map_err(|_| "incomplete head".to_string())?;
        let line = std::str::from_utf8(line).map_err(|e| e.to_string())?;
        if start.is_none() {
            let (_, l) = MessageLine::parse(src)(line).map_err(|e| e.to_string())?;
            start = Some(l);
        } else {
            let (_, l) = Line::parse(src, line).map_err(|e| e.to_string())?;
            headers.insert(l.name, l.value);
        }
    }
    let head_end = parser.head_end();
    let body = src.slice(head_end..head_end + content_len);
    let code = match start {
        Some(MessageLine::Response(s)) => s.code.into_u16(),
        _ => return Err("not a response".into()),
    };
    black_box((&headers, &body));
    Ok(Read {
        code,
        headers: headers.iter().count(),
        body: body.len(),
    })
}

fn rvoip(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let msg = rvoip_sip_core::parse_message(black_box(m.sip)).map_err(|e| e.to_string())?;
    black_box(&msg);
    match msg {
        rvoip_sip_core::Message::Response(r) => Ok(Read {
            code: r.status.as_u16(),
            headers: r.headers.len(),
            body: r.body.len(),
        }),
        rvoip_sip_core::Message::Request(_) => Err("read as a request".into()),
    }
}

/// `parse_response` then `validate_into` with a counting sink.
fn validate_with(m: &Msg, ctx: &sip_response::validate::Context) -> Result<Read, String> {
    let r = sip_response::parse_response(black_box(m.sip)).map_err(|e| e.to_string())?;
    let mut sink = sip_response::validate::CountingSink::new();
    sip_response::validate_into(&r, ctx, &mut sink);
    black_box(&sink);
    Ok(Read {
        code: r.status().as_u16(),
        headers: sink.total(),
        body: r.body().len(),
    })
}

fn validate_default(m: &Msg, c: &Ctx) -> Result<Read, String> {
    validate_with(m, &c.default)
}

fn validate_proxy(m: &Msg, c: &Ctx) -> Result<Read, String> {
    validate_with(m, &c.proxy)
}

fn decoded(r: &sip_response::OwnedResponse) -> Read {
    let v = r.view();
    Read {
        code: v.status().as_u16(),
        headers: v.headers().len(),
        body: v.body().len(),
    }
}

/// The stream decoder given the whole message at once.
fn decoder_oneshot(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let mut dec = sip_response::ResponseDecoder::new(sip_response::ParseOptions::stream());
    let mut buf = BytesMut::from(black_box(m.sip));
    let r = dec
        .decode_message(&mut buf)
        .map_err(|e| e.to_string())?
        .ok_or("no message")?;
    black_box(&r);
    Ok(decoded(&r))
}

/// The stream decoder given one byte per call, as from a TCP stream cut
/// everywhere.
fn decoder_bytewise(m: &Msg, _: &Ctx) -> Result<Read, String> {
    let mut dec = sip_response::ResponseDecoder::new(sip_response::ParseOptions::stream());
    let mut buf = BytesMut::with_capacity(m.sip.len());
    let mut out = None;
    for &byte in black_box(m.sip) {
        buf.extend_from_slice(&[byte]);
        // A `match`, not `.map_err(..)?`: changing the error type rebuilds
        // the whole `Result<Option<OwnedResponse>, _>`, a `memcpy` call of
        // the ~700-byte response on every call (about 88 instructions a
        // byte here), which is the caller's cost, not the decoder's.
        match dec.decode_message(&mut buf) {
            Ok(None) => {}
            Ok(Some(r)) => out = Some(r),
            Err(e) => return Err(e.to_string()),
        }
    }
    let r = out.ok_or("no message")?;
    black_box(&r);
    Ok(decoded(&r))
}

const CASES: &[(&str, Case)] = &[
    ("sip-response", sip_response),
    ("sip-response-lean", sip_response_lean),
    ("httparse", httparse),
    ("parsip", parsip),
    ("rsip", rsip),
    ("ezk-sip-types", ezk),
    ("sipmsg", sipmsg),
    ("rvoip-sip-core", rvoip),
    ("validate-default", validate_default),
    ("validate-proxy", validate_proxy),
    ("decoder-oneshot", decoder_oneshot),
    ("decoder-bytewise", decoder_bytewise),
];

/// The validation cases run on the 794-byte 200 OK only (their context's
/// request is that 200's INVITE).
fn applies(case: &str, msg: &str) -> bool {
    !case.starts_with("validate") || msg == "200_ok_794"
}

fn case(name: &str) -> Case {
    CASES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("unknown case {name}"))
        .1
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let msgs = messages();
    let ctx = contexts();
    match args.first().map(String::as_str) {
        Some("check") => {
            for m in &msgs {
                for (name, f) in CASES {
                    if !applies(name, m.name) {
                        continue;
                    }
                    match f(m, &ctx) {
                        Ok(r) => {
                            let (allocs, bytes) = allocations(*f, m, &ctx);
                            println!(
                                "{name}\t{}\tok\tcode={} headers={} body={} bytes={} \
                                 allocs={allocs} alloc_bytes={bytes}",
                                m.name,
                                r.code,
                                r.headers,
                                r.body,
                                m.sip.len()
                            )
                        }
                        Err(e) => println!("{name}\t{}\tfails\t{}", m.name, e.replace('\n', " ")),
                    }
                }
            }
        }
        Some("count") => {
            let [_, c, m, n] = &args[..] else {
                panic!("count CASE MSG N")
            };
            let f = case(c);
            let m = msgs.iter().find(|x| x.name == m).expect("unknown message");
            let n: u64 = n.parse().expect("N");
            if let Err(e) = f(m, &ctx) {
                eprintln!("{c} fails on {}: {e}", m.name);
                std::process::exit(3);
            }
            let mut acc = 0usize;
            for _ in 0..n {
                acc = acc.wrapping_add(f(m, &ctx).map_or(0, Read::sum));
            }
            println!("{acc}");
        }
        Some("wall") => {
            let reps: usize = args.get(1).map_or(15, |s| s.parse().expect("REPS"));
            let ms: f64 = args.get(2).map_or(20.0, |s| s.parse().expect("MS"));
            wall(&msgs, &ctx, reps, ms);
        }
        _ => {
            eprintln!("usage: bench-peers check | count CASE MSG N | wall [REPS] [MS]");
            std::process::exit(2);
        }
    }
}

/// Interleaved timing: each repetition runs one timed loop of every
/// (case, message) pair, starting at a different pair each time, so slow
/// phases of a shared machine spread over all of them. Prints, per pair,
/// the median, minimum and maximum nanoseconds per operation.
fn wall(msgs: &[Msg], ctx: &Ctx, reps: usize, ms: f64) {
    let mut pairs = Vec::new();
    for m in msgs {
        for (name, f) in CASES {
            if applies(name, m.name) && f(m, ctx).is_ok() {
                pairs.push((*name, *f, m));
            }
        }
    }
    // Calibrate: iterations for a loop of about `ms` milliseconds.
    let iters: Vec<u64> = pairs
        .iter()
        .map(|(_, f, m)| {
            let mut n = 16u64;
            loop {
                let t = Instant::now();
                let mut acc = 0usize;
                for _ in 0..n {
                    acc = acc.wrapping_add(f(m, ctx).map_or(0, Read::sum));
                }
                black_box(acc);
                let el = t.elapsed().as_secs_f64() * 1e3;
                if el > ms / 4.0 {
                    break ((n as f64) * ms / el).ceil() as u64;
                }
                n *= 2;
            }
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(reps); pairs.len()];
    for rep in 0..reps {
        for k in 0..pairs.len() {
            let i = (k + rep * 7) % pairs.len();
            let (_, f, m) = pairs[i];
            let t = Instant::now();
            let mut acc = 0usize;
            for _ in 0..iters[i] {
                acc = acc.wrapping_add(f(m, ctx).map_or(0, Read::sum));
            }
            black_box(acc);
            samples[i].push(t.elapsed().as_secs_f64() * 1e9 / iters[i] as f64);
        }
    }
    println!("case\tmessage\tmedian_ns\tmin_ns\tmax_ns\titers\treps");
    for (i, (name, _, m)) in pairs.iter().enumerate() {
        let s = &mut samples[i];
        s.sort_by(f64::total_cmp);
        println!(
            "{name}\t{}\t{:.1}\t{:.1}\t{:.1}\t{}\t{reps}",
            m.name,
            s[s.len() / 2],
            s[0],
            s[s.len() - 1],
            iters[i]
        );
    }
}
