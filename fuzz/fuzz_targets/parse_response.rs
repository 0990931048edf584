//! Fuzz target `parse_response`: see `sip_response::__fuzz::parse_response` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::parse_response(data));
