//! `validate`: audits SIP messages against the response rules of
//! `spec/response-rules.md` and prints findings for people (text) or
//! machines (JSON Lines).
//!
//! ```text
//! cargo run --release --example validate -- samples/
//! cargo run --release --example validate -- --format json --transport tcp stream.bin
//! ```
//!
//! Exit code: 0 when no error-severity finding (and no framing error), 1 when
//! there is one, 2 on a usage or I/O error. Unreadable inputs are reported
//! and skipped; the run goes on.

/// `println!` for results. A closed stdout (`validate ... | head`) ends the
/// run quietly with exit code 0, as ripgrep does, instead of the panic
/// `println!` gives on EPIPE; any other write failure is an I/O error (2).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(e)
        }
    }};
}

/// The tool hands each message from the reading thread to the validating
/// ones: an allocator made for frees on another thread than the
/// allocation's (glibc's spends a tenth of the run on it).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod input;
use input::Content;
mod listen;
mod report;

/// Ends the process after a failed write to stdout (see `out!`).
fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("validate: writing to stdout: {e}");
    std::process::exit(2);
}

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use serde_json::json;
use sip_response::validate::{
    rules, validate, Context, Finding, FindingSink, Policy, Report, Role, RuleStatus, Severity,
    Transport,
};
use sip_response::{Limits, Message, OwnedMessage, ParseOptions};

use report::{Format, Outcome, Totals};

/// `--transport`: the names the help lists, read by `Transport`'s `FromStr`.
fn transport_parser() -> impl clap::builder::TypedValueParser<Value = Transport> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["udp", "tcp", "tls", "sctp", "ws", "wss"])
        .try_map(|s| s.parse::<Transport>())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RoleArg {
    /// The final consumer of the responses.
    Uac,
    /// A proxy about to forward them upstream.
    Proxy,
    /// A passive observer (captures): role-specific rules stay silent.
    Observer,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

/// Validate SIP responses against RFC 3261 and its extensions.
#[derive(Debug, Parser)]
#[command(name = "validate", version, about)]
struct Args {
    /// Message files or directories (walked recursively); `-` reads stdin.
    inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Transport the messages arrived on. udp/sctp/ws/wss: one message per
    /// file; tcp/tls: each file is a stream of messages, and a response is
    /// checked against a request of its transaction earlier in the stream.
    #[arg(long, default_value = "udp", value_parser = transport_parser())]
    transport: Transport,
    /// Whose view to validate from.
    #[arg(long, value_enum, default_value = "observer")]
    role: RoleArg,
    /// This element's own Via sent-by (HOST or HOST:PORT); repeatable. In a
    /// capture, an IP address here also says which responses reach this
    /// element: only those are judged in its role.
    #[arg(long = "own-via", value_name = "HOST[:PORT]")]
    own_via: Vec<String>,
    /// With --role proxy: the proxy acts statelessly (RFC 3261 §16.11) and
    /// forwards a 100 Trying like any response, so the stateful proxy's
    /// 100-not-forwarded verdict does not apply. In a capture, the proxy at
    /// the IP addresses of --own-via and --proxy is held to the content
    /// checks of what it forwards, not to a stateful proxy's choices (503
    /// sent as 500, best response, forking).
    #[arg(long)]
    stateless: bool,
    /// Report only findings at or above this severity.
    #[arg(long, value_enum)]
    min_severity: Option<SeverityArg>,
    /// Run only these rules (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// Do not run these rules (repeatable).
    #[arg(long = "skip-rule", value_name = "ID")]
    skip_rules: Vec<String>,
    /// Receive HEP (v1, v2, v3) over UDP on this address and audit what it
    /// carries live, until interrupted.
    #[arg(long, value_name = "ADDR:PORT")]
    hep_listen: Option<String>,
    /// Forget a transaction kept for matching responses to their request
    /// this long (capture time, seconds) after its last message
    /// (default 32: 64·T1, RFC 3261 Timers B, F and H). An INVITE that has
    /// had a provisional response but no final one is kept 200 s, as the
    /// transaction rules keep theirs (a call may ring for minutes).
    #[arg(long, value_name = "SECONDS", default_value_t = 32.0)]
    transaction_timeout: f64,
    /// Keep at most this many transactions of a capture (for matching and
    /// the transaction rules); past it the oldest are evicted, and the
    /// summary counts them.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_transactions: usize,
    /// A proxy's address (IP), for the proxy-hop rules of captures when
    /// the proxy receives and sends on different addresses (repeatable:
    /// name each of its addresses). A proxy on one address is recognised
    /// without it.
    #[arg(long = "proxy", value_name = "IP")]
    proxies: Vec<IpAddr>,
    /// Colour the severities of the text format.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// Print only the per-rule summary (rule, severity, count, first
    /// occurrence) and the totals, not each message.
    #[arg(long)]
    summary: bool,
    /// Only messages of this call (their Call-ID); repeatable.
    #[arg(long = "call-id", value_name = "CALL-ID")]
    call_ids: Vec<String>,
    /// Only messages to or from this address (IP or IP:PORT, either end);
    /// repeatable.
    #[arg(long = "addr", value_name = "IP[:PORT]")]
    addrs: Vec<String>,
    /// Print the rule catalogue (text or JSON Lines, per --format), with
    /// the source file that checks each rule, and exit.
    #[arg(long)]
    list_rules: bool,
    /// The largest SIP message read, head and body, in octets (default
    /// 65536, at most 1 GiB); a larger one is a `message-too-large` parse
    /// error, and a header section larger than this a `head-too-large`
    /// one. Messages with big bodies (presence lists, large SDP) or many
    /// header rows may need more.
    #[arg(long, value_name = "OCTETS", default_value_t = Limits::DEFAULT.max_message,
          value_parser = clap::value_parser!(usize))]
    max_message: usize,
}

/// The parser's limits for every message read (`--max-message`), set once
/// in `main` before any input is read.
static LIMITS: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();

/// The parser's limits (see [`LIMITS`]).
pub(crate) fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or(Limits::DEFAULT)
}

/// One message per buffer, with [`limits`].
pub(crate) fn datagram_options() -> ParseOptions {
    ParseOptions::datagram().with_limits(limits())
}

fn parse_sent_by(s: &str) -> Result<(String, Option<u16>), String> {
    // [v6]:port, [v6], host:port, host
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("bad --own-via {s:?}"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(
                p.parse()
                    .map_err(|_| format!("bad port in --own-via {s:?}"))?,
            ),
            None if after.is_empty() => None,
            None => return Err(format!("bad --own-via {s:?}")),
        };
        return Ok((format!("[{host}]"), port));
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => Ok((
            h.to_string(),
            Some(
                p.parse()
                    .map_err(|_| format!("bad port in --own-via {s:?}"))?,
            ),
        )),
        _ => Ok((s.to_string(), None)),
    }
}

fn build_context(args: &Args) -> Result<Context, String> {
    let mut policy = Policy::new();
    if let Some(s) = args.min_severity {
        policy.set_min_severity(s.into());
    }
    let role = match args.role {
        RoleArg::Uac => Role::Uac,
        RoleArg::Proxy => Role::Proxy,
        RoleArg::Observer => Role::Observer,
    };
    for (flag, id) in args
        .rules
        .iter()
        .map(|r| ("--rule", r))
        .chain(args.skip_rules.iter().map(|r| ("--skip-rule", r)))
    {
        let Some(info) = rules().iter().find(|r| r.id == id) else {
            return Err(format!("{flag} {id:?}: unknown rule id (see --list-rules)"));
        };
        if let Some(why) = cannot_run(info, role) {
            return Err(format!("{flag} {id:?}: this rule never runs here: {why}"));
        }
    }
    if !args.rules.is_empty() {
        for info in rules() {
            if !args.rules.iter().any(|r| r == info.id) {
                policy
                    .disable(info.id)
                    .map_err(|_| format!("unknown rule id {:?}", info.id))?;
            }
        }
    }
    for id in &args.skip_rules {
        policy
            .disable(id)
            .map_err(|_| format!("unknown rule id {id:?} (see --list-rules)"))?;
    }
    if args.stateless && role != Role::Proxy {
        return Err("--stateless describes a proxy: it needs --role proxy".into());
    }
    let mut ctx = Context::new()
        .with_transport(args.transport)
        .with_role(role)
        .with_stateless_proxy(args.stateless)
        .with_policy(policy);
    for v in &args.own_via {
        let (host, port) = parse_sent_by(v)?;
        ctx = ctx.with_own_sent_by(host, port);
    }
    Ok(ctx)
}

/// The IP addresses `--stateless` speaks of in a capture: those of
/// `--own-via` (host names are not resolved) and of `--proxy`; none
/// without `--stateless`.
fn stateless_addresses(args: &Args) -> std::sync::Arc<[IpAddr]> {
    if !args.stateless {
        return std::sync::Arc::from(Vec::new());
    }
    let own = args.own_via.iter().filter_map(|v| {
        let (host, _) = parse_sent_by(v).ok()?;
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .ok()
    });
    own.chain(args.proxies.iter().copied()).collect()
}

/// Why `rule` can never report anything in a run with this role, if so:
/// it is not checked by validation at all, or it belongs to another role.
fn cannot_run(rule: &sip_response::validate::RuleInfo, role: Role) -> Option<String> {
    use sip_response::validate::{Contexts, TxnTracker};
    // The transaction tracker's rules run on captures, whatever the role
    // (a capture shows a proxy's hops as they were).
    if TxnTracker::RULES.iter().any(|r| r.id() == rule.id) {
        return None;
    }
    match rule.status {
        RuleStatus::Checked => {}
        RuleStatus::CheckedBy(api) => return Some(format!("it is checked by {api}")),
        RuleStatus::Pending => return Some("it is not implemented yet".into()),
        RuleStatus::NeedsState(what) => return Some(format!("it needs {what}")),
        _ => return Some("it is not checked".into()),
    }
    if rule.contexts.contains(Contexts::PROXY_FWD) && role != Role::Proxy {
        return Some("it is a proxy's check (--role proxy)".into());
    }
    if rule.contexts.contains(Contexts::UAC) && role != Role::Uac {
        return Some("it is the UAC's check (--role uac)".into());
    }
    None
}

fn list_rules(format: Format) {
    for r in rules() {
        let (status, needs) = match r.status {
            RuleStatus::Checked => ("checked", None),
            // Checked, but by the API `needs` names (the parser, the
            // forwarder), not by validation.
            RuleStatus::CheckedBy(api) => ("checked-elsewhere", Some(api)),
            RuleStatus::Pending => ("pending", None),
            RuleStatus::NeedsState(what) => ("needs-state", Some(what)),
            // RuleStatus is non-exhaustive.
            _ => ("unknown", None),
        };
        match format {
            // The file that checks the rule ("-" when none does).
            Format::Text => out!(
                "{:<40} {:<7} {:<17} {:<40} {:<36} {}",
                r.id,
                r.default_severity.as_str(),
                status,
                r.cite.to_string(),
                if r.file.is_empty() { "-" } else { r.file },
                r.summary
            ),
            Format::Json => out!(
                "{}",
                json!({
                    "id": r.id,
                    "severity": r.default_severity.as_str(),
                    "cite": r.cite.to_string(),
                    "contexts": r.contexts.names().collect::<Vec<_>>(),
                    "status": status,
                    "needs": needs,
                    "file": (!r.file.is_empty()).then_some(r.file),
                    "summary": r.summary,
                })
            ),
        }
    }
}

/// An `--addr`: a whole socket address, or an IP address on any port.
#[derive(Clone, Copy, Debug)]
enum AddrFilter {
    Socket(SocketAddr),
    Ip(IpAddr),
}

fn parse_addr(s: &str) -> Result<AddrFilter, String> {
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(AddrFilter::Socket(a));
    }
    let bare = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    bare.parse::<IpAddr>()
        .map(AddrFilter::Ip)
        .map_err(|_| format!("bad --addr {s:?} (IP or IP:PORT)"))
}

/// Is `item` one the filters let through? Problems with a capture file
/// and framing failures belong to no call: a `--call-id` filter drops
/// them, as `--addr` drops what has no addresses.
fn wanted(args: &Args, addrs: &[AddrFilter], item: &input::Item) -> bool {
    if !args.call_ids.is_empty() {
        let Content::Message(m) = &item.content else {
            return false;
        };
        let view = m.view();
        let Some(id) = view
            .headers()
            .get(sip_response::KnownHeader::CallId)
            .and_then(|h| h.value_str())
        else {
            return false;
        };
        if !args.call_ids.iter().any(|c| c == id.trim()) {
            return false;
        }
    }
    if !addrs.is_empty() {
        let ends = [&item.src, &item.dst];
        let hit = ends.iter().filter_map(|e| **e).any(|end| {
            addrs.iter().any(|f| match f {
                AddrFilter::Socket(a) => *a == end,
                AddrFilter::Ip(ip) => *ip == end.ip(),
            })
        });
        if !hit {
            return false;
        }
    }
    true
}

/// What validation made of one item: for a response that the filters let
/// through, its report.
type Checked = Option<Result<Report, ()>>;

/// Validates one item (the part that runs in parallel): `None` when the
/// filters drop it, `Some(Err(()))` for what has no report (requests,
/// framing failures, capture problems).
fn validate_item(args: &Args, addrs: &[AddrFilter], ctx: &Context, item: &input::Item) -> Checked {
    if !wanted(args, addrs, item) {
        return None;
    }
    let Content::Message(owned) = &item.content else {
        return Some(Err(()));
    };
    let msg = owned.view();
    let Message::Response(r) = &msg else {
        return Some(Err(()));
    };
    // A capture supplies the transport, and the request when it holds it.
    let mut c = ctx.clone().with_transport(item.transport);
    if let Some(req) = item
        .request
        .as_ref()
        .and_then(|b| OwnedMessage::parse_with(b.clone(), &datagram_options()).ok())
    {
        // Seen on this hop, not necessarily as the UAS received it. Only
        // requests are kept for matching, so this cannot fail; if it did,
        // the rules about the request would just stay silent.
        if let Ok(with) = c.clone().with_observed_request(req) {
            c = with;
        }
    }
    // A capture shows both directions: the role's rules judge only the
    // responses sent to this element (its `--own-via` addresses); the
    // others it sent or merely saw, as an observer does.
    if item.dst.is_some_and(|dst| !addressed_to_us(ctx, dst)) {
        c = c.with_role(Role::Observer);
    }
    let mut report = validate(r, &c);
    // The transaction rules (found in capture order while reading), under
    // the run's policy like the others.
    for f in &item.txn_findings {
        if let Some(sev) = ctx.policy().apply(f.rule_handle(), f.severity()) {
            report.report(Finding::new(f.rule_handle(), sev, f.span(), f.detail()));
        }
    }
    Some(Ok(report))
}

/// False when a capture's message to `dst` is not for this element: the
/// role is not the observer's and an `--own-via` is an IP address, none of
/// which is `dst`'s (with its port, when the `--own-via` gives one). Own
/// sent-bys given as names cannot be told from an address, so then every
/// response counts as ours, as before.
fn addressed_to_us(ctx: &Context, dst: SocketAddr) -> bool {
    if ctx.role() == Role::Observer {
        return true;
    }
    let ips: Vec<_> = ctx
        .own_sent_by()
        .iter()
        .filter_map(|s| {
            let host = s.host().trim_start_matches('[').trim_end_matches(']');
            host.parse::<IpAddr>().ok().map(|ip| (ip, s.port()))
        })
        .collect();
    ips.is_empty()
        || ips
            .iter()
            .any(|&(ip, port)| ip == dst.ip() && port.is_none_or(|p| p == dst.port()))
}

/// Reports one validated item (in input order) and adds it to the totals.
fn emit_item(out: &Output, item: &input::Item, checked: Checked, totals: &mut Totals) {
    let Some(checked) = checked else {
        return;
    };
    let (format, color, quiet) = (out.format, out.color, out.quiet);
    match (&item.content, checked) {
        (Content::CaptureProblem(e), _) => {
            report::emit(format, color, quiet, item, Outcome::Capture(*e), totals)
        }
        (Content::ParseError(e), _) => {
            report::emit(format, color, quiet, item, Outcome::Error(*e), totals)
        }
        (Content::Message(owned), checked) => {
            let msg = owned.view();
            let outcome = match checked {
                Ok(report) => Outcome::Response { msg: &msg, report },
                Err(()) => Outcome::Request { msg: &msg },
            };
            report::emit(format, color, quiet, item, outcome, totals);
        }
    }
}

/// How results are printed.
struct Output {
    format: Format,
    color: bool,
    quiet: bool,
}

/// The most items validated together: enough to keep both cores busy,
/// few enough to print soon.
const BATCH: usize = 2048;

/// The threads that validate: one fewer than the cores, because the
/// reading thread keeps a core busy (framing, dissection and transaction
/// tracking are about half the work of a capture audit). Measured on 2
/// cores, the 100 000-call capture: 3.62 s wall with one validating
/// thread, 3.97 s with two, where three busy threads share two cores and
/// the reader, which paces everything, gets two thirds of one. One
/// validating thread is the calling one (`None`): a pool of one worker
/// adds nothing but its hand-over, and its idle worker spins between
/// batches on the core the reader needs (system time 0.26-1.42 s a run
/// with it, 0.13-0.27 s without, same capture). `RAYON_NUM_THREADS`, when
/// set, decides. `None` too if no thread can be started.
fn validation_pool() -> Option<rayon::ThreadPool> {
    let mut pool = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("validate-{i}"));
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores <= 2 {
            return None;
        }
        pool = pool.num_threads(cores - 1);
    }
    pool.build().ok()
}

/// Runs `produce` (reading a source: framing, dissection, request
/// matching) on its own thread, validates what it yields in parallel
/// batches, and reports the results in input order. A batch takes what is
/// ready and never waits for more, so a live source is reported as it
/// arrives.
fn pipeline<R: Send>(
    args: &Args,
    addrs: &[AddrFilter],
    ctx: &Context,
    out: &Output,
    totals: &mut Totals,
    produce: impl FnOnce(&mut dyn FnMut(input::Item)) -> R + Send,
) -> R {
    use rayon::prelude::*;
    let pool = validation_pool();
    let (tx, rx) = std::sync::mpsc::sync_channel::<input::Item>(4 * BATCH);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("read".into())
            .spawn_scoped(scope, move || {
                produce(&mut |item| {
                    // The receiver only goes away when the run ends early.
                    let _ = tx.send(item);
                })
            })
            .expect("a thread to read the input on");
        let mut batch = Vec::with_capacity(BATCH);
        while let Ok(first) = rx.recv() {
            batch.push(first);
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(item) => batch.push(item),
                    Err(_) => break,
                }
            }
            let check = |item| validate_item(args, addrs, ctx, item);
            let checked: Vec<Checked> = match &pool {
                Some(pool) if batch.len() > 1 => {
                    pool.install(|| batch.par_iter().map(check).collect())
                }
                _ => batch.iter().map(check).collect(),
            };
            for (item, c) in batch.drain(..).zip(checked) {
                emit_item(out, &item, c, totals);
            }
        }
        match reader.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if args.list_rules {
        list_rules(args.format);
        return ExitCode::SUCCESS;
    }
    if args.max_message == 0 {
        eprintln!("validate: --max-message must be at least 1");
        return ExitCode::from(2);
    }
    let _ = LIMITS.set(Limits {
        max_message: args.max_message,
        // A head may take the whole message: `--max-message` is the one
        // size an operator sets (a 211-row 200 OK of 66 875 octets, within
        // the other limits, was refused at the head's default 64 KiB).
        max_head: args.max_message,
        ..Limits::DEFAULT
    });
    if args.inputs.is_empty() && args.hep_listen.is_none() {
        eprintln!("validate: no input given (a file, a directory, or - for stdin); see --help");
        return ExitCode::from(2);
    }
    let ctx = match build_context(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("validate: {e}");
            return ExitCode::from(2);
        }
    };
    let addrs = match args
        .addrs
        .iter()
        .map(|a| parse_addr(a))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!("validate: {e}");
            return ExitCode::from(2);
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = args.format == Format::Text
        && match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => std::io::stdout().is_terminal() && !no_color,
        };
    // A progress bar on stderr when it is a terminal, unless the results
    // go to the same terminal (their lines would tear it).
    let progress =
        std::io::stderr().is_terminal() && (!std::io::stdout().is_terminal() || args.summary);
    let mut totals = Totals::default();
    let input::Expanded {
        files,
        failures,
        skipped,
    } = input::expand(&args.inputs);
    if !skipped.is_empty() {
        let names: Vec<String> = skipped
            .iter()
            .take(5)
            .map(|p| p.display().to_string())
            .collect();
        let more = skipped.len().saturating_sub(names.len());
        eprintln!(
            "validate: skipped {} file{} in the directories given, neither captures nor .sip/.msg/.dat messages: {}{}",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            names.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
    }
    let report_failure = |f: input::ReadFailure, totals: &mut Totals| {
        totals.io_errors += 1;
        eprintln!("validate: {}: {}", f.source, f.error);
    };
    for f in failures {
        report_failure(f, &mut totals);
    }
    let transport = args.transport;
    if !(args.transaction_timeout >= 0.0 && args.transaction_timeout <= 86_400.0) {
        eprintln!("validate: --transaction-timeout must be between 0 and 86400 seconds");
        return ExitCode::from(2);
    }
    let correlation = input::Correlation {
        expiry: std::time::Duration::from_secs_f64(args.transaction_timeout),
        max: args.max_transactions.max(1),
        proxies: std::sync::Arc::from(args.proxies.as_slice()),
        stateless: stateless_addresses(&args),
        ..input::Correlation::default()
    };
    let out = Output {
        format: args.format,
        color,
        quiet: args.summary,
    };
    if let Some(addr) = &args.hep_listen {
        // Interrupted, the listener stops and the run ends with its
        // summary.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        if let Err(e) =
            ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed))
        {
            eprintln!("validate: cannot catch interrupts: {e}");
        }
        let listened = pipeline(&args, &addrs, &ctx, &out, &mut totals, |sink| {
            listen::listen(&stop, addr, correlation.clone(), sink)
        });
        match listened {
            Ok(stats) => totals.add_txn_stats(stats),
            Err(e) => {
                eprintln!("validate: --hep-listen {addr}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    for path in files {
        let read = pipeline(&args, &addrs, &ctx, &out, &mut totals, |sink| {
            input::read_source(&path, transport, correlation.clone(), progress, sink)
        });
        match read {
            Ok(Some(stats)) => totals.add_txn_stats(stats),
            Ok(None) => {}
            Err(f) => report_failure(f, &mut totals),
        }
    }
    report::rule_summary(args.format, &totals);
    if args.format == Format::Text {
        report::totals_line(&totals);
        report::txn_line(&totals);
    }
    if totals.io_errors > 0 {
        ExitCode::from(2)
    } else if totals.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
