//! Fuzz target `capture`: see `sip_response::__fuzz::capture` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::capture(data));
