//! The shared productions of the SIP grammar (RFC 3261 §25.1), written once
//! as nom 8 parsers over `&[u8]`.
//!
//! Every parser here is a function with nom's signature
//! (`fn(&[u8]) -> IResult<&[u8], O>`), so it composes with nom's
//! combinators and with each other; each returns slices of its input (or
//! small values computed from them), never a copy. The start lines, the
//! header rows and the typed headers are built from these pieces, so one
//! production has one implementation and one set of tests.
//!
//! Input semantics: a header value is always complete (the row scanner has
//! found its end before anything reads it), so the value productions use
//! nom's *complete* semantics: running out of input is an ordinary
//! `Err::Error`, never `Incomplete`. The line taker ([`line::line()`]) is the
//! one place that sees partial input (a stream cut anywhere); it uses the
//! *streaming* semantics and answers `Err::Incomplete` when no line end has
//! arrived yet.
//!
//! Inside a header value a CR or LF can only belong to a fold (the row
//! scanner checked that every line break in a row is followed by SP/HTAB),
//! so the value productions read CR and LF as linear white space.
//!
//! Where speed matters (the line search, header names, tokens) a production
//! is a small hand-written nom parser over the crate's byte classes rather
//! than a chain of generic combinators; the signature is the same.
//!
//! ```
//! use nom::Parser;
//! use sip_response::grammar::{param, text};
//!
//! let (rest, (name, value)) = param::generic_param(b"branch = z9hG4bK1;x").unwrap();
//! assert_eq!((name, value, rest), (&b"branch"[..], Some(&b"z9hG4bK1"[..]), &b";x"[..]));
//! let (rest, _) = (text::token, text::slash, text::token).parse(b"SIP / 2.0").unwrap();
//! assert!(rest.is_empty());
//! ```

pub mod addr;
pub(crate) mod cursor;
pub mod date;
pub mod defect;
pub mod host;
pub mod line;
pub mod number;
pub mod param;
pub mod text;
pub mod uri;

pub(crate) use cursor::Cursor;
pub use defect::{Defect, Defects, Part};

/// The result type of every production: nom's `IResult` over bytes, with
/// nom's default error (the error's `input` is where the production
/// stopped, so `offset(full, e.input)` locates it).
pub type PResult<'a, O> = nom::IResult<&'a [u8], O>;

/// Offset of `rest` in `full`, where `rest` is a suffix of `full` (what a
/// production left over, or the input carried by its error).
#[inline]
pub fn offset(full: &[u8], rest: &[u8]) -> usize {
    full.len().saturating_sub(rest.len())
}

/// A nom error of `kind` at `at` (crate-internal shorthand).
#[inline]
pub(crate) fn fail<O>(at: &[u8], kind: nom::error::ErrorKind) -> PResult<'_, O> {
    Err(nom::Err::Error(nom::error::Error::new(at, kind)))
}

/// Where a failed production stopped, as an offset in `full` (`full.len()`
/// for `Incomplete`, which the complete productions never return).
pub fn error_offset(full: &[u8], e: &nom::Err<nom::error::Error<&[u8]>>) -> usize {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => offset(full, e.input),
        nom::Err::Incomplete(_) => full.len(),
    }
}
