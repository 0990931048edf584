//! Fuzz target `parse_message`: see `sip_response::__fuzz::parse_message` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::parse_message(data));
