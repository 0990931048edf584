//! Fuzz target `forward`: see `sip_response::__fuzz::forward` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::forward(data));
