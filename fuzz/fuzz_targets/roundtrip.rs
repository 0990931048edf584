//! Fuzz target `roundtrip`: see `sip_response::__fuzz::roundtrip` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sip_response::__fuzz::roundtrip(data));
