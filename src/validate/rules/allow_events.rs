//! Allow-Events (RFC 6665 §8.2.2): the 489 that must list the event
//! packages a notifier supports. (Its syntax rule, `allow-events-syntax`,
//! is `syntax.rs`'s.)

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `489-allow-events` — RFC 3903 §11.1.1 (the PUBLISH header table marks
/// Allow-Events mandatory in 489): error for PUBLISH. For SUBSCRIBE, NOTIFY
/// and any other or unknown method RFC 6665 §4.4.4 leaves a SHOULD (it
/// dropped RFC 3265's table): warning. Compact form `u` counts; a row
/// with no event type does not (it is `allow-events-syntax`), while a
/// malformed entry still counts as present. Span: the status line.
pub(super) fn allow_events_489<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 489 || f.has_value(KnownHeader::AllowEvents) {
        return;
    }
    let sev = if f.method_is("PUBLISH") {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.emit_at(
        r::R_489_ALLOW_EVENTS,
        sev,
        Some(f.status_line),
        Detail::new("489 without Allow-Events"),
    );
}
