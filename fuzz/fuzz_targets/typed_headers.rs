//! Fuzz target `typed_headers`: see `sip_response::__fuzz::typed_headers` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::typed_headers(data));
